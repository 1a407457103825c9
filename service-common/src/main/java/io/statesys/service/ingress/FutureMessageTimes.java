package io.statesys.service.ingress;

import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Refuses a report with a message dated more than {@code statesys.limits.max-future-skew} after its
 * receipt. The latest state of a topic is the message with the newest MessageTime, so one message
 * from a client whose clock says 2099 would win over every later real one, for good.
 */
final class FutureMessageTimes {
    private final Duration maxSkew;

    FutureMessageTimes(Duration maxSkew) {
        this.maxSkew = maxSkew;
    }

    void check(Report report, Instant receivedAt) {
        Instant latest = receivedAt.plus(maxSkew);
        List<StateMessage> messages = report.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).messageTime().isAfter(latest)) {
                throw new ReportRejectedException(400, ReportRejectedException.INVALID_REPORT,
                        "StateMessage[" + (i + 1) + "]/@MessageTime: " + messages.get(i).messageTime()
                                + " is more than " + maxSkew + " after the report was received (" + receivedAt + ")");
            }
        }
    }
}
