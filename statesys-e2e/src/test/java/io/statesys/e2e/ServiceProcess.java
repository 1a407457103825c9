package io.statesys.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Statesys service started as its real runnable jar — or, with {@code -Dstatesys.e2e.native=true},
 * its native executable ({@code target/*-runner}, built by {@code ./statesys native}) — on its own
 * port, logging to a file.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String module, int port, Process process, Path log) {
        this.module = module;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    public static Path root() {
        return Path.of(System.getProperty("statesys.root", "..")).toAbsolutePath().normalize();
    }

    /** Starts the service; call {@link #awaitReady} before using it. */
    public static ServiceProcess start(String module, Map<String, String> env) throws IOException {
        return start(module, env, freePort());
    }

    /** Starts the service on a given port (to restart it where its callers expect it). */
    public static ServiceProcess start(String module, Map<String, String> env, int port) throws IOException {
        List<String> cmd = NATIVE ? List.of(nativeExecutable(module).toString()) : jvmCommand(module);
        Path logDir = root().resolve("statesys-e2e/target/e2e-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(module + "-" + port + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(module, port, pb.start(), log);
    }

    public ServiceProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url("/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(module + " not ready in " + timeout + "; log " + log + ":\n" + tail());
    }

    public URI url(String path) {
        return URI.create(baseUrl() + path);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String module() {
        return module;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** True when the end-to-end tests run the native executables. */
    public static final boolean NATIVE = Boolean.getBoolean("statesys.e2e.native");

    private static List<String> jvmCommand(String module) {
        Path jar = root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (mvn -DskipTests package)");
        }
        return new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    }

    private static Path nativeExecutable(String module) throws IOException {
        try (var files = Files.list(root().resolve(module).resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(module + " has no native executable in target/: run ./statesys native first"));
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
