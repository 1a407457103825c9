package io.statesys.k8s;

import java.io.IOException;
import java.io.Reader;
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

    /** Every statesys.* property of every module's settings mapping, as environment variable names. */
    static Set<String> settingsAsEnv() throws IOException, ClassNotFoundException {
        Set<String> out = new TreeSet<>();
        for (Settings.Setting s : Settings.all().values()) {
            out.add(s.env());
        }
        return out;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }
}
