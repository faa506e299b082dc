package org.tlsrollout.agent.windows;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.DeploymentException;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.registry.CommandRunner;

/**
 * Installs from the estate's content share (windows-facts.md 3): an update with {@code wusa.exe <msu> /quiet
 * /norestart}, .NET Framework 4.8 with its offline installer {@code /q /norestart}, SQL Server Native Client with
 * {@code msiexec /i sqlncli.msi /qn IACCEPTSQLNCLILICENSETERMS=YES}. Exit codes that mean "installed, restart
 * needed" note the restart; "already installed" succeeds; anything else fails the action with the code. An install
 * is waited for until shortly before the job expires (and at most {@value #MAX_MINUTES} minutes), never past it: one
 * still running then is left running and the action fails saying so; a later snapshot shows the result (hotfixes,
 * .NET release, versions), and a job issued again finds it installed ("already installed" succeeds).
 */
public final class WindowsDeployments implements Deployments {
    static final int ALREADY_INSTALLED = 2359302; // 0x240006 WU_S_ALREADY_INSTALLED
    static final int NOT_APPLICABLE = -2145124329; // 0x80240017 WU_E_NOT_APPLICABLE
    static final String DOTNET48 = "ndp48-x86-x64-allos-enu.exe";
    static final String SNAC = "sqlncli.msi";

    static final int MAX_MINUTES = 45;
    static final java.time.Duration MARGIN = java.time.Duration.ofMinutes(2);

    private final Path share;
    private final java.time.Clock clock;
    private java.time.Instant deadline;
    private final CommandRunner runner;
    private final Host host;
    private final boolean x64;

    public WindowsDeployments(Path share, CommandRunner runner, Host host, boolean x64) {
        this(share, runner, host, x64, java.time.Clock.systemUTC());
    }

    public WindowsDeployments(Path share, CommandRunner runner, Host host, boolean x64, java.time.Clock clock) {
        this.clock = clock;
        this.share = share;
        this.runner = runner;
        this.host = host;
        this.x64 = x64;
    }

    @Override
    public synchronized void installUpdate(String kb, java.time.Instant deadline) {
        this.deadline = deadline;
        try {
            installUpdate(kb);
        } finally {
            this.deadline = null;
        }
    }

    @Override
    public synchronized void installSoftware(String product, String minimumVersion, java.time.Instant deadline) {
        this.deadline = deadline;
        try {
            installSoftware(product, minimumVersion);
        } finally {
            this.deadline = null;
        }
    }

    @Override
    public void installUpdate(String kb) {
        Path msu = msu(kb);
        int exit = run(List.of("wusa.exe", msu.toString(), "/quiet", "/norestart"));
        switch (exit) {
            case 0 -> { }
            case 3010, 1641, 2359301 -> host.restartRequired(); // restart needed (1641: initiated)
            case ALREADY_INSTALLED -> { }
            case NOT_APPLICABLE -> throw new DeploymentException("0x80240017 WU_E_NOT_APPLICABLE: " + kb
                    + " does not apply to this machine");
            default -> throw new DeploymentException("wusa " + kb + " failed: exit " + exit + " (0x"
                    + Integer.toHexString(exit) + ")");
        }
    }

    @Override
    public void installSoftware(String product, String minimumVersion) {
        int exit;
        switch (product) {
            case "dotnet-framework" -> exit = run(List.of(installer(DOTNET48).toString(), "/q", "/norestart"));
            case "sql-native-client" -> exit = run(List.of("msiexec.exe", "/i", installer(SNAC).toString(), "/qn",
                    "IACCEPTSQLNCLILICENSETERMS=YES", "/norestart"));
            default -> throw new DeploymentException(product + " is installed through a ConfigMgr deployment, not by"
                    + " the agent");
        }
        switch (exit) {
            case 0 -> { }
            case 3010, 1641 -> host.restartRequired();
            default -> throw new DeploymentException(product + " " + minimumVersion + " setup failed: exit " + exit
                    + (exit == 5100 ? " (requirements not met)" : exit == 1603 ? " (fatal error)" : ""));
        }
    }

    /** The .msu of the share whose name holds the KB number, of this machine's architecture when there are several. */
    Path msu(String kb) {
        requireShare();
        String k = kb.toLowerCase(Locale.ROOT);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(share, "*.msu")) {
            for (Path f : files) {
                if (f.getFileName().toString().toLowerCase(Locale.ROOT).contains(k)) {
                    found.add(f);
                }
            }
        } catch (IOException e) {
            throw new DeploymentException("cannot list the content share " + share + ": " + e.getMessage());
        }
        String arch = x64 ? "x64" : "x86";
        return found.stream().filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).contains(arch)).findFirst()
                .or(() -> found.stream().findFirst())
                .orElseThrow(() -> new DeploymentException("no .msu for " + kb + " in " + share));
    }

    private Path installer(String name) {
        requireShare();
        Path p = share.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new DeploymentException(name + " is not in the content share " + share);
        }
        return p;
    }

    private void requireShare() {
        if (share == null) {
            throw new DeploymentException("no content.share configured: installs are left to ConfigMgr deployments");
        }
    }

    private int run(List<String> command) {
        java.time.Duration max = java.time.Duration.ofMinutes(MAX_MINUTES);
        if (deadline != null) {
            java.time.Duration left = java.time.Duration.between(clock.instant(), deadline).minus(MARGIN);
            if (left.isNegative() || left.isZero()) {
                throw new DeploymentException("the job expires before " + command.get(0) + " could run; not started");
            }
            max = left.compareTo(max) < 0 ? left : max;
        }
        try {
            return runner.run(command, max).exitCode();
        } catch (CommandRunner.StillRunningException e) {
            throw new DeploymentException(command.get(0) + " was started and is still running (" + e.getMessage()
                    + "); left running, its result shows in a later snapshot");
        } catch (IOException e) {
            throw new DeploymentException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
    }
}
