package org.tlsrollout.contracts;

/** ERROR rules decide a phase's state; WARNING rules are reported but never block. */
public enum Severity {
    ERROR,
    WARNING
}
