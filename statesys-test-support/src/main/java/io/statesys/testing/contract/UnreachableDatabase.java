package io.statesys.testing.contract;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.statesys.testing.FreshDatabase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test profile: migrations run against a fresh test database at start, then every connection
 * the service makes while serving points where nothing listens. The unreachable address comes from
 * this profile's own test resource rather than a config override, because against a packaged
 * executable ({@code @QuarkusIntegrationTest}) a global resource's settings win over a profile's.
 */
public class UnreachableDatabase implements QuarkusTestProfile {
    public static final String INTERNAL_TOKEN = "unreachable-db-internal-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.reconnect-attempts", "0",
                "statesys.admin.token", "unreachable-db-admin-token",
                "statesys.internal.token", INTERNAL_TOKEN);
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    /** A fresh database for the migration (JDBC); the reactive pool, which serves, points at port 1. */
    public static class Resource extends FreshDatabase {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/statesys");
            return config;
        }
    }
}
