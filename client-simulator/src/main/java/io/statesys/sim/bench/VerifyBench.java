package io.statesys.sim.bench;

import io.statesys.core.report.ClientId;
import io.statesys.core.signing.RequestSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The cryptographic cost of verifying one signed report, on one thread: the SHA-256 Content-Digest
 * of the body and the signature check over the signature base, for Ed25519 and RSA-2048 keys (the
 * work the relay and the FSP do per report on top of parsing the three header fields).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Cost of verifying a signed report (digest + signature), per algorithm, on one thread.")
public final class VerifyBench implements Callable<Integer> {
    @Option(names = "--reports", defaultValue = "20000", description = "verifications per algorithm (default ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--messages", defaultValue = "50", description = "state messages per report (default ${DEFAULT-VALUE})")
    int messages;

    @Override
    public Integer call() throws Exception {
        UUID client = UUID.randomUUID();
        byte[] body = SyntheticReports.utf16(client, SyntheticReports.messages(1, messages, 50, Instant.now()));
        System.out.printf("report: %d messages, %,d bytes UTF-16; %,d verifications per algorithm after %,d of warm-up%n",
                messages, body.length, reports, reports / 4);
        for (String alg : new String[] {"ed25519", "ed25519-raw", "ed25519-jdk", "rsa-v1_5-sha256"}) {
            String signAlg = alg.startsWith("ed25519") ? "ed25519" : alg;
            KeyPair keys = BenchClients.keys(signAlg);
            RequestSigner.Fields f = RequestSigner.sign(body, ClientId.format(client), signAlg, keys.getPrivate());
            String params = f.signatureInput().substring("statesys=".length());
            byte[] sig = Base64.getDecoder().decode(f.signature().substring("statesys=:".length(), f.signature().length() - 1));
            run(alg, keys, body, f.contentDigest(), params, sig, reports / 4);
            var threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            run(alg, keys, body, f.contentDigest(), params, sig, reports);
            double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / reports;
            double wallUs = (System.nanoTime() - t0) / 1e3 / reports;
            System.out.printf("  %-16s %8.1f µs CPU per report (%6.2f µs per message), %8.1f µs wall%n", alg, cpuUs, cpuUs / messages, wallUs);
        }
        return 0;
    }

    /**
     * {@code ed25519}: BouncyCastle's RFC 8032 verifier with the key decoded once, as the services
     * use it; {@code ed25519-raw}: the same verifier decoding the key for every report (what the
     * services did before); {@code ed25519-jdk}: the JDK's, for comparison; RSA with the JDK.
     */
    private static void run(String alg, KeyPair keys, byte[] body, String digest, String params, byte[] sig, int n) throws Exception {
        byte[] der = keys.getPublic().getEncoded();
        byte[] raw = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        var point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(raw, 0);
        for (int i = 0; i < n; i++) {
            String computed = RequestSigner.contentDigest(body);
            if (!computed.equals(digest)) {
                throw new IllegalStateException("digest mismatch");
            }
            if (alg.startsWith("ed25519") && !alg.equals("ed25519-jdk")) {
                byte[] base = RequestSigner.signatureBase(digest, params).getBytes(StandardCharsets.US_ASCII);
                boolean holds = alg.equals("ed25519")
                        ? org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, point, base, 0, base.length)
                        : org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, raw, 0, base, 0, base.length);
                if (!holds) {
                    throw new IllegalStateException("signature does not verify");
                }
                continue;
            }
            Signature v = Signature.getInstance(alg.equals("ed25519-jdk") ? "Ed25519" : "SHA256withRSA");
            v.initVerify(keys.getPublic());
            v.update(RequestSigner.signatureBase(digest, params).getBytes(StandardCharsets.US_ASCII));
            if (!v.verify(sig)) {
                throw new IllegalStateException("signature does not verify");
            }
        }
    }
}
