package io.statesys.fsp.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import io.statesys.fsp.throttle.Throttle;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.statesys.core.config.StatesysConfig;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Forwards queued messages to the relay, oldest first, within the shared throttle budget,
 * regrouped per client into reports in serial order. Claimed rows stay locked (SKIP LOCKED lets
 * other FSP replicas take other rows) until the relay has answered; a message is deleted only after
 * the relay's 202, in the same transaction. A crash after the 202 but before the commit forwards
 * those messages again; the processor counts them as duplicates and changes nothing.
 */
@ApplicationScoped
public class Forwarder {
    private static final Logger LOG = Logger.getLogger(Forwarder.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Most messages claimed per round; the throttle usually grants fewer. */
    static final int MAX_BATCH = 500;
    static final long BACKOFF_BASE_MS = 500;
    static final long BACKOFF_CAP_MS = 60_000;

    static final String CLAIM = """
            SELECT id, client_id, netbios_name, client_version, received_at, serial_number, message, attempts
            FROM fsp_queue
            WHERE next_attempt_at <= now()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String DELETE = "DELETE FROM fsp_queue WHERE id = ANY($1::bigint[])";

    static final String RETRY_LATER = """
            UPDATE fsp_queue
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
            WHERE id = ANY($1::bigint[])""";

    static final String DEAD_LETTER = """
            INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String FORWARDED = """
            UPDATE fsp_forward_stats SET forwarded = forwarded + $1, last_forward_at = now() WHERE id = 1""";

    static final String FAILED = "UPDATE fsp_forward_stats SET last_error = $1, last_error_at = now() WHERE id = 1";

    private final Pool pool;
    private final Throttle throttle;
    private final RelayGateway relay;
    private final boolean autoStart;
    private final Counter forwarded;
    private final Counter throttledWaits;
    private final Counter retries;
    private final Counter deadLetters;
    private volatile boolean running;
    private Thread thread;
    private int consecutiveFailures;
    private volatile double lastRemaining;

    public Forwarder(Pool pool, Throttle throttle, RelayGateway relay, MeterRegistry registry,
                     StatesysConfig config) {
        this.pool = pool;
        this.throttle = throttle;
        this.relay = relay;
        this.autoStart = config.fsp().forwarderAutoStart();
        this.forwarded = Counter.builder("statesys.fsp.messages.forwarded").description("Messages the relay accepted from the FSP").register(registry);
        this.throttledWaits = Counter.builder("statesys.fsp.throttle.waits").description("Rounds that waited for throttle budget").register(registry);
        this.retries = Counter.builder("statesys.fsp.forward.retries").description("Forwards that failed and were scheduled again").register(registry);
        this.deadLetters = Counter.builder("statesys.fsp.dead.letters").description("Reports the relay refused, moved to dead letters").register(registry);
    }

    void onStart(@Observes StartupEvent ev) {
        if (autoStart) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "fsp-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    /** What one round did. */
    public enum Round { IDLE, THROTTLED, FORWARDED, RELAY_UNAVAILABLE }

    private void loop() {
        while (running) {
            Round r;
            try {
                r = forwardOnce();
            } catch (RuntimeException e) {
                LOG.warnf("forward round failed: %s", e.toString());
                r = Round.RELAY_UNAVAILABLE;
            }
            try {
                switch (r) {
                    case IDLE -> Thread.sleep(250);
                    case THROTTLED -> Thread.sleep(throttle.untilNext(lastRemaining).toMillis());
                    case RELAY_UNAVAILABLE -> Thread.sleep(backoffMs());
                    case FORWARDED -> { }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long backoffMs() {
        long exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(16, consecutiveFailures));
        return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    }

    /** One round: take budget, claim that many of the oldest messages, forward per client, delete what the relay accepted. */
    public Round forwardOnce() {
        Throttle.Grant grant = throttle.grant(MAX_BATCH);
        int granted = grant.granted();
        lastRemaining = grant.remaining();
        if (granted == 0) {
            throttledWaits.increment();
            return Round.THROTTLED;
        }
        SqlConnection conn;
        try {
            conn = pool.getConnection().await().atMost(WAIT);
        } catch (RuntimeException e) {
            throttle.giveBack(granted);
            throw e;
        }
        Transaction tx = null;
        try {
            tx = conn.begin().await().atMost(WAIT);
            RowSet<Row> claimed = conn.preparedQuery(CLAIM).execute(Tuple.of(granted)).await().atMost(WAIT);
            throttle.giveBack(granted - claimed.size());
            if (claimed.size() == 0) {
                return Round.IDLE;
            }
            List<Queued> take = new ArrayList<>(claimed.size());
            for (Row r : claimed) {
                take.add(Queued.of(r));
            }
            Round round = forward(conn, take);
            tx.commit().await().atMost(WAIT);
            tx = null;
            return round;
        } finally {
            if (tx != null) {
                try {
                    tx.rollback().await().atMost(WAIT);
                } catch (RuntimeException ignored) {
                    // closing the connection ends the transaction anyway
                }
            }
            conn.close().await().atMost(WAIT);
        }
    }

    private Round forward(SqlConnection conn, List<Queued> take) {
        Map<UUID, List<Queued>> byClient = new LinkedHashMap<>();
        for (Queued q : take) {
            byClient.computeIfAbsent(q.client, c -> new ArrayList<>()).add(q);
        }
        long delivered = 0;
        int unused = 0;
        boolean unavailable = false;
        for (List<Queued> group : byClient.values()) {
            group.sort(Comparator.comparingLong(q -> q.message.serialNumber()));
            Long[] ids = group.stream().map(q -> q.id).toArray(Long[]::new);
            if (unavailable) {
                unused += group.size(); // not tried this round: budget goes back, rows stay as they are
                continue;
            }
            Queued first = group.get(0);
            List<StateMessage> messages = group.stream().map(q -> q.message).toList();
            Report report = Report.full(new Machine(first.client, first.netbiosName, first.clientVersion, null, null), Instant.now(), messages);
            try {
                RelayGateway.Answer a = relay.forward(ReportWriter.write(report, XmlEncoding.UTF_16LE));
                if (a.accepted()) {
                    delivered += group.size();
                } else {
                    conn.preparedQuery(DEAD_LETTER).execute(Tuple.tuple().addUUID(first.client).addString(first.netbiosName)
                            .addOffsetDateTime(first.receivedAt).addInteger(group.size())
                            .addValue(Buffer.buffer(InboxPayload.encode(messages))).addInteger(a.status()).addString(a.body()))
                            .await().atMost(WAIT);
                    deadLetters.increment();
                    LOG.warnf("relay refused a report of %d messages from %s (%d): moved to dead letters", group.size(), first.client, a.status());
                }
                conn.preparedQuery(DELETE).execute(Tuple.of((Object) ids)).await().atMost(WAIT);
            } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
                unavailable = true;
                unused += group.size();
                retries.increment();
                conn.preparedQuery(RETRY_LATER).execute(Tuple.of(ids, e.getMessage(), BACKOFF_CAP_MS / 1000.0, BACKOFF_BASE_MS / 1000.0))
                        .await().atMost(WAIT);
                pool.preparedQuery(FAILED).execute(Tuple.of(String.valueOf(e.getMessage()))).await().atMost(WAIT);
            }
        }
        if (delivered > 0) {
            conn.preparedQuery(FORWARDED).execute(Tuple.of(delivered)).await().atMost(WAIT);
            forwarded.increment(delivered);
        }
        throttle.giveBack(unused);
        if (unavailable) {
            consecutiveFailures++;
            return Round.RELAY_UNAVAILABLE;
        }
        consecutiveFailures = 0;
        return Round.FORWARDED;
    }

    private record Queued(long id, UUID client, String netbiosName, String clientVersion, java.time.OffsetDateTime receivedAt,
                          StateMessage message) {
        static Queued of(Row r) {
            return new Queued(r.getLong("id"), r.getUUID("client_id"), r.getString("netbios_name"), r.getString("client_version"),
                    r.getOffsetDateTime("received_at"), InboxPayload.decode(r.getBuffer("message").getBytes()).get(0));
        }
    }
}
