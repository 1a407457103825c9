package io.statesys.k8s;

import io.statesys.core.config.StatesysConfig;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/** What the services themselves say: their HTTP port, name, image group, and the settings that exist. */
final class ServiceFacts {
    static final Set<String> SERVICES = Set.of("mp-relay-service", "fallback-status-service", "state-processor-service", "resync-service");

    private ServiceFacts() {
    }

    static Properties applicationProperties(String service) throws IOException {
        return load(Rendered.root().resolve(service).resolve("src/main/resources/application.properties"));
    }

    static Properties shared() throws IOException {
        return load(Rendered.root().resolve("state-message-core/src/main/resources/META-INF/microprofile-config.properties"));
    }

    static int httpPort(String service) throws IOException {
        return Integer.parseInt(applicationProperties(service).getProperty("quarkus.http.port"));
    }

    /** The image jib builds: {group}/{application name}. */
    static String image(String service) throws IOException {
        return shared().getProperty("quarkus.container-image.group") + "/" + applicationProperties(service).getProperty("quarkus.application.name");
    }

    /** Every statesys.* property of the settings mapping, as environment variable names. */
    static Set<String> settingsAsEnv() {
        Set<String> out = new TreeSet<>();
        walk(StatesysConfig.class, "statesys", out);
        return out;
    }

    private static void walk(Class<?> type, String prefix, Set<String> out) {
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                continue;
            }
            String name = prefix + "." + kebab(m.getName());
            if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("io.statesys")) {
                walk(m.getReturnType(), name, out);
            } else {
                out.add(name.toUpperCase().replace('.', '_').replace('-', '_'));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
