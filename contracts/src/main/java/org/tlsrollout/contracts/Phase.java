package org.tlsrollout.contracts;

/** Rollout phases, in the order an estate goes through them (rules.md, "Rollout phases"). */
public enum Phase {
    /** TLS 1.2 enabled on client machines, first, so that no client can be orphaned later. */
    CLIENTS,
    /** TLS 1.2 enabled on site servers and remote site systems. */
    SITE_SYSTEMS,
    /** The change is in effect: rebooted, and TLS 1.2-only handshakes succeed. */
    VERIFY,
    /** SSL 3.0, TLS 1.0 and TLS 1.1 disabled in SChannel. */
    DISABLE_LEGACY
}
