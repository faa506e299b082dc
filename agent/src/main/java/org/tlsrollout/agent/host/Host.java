package org.tlsrollout.agent.host;

/**
 * The machine the agent runs on, beyond its registry: the facts a snapshot reports and the restarts a job may
 * ask for. On Windows: WMI / CIM and the ConfigMgr client; in the simulator: a {@code SimulatedMachine}.
 */
public interface Host {

    /** What the machine is now (read on every snapshot). */
    HostFacts facts();

    /**
     * Restarts the machine (rules.md, RESTART: "restarts within its maintenance window, then sends a new
     * snapshot").
     *
     * @return true when the machine has restarted and this agent goes on (the simulator), false when the
     *     restart is scheduled and this process is about to end (the agent reports after boot)
     * @throws RuntimeException when the restart cannot be made
     */
    boolean restart(String reason);

    /**
     * Restarts one Windows service. Only what the allowlist permits reaches here ({@code SMS_EXECUTIVE}).
     *
     * @throws RuntimeException when the service does not restart
     */
    void restartService(String service);

    /**
     * Notes that a change was made that takes effect only after a restart, so that {@code pendingReboot} is
     * reported until the machine restarts (registry and .NET changes take effect only after a restart).
     */
    void restartRequired();
}
