package io.statesys.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared modules depend on no service: code both a service and another module need lives in a
 * shared module (service-common, the schema, the console), never in a service that others import.
 */
class ModuleGraphTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SHARED = List.of("state-message-core", "statesys-schema", "service-common",
            "statesys-console", "statesys-test-support", "client-simulator");
    private static final Pattern SERVICE_IMPORT = Pattern.compile("^import (?:static )?io\\.statesys\\.(relay|fsp|processor|resync)\\.",
            Pattern.MULTILINE);

    @Test
    void noSharedModuleImportsFromAService() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String module : SHARED) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            try (Stream<Path> walk = Files.walk(sources)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = SERVICE_IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        found.add(ROOT.relativize(f) + " imports io.statesys." + m.group(1));
                    }
                }
            }
        }
        assertThat(files).as("source files of the shared modules").isGreaterThan(100);
        assertThat(found).as("shared modules importing a service").isEmpty();
    }
}
