package org.tlsrollout.agent.registry;

/** A write outside the agent allowlist (rules.md), refused before anything was touched. */
public class RegistryWriteRefusedException extends RegistryException {
    public RegistryWriteRefusedException(String message) {
        super(message);
    }
}
