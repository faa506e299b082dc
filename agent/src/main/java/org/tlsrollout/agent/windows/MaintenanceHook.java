package org.tlsrollout.agent.windows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.program.MaintenanceWindow;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionType;
import org.tlsrollout.contracts.JobClaims;

/**
 * RESTART only inside the maintenance window (rules.md): the configured one when there is one, else the ConfigMgr
 * client's ({@code CCM_ServiceWindowManager.IsWindowAvailableNow}, type 3 "reboot required", falling back to the
 * all-deployments window); no ConfigMgr client and no configured window: allowed. Outside it the job fails at that
 * action, with what it wrote before reported; the wave issues it again later.
 */
public final class MaintenanceHook implements ActionHook {
    static final String CCM_WINDOW = "try { Invoke-CimMethod -Namespace root\\ccm\\ClientSDK -ClassName CCM_ServiceWindowManager"
            + " -MethodName IsWindowAvailableNow -Arguments @{ Type = [uint32]3; FallbackToAllProgramsWindow = $true;"
            + " MaxRuntime = [uint32]10 } -ErrorAction Stop | Select-Object CanProgramRunNow | ConvertTo-Json -Compress }"
            + " catch { }";

    private final MaintenanceWindow configured;
    private final PowerShell powershell;
    private final Clock clock;

    /** @param clock in the machine's time zone: the configured window is local time */
    public MaintenanceHook(MaintenanceWindow configured, PowerShell powershell, Clock clock) {
        this.configured = configured;
        this.powershell = powershell;
        this.clock = clock;
    }

    @Override
    public void beforeAction(JobClaims job, int index, Action action) {
        if (action.type() != ActionType.RESTART) {
            return;
        }
        if (configured != null) {
            if (!configured.contains(ZonedDateTime.now(clock))) {
                throw new IllegalStateException("outside the maintenance window " + configured);
            }
            return;
        }
        try {
            JsonNode answer = powershell.json(CCM_WINDOW);
            if (answer.has("CanProgramRunNow") && !answer.path("CanProgramRunNow").asBoolean()) {
                throw new IllegalStateException("outside the ConfigMgr client's maintenance windows");
            }
        } catch (IOException e) {
            // no answer from a ConfigMgr client: no window to keep
        }
    }
}
