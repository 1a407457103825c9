package io.statesys.testing.contract;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A test profile: migrations run against the real test database at start, then every connection
 * the service makes while serving points where nothing listens.
 */
public class UnreachableDatabase implements QuarkusTestProfile {
    public static final String INTERNAL_TOKEN = "unreachable-db-internal-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/statesys",
                "quarkus.datasource.reactive.reconnect-attempts", "0",
                "statesys.admin.token", "unreachable-db-admin-token",
                "statesys.internal.token", INTERNAL_TOKEN);
    }
}
