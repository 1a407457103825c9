package io.statesys.resync.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.identity.TokenValidity;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import io.statesys.service.identity.EnrolmentTokens;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.statesys.core.text.Abbreviation.abbreviate;

/**
 * Enrolment tokens (docs/api.md, "Client identity"): a registration that presents a valid one is
 * approved at once. The token is shown once, at creation; only a hash of it is stored.
 */
@Path("/api/v1/enrolment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class EnrolmentTokenResource {
    private final EnrolmentTokens tokens;
    private final Pool pool;
    private final Duration maxValidity;
    private final ObjectMapper json = new ObjectMapper();

    public EnrolmentTokenResource(EnrolmentTokens tokens, Pool pool, StatesysConfig config) {
        this.tokens = tokens;
        this.pool = pool;
        this.maxValidity = config.identity().maxTokenValidity();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(byte[] body) {
        JsonNode root = request(body);
        Duration validFor = validFor(root);
        Integer maxRegistrations = maxRegistrations(root);
        return tokens.create(pool, validFor, maxRegistrations).map(t -> Response.status(201).entity(t).build());
    }

    @GET
    public Uni<List<EnrolmentTokens.Listed>> list() {
        return tokens.list(pool);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_id", "id: not a token id: '" + abbreviate(id) + "'");
        }
        return tokens.revoke(pool, tokenId).map(found -> {
            if (!found) {
                throw ApiException.notFound("unknown_token", "no enrolment token " + tokenId);
            }
            return Response.noContent().build();
        });
    }

    /** The request's JSON object; null for an empty body (every field at its default). */
    private JsonNode request(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_token_request", "body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_token_request", "body is not a JSON object");
        }
        return root;
    }

    private Duration validFor(JsonNode root) {
        JsonNode v = root == null ? null : root.get("validFor");
        try {
            return TokenValidity.parse(v == null || v.isNull() ? null : v.asText(), maxValidity);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_token_request", "validFor: " + e.getMessage());
        }
    }

    /** Most registrations the token may approve; null (absent) for any number while it is valid. */
    private static Integer maxRegistrations(JsonNode root) {
        JsonNode v = root == null ? null : root.get("maxRegistrations");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw ApiException.badRequest("invalid_token_request", "maxRegistrations: a whole number of at least 1");
        }
        return v.asInt();
    }
}
