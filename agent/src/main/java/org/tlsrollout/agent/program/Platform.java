package org.tlsrollout.agent.program;

import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.agent.snapshot.LogSource;

/**
 * The machine the program runs on, behind the agent's interfaces: on Windows {@code windows.WindowsPlatform}; in
 * the tests a recorded one. The simulator implements the same interfaces per simulated machine.
 */
public interface Platform {
    /** The machine id when the configuration names none: the fully qualified name. */
    String machineId();

    Registry registry();

    Host host();

    Deployments deployments();

    Prober prober();

    LogSource logs();

    /** Checked before each action of a verified job (e.g. RESTART only inside the maintenance window). */
    ActionHook actionHook();
}
