package io.statesys.fsp.forward;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in relay for forwarding tests: a plain HTTP server on a free local port, answering the
 * paths a test gives it; the test profile points the FSP at it, with a throttle that never holds it back.
 */
final class StandInRelay {
    private StandInRelay() {
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The FSP's settings for a relay at {@code port}. */
    static Map<String, String> settings(int port) {
        return Map.of("statesys.fsp.relay-url", "http://127.0.0.1:" + port,
                "statesys.fsp.throttle.messages", "100000", "statesys.fsp.throttle.interval", "1s");
    }

    /** Started, each path answered by its handler on a pool of 16 threads (calls may be held concurrently). */
    static HttpServer start(int port, Map<String, HttpHandler> paths) throws IOException {
        HttpServer relay = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        relay.setExecutor(Executors.newFixedThreadPool(16));
        paths.forEach(relay::createContext);
        relay.start();
        return relay;
    }
}
