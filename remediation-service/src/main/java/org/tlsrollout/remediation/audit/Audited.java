package org.tlsrollout.remediation.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.tlsrollout.contracts.AuditEvent;

/**
 * Marks an operator action's resource method. Its DONE outcome is audited by the service in the action's own
 * transaction; any 4xx answer to an authenticated caller is audited as REFUSED by {@link AuditRefusals}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {
    AuditEvent.Action value();

    /** The target's kind: {@code wave}, {@code machine}, {@code inventory}. */
    String target();

    /** The path parameter naming the target's id, if any: the target is then {@code <target>/<id>}. */
    String idParameter() default "";
}
