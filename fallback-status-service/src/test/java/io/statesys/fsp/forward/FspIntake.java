package io.statesys.fsp.forward;

import io.statesys.testing.Reports;

import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Reports handed to the FSP under test, as clients that cannot reach the relay would. */
final class FspIntake {
    private FspIntake() {
    }

    /** One unsigned report of {@code messages} detections from each of {@code clients} new clients; their ids. */
    static UUID[] reportsFromNewClients(int clients, int messages) {
        UUID[] ids = new UUID[clients];
        for (int c = 0; c < clients; c++) {
            Reports r = Reports.forNewClient().detections(1, messages, Instant.now());
            ids[c] = r.client();
            given().contentType("text/xml").body(r.utf16()).post("/api/v1/statemessages").then().statusCode(202);
        }
        return ids;
    }
}
