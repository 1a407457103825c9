package io.statesys.console.natives;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleReflectionTest {

    @Test
    void everyRecordOfTheConsoleIsRegisteredThroughTheClassThatHoldsIt() throws Exception {
        Set<String> registered = Arrays.stream(ConsoleReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : consoleClasses()) {
            if (c.isRecord()) {
                Class<?> outermost = c;
                while (outermost.getEnclosingClass() != null) {
                    outermost = outermost.getEnclosingClass();
                }
                if (!registered.contains(outermost.getName())) {
                    missing.add(c.getName() + " (register " + outermost.getName() + ")");
                }
            }
        }
        assertThat(missing).as("console records a native build would not serialise").isEmpty();
    }

    @Test
    void noClassIsRegisteredTwice() {
        List<Class<?>> targets = List.of(ConsoleReflection.class.getAnnotation(RegisterForReflection.class).targets());
        assertThat(targets).doesNotHaveDuplicates();
    }

    private static List<Class<?>> consoleClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(ConsoleReflection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root.resolve("io/statesys/console"))) {
            List<String> names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replaceFirst("\\.class$", "")).toList();
            List<Class<?>> out = new java.util.ArrayList<>();
            for (String n : names) {
                out.add(Class.forName(n, false, ConsoleReflectionTest.class.getClassLoader()));
            }
            assertThat(out).hasSizeGreaterThan(30);
            return out;
        }
    }
}
