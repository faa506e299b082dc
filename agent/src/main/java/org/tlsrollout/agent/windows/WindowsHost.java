package org.tlsrollout.agent.windows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.registry.CommandRunner;

/**
 * The Windows machine: its facts ({@link WindowsFacts}), restarts through the ConfigMgr client when it has one
 * ({@code CCM_ClientUtilities.RestartComputer}) else {@code shutdown.exe /r}, and SMS_EXECUTIVE restarted through
 * the service manager ({@code Restart-Service}). Whether RESTART may happen now is the maintenance-window hook's
 * decision ({@link MaintenanceHook}). A change that waits for a restart is noted in the state folder with the boot it
 * was made in, so {@code pendingReboot} is reported until the machine has booted again.
 */
public final class WindowsHost implements Host {
    static final String CCM_RESTART = "Invoke-CimMethod -Namespace root\\ccm\\ClientSDK -ClassName CCM_ClientUtilities"
            + " -MethodName RestartComputer -ErrorAction Stop | Select-Object ReturnValue | ConvertTo-Json -Compress";
    static final String RESTART_SMS_EXECUTIVE = "Restart-Service -Name SMS_EXECUTIVE -Force -ErrorAction Stop;"
            + " (Get-Service -Name SMS_EXECUTIVE).Status.ToString() | ConvertTo-Json -Compress";

    private final WindowsFacts facts;
    private final PowerShell powershell;
    private final CommandRunner runner;
    private final Path restartMarker;

    public WindowsHost(WindowsFacts facts, PowerShell powershell, CommandRunner runner, Path stateDir) {
        this.facts = facts;
        this.powershell = powershell;
        this.runner = runner;
        this.restartMarker = stateDir.resolve("restart-required");
    }

    @Override
    public HostFacts facts() {
        return facts.read(restartPendingSinceThisBoot());
    }

    @Override
    public boolean restart(String reason) {
        try {
            var answer = powershell.json(CCM_RESTART);
            if (answer.path("ReturnValue").asInt(-1) == 0) {
                return false;
            }
        } catch (IOException e) {
            // no ConfigMgr client (or it refused): Windows' own restart below
        }
        String comment = ("tlsrollout: " + reason).replaceAll("[^\\x20-\\x7e]", "?");
        CommandRunner.Result r;
        try {
            r = runner.run(List.of("shutdown.exe", "/r", "/t", "60", "/d", "p:2:17",
                    "/c", comment.length() > 500 ? comment.substring(0, 500) : comment));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run shutdown.exe", e);
        }
        if (r.exitCode() != 0) {
            throw new IllegalStateException("shutdown.exe /r exited " + r.exitCode() + ": " + PowerShell.firstLine(r.stderr()));
        }
        return false; // this process ends with the machine; the snapshot follows the boot
    }

    @Override
    public void restartService(String service) {
        if (!"SMS_EXECUTIVE".equals(service)) {
            throw new IllegalArgumentException("only SMS_EXECUTIVE may be restarted");
        }
        try {
            var status = powershell.json(RESTART_SMS_EXECUTIVE);
            if (!"Running".equals(status.asText())) {
                throw new IllegalStateException("SMS_EXECUTIVE is " + status.asText() + " after its restart");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart SMS_EXECUTIVE: " + e.getMessage(), e);
        }
    }

    @Override
    public void restartRequired() {
        Instant boot = facts.lastBoot();
        try {
            Files.writeString(restartMarker, boot == null ? "unknown" : boot.toString(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note the pending restart in " + restartMarker, e);
        }
    }

    /** A change waits for a restart when the marker names the current boot (or the boot time is unknown). */
    boolean restartPendingSinceThisBoot() {
        if (!Files.isRegularFile(restartMarker)) {
            return false;
        }
        try {
            String noted = Files.readString(restartMarker, StandardCharsets.US_ASCII).strip();
            Instant boot = facts.lastBoot();
            return boot == null || noted.equals("unknown") || noted.equals(boot.toString());
        } catch (IOException e) {
            return true;
        }
    }
}
