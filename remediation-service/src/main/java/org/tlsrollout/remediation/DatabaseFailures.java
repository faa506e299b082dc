package org.tlsrollout.remediation;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/** Tells a failure that some row of a batch causes from one of the database itself. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * True when PostgreSQL refused the data: SQLSTATE class 22 (data exception, such as a character it cannot store)
     * or 23 (integrity constraint violation, such as a check). Writing the batch again cannot succeed, but the rows
     * that do not cause it can be written without the ones that do. Everything else (no connection, shutdown,
     * serialization or deadlock, a missing table, a timeout) is the database's and worth retrying, whole.
     */
    public static boolean isDataError(Throwable failure) {
        String state = sqlState(failure);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** The SQLSTATE of the first SQLException in the cause chain, or null. */
    public static String sqlState(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        return e.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /** A one-line description of a failure, for logs, health and dead-letter reasons. */
    public static String describe(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable deepest = failure;
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException) {
                deepest = t;
                break;
            }
            deepest = t;
        }
        String state = sqlState(failure);
        String message = deepest.getMessage() == null ? deepest.getClass().getName() : deepest.getMessage();
        return state == null ? message : message + " (SQLSTATE " + state + ")";
    }
}
