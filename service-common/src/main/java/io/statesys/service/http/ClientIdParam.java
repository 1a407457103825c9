package io.statesys.service.http;

import io.statesys.core.report.ClientId;
import io.statesys.service.error.ApiException;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/**
 * A client id in a path or query value ({@code GUID:<uuid>}, case-insensitive, or the bare UUID
 * site systems send). JAX-RS builds it with {@link #fromString}, so every endpoint that takes one
 * refuses a bad one the same way: 400 {@code invalid_client_id}.
 */
@Schema(type = SchemaType.STRING, example = "GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71")
public record ClientIdParam(UUID uuid) {
    public static ClientIdParam fromString(String text) {
        try {
            return new ClientIdParam(ClientId.parse(text));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_client_id", "clientId: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return ClientId.format(uuid);
    }
}
