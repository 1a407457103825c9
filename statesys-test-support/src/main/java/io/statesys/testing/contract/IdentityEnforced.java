package io.statesys.testing.contract;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** A test profile: identity enforced (the production default), with the internal and admin tokens set. */
public class IdentityEnforced implements QuarkusTestProfile {
    public static final String INTERNAL_TOKEN = "test-internal-token";
    public static final String ADMIN_TOKEN = "test-admin-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("statesys.identity.mode", "enforce",
                "statesys.identity.approval", "token",
                "statesys.identity.cache-ttl", "2s",
                "statesys.internal.token", INTERNAL_TOKEN,
                "statesys.admin.token", ADMIN_TOKEN);
    }
}
