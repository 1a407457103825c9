package io.statesys.sim.client;

import io.statesys.core.contract.ContractPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;
import io.statesys.core.report.TopicTypes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Configuration Manager client as the state system sees it: it records state changes as
 * messages with its own increasing serial numbers, keeps the latest message per topic in its cache,
 * sends what is unsent once per cycle (UTF-16, as real clients), falls back to the fallback status
 * point when the relay cannot take it, honours Retry-After, and answers a resync request by
 * resending its whole cache renumbered followed by the resync-complete message (700/2). It has its
 * own Ed25519 key pair, registers the public key once, and signs every report after that.
 */
public final class ClientAgent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UUID id;
    private final String netbiosName;
    private final ClientStateStore store;
    private final ClientState state;
    private final URI relay;
    private final URI fsp;
    private final HttpClient http;
    private final Clock clock;
    private Predicate<StateMessage> lostInTransit = m -> false;
    private Faults faults = Faults.NONE;
    private Ledger ledger = Ledger.NONE;
    private Held held;
    private Instant relayNotBefore = Instant.MIN;
    private String handledResync;
    private long resyncs;
    private Supplier<UUID> victims = () -> null;
    private long spoofSerial = 9_000_000_000L;
    private String enrolmentToken;
    private long reregistrations;

    public ClientAgent(UUID id, String netbiosName, ClientStateStore store, URI relay, URI fsp, HttpClient http, Clock clock) {
        this.id = id;
        this.netbiosName = netbiosName;
        this.store = store;
        this.state = store.load(id);
        this.relay = relay;
        this.fsp = fsp;
        this.http = http;
        this.clock = clock;
    }

    public UUID id() {
        return id;
    }

    public long lastSerial() {
        return state.lastSerial();
    }

    public long resyncs() {
        return resyncs;
    }

    public List<StateMessage> cachedMessages() {
        return List.copyOf(state.cache().values());
    }

    public int unsentCount() {
        return state.unsent().size();
    }

    /** Fault injection: messages for which this is true vanish on the way (they leave real serial gaps). */
    public void loseInTransit(Predicate<StateMessage> lost) {
        this.lostInTransit = lost == null ? m -> false : lost;
    }

    /** A state change: the next serial number, the cache updated, queued for the next send cycle. */
    public StateMessage record(int topicType, String topicId, int idType, int stateId, List<String> params) {
        StateMessage m = new StateMessage(clock.instant(), state.nextSerial(), topicType, topicId, idType, stateId, 0, params);
        if (topicType != TopicTypes.RESYNC) {
            state.cache().put(m.topic(), m);
        }
        state.unsent().add(m);
        store.save(id, state);
        return m;
    }

    /**
     * A script (CMPivot) result as real clients send it: topic type 9003, no serial number, the
     * output as StateDetails. Not cached: a resync resends state, not past script output.
     */
    public StateMessage recordScriptResult(String scriptId, int stateId, StateDetails output) {
        StateMessage m = new StateMessage(clock.instant(), null, TopicTypes.SCRIPT_RESULT, scriptId, 0, stateId, 0, List.of(), output);
        state.unsent().add(m);
        store.save(id, state);
        return m;
    }

    /** Network faults between this client and the server (simulation). */
    public void faults(Faults faults) {
        this.faults = faults == null ? Faults.NONE : faults;
    }

    /** Fault injection: the clients a spoofing send may name instead of this one. */
    public void spoofVictims(Supplier<UUID> victims) {
        this.victims = victims == null ? () -> null : victims;
    }

    public boolean registered() {
        return state.registered();
    }

    /** Times this client found its registration gone at the site and registered its key again. */
    public long reregistrations() {
        return reregistrations;
    }

    /**
     * Registers this client's public key at the relay, signed with it (proof of possession), with an
     * enrolment token if it has one. True when the site now has the key (approved or pending).
     */
    public boolean register(String enrolmentToken) {
        this.enrolmentToken = enrolmentToken;
        Answer a = exchange(SignedRequests.registration(relay, ClientId.format(id), netbiosName, state.keys(), "ed25519",
                enrolmentToken));
        if (a.status == 200 || a.status == 201) {
            state.registered(true);
            store.save(id, state);
            return true;
        }
        return false;
    }

    /**
     * The site does not know this client although it registered: its identity row is gone (the site was
     * restored from a backup older than the registration, or an admin reset it). The rule: register the
     * same key again, proving possession as the first time, with the enrolment token it was given if any
     * — approved at once if the site still holds that token, pending for an admin otherwise — then send
     * the report again. The key never changes, so nobody else's key can take this ClientID's place once
     * the registration is back.
     */
    private boolean reregister() {
        reregistrations++;
        Answer r = exchange(SignedRequests.registration(relay, ClientId.format(id), netbiosName, state.keys(), "ed25519",
                enrolmentToken));
        return r.status == 200 || r.status == 201;
    }

    /** Where deliveries and losses are recorded (simulation audit). */
    public void ledger(Ledger ledger) {
        this.ledger = ledger == null ? Ledger.NONE : ledger;
    }

    /** One send cycle: everything unsent in one report. */
    public SendResult send() {
        if (state.unsent().isEmpty()) {
            return SendResult.IDLE;
        }
        List<StateMessage> outgoing = new ArrayList<>();
        for (StateMessage m : state.unsent()) {
            if (lostInTransit.test(m) || faults.lose(m)) {
                ledger.lost(id, m);
            } else {
                outgoing.add(m);
            }
        }
        if (faults.delayMs() > 0) {
            sleep(faults.delayMs());
        }
        if (outgoing.isEmpty()) {
            markSent();
            return new SendResult(SendResult.Outcome.RELAY, 0, 0, false, 0);
        }
        byte[] body = report(outgoing);
        if (faults.spoof()) {
            spoof(outgoing.size());
        }
        if (held == null && faults.holdBack()) {
            // reordering: this report travels behind the next one
            held = new Held(body, outgoing);
            markSent();
            return new SendResult(SendResult.Outcome.RELAY, outgoing.size(), 0, false, 0);
        }
        SendResult result = deliver(body, outgoing);
        if (result.outcome() != SendResult.Outcome.DEFERRED) {
            markSent();
            if (result.delivered() && faults.duplicate()) {
                deliver(body, outgoing);
            }
            flushHeld();
        }
        if (result.resyncRequested()) {
            pollPolicy();
        }
        return result;
    }

    /** Delivers a report held back for reordering (at the end of a run). */
    public void flushHeld() {
        if (held != null) {
            Held h = held;
            held = null;
            SendResult r = deliver(h.body, h.messages);
            if (r.outcome() == SendResult.Outcome.DEFERRED) {
                held = h;
            }
        }
    }

    private SendResult deliver(byte[] body, List<StateMessage> outgoing) {
        long t0 = System.nanoTime();
        boolean unsigned = !state.registered();
        Answer a = clock.instant().isBefore(relayNotBefore) ? Answer.UNREACHABLE : post(relay, body);
        if (a.status == 401 && !unsigned && a.json != null && "unknown_client".equals(a.json.path("error").asText())
                && reregister()) {
            a = post(relay, body);
        }
        if (a.uncertain()) {
            ledger.uncertain(id, outgoing, unsigned);
        }
        SendResult result;
        if (a.status == 202) {
            result = new SendResult(SendResult.Outcome.RELAY, outgoing.size(), 202, a.json.path("resyncRequested").asBoolean(false), System.nanoTime() - t0);
            ledger.delivered(id, outgoing, false, unsigned, result.latencyNanos());
        } else if (a.status == 403 && a.json != null && "client_pending".equals(a.json.path("error").asText())) {
            // registered again, waiting for an admin's approval: the client keeps its messages
            result = new SendResult(SendResult.Outcome.DEFERRED, outgoing.size(), a.status, false, System.nanoTime() - t0);
        } else if (a.status >= 400 && a.status < 500) {
            result = new SendResult(SendResult.Outcome.REFUSED, outgoing.size(), a.status, false, System.nanoTime() - t0);
        } else {
            if (a.retryAfter != null) {
                relayNotBefore = clock.instant().plus(a.retryAfter);
            }
            SendResult fallback = viaFsp(body, outgoing, t0);
            // deferred: report why the relay did not take it
            result = fallback.delivered() ? fallback
                    : new SendResult(SendResult.Outcome.DEFERRED, outgoing.size(), a.status, false, fallback.latencyNanos());
        }
        return result;
    }

    /** The fallback status point takes the report (recorded in the ledger), or it stays deferred. */
    private SendResult viaFsp(byte[] body, List<StateMessage> outgoing, long t0) {
        boolean unsigned = !state.registered();
        Answer f = fsp == null ? Answer.UNREACHABLE : post(fsp, body);
        if (f.uncertain()) {
            ledger.uncertain(id, outgoing, unsigned);
        }
        if (f.status != 202) {
            return new SendResult(SendResult.Outcome.DEFERRED, outgoing.size(), f.status, false, System.nanoTime() - t0);
        }
        SendResult r = new SendResult(SendResult.Outcome.FSP, outgoing.size(), 202, false, System.nanoTime() - t0);
        ledger.delivered(id, outgoing, true, unsigned, r.latencyNanos());
        return r;
    }

    /** Sends straight to the fallback status point (client installation: the relay is not known yet). */
    public SendResult sendToFsp() {
        if (fsp == null || state.unsent().isEmpty()) {
            return SendResult.IDLE;
        }
        List<StateMessage> outgoing = new ArrayList<>(state.unsent());
        SendResult r = viaFsp(report(outgoing), outgoing, System.nanoTime());
        if (r.delivered()) {
            markSent();
        }
        return r;
    }

    /**
     * A spoofing attempt: a report naming another client (a state it never had, a serial it never
     * used), signed with this client's key under the victim's key id. The server must refuse it.
     */
    private void spoof(int messages) {
        UUID victim = victims.get();
        if (victim == null || victim.equals(id)) {
            return;
        }
        List<StateMessage> fake = new ArrayList<>();
        for (int i = 0; i < Math.max(1, messages); i++) {
            fake.add(new StateMessage(clock.instant(), spoofSerial++, 500, "spoofed-by-" + id, 3, 3, 0, List.of()));
        }
        byte[] body = ReportWriter.write(Report.full(Machine.of(victim, "SPOOF"), clock.instant(), fake), XmlEncoding.UTF_16LE);
        // half of them through the fallback status point, which must refuse them the same way
        URI door = fsp != null && (spoofSerial & 1) == 0 ? fsp : relay;
        HttpRequest req = SignedRequests.post(URI.create(door + ContractPaths.STATE_MESSAGES), body, "text/xml",
                ClientId.format(victim), "ed25519", state.keys().getPrivate()).build();
        ledger.spoofed(id, victim, exchange(req).status);
    }

    /** The messages as the report document this client sends (UTF-16, as real clients). */
    private byte[] report(List<StateMessage> messages) {
        return ReportWriter.write(Report.full(Machine.of(id, netbiosName), clock.instant(), messages), XmlEncoding.UTF_16LE);
    }

    /** What was unsent has left the client (delivered, held back, lost or refused). */
    private void markSent() {
        state.unsent().clear();
        store.save(id, state);
    }

    private record Held(byte[] body, List<StateMessage> messages) {
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the policy the relay serves; a resync request not yet answered is answered now. */
    public boolean pollPolicy() {
        Answer a = get(URI.create(relay + "/api/v1/clients/" + ClientId.format(id) + "/policy"));
        JsonNode resync = a.json == null ? null : a.json.get("resync");
        if (a.status != 200 || resync == null || resync.isNull()) {
            return false;
        }
        String request = resync.path("requestId").asText() + "@" + resync.path("issuedAt").asText();
        if (request.equals(handledResync)) {
            return false; // already answered; its completion is waiting to be processed
        }
        handledResync = request;
        resync();
        return true;
    }

    /** Resends the whole cache renumbered with fresh serials, then 700/2, in one report. */
    public SendResult resync() {
        resyncs++;
        state.unsent().clear();
        List<StateMessage> cached = new ArrayList<>(state.cache().values());
        state.cache().clear();
        for (StateMessage m : cached) {
            StateMessage renumbered = m.withSerialNumber(state.nextSerial());
            state.cache().put(renumbered.topic(), renumbered);
            state.unsent().add(renumbered);
        }
        state.unsent().add(new StateMessage(clock.instant(), state.nextSerial(), TopicTypes.RESYNC, "resync", 0,
                TopicTypes.RESYNC_COMPLETE_STATE, 0, List.of()));
        store.save(id, state);
        return send();
    }

    private record Answer(int status, JsonNode json, Duration retryAfter) {
        /**
         * Sent and maybe stored: no answer came, or the door says the database went away while it
         * committed ({@code 503 commit_uncertain}, a failover): a resend may then count as duplicates.
         */
        boolean uncertain() {
            return this == UNCERTAIN || status == 503 && json != null && "commit_uncertain".equals(json.path("error").asText());
        }

        /** Nothing was sent: no connection. */
        static final Answer UNREACHABLE = new Answer(-1, null, null);
        /** The request went out, no answer came back: it may have been committed. */
        static final Answer UNCERTAIN = new Answer(-3, null, null);
    }

    /** Signed once registered; before that (client deployment through the FSP) unsigned. */
    private Answer post(URI base, byte[] body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + ContractPaths.STATE_MESSAGES));
        if (state.registered()) {
            SignedRequests.signed(req, body, ClientId.format(id), "ed25519", state.keys().getPrivate());
        }
        return exchange(req.timeout(Duration.ofSeconds(30)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private Answer get(URI uri) {
        return exchange(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private Answer exchange(HttpRequest req) {
        Answer a = call(req);
        ledger.answered(a.status);
        return a;
    }

    private Answer call(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
            Duration retryAfter = r.headers().firstValue("Retry-After").map(v -> Duration.ofSeconds(Long.parseLong(v.trim()))).orElse(null);
            return new Answer(r.statusCode(), json, retryAfter);
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            return Answer.UNREACHABLE;
        } catch (IOException e) {
            return Answer.UNCERTAIN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.UNREACHABLE;
        } catch (RuntimeException e) {
            return new Answer(-2, null, null);
        }
    }
}
