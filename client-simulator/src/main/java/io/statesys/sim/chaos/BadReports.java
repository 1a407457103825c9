package io.statesys.sim.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The bad input a relay meets in the field, each with the answer the contract gives it: bodies over
 * the limit (declared, chunked, or a small gzip that inflates past it) get 413; broken or hostile
 * XML gets 400. None may get a 2xx or a 5xx.
 */
final class BadReports {
    /** One kind of bad request: its body, how it is sent, the status the contract gives it. */
    record Kind(String name, int expected, boolean oversized, boolean chunked, boolean gzip, byte[] body) {
    }

    private static final String CLIENT = "GUID:5D2D2C6A-7E2B-4E1C-9B8E-0D2E4A1C3F11";

    private BadReports() {
    }

    /** The oversized kinds: {@code limitBytes} plus a margin, so that the 413 is certain. */
    static List<Kind> oversized(long limitBytes) {
        byte[] big = report("x".repeat((int) Math.min(Integer.MAX_VALUE - 1024, limitBytes + 64 * 1024)));
        return List.of(
                new Kind("oversized, Content-Length", 413, true, false, false, big),
                new Kind("oversized, chunked", 413, true, true, false, big),
                new Kind("gzip that inflates past the limit", 413, true, false, true, gzip(big)));
    }

    /** The malformed kinds: small, many of them. */
    static List<Kind> malformed(Random random) {
        byte[] noise = new byte[512];
        random.nextBytes(noise);
        String good = new String(report("ok"), StandardCharsets.UTF_8);
        return List.of(
                new Kind("truncated XML", 400, false, false, false, good.substring(0, good.length() / 2).getBytes(StandardCharsets.UTF_8)),
                new Kind("external entity (XXE)", 400, false, false, false, ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + good.substring(good.indexOf("<Report"))).replace("<Param>ok</Param>", "<Param>&x;</Param>").getBytes(StandardCharsets.UTF_8)),
                new Kind("billion laughs", 400, false, false, false, ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><r>&c;</r>").getBytes(StandardCharsets.UTF_8)),
                new Kind("ISO-8859-1 declared", 400, false, false, false, good.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
                        .getBytes(StandardCharsets.ISO_8859_1)),
                new Kind("random bytes", 400, false, false, false, noise),
                new Kind("not a report", 400, false, false, false, "<?xml version=\"1.0\"?><Inventory/>".getBytes(StandardCharsets.UTF_8)));
    }

    /** A one-message report whose one parameter is {@code param}. */
    static byte[] report(String param) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Report><ReportHeader><Identification><Machine>"
                + "<ClientInstalled>1</ClientInstalled><ClientType>1</ClientType><ClientID>" + CLIENT + "</ClientID>"
                + "<ClientVersion>5.00.9128.1000</ClientVersion><NetBIOSName>FLOOD</NetBIOSName><CodePage>437</CodePage>"
                + "<SystemDefaultLCID>1033</SystemDefaultLCID><Priority>0</Priority></Machine></Identification>"
                + "<ReportDetails><ReportContent>State Message Data</ReportContent><ReportType>Full</ReportType>"
                + "<Date>20261130120000.000000+000</Date><Version>1.0</Version><Format>1.0</Format></ReportDetails>"
                + "</ReportHeader><ReportBody><StateMessage MessageTime=\"20261130120000.000000+000\" SerialNumber=\"1\">"
                + "<Topic ID=\"flood\" Type=\"500\" IDType=\"3\"/><State ID=\"2\" Criticality=\"0\"/>"
                + "<UserParameters Flags=\"0\" Count=\"1\"><Param>" + param + "</Param></UserParameters>"
                + "</StateMessage></ReportBody></Report>").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(body);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a stream of unknown length, so that the client sends it chunked. */
    static InputStream stream(byte[] body) {
        return new java.io.ByteArrayInputStream(body);
    }
}
