package io.statesys.resync.policy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@TestProfile(NoAdminTokenTest.WithoutToken.class)
class NoAdminTokenTest {
    public static class WithoutToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("statesys.admin.token", "");
        }
    }

    @Test
    void withNoTokenConfiguredAdminCallsAreRefusedNeverOpen() {
        given().header("Authorization", "Bearer ").post("/api/v1/resync/check").then()
                .statusCode(401).body("detail", containsString("no statesys.admin.token"));
        given().header("Authorization", "Bearer anything").post("/api/v1/clients/GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71/resync")
                .then().statusCode(401);
    }
}
