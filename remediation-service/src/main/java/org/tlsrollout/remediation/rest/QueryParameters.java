package org.tlsrollout.remediation.rest;

import java.util.List;
import org.tlsrollout.contracts.FieldError;

/** Query parameters read by hand, so that a bad value is a field error of the problem details, not a 404 or 500. */
public final class QueryParameters {
    private QueryParameters() {
    }

    /** The whole number in {@code value}, or null when it is absent or bad (then a field error is added). */
    public static Integer whole(String field, String value, int min, int max, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(field, "'" + value + "' is not a whole number from " + min + " to " + max));
        return null;
    }
}
