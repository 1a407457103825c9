package io.statesys.fsp.forward;

import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.fsp.forward.ForwardStore.QueuedMessage;
import io.statesys.fsp.forward.ForwardStore.SignedReport;
import io.statesys.service.forwarding.ForwardedReports;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One report to forward: a signed report as it came (its client's signature fields with it), or one
 * client's unsigned messages regrouped into the report that client would have sent. Everything that
 * differs between the two lives here, so that sending and settling treat them alike.
 */
sealed interface Delivery permits Delivery.Signed, Delivery.Unsigned {
    int messages();

    UUID client();

    /** As the relay's batch door takes it. */
    ForwardedReports.Entry entry();

    /** Alone, through the single-report door (a relay without the batch door). */
    RelayGateway.Answer sendAlone(RelayGateway relay);

    /** To dead letters with the relay's refusal. */
    void deadLetter(ForwardStore store, SqlConnection conn, RelayGateway.Answer refusal);

    /** Its rows, to the settlement under {@code fate}. */
    void settle(Settlement settlement, Settlement.Fate fate);

    record Signed(SignedReport report) implements Delivery {
        public int messages() {
            return report.messageCount();
        }

        public UUID client() {
            return report.client();
        }

        public ForwardedReports.Entry entry() {
            return new ForwardedReports.Entry(report.contentType(), report.contentEncoding(), report.contentDigest(),
                    report.signatureInput(), report.signature(), report.body());
        }

        public RelayGateway.Answer sendAlone(RelayGateway relay) {
            return relay.forwardSigned(report.contentEncoding(), report.contentDigest(), report.signatureInput(), report.signature(),
                    report.body());
        }

        public void deadLetter(ForwardStore store, SqlConnection conn, RelayGateway.Answer refusal) {
            store.deadLetterSigned(conn, report, refusal.status(), refusal.body());
        }

        public void settle(Settlement settlement, Settlement.Fate fate) {
            settlement.signed(fate).add(report.id());
        }
    }

    record Unsigned(List<QueuedMessage> group) implements Delivery {
        public int messages() {
            return group.size();
        }

        public UUID client() {
            return group.get(0).client();
        }

        List<StateMessage> stateMessages() {
            return group.stream().map(QueuedMessage::message).toList();
        }

        /** UTF-8: half the bytes of UTF-16 to carry and read; the batch door takes both. */
        public ForwardedReports.Entry entry() {
            return new ForwardedReports.Entry("text/xml", null, null, null, null, ReportWriter.write(report(), XmlEncoding.UTF_8));
        }

        public RelayGateway.Answer sendAlone(RelayGateway relay) {
            return relay.forward(ReportWriter.write(report(), XmlEncoding.UTF_16LE));
        }

        public void deadLetter(ForwardStore store, SqlConnection conn, RelayGateway.Answer refusal) {
            store.deadLetter(conn, group.get(0), stateMessages(), refusal.status(), refusal.body());
        }

        public void settle(Settlement settlement, Settlement.Fate fate) {
            List<Long> ids = settlement.queued(fate);
            group.forEach(q -> ids.add(q.id()));
        }

        /** The report a client would have sent, with its header and priority. */
        private Report report() {
            QueuedMessage first = group.get(0);
            int priority = group.stream().mapToInt(QueuedMessage::priority).max().orElse(0);
            Sender sender = first.sender();
            Machine machine = new Machine(first.client(), first.netbiosName(), first.clientVersion(), null, null,
                    sender.clientInstalled(), sender.clientType(), sender.idType(), sender.idFlag(), priority == 0 ? null : priority);
            return Report.full(machine, Instant.now(), stateMessages());
        }
    }
}
