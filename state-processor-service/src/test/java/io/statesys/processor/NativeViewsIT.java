package io.statesys.processor;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/**
 * The processor as a native executable: the schema migrated from the resources inside the
 * executable (the state-name catalog is a migration), its views served, bad input refused.
 */
@QuarkusIntegrationTest
class NativeViewsIT {

    @Test
    void theCatalogMigratedFromTheExecutableIsServed() {
        given().get("/api/v1/statenames").then().statusCode(200).body("size()", greaterThan(100));
    }

    @Test
    void theStatusIsServed() {
        given().get("/api/v1/status").then().statusCode(200).body("inbox.reports", equalTo(0));
    }

    @Test
    void anUnknownClientIs404AndABadIdIs400() {
        given().get("/api/v1/clients/GUID:00000000-0000-0000-0000-00000000abcd/serials").then().statusCode(404);
        given().get("/api/v1/clients/not-a-guid/serials").then().statusCode(400).body("error", equalTo("invalid_client_id"));
    }
}
