package io.statesys.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's packages depend on one another without a loop, and pages hold no SQL (stores do). */
class ConsolePackagesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/statesys/console");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.statesys\\.console\\.(?:([a-z]+)\\.|[A-Z])", Pattern.MULTILINE);

    @Test
    void noPackageOfTheConsoleDependsOnItselfThroughAnother() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString();
                String from = pkg.isEmpty() ? "(root)" : pkg;
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String to = m.group(1) == null ? "(root)" : m.group(1);
                    if (!to.equals(from)) {
                        uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    }
                }
            }
        }
        assertThat(uses).as("the console's packages import one another").isNotEmpty();
        List<String> loops = new ArrayList<>();
        for (String start : uses.keySet()) {
            if (reaches(uses, start, start, new HashSet<>())) {
                loops.add(start + " -> " + uses.get(start));
            }
        }
        assertThat(loops).as("packages that reach themselves through their imports").isEmpty();
    }

    @Test
    void pagesHoldNoSql() throws IOException {
        List<String> withSql = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Pages.java")).toList()) {
                String source = Files.readString(f);
                if (source.contains("preparedQuery(") || source.contains(".query(") || source.matches("(?s).*\"\"\"\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\b.*")) {
                    withSql.add(f.getFileName().toString());
                }
            }
        }
        assertThat(withSql).as("pages that run SQL themselves").isEmpty();
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(uses, next, target, seen))) {
                return true;
            }
        }
        return false;
    }
}
