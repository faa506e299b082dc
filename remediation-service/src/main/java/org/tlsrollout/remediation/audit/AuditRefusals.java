package org.tlsrollout.remediation.audit;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.contracts.AuditEvent;

/**
 * Audits the refusals of operator actions ({@link Audited}): a 4xx answered to an authenticated caller (a 401 has no
 * one to name) is written as REFUSED, with the problem's detail, in a transaction of its own. Dry runs are not audited
 * ({@link Skip}).
 */
@Provider
public class AuditRefusals implements ContainerResponseFilter {
    private static final Logger LOG = Logger.getLogger(AuditRefusals.class);

    @jakarta.ws.rs.core.Context
    ResourceInfo resource;

    @Inject
    AuditTrail trail;

    @Inject
    Skip skip;

    /** Set by a resource for a request that is not audited (a dry run). */
    @RequestScoped
    public static class Skip {
        private boolean skipped;

        public void skip() {
            skipped = true;
        }

        boolean skipped() {
            return skipped;
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status < 400 || status >= 500 || status == 401) {
            return;
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        Audited audited = method == null ? null : method.getAnnotation(Audited.class);
        if (audited == null || skip.skipped()) {
            return;
        }
        // The request's security context: what authentication established, read without blocking.
        java.security.Principal principal = request.getSecurityContext() == null ? null
                : request.getSecurityContext().getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isEmpty()) {
            return;
        }
        String actor = principal.getName();
        String target = audited.target();
        if (!audited.idParameter().isEmpty()) {
            String id = request.getUriInfo().getPathParameters().getFirst(audited.idParameter());
            target = target + "/" + (id == null ? "" : id);
        }
        String detail = detail(response.getEntity(), status);
        String auditedTarget = target;
        Runnable write = () -> {
            try {
                trail.refused(actor, audited.value(), auditedTarget, status, detail);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a refused %s of %s by %s could not be audited", audited.value(), auditedTarget, actor);
            }
        };
        if (Context.isOnEventLoopThread()) {
            // JDBC must not block the event loop (a refusal decided there, such as a role check): written on a worker.
            Infrastructure.getDefaultWorkerPool().execute(write);
        } else {
            write.run();
        }
    }

    static String detail(Object entity, int status) {
        if (entity instanceof Problem problem) {
            String detail = problem.detail() == null ? problem.title() : problem.detail();
            if (problem.errors() != null && !problem.errors().isEmpty()) {
                detail += ": " + problem.errors().stream().map(e -> e.field() + " " + e.message())
                        .collect(Collectors.joining("; "));
            }
            return detail;
        }
        return "HTTP " + status;
    }
}
