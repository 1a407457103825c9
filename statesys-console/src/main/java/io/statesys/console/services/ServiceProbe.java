package io.statesys.console.services;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.statesys.console.ConsoleConfig;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The other services as the console sees them, over HTTP with short timeouts (a page must answer
 * even when a service does not): readiness of each, the FSP's status and dead-letter actions, the
 * processor's site directory and its re-queue of invalid records.
 */
@ApplicationScoped
public class ServiceProbe {
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    public record Health(String service, String url, String status, String detail) {
    }

    /** What a service answered: HTTP status and body, or why nothing came back (status 0). */
    public record Answer(int status, String body, String failure) {
        public JsonObject json() {
            try {
                return body == null || body.isBlank() ? null : new JsonObject(body);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Why the call did not succeed, for the operator: no answer at all, or the status with the error's detail. */
        public String why(String service) {
            if (status == 0) {
                return "the " + service + " did not answer (" + failure + ")";
            }
            JsonObject error = json();
            String detail = error != null && error.getString("detail") != null ? error.getString("detail") : body;
            return "the " + service + " answered " + status + (detail == null || detail.isBlank() ? "" : ": " + detail);
        }

        public JsonArray jsonArray() {
            try {
                return body == null || body.isBlank() ? null : new JsonArray(body);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private final StatesysConfig config;
    private final ConsoleConfig console;
    private final ServiceClient relay;
    private final ServiceClient fsp;
    private final ServiceClient processor;
    private volatile ServiceClient self;

    public ServiceProbe(StatesysConfig config, ConsoleConfig console) {
        this.config = config;
        this.console = console;
        this.relay = client(console.relayUrl());
        this.fsp = client(console.fspUrl());
        this.processor = client(console.processorUrl());
    }

    private static ServiceClient client(String base) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(base))
                .connectTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build(ServiceClient.class);
    }

    public Uni<List<Health>> all(int selfPort) {
        return Uni.combine().all().unis(
                        health("mp-relay-service", console.relayUrl(), relay),
                        health("fallback-status-service", console.fspUrl(), fsp),
                        health("state-processor-service", console.processorUrl(), processor),
                        health("resync-service", "http://127.0.0.1:" + selfPort, self(selfPort)))
                .with(Health.class, list -> list);
    }

    private ServiceClient self(int port) {
        ServiceClient c = self;
        if (c == null) {
            c = client("http://127.0.0.1:" + port);
            self = c;
        }
        return c;
    }

    Uni<Health> health(String service, String base, ServiceClient client) {
        return call(client, ServiceClient::ready).map(a -> {
            JsonObject body = a.json();
            if (body == null) {
                return new Health(service, base, a.status() == 0 ? "UNREACHABLE" : "HTTP " + a.status(), a.failure() == null ? "" : a.failure());
            }
            return new Health(service, base, body.getString("status", "UNKNOWN"), downChecks(body));
        });
    }

    /**
     * The checks that are not up, each with the reason it gives, so the overview says why a service
     * is not ready (a paused loader, a refused connection) without a trip to its probe.
     */
    static String downChecks(JsonObject readiness) {
        StringBuilder down = new StringBuilder();
        for (Object c : readiness.getJsonArray("checks", new JsonArray())) {
            if (!(c instanceof JsonObject check) || "UP".equals(check.getString("status"))) {
                continue;
            }
            down.append(down.isEmpty() ? "down: " : ", ").append(check.getString("name"));
            JsonObject data = check.getJsonObject("data");
            Object why = data == null ? null : data.getValue("paused") != null ? data.getValue("paused") : data.getValue("error");
            if (why != null) {
                String w = String.valueOf(why);
                down.append(" (").append(w.length() > 160 ? w.substring(0, 160) + "…" : w).append(')');
            }
        }
        return down.toString();
    }

    public Uni<Answer> fspStatus() {
        return call(fsp, ServiceClient::fspStatus);
    }

    public Uni<Answer> sites() {
        return call(processor, ServiceClient::sites);
    }

    public Uni<Answer> requeueDeadLetter(long id) {
        return call(fsp, c -> c.requeueDeadLetter(adminBearer(), id));
    }

    public Uni<Answer> discardDeadLetter(long id) {
        return call(fsp, c -> c.discardDeadLetter(adminBearer(), id));
    }

    /** The processor's re-queue of one invalid record (docs/api.md, "Invalid records"). */
    public Uni<Answer> requeueInvalidRecord(long id) {
        return call(processor, c -> c.requeueInvalidRecord(adminBearer(), id));
    }

    private String adminBearer() {
        return "Bearer " + config.admin().token().orElse("");
    }

    private static Uni<Answer> call(ServiceClient client, Function<ServiceClient, Uni<Response>> request) {
        return Uni.createFrom().deferred(() -> request.apply(client))
                .ifNoItem().after(TIMEOUT.plusMillis(500)).fail()
                .map(r -> {
                    try (r) {
                        return new Answer(r.getStatus(), r.hasEntity() ? r.readEntity(String.class) : null, null);
                    }
                })
                .onFailure().recoverWithItem(e -> new Answer(0, null, e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }
}
