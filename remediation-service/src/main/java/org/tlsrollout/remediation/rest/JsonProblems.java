package org.tlsrollout.remediation.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.tlsrollout.common.problem.ProblemMappers;

/**
 * A body whose JSON is well-formed but does not fit (an unknown enum constant, a string for a number) leaves as RFC
 * 9457 problem details like any other unreadable body. Quarkus maps {@link MismatchedInputException} with a built-in
 * mapper of its own (a plain JSON body), which is more specific than service-common's mapper of
 * {@code JsonProcessingException}; this one is as specific and takes precedence.
 */
public class JsonProblems {
    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return problems.unreadableJson(e, request);
    }
}
