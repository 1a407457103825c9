package io.statesys.service.ingress;

import io.statesys.core.codec.BodyDecoder;
import io.statesys.core.codec.InvalidReportException;
import io.statesys.core.codec.ReportLimits;
import io.statesys.core.codec.ReportReader;
import io.statesys.core.codec.ReportTooLargeException;
import io.statesys.core.report.Report;

import java.util.Locale;

/**
 * The checks every ingress (relay and FSP) makes before a report may be stored: media type,
 * content encoding, size after decompression, then the document itself. Any refusal is a
 * {@link ReportRejectedException} carrying the status the contract gives it (400, 413, 415).
 */
public final class ReportIntake {
    private final ReportLimits limits;
    private final ReportReader reader;

    public ReportIntake(ReportLimits limits) {
        this.limits = limits;
        this.reader = new ReportReader(limits);
    }

    public Report read(String contentType, String contentEncoding, byte[] body) {
        checkMediaType(contentType);
        try {
            byte[] xml = BodyDecoder.decode(body, contentEncoding, limits.maxBodyBytes());
            return reader.read(xml);
        } catch (ReportTooLargeException e) {
            throw new ReportRejectedException(413, ReportRejectedException.TOO_LARGE, e.getMessage());
        } catch (BodyDecoder.UnsupportedContentEncodingException e) {
            throw new ReportRejectedException(415, ReportRejectedException.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        } catch (InvalidReportException e) {
            throw new ReportRejectedException(400, ReportRejectedException.INVALID_REPORT, e.detail());
        }
    }

    /** XML media types (the charset parameter is ignored: the BOM and XML declaration decide), raw octets, or none. */
    static void checkMediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mt = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean ok = mt.equals("application/xml") || mt.equals("text/xml") || mt.endsWith("+xml")
                || mt.equals("application/octet-stream");
        if (!ok) {
            throw new ReportRejectedException(415, ReportRejectedException.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + contentType + "' is not accepted: send application/xml or text/xml");
        }
    }
}
