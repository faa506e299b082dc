package org.tlsrollout.common.security;

/** The roles of api.md, "Authentication". An operator also holds the viewer role. */
public final class Roles {
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    /** An enrolled agent; its principal name is its machine id. */
    public static final String AGENT = "agent";

    private Roles() {
    }
}
