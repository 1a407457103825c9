package io.statesys.processor.common;

import io.statesys.core.intake.ApiError;
import io.statesys.core.report.ClientId;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.UUID;

/** The JSON 4xx answers of the report endpoints. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static WebApplicationException badRequest(String error, String detail) {
        return new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(error, detail)).build());
    }

    public static WebApplicationException notFound(String error, String detail) {
        return new WebApplicationException(Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(error, detail)).build());
    }

    public static UUID clientId(String text) {
        try {
            return ClientId.parse(text);
        } catch (IllegalArgumentException e) {
            throw badRequest("invalid_client_id", "clientId: " + e.getMessage());
        }
    }

    public static int integer(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw badRequest("invalid_" + name, name + ": not an integer: '" + text + "'");
        }
    }
}
