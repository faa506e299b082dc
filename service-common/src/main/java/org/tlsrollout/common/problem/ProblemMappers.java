package org.tlsrollout.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.tlsrollout.contracts.FieldError;

/** Every error of every endpoint leaves as RFC 9457 problem details; nothing else does. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        Response.ResponseBuilder builder = respond(e.problem(), request);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(HttpServerRequest request) {
        return respond(Problem.of(401, "unauthorized", "Unauthorized",
                "a valid bearer token is required (Authorization: Bearer <token>)"), request)
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(Problem.of(403, "forbidden", "Forbidden", "this token may not do this"), request).build();
    }

    /**
     * Well-formed JSON that does not fit (an unknown enum constant, a string for a number). Quarkus maps this
     * exception with a built-in mapper of its own (a plain JSON body), more specific than the one below; this one
     * is as specific and takes precedence, so such a body too gets problem details.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return unreadableJson(e, request);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        String field = "";
        if (e instanceof JsonMappingException m) {
            field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
                    .collect(Collectors.joining("/", "/", ""));
            if (field.equals("/")) {
                field = "";
            }
        }
        String message = e.getOriginalMessage();
        return respond(Problem.of(400, "invalid-request", "Invalid request", "the body is not the JSON expected")
                .withErrors(List.of(new FieldError(field, message))), request).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return respond(Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage()), request).build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.error("unexpected error answering " + request.path(), e);
        return respond(Problem.of(500, "internal-error", "Internal error",
                "the service failed to answer; the error is in its log"), request).build();
    }

    private static Response.ResponseBuilder respond(Problem problem, HttpServerRequest request) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.withInstance(request.path()));
    }
}
