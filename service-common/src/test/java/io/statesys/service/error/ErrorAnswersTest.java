package io.statesys.service.error;

import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorAnswersTest {

    @Test
    void aDatabaseThatIsAwayIs503WithRetryAfterAndNoDatabaseText() {
        Response r = ErrorAnswers.of(new PgException("the database system is shutting down", "FATAL", "57P01", null));
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
        ApiError body = (ApiError) r.getEntity();
        assertThat(body.error()).isEqualTo("database_unavailable");
        assertThat(body.detail()).doesNotContain("shutting down");
    }

    @Test
    void aSqlBugIs500WithAnErrorIdNot503() {
        Response r = ErrorAnswers.of(new PgException("syntax error at or near \"SELEC\"", "ERROR", "42601", null));
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getHeaderString("Retry-After")).isNull();
        ApiError body = (ApiError) r.getEntity();
        assertThat(body.error()).isEqualTo("internal_error");
        assertThat(body.detail()).containsPattern("error id [0-9a-f-]{36}").doesNotContain("SELEC");
    }

    @Test
    void eachInternalErrorGetsItsOwnId() {
        String a = ((ApiError) ErrorAnswers.of(new IllegalStateException()).getEntity()).detail();
        String b = ((ApiError) ErrorAnswers.of(new IllegalStateException()).getEntity()).detail();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void aConnectionRefusedIs503() {
        assertThat(ErrorAnswers.of(new RuntimeException(new ConnectException("refused"))).getStatus()).isEqualTo(503);
    }

    @Test
    void ourOwnAnswersPassThroughUnchanged() {
        Response r = ErrorAnswers.of(ApiException.badRequest("invalid_topicType", "topicType: not an integer"));
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(((ApiError) r.getEntity()).error()).isEqualTo("invalid_topicType");
    }
}
