package io.statesys.console.identity;

import io.statesys.console.clients.ClientStore;
import io.statesys.testing.MigratedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity view's and the client search's statements against a migrated database, without a
 * service: the cheap layer under ConsoleTest (which renders the pages in the resync service).
 */
class IdentityStoreTest {
    private static final String KEY = "'ed25519', '\\x00'::bytea, 'fp'";
    private static MigratedDatabase db;
    private static IdentityStore identities;
    private static ClientStore clients;

    @BeforeAll
    static void seed() {
        db = MigratedDatabase.create();
        identities = new IdentityStore(db.pool());
        clients = new ClientStore(db.pool());
        db.sql("INSERT INTO client_identity (client_id, netbios_name, algorithm, public_key, key_fingerprint, status, registered_at) VALUES "
                        + "('00000000-0000-0000-0000-00000000000a', 'WKS-A1', " + KEY + ", 'approved', now() - interval '4 hours'), "
                        + "('00000000-0000-0000-0000-00000000000b', 'WKS-A2', " + KEY + ", 'pending', now() - interval '3 hours'), "
                        + "('00000000-0000-0000-0000-00000000000c', 'SRV-1', " + KEY + ", 'pending', now() - interval '2 hours'), "
                        + "('00000000-0000-0000-0000-00000000000d', 'SRV-2', " + KEY + ", 'blocked', now() - interval '1 hour')",
                "UPDATE client_identity SET blocked_at = now() WHERE status = 'blocked'",
                "INSERT INTO unverified_client (client_id, reports, last_reason) VALUES ('00000000-0000-0000-0000-0000000000ee', 7, 'bad_signature')",
                "INSERT INTO client_message_stats (client_id, netbios_name, lowest_serial, highest_serial, messages) VALUES "
                        + "('00000000-0000-0000-0000-00000000000a', 'WKS-A1', 1, 5, 5), "
                        + "('00000000-0000-0000-0000-00000000000b', 'wks-a2', 1, 3, 3), "
                        + "('00000000-0000-0000-0000-00000000000c', 'SRV-1', 1, 1, 1)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void theCountsSplitRegisteredClientsByStateBesideTheUnverifiedOnes() {
        IdentityStore.Counts c = identities.counts().await().indefinitely();
        assertThat(c.registered()).isEqualTo(4);
        assertThat(c.pending()).isEqualTo(2);
        assertThat(c.blocked()).isEqualTo(1);
        assertThat(c.unverified()).isEqualTo(1);
        assertThat(c.asOf()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void waitingClientsAreListedOldestFirstAndBlockedOnesWithTheirTime() {
        List<IdentityStore.Registered> pending = identities.registered("pending").await().indefinitely();
        assertThat(pending).extracting(IdentityStore.Registered::netbiosName).containsExactly("WKS-A2", "SRV-1");
        assertThat(pending.get(0).clientId()).isEqualTo("GUID:00000000-0000-0000-0000-00000000000B");
        assertThat(pending).allSatisfy(r -> assertThat(r.blockedAt()).isNull());
        List<IdentityStore.Registered> blocked = identities.registered("blocked").await().indefinitely();
        assertThat(blocked).singleElement().satisfies(r -> assertThat(r.blockedAt()).isNotNull());
    }

    @Test
    void unverifiedClientsShowTheirReportsAndLastReason() {
        assertThat(identities.unverified().await().indefinitely()).singleElement().satisfies(u -> {
            assertThat(u.reports()).isEqualTo(7);
            assertThat(u.lastReason()).isEqualTo("bad_signature");
        });
    }

    @Test
    void aNamePrefixFindsClientsWhateverItsCaseAndNothingElse() {
        assertThat(clients.search("wks-a").await().indefinitely()).extracting(ClientStore.Found::netbiosName)
                .containsExactly("WKS-A1", "wks-a2");
        assertThat(clients.search("SRV").await().indefinitely()).extracting(ClientStore.Found::clientId)
                .containsExactly("GUID:00000000-0000-0000-0000-00000000000C");
        assertThat(clients.search("zz").await().indefinitely()).isEmpty();
    }
}
