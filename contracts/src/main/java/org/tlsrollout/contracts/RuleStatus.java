package org.tlsrollout.contracts;

/** Result of one rule on one machine (rules.md, "Result status"). */
public enum RuleStatus {
    PASS,
    FAIL,
    /** The rule does not concern this machine. */
    NOT_APPLICABLE,
    /** The snapshot lacks the section the rule needs. */
    UNKNOWN
}
