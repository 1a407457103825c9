package io.statesys.k8s;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every setting of every module, gathered from the modules' {@code @ConfigMapping} interfaces: each
 * module owns its mapping (the shared one, the processor's, the FSP's, the resync service's, the
 * console's), and this finds them all in the sources, so a new mapping needs no list kept here.
 */
final class Settings {
    private static final Pattern MAPPING = Pattern.compile("^@ConfigMapping\\(prefix = \"[^\"]+\"\\)\\s+public interface (\\w+)", Pattern.MULTILINE);

    /** A setting: its property name and its default ({@code null} when it has none). */
    record Setting(String property, String defaultValue) {
        String env() {
            return property.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }

    private Settings() {
    }

    /** The mapping interfaces in the modules' main sources. */
    static List<Class<?>> mappings() throws IOException, ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Rendered.root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/")).toList()) {
                Matcher m = MAPPING.matcher(Files.readString(f));
                if (m.find()) {
                    String path = f.toString();
                    String fqcn = path.substring(path.indexOf("/src/main/java/") + "/src/main/java/".length(), path.length() - 5).replace('/', '.');
                    out.add(Class.forName(fqcn, false, Settings.class.getClassLoader()));
                }
            }
        }
        return out;
    }

    /** Every setting, by property name. */
    static Map<String, Setting> all() throws IOException, ClassNotFoundException {
        Map<String, Setting> out = new TreeMap<>();
        for (Class<?> mapping : mappings()) {
            walk(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), out);
        }
        return out;
    }

    private static void walk(Class<?> type, String prefix, Map<String, Setting> out) {
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || m.isDefault()) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("io.statesys")) {
                walk(m.getReturnType(), name, out);
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                out.put(name, new Setting(name, d == null ? null : d.value()));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
