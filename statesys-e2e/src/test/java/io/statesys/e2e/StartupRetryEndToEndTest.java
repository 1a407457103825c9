package io.statesys.e2e;

import io.statesys.testing.FreshDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service started while its database cannot be reached waits for it instead of
 * exiting at its schema migration: here the database's address answers nothing for the first
 * seconds, then a plain TCP relay to the real Postgres opens on it.
 */
class StartupRetryEndToEndTest {
    private ServiceProcess relay;
    private ServerSocket listening;
    private String database;

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        if (listening != null) {
            listening.close();
        }
        if (database != null) {
            FreshDatabase.drop(database);
        }
    }

    @Test
    void aServiceStartedBeforeItsDatabaseIsReachableMigratesOnceItIsAndBecomesReady() throws Exception {
        database = FreshDatabase.create();
        int dbPort = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("STATESYS_DB_HOST", "127.0.0.1");
        env.put("STATESYS_DB_PORT", Integer.toString(dbPort));
        env.put("STATESYS_DB_USER", FreshDatabase.user());
        env.put("STATESYS_DB_PASSWORD", FreshDatabase.password());
        env.put("STATESYS_DB_NAME", database);
        env.put("STATESYS_IDENTITY_MODE", "off");
        relay = ServiceProcess.start("mp-relay-service", env);

        // however long its JVM takes to start on a busy machine, it says why it waits, then keeps waiting
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!relay.tail().contains("database not reachable to migrate the schema") && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(relay.tail()).as("the relay waits, saying why").contains("database not reachable to migrate the schema");
        Thread.sleep(5_000);
        assertThat(relay.alive()).as("still running 5 s after it found no database").isTrue();
        assertThat(relay.tail()).as("not ready while it waits").doesNotContain("schema migrated after");

        listening = new ServerSocket();
        listening.bind(new InetSocketAddress("127.0.0.1", dbPort));
        Thread acceptor = new Thread(() -> forwardTo(FreshDatabase.host(), Integer.parseInt(FreshDatabase.port())), "db-relay");
        acceptor.setDaemon(true);
        acceptor.start();

        relay.awaitReady(Duration.ofSeconds(60));
        assertThat(relay.tail()).contains("schema migrated after");
    }

    /** Accepts connections and pipes each to Postgres, both ways. */
    private void forwardTo(String host, int port) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket db = new Socket(host, port);
                pipe(client.getInputStream(), db.getOutputStream());
                pipe(db.getInputStream(), client.getOutputStream());
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try (in; out) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed
            }
        }, "db-pipe");
        t.setDaemon(true);
        t.start();
    }
}
