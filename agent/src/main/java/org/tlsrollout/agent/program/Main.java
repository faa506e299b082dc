package org.tlsrollout.agent.program;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.tlsrollout.agent.Agent;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.AgentState;
import org.tlsrollout.agent.CycleReport;
import org.tlsrollout.agent.FileAgentState;
import org.tlsrollout.agent.InMemoryAgentState;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.jobs.TrustedKeys;
import org.tlsrollout.agent.windows.WindowsPlatform;
import org.tlsrollout.contracts.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code java -jar tlsrollout-agent.jar [--config FILE] run | service | snapshot --print}: the agent as a program
 * an administrator deploys (agent/README.md). Exit codes: 0 done, 1 the cycle failed (logged; the next run tries
 * again), 2 the configuration is wrong (the message names the setting).
 */
@Command(name = "tlsrollout-agent", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "The tlsrollout agent: enrolls, reports the machine's TLS state and applies signed fix jobs.",
        subcommands = {Main.Run.class, Main.Service.class, Main.Snapshot.class})
public final class Main implements Callable<Integer> {
    static final int FAILED = 1;
    static final int CONFIG = 2;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "the configuration file (default: %%ProgramData%%\\tlsrollout\\agent.properties on Windows,"
                    + " ./agent.properties elsewhere)")
    Path config;

    private final Function<ProgramConfig, Platform> platforms;

    Main(Function<ProgramConfig, Platform> platforms) {
        this.platforms = platforms;
    }

    public static void main(String[] args) {
        System.exit(commandLine(Main::windowsOnly).execute(args));
    }

    static CommandLine commandLine(Function<ProgramConfig, Platform> platforms) {
        CommandLine cl = new CommandLine(new Main(platforms));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ProgramConfig.ConfigException) {
                line.getErr().println("configuration: " + e.getMessage());
                return CONFIG;
            }
            line.getErr().println("failed: " + e);
            return FAILED;
        });
        return cl;
    }

    /** The Windows classes when the OS is Windows; elsewhere the program has no machine to act on. */
    static Platform windowsOnly(ProgramConfig config) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new ProgramConfig.ConfigException("the agent program acts on Windows machines only (this is "
                    + System.getProperty("os.name") + "); off Windows the estate simulator runs agents (./tlsrollout demo)");
        }
        return WindowsPlatform.create(config);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return CONFIG;
    }

    ProgramConfig loadConfig() {
        Path file = config;
        if (file == null) {
            String programData = System.getenv("ProgramData");
            file = programData != null ? Path.of(programData, "tlsrollout", "agent.properties") : Path.of("agent.properties");
        }
        return ProgramConfig.load(file);
    }

    /** One agent over the platform, with its state on disk. */
    Agent agent(ProgramConfig config, Platform platform, AgentState state, ExecutorService executor) {
        AgentConfig agentConfig = config.agentConfig(Version.version());
        AgentHttp http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(30), agentConfig.caFile()),
                agentConfig.collectorUrl(), agentConfig.remediationUrl(), agentConfig.requestTimeout(), Clock.systemUTC());
        TrustedKeys keys = TrustedKeys.pinned(agentConfig.pinnedJwks(), config.stateDir().resolve("trusted-keys.json"));
        String machineId = config.machineId() != null ? config.machineId() : platform.machineId();
        return Agent.builder(agentConfig).machine(machineId, config.siteCode()).http(http).trustedKeys(keys).state(state)
                .registry(platform.registry()).host(platform.host()).deployments(platform.deployments())
                .prober(platform.prober()).logs(platform.logs()).actionHook(platform.actionHook()).executor(executor)
                .build();
    }

    int cycle(ProgramConfig config, Platform platform, AgentState state) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CycleReport r = agent(config, platform, state, executor).cycle().get(30, TimeUnit.MINUTES);
            System.err.println("cycle done: " + r);
            return 0;
        } finally {
            executor.shutdownNow();
        }
    }

    /** One cycle: enroll or renew, report when due, poll, verify, apply, report; then exit. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "One cycle: enroll or renew, collect and report, poll, verify, apply, report; then exit.")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() throws Exception {
            ProgramConfig config = main.loadConfig();
            Platform platform = main.platforms.apply(config);
            return main.cycle(config, platform, new FileAgentState(config.stateDir()));
        }
    }

    /** Cycles until stopped, {@code service.interval} apart; a failed cycle is logged and the next one follows. */
    @Command(name = "service", mixinStandardHelpOptions = true,
            description = "The same cycle in a loop, service.interval apart, until stopped.")
    static final class Service implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() throws Exception {
            ProgramConfig config = main.loadConfig();
            Platform platform = main.platforms.apply(config);
            AgentState state = new FileAgentState(config.stateDir()); // kept across cycles: token, pending snapshot
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    main.cycle(config, platform, state);
                } catch (Exception e) {
                    System.err.println("cycle failed: " + e);
                }
                Thread.sleep(config.serviceInterval().toMillis());
            }
            return 0;
        }
    }

    /** Collects and prints the snapshot JSON, sending nothing and changing no state. */
    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Collects the machine's snapshot and prints it as JSON, without sending it.")
    static final class Snapshot implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--print", required = true, description = "print the snapshot JSON on standard output")
        boolean print;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ProgramConfig config = main.loadConfig();
            Platform platform = main.platforms.apply(config);
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                // In-memory state: no key is made, no sequence advanced.
                Agent agent = main.agent(config, platform, new InMemoryAgentState(), executor);
                PrintWriter out = spec.commandLine().getOut();
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(agent.collectSnapshot()));
                out.flush();
                return 0;
            } finally {
                executor.shutdownNow();
            }
        }
    }

    /** The version of the jar (its manifest), else the agent's own. */
    static final class Version implements CommandLine.IVersionProvider {
        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v != null ? v : AgentConfig.VERSION;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"tlsrollout-agent " + version(), "Java " + System.getProperty("java.version") + " on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
