package io.statesys.console.services;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessReasonsTest {
    @Test
    void aProcessorPausedOnASchemaItsStatementsDoNotFitIsShownWithTheReason() {
        JsonObject ready = new JsonObject("""
                {"status":"DOWN","checks":[
                  {"name":"database","status":"UP"},
                  {"name":"loader","status":"DOWN","data":{"paused":"the database's schema does not fit this processor's statements",
                   "since":"2026-12-03T05:00:00Z","pausedSeconds":42,"error":"column \\"details_data\\" does not exist"}}]}""");
        assertThat(ServiceProbe.downChecks(ready))
                .isEqualTo("down: loader (the database's schema does not fit this processor's statements)");
    }

    @Test
    void eachCheckThatIsNotUpIsNamedWithItsErrorAndALongOneIsCut() {
        String longError = "x".repeat(400);
        JsonObject ready = new JsonObject()
                .put("status", "DOWN")
                .put("checks", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("name", "database").put("status", "DOWN")
                                .put("data", new JsonObject().put("failure", "UNAVAILABLE").put("error", "ConnectException: refused")))
                        .add(new JsonObject().put("name", "fsp-queue").put("status", "DOWN")
                                .put("data", new JsonObject().put("error", longError)))
                        .add(new JsonObject().put("name", "other").put("status", "DOWN")));
        String shown = ServiceProbe.downChecks(ready);
        assertThat(shown).startsWith("down: database (ConnectException: refused), fsp-queue (" + "x".repeat(160) + "…), other");
    }

    @Test
    void aReadyServiceHasNothingDown() {
        assertThat(ServiceProbe.downChecks(new JsonObject("{\"status\":\"UP\",\"checks\":[{\"name\":\"database\",\"status\":\"UP\"}]}")))
                .isEmpty();
    }
}
