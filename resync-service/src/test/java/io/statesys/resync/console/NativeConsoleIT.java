package io.statesys.resync.console;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The console as a native executable: templates render (Qute's build-time resolvers), JSON twins serialise, sessions verify. */
@QuarkusIntegrationTest
class NativeConsoleIT {
    @Test
    void signInThenEveryPageRendersAndEveryJsonTwinAnswers() {
        given().get("/console/sign-in").then().statusCode(200).body(containsString("id=\"sign-in\""));
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("name", "nat")
                .formParam("token", "test-admin-token").post("/console/sign-in");
        assertThat(r.statusCode()).isEqualTo(303);
        String cookie = r.getCookie("statesys_console");
        for (String view : new String[] {"overview", "topics", "clients", "clients/GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71", "resyncs",
                "refused", "fsp", "floods", "activity", "identity", "sites", "audit", "topics/500/x/unknown"}) {
            given().cookie("statesys_console", cookie).get("/console/" + view).then().statusCode(200).body(containsString("as of"));
            given().header("Authorization", "Bearer test-admin-token").get("/api/v1/console/" + view).then().statusCode(200);
        }
        given().header("Authorization", "Bearer test-admin-token").get("/api/v1/console/audit").then()
                .body("entries[0].actor", equalTo("nat")).body("entries[0].action", equalTo("sign-in"));
    }
}
