package io.statesys.testing.contract;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.statesys.testing.Reports;
import io.statesys.testing.SigningClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the database unreachable ({@link UnreachableDatabase}), every endpoint the service's own
 * OpenAPI document lists answers 503 with Retry-After and the error JSON, never a bare 500: the
 * endpoints are read from {@code /q/openapi}, so one added later is covered without editing this.
 * Requests are made valid (a real report for report intake, the admin token, well-formed path
 * values) so that what is tested is the database's absence, not input checking.
 */
public abstract class EveryEndpointWithoutDatabase {
    private static final Pattern PATH_VALUE = Pattern.compile("\\{([^}]+)}");

    /** Values for path parameters by name; override to add a service's own. */
    protected Map<String, String> pathValues() {
        return Map.of("clientId", Reports.CONTRACT_CLIENT, "topicType", "500", "topicId", "21e49ac6-a273-4a61-9794-eb675bc743e5",
                "id", "1", "type", "500");
    }

    /** Endpoints ("GET /path" as in the OpenAPI document) that do not read the database at all; override to list a service's. */
    protected java.util.Set<String> withoutDatabase() {
        return java.util.Set.of();
    }

    private final int expectedEndpoints;

    /** {@code expectedEndpoints}: the smallest number the service must show (guards against an empty OpenAPI document). */
    protected EveryEndpointWithoutDatabase(int expectedEndpoints) {
        this.expectedEndpoints = expectedEndpoints;
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachable() {
        given().get("/q/health/ready").then().statusCode(503);
    }

    @Test
    void everyEndpointAnswers503WithRetryAfterAndTheErrorJson() {
        JsonPath openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (String method : path.getValue().keySet()) {
                if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
                    continue;
                }
                if (withoutDatabase().contains(method.toUpperCase(Locale.ROOT) + " " + path.getKey())) {
                    continue;
                }
                String concrete = concrete(path.getKey());
                Response r = request(method, concrete).request(method.toUpperCase(Locale.ROOT), concrete);
                tried++;
                String problem = problem(r);
                if (problem != null) {
                    failures.add(method.toUpperCase(Locale.ROOT) + " " + concrete + ": " + problem);
                }
            }
        }
        assertThat(tried).as("endpoints in /q/openapi").isGreaterThanOrEqualTo(expectedEndpoints);
        assertThat(failures).as("endpoints that did not answer 503 + Retry-After + JSON").isEmpty();
    }

    private RequestSpecification request(String method, String path) {
        RequestSpecification spec = given().header("Authorization", "Bearer unreachable-db-admin-token");
        if (path.endsWith("/statemessages")) {
            return spec.contentType("text/xml").body(Reports.forNewClient().detections(1, 2, Instant.now()).utf16());
        }
        if (path.endsWith("/forwarded-reports")) {
            // the FSP's batch door: its internal token and one valid report
            String body = java.util.Base64.getEncoder().encodeToString(Reports.forNewClient().detections(1, 2, Instant.now()).utf16());
            return given().header("Authorization", "Bearer " + UnreachableDatabase.INTERNAL_TOKEN).contentType("application/json")
                    .body("{\"reports\":[{\"contentType\":\"text/xml\",\"body\":\"" + body + "\"}]}");
        }
        if (path.endsWith("/clients/registrations")) {
            SigningClient c = SigningClient.ed25519();
            return c.signed(c.registration(c.keys())).contentType("application/json");
        }
        if (!method.equals("get") && !method.equals("delete")) {
            spec = spec.contentType("application/json").body("{}");
        }
        return spec;
    }

    private String concrete(String template) {
        Matcher m = PATH_VALUE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = pathValues().get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no test value for path parameter {" + m.group(1) + "} of " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private static String problem(Response r) {
        if (r.statusCode() != 503) {
            return "status " + r.statusCode() + " " + r.asString();
        }
        if (r.header("Retry-After") == null) {
            return "no Retry-After";
        }
        if (!"database_unavailable".equals(r.jsonPath().getString("error")) || r.jsonPath().getString("detail") == null) {
            return "body " + r.asString();
        }
        return null;
    }
}
