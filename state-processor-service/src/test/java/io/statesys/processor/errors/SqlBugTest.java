package io.statesys.processor.errors;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

/** A statement Postgres refuses is a bug: 500 with an error id (logged with the stack trace), never 503, never the database's text. */
@QuarkusTest
class SqlBugTest {

    @ParameterizedTest
    @ValueSource(strings = {"syntax", "constraint"})
    void aRefusedStatementIs500WithAnErrorIdNot503(String kind) {
        given().get("/test/sql-bug/" + kind).then()
                .statusCode(500)
                .header("Retry-After", nullValue())
                .body("error", equalTo("internal_error"))
                .body("detail", matchesPattern(".*error id [0-9a-f-]{36}.*"))
                .body("detail", not(containsString("SELEC")))
                .body("detail", not(containsString("duplicate key")));
    }
}
