package org.tlsrollout.agent.windows;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.program.Platform;
import org.tlsrollout.agent.program.ProgramConfig;
import org.tlsrollout.agent.registry.CommandRunner;
import org.tlsrollout.agent.registry.ProcessCommandRunner;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.agent.snapshot.DirectoryLogSource;
import org.tlsrollout.agent.snapshot.LogSource;

/**
 * The Windows classes wired together for {@code run}, {@code service} and {@code snapshot}: the registry through its
 * API ({@link JnaRegistryApi}), PowerShell for CIM (hotfixes, reboot verdict, last boot, probes, maintenance
 * windows), wusa/msiexec/shutdown.exe through one {@link CommandRunner}. <b>Never run on Windows by this project.</b>
 */
public final class WindowsPlatform implements Platform {
    private final WindowsFacts facts;
    private final Registry registry;
    private final WindowsHost host;
    private final Deployments deployments;
    private final Prober prober;
    private final LogSource logs;
    private final ActionHook hook;

    WindowsPlatform(ProgramConfig config, RegistryApi api, CommandRunner quick, CommandRunner installs,
            Function<String, String> env, Clock clock) {
        PowerShell ps = new PowerShell(quick);
        this.facts = new WindowsFacts(api, ps, env, config.roles());
        this.registry = new WindowsRegistry(api);
        this.host = new WindowsHost(facts, ps, quick, config.stateDir());
        String arch = env.apply("PROCESSOR_ARCHITEW6432") != null ? env.apply("PROCESSOR_ARCHITEW6432")
                : env.apply("PROCESSOR_ARCHITECTURE");
        this.deployments = new WindowsDeployments(config.contentShare() == null ? null : Path.of(config.contentShare()),
                installs, host, arch == null || !arch.equalsIgnoreCase("x86"));
        this.prober = new WindowsProber(ps, config.probeTargets(), clock);
        List<Path> dirs = new ArrayList<>(config.configMgrLogs());
        if (dirs.isEmpty()) {
            addIfSet(dirs, env.apply("SMS_LOG_PATH"));
            addIfSet(dirs, env.apply("ProgramFiles") == null ? null : env.apply("ProgramFiles") + "\\Microsoft Configuration Manager\\Logs");
            addIfSet(dirs, env.apply("SystemRoot") == null ? null : env.apply("SystemRoot") + "\\CCM\\Logs");
        }
        this.logs = DirectoryLogSource.inDirectories(dirs);
        this.hook = new MaintenanceHook(config.maintenanceWindow(), ps, clock.withZone(java.time.ZoneId.systemDefault()));
    }

    public static WindowsPlatform create(ProgramConfig config) {
        Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        return new WindowsPlatform(config, new JnaRegistryApi(), new ProcessCommandRunner(Duration.ofMinutes(2), utf8),
                new ProcessCommandRunner(Duration.ofMinutes(45), Charset.defaultCharset()), System::getenv,
                Clock.systemUTC());
    }

    private static void addIfSet(List<Path> dirs, String dir) {
        if (dir != null && !dir.isBlank()) {
            dirs.add(Path.of(dir));
        }
    }

    @Override
    public String machineId() {
        return facts.hostname();
    }

    @Override
    public Registry registry() {
        return registry;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public Deployments deployments() {
        return deployments;
    }

    @Override
    public Prober prober() {
        return prober;
    }

    @Override
    public LogSource logs() {
        return logs;
    }

    @Override
    public ActionHook actionHook() {
        return hook;
    }
}
