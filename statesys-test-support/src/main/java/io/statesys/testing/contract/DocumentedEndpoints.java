package io.statesys.testing.contract;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/api.md true: the endpoints its table for this service lists are exactly the ones the
 * service's own {@code /q/openapi} shows, method and path.
 */
public abstract class DocumentedEndpoints {
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|DELETE|PATCH)` \\| `(/[^`]+)` \\|", Pattern.MULTILINE);

    /** The heading of this service's section in docs/api.md, e.g. {@code "## Relay (mp-relay-service, port 8081)"}. */
    protected abstract String section();

    @Test
    void theApiDocumentListsExactlyTheEndpointsTheServiceServes() throws IOException {
        assertThat(documented()).as("endpoints in docs/api.md, section " + section()).isEqualTo(served());
    }

    private Set<String> served() {
        JsonPath openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        Set<String> out = new TreeSet<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> Set.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        return out;
    }

    private Set<String> documented() throws IOException {
        String doc = Files.readString(apiDocument());
        int start = doc.indexOf("\n" + section() + "\n");
        assertThat(start).as("docs/api.md has a section " + section()).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String body = doc.substring(start, end < 0 ? doc.length() : end);
        Set<String> out = new TreeSet<>();
        Matcher m = ROW.matcher(body);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    /** Tests run in the module's folder; the document is at the repository's root. */
    private static Path apiDocument() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/api.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/api.md not found above " + Path.of("").toAbsolutePath());
    }
}
