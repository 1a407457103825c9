package io.statesys.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each module's README names every package the module has, and statesys-schema's names every
 * migration: a README that drifts from its module fails the build, not a newcomer.
 */
class ModuleReadmesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyModulesReadmeNamesEachOfItsPackages() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java/io/statesys"))).toList()) {
                String readme = Files.readString(module.resolve("README.md"));
                try (Stream<Path> tops = Files.list(module.resolve("src/main/java/io/statesys"))) {
                    for (Path top : tops.filter(Files::isDirectory).toList()) {
                        try (Stream<Path> packages = Files.list(top)) {
                            for (Path p : packages.filter(Files::isDirectory).toList()) {
                                String name = p.getFileName().toString();
                                if (!readme.contains("`" + name) && !readme.contains("." + name + "`")) {
                                    missing.add(module.getFileName() + ": " + name);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(missing).as("packages a module's README does not name").isEmpty();
    }

    @Test
    void theSchemaModulesReadmeNamesEveryMigration() throws IOException {
        Path schema = ROOT.resolve("statesys-schema");
        String readme = Files.readString(schema.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> migrations = Files.list(schema.resolve("src/main/resources/db/migration"))) {
            for (Path m : migrations.toList()) {
                String version = m.getFileName().toString().replaceFirst("__.*", "");
                if (!readme.matches("(?s).*\\b" + version + "\\b.*")) {
                    missing.add(version);
                }
            }
        }
        assertThat(missing).as("migrations statesys-schema's README does not name").isEmpty();
    }
}
