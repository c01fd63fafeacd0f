package io.archiver.api.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as {@code application/problem+json} (RFC 9457): the status, a title, and where one input is at fault, its
 * {@code field} and the {@code reason}; {@code errors} lists every problem of a refused policy document.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String reason, List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String title, String detail, String field, String reason, List<String> errors) {
        return Response.status(status).type(MEDIA_TYPE).entity(new Problem("about:blank", title, status, detail, field, reason, errors)).build();
    }
}
