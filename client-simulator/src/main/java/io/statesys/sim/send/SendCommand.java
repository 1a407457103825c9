package io.statesys.sim.send;

import io.statesys.core.contract.ContractPaths;
import io.statesys.core.codec.ReportReader;
import io.statesys.core.report.ClientId;
import io.statesys.sim.client.ClientKeys;
import io.statesys.sim.client.SignedRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Sends one report file as the client it names would: with that client's key (created once and
 * kept in {@code --key-dir}), registered once, the report signed. A UTF-8 file that declares
 * UTF-16 (as the repository's example does) is sent in UTF-16, as real clients send.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Sign and send one report file as its client (registers the client's key the first time).")
public final class SendCommand implements Callable<Integer> {
    private static final Pattern DECLARES_UTF16 = Pattern.compile("^<\\?xml[^>]*encoding\\s*=\\s*[\"']UTF-16[\"']", Pattern.CASE_INSENSITIVE);

    @Parameters(paramLabel = "FILE", description = "the report document")
    Path file;

    @Option(names = "--relay", defaultValue = "http://127.0.0.1:8081")
    URI relay;

    @Option(names = "--key-dir", defaultValue = ".statesys/keys", description = "where client keys are kept (default ${DEFAULT-VALUE})")
    Path keyDir;

    @picocli.CommandLine.Mixin
    io.statesys.sim.EnrolmentOptions enrolment;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        byte[] body = asClientsSend(Files.readAllBytes(file));
        UUID client = new ReportReader().read(body).clientId();
        String clientId = ClientId.format(client);
        Files.createDirectories(keyDir);
        Path keyFile = keyDir.resolve(client + ".key");
        KeyPair keys;
        if (Files.exists(keyFile)) {
            keys = ClientKeys.decode(Files.readString(keyFile));
        } else {
            keys = ClientKeys.generate();
            Files.writeString(keyFile, ClientKeys.encode(keys));
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        Path registered = keyDir.resolve(client + ".registered");
        if (!Files.exists(registered)) {
            String token = enrolment.token();
            HttpResponse<String> r = http.send(SignedRequests.registration(relay, clientId, null, keys, "ed25519", token),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("registration: " + r.statusCode() + " " + r.body());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                return 1;
            }
            Files.writeString(registered, r.body());
        }
        HttpResponse<String> r = http.send(SignedRequests.post(URI.create(relay + ContractPaths.STATE_MESSAGES), body, "text/xml", clientId,
                "ed25519", keys.getPrivate()).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(r.statusCode() + " " + r.body());
        return r.statusCode() == 202 ? 0 : 1;
    }

    static byte[] asClientsSend(byte[] file) {
        boolean bom = file.length >= 2 && ((file[0] == (byte) 0xFF && file[1] == (byte) 0xFE) || (file[0] == (byte) 0xFE && file[1] == (byte) 0xFF));
        if (bom) {
            return file;
        }
        String text = new String(file, StandardCharsets.UTF_8);
        return DECLARES_UTF16.matcher(text.stripLeading()).find() ? text.getBytes(StandardCharsets.UTF_16) : file;
    }

}
