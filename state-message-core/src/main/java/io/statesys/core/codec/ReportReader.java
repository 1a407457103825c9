package io.statesys.core.codec;

import static io.statesys.core.text.Abbreviation.abbreviate;

import io.statesys.core.report.ClientId;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Streaming reader of the report document (docs/api.md, "The report"). Hardened: a DOCTYPE is refused outright,
 * so no DTD is read, no external entity is resolved and no entity is expanded. The character
 * encoding comes from the BOM and the XML declaration (UTF-8, UTF-16 LE/BE with or without BOM).
 * Unknown elements and attributes are skipped; a missing or malformed required value is an
 * {@link InvalidReportException} naming where it is.
 */
public final class ReportReader {
    private static final XMLInputFactory FACTORY = hardenedFactory();
    private static final String MACHINE = "ReportHeader/Identification/Machine/";
    /** Highest {@code Criticality} accepted (the field carries small per-topic-type values; the range is ours). */
    public static final int MAX_CRITICALITY = 255;

    private final ReportLimits limits;

    public ReportReader(ReportLimits limits) {
        this.limits = limits;
    }

    public ReportReader() {
        this(ReportLimits.DEFAULT);
    }

    static XMLInputFactory hardenedFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed: " + systemId);
        });
        return f;
    }

    public Report read(byte[] xml) {
        if (xml.length > limits.maxBodyBytes()) {
            throw new ReportTooLargeException("body of " + xml.length + " bytes exceeds the limit of " + limits.maxBodyBytes() + " bytes");
        }
        if (xml.length == 0) {
            throw new InvalidReportException("body", "empty");
        }
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            checkDeclaredEncoding(r.getCharacterEncodingScheme());
            Parse parse = new Parse(r);
            Report report = parse.report();
            parse.nothingAfterTheRoot();
            return report;
        } catch (XMLStreamException e) {
            throw new InvalidReportException(at(e.getLocation()), "not well-formed XML: " + cleanMessage(e));
        } catch (RuntimeException e) {
            if (e instanceof InvalidReportException || e instanceof ReportTooLargeException) {
                throw e;
            }
            // the JDK parser wraps encoding errors (malformed UTF-8/16 bytes) in unchecked exceptions
            throw new InvalidReportException(r == null ? "body" : at(r.getLocation()), "unreadable XML: " + e.getMessage());
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held open: the input is a byte array
                }
            }
        }
    }

    /** The contract allows UTF-8 and UTF-16 only; a declaration naming another charset is refused. */
    private static void checkDeclaredEncoding(String declared) {
        if (declared == null) {
            return;
        }
        String d = declared.trim().toUpperCase(java.util.Locale.ROOT);
        if (!(d.equals("UTF-8") || d.equals("UTF8") || d.equals("UTF-16") || d.equals("UTF-16LE") || d.equals("UTF-16BE"))) {
            throw new InvalidReportException("XML declaration", "encoding '" + abbreviate(declared) + "' is not UTF-8 or UTF-16");
        }
    }

    private static String at(Location loc) {
        return loc == null ? "body" : "line " + loc.getLineNumber() + ", column " + loc.getColumnNumber();
    }

    private static String cleanMessage(XMLStreamException e) {
        String m = e.getMessage();
        if (m == null) {
            return "parse error";
        }
        int i = m.indexOf("Message: ");
        return i >= 0 ? m.substring(i + 9).trim() : m.trim();
    }

    /** One parse: a cursor over the reader and the path of the element being read, for errors. */
    private final class Parse {
        private final XMLStreamReader r;

        Parse(XMLStreamReader r) {
            this.r = r;
        }

        /**
         * Reads the document to its end: the parser itself refuses anything after the root element
         * but whitespace, comments and processing instructions.
         */
        void nothingAfterTheRoot() throws XMLStreamException {
            while (r.hasNext()) {
                next();
            }
        }

        Report report() throws XMLStreamException {
            if (!toNextElement()) {
                throw new InvalidReportException("body", "no root element");
            }
            if (!"Report".equals(r.getLocalName())) {
                throw new InvalidReportException("/", "root element is <" + r.getLocalName() + ">, expected <Report>");
            }
            Header header = null;
            List<StateMessage> messages = null;
            while (nextChild()) {
                switch (r.getLocalName()) {
                    case "ReportHeader" -> header = header();
                    case "ReportBody" -> messages = body();
                    default -> skipElement();
                }
            }
            if (header == null || header.clientId == null) {
                throw new InvalidReportException("ReportHeader/Identification/Machine/ClientID", "missing");
            }
            if (messages == null || messages.isEmpty()) {
                throw new InvalidReportException("ReportBody", "no StateMessage");
            }
            Machine machine = new Machine(header.clientId, header.netbiosName, header.clientVersion, header.codePage, header.lcid,
                    header.clientInstalled, header.clientType, header.idType, header.idFlag, header.priority);
            return new Report(machine, header.reportType, header.date, messages);
        }

        private Header header() throws XMLStreamException {
            Header h = new Header();
            int depth = 1;
            while (depth > 0) {
                int ev = next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    switch (name) {
                        case "ClientID" -> {
                            if (h.clientId != null) {
                                throw new InvalidReportException(MACHINE + "ClientID", "more than one");
                            }
                            // a site system's bare UUID carries these; read before the text moves the cursor
                            h.idType = optionalInt(MACHINE + "ClientID/@IDType", attr("IDType"));
                            h.idFlag = optionalInt(MACHINE + "ClientID/@IDFlag", attr("IDFlag"));
                            h.clientId = clientId(text(MACHINE + "ClientID").trim());
                        }
                        case "ClientInstalled" -> h.clientInstalled = optionalInt(MACHINE + name, text(name));
                        case "ClientType" -> h.clientType = optionalInt(MACHINE + name, text(name));
                        case "Priority" -> h.priority = priority(text(name));
                        case "NetBIOSName" -> h.netbiosName = bounded(MACHINE + name, text(name).trim(), limits.maxFieldChars());
                        case "ClientVersion" -> h.clientVersion = bounded(MACHINE + name, text(name).trim(), limits.maxFieldChars());
                        case "CodePage" -> h.codePage = optionalInt(MACHINE + name, text(name));
                        case "SystemDefaultLCID" -> h.lcid = optionalInt(MACHINE + name, text(name));
                        case "ReportType" -> h.reportType = bounded("ReportHeader/ReportDetails/ReportType", text(name).trim(), limits.maxFieldChars());
                        case "Date" -> h.date = date(text(name).trim());
                        default -> depth++;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return h;
        }

        private List<StateMessage> body() throws XMLStreamException {
            List<StateMessage> messages = new ArrayList<>();
            while (nextChild()) {
                if (!"StateMessage".equals(r.getLocalName())) {
                    skipElement();
                    continue;
                }
                if (messages.size() == limits.maxMessages()) {
                    throw new ReportTooLargeException("more than " + limits.maxMessages() + " state messages in one report");
                }
                messages.add(stateMessage("StateMessage[" + (messages.size() + 1) + "]"));
            }
            return messages;
        }

        private StateMessage stateMessage(String path) throws XMLStreamException {
            String timeText = attr("MessageTime");
            String serialText = attr("SerialNumber");
            if (timeText == null) {
                throw new InvalidReportException(path + "/@MessageTime", "missing");
            }
            Instant time;
            try {
                time = MessageTimes.parse(timeText);
            } catch (IllegalArgumentException e) {
                throw new InvalidReportException(path + "/@MessageTime", e.getMessage());
            }
            // optional (v1.1): script results and FSP messages come without one
            Long serial = serialText == null ? null : parseLong(path + "/@SerialNumber", serialText);
            if (serial != null && serial < 0) {
                throw new InvalidReportException(path + "/@SerialNumber", "negative: " + serial);
            }
            String topicId = null;
            Integer topicType = null;
            Integer idType = null;
            Integer stateId = null;
            int criticality = 0;
            boolean sawTopic = false;
            boolean sawState = false;
            List<String> params = List.of();
            StateDetails details = null;
            while (nextChild()) {
                switch (r.getLocalName()) {
                    case "Topic" -> {
                        sawTopic = true;
                        topicId = attr("ID");
                        topicType = requiredInt(path + "/Topic/@Type", attr("Type"));
                        idType = requiredInt(path + "/Topic/@IDType", attr("IDType"));
                        skipElement();
                    }
                    case "State" -> {
                        sawState = true;
                        stateId = requiredInt(path + "/State/@ID", attr("ID"));
                        String c = attr("Criticality");
                        criticality = c == null || c.isBlank() ? 0 : requiredInt(path + "/State/@Criticality", c);
                        if (criticality < 0 || criticality > MAX_CRITICALITY) {
                            throw new InvalidReportException(path + "/State/@Criticality", "outside 0.." + MAX_CRITICALITY + ": " + criticality);
                        }
                        skipElement();
                    }
                    case "UserParameters" -> params = userParameters(path + "/UserParameters");
                    case "StateDetails" -> {
                        if (details != null) {
                            throw new InvalidReportException(path + "/StateDetails", "more than one");
                        }
                        int type = requiredInt(path + "/StateDetails/@Type", attr("Type"));
                        // verbatim: no trimming, CDATA or text alike (the reader coalesces them)
                        details = new StateDetails(type, text(path + "/StateDetails"));
                    }
                    default -> skipElement();
                }
            }
            if (!sawTopic) {
                throw new InvalidReportException(path + "/Topic", "missing");
            }
            if (!sawState) {
                throw new InvalidReportException(path + "/State", "missing");
            }
            if (topicId == null || topicId.isBlank()) {
                throw new InvalidReportException(path + "/Topic/@ID", "missing");
            }
            if (topicId.length() > StateMessage.MAX_TOPIC_ID_LENGTH) {
                throw new InvalidReportException(path + "/Topic/@ID", "longer than " + StateMessage.MAX_TOPIC_ID_LENGTH + " characters");
            }
            return new StateMessage(time, serial, topicType, topicId, idType, stateId, criticality, params, details);
        }

        private List<String> userParameters(String path) throws XMLStreamException {
            Integer count = optionalInt(path + "/@Count", attr("Count"));
            List<String> params = new ArrayList<>();
            while (nextChild()) {
                if ("Param".equals(r.getLocalName())) {
                    String where = path + "/Param[" + (params.size() + 1) + "]";
                    params.add(bounded(where, text(where), limits.maxParamChars()));
                } else {
                    skipElement();
                }
            }
            if (count != null && count != params.size()) {
                throw new InvalidReportException(path + "/@Count", "says " + count + " but " + params.size() + " Param follow");
            }
            return params;
        }

        /** Advances to the next child start element of the current element; false at its end. */
        private boolean nextChild() throws XMLStreamException {
            while (true) {
                int ev = next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    return true;
                }
                if (ev == XMLStreamConstants.END_ELEMENT || ev == XMLStreamConstants.END_DOCUMENT) {
                    return false;
                }
            }
        }

        private boolean toNextElement() throws XMLStreamException {
            while (r.hasNext()) {
                if (next() == XMLStreamConstants.START_ELEMENT) {
                    return true;
                }
            }
            return false;
        }

        private void skipElement() throws XMLStreamException {
            int depth = 1;
            while (depth > 0) {
                int ev = next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        }

        private int next() throws XMLStreamException {
            int ev = r.next();
            if (ev == XMLStreamConstants.DTD) {
                throw new InvalidReportException(at(r.getLocation()), "DOCTYPE/DTD is not allowed");
            }
            if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new InvalidReportException(at(r.getLocation()), "entity references are not allowed: &" + r.getLocalName() + ";");
            }
            if (ev == XMLStreamConstants.END_DOCUMENT && !r.hasNext()) {
                return ev;
            }
            return ev;
        }

        /** Text content of a leaf element; child elements inside it are an error. */
        private String text(String path) throws XMLStreamException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int ev = next();
                switch (ev) {
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> sb.append(r.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        return sb.toString();
                    }
                    case XMLStreamConstants.START_ELEMENT ->
                            throw new InvalidReportException(path, "unexpected element <" + r.getLocalName() + "> inside a text value");
                    case XMLStreamConstants.END_DOCUMENT -> throw new InvalidReportException(path, "document ends inside the element");
                    default -> {
                        // comments and processing instructions carry no value
                    }
                }
            }
        }

        private String attr(String name) {
            for (int i = 0; i < r.getAttributeCount(); i++) {
                if (name.equals(r.getAttributeLocalName(i))) {
                    return r.getAttributeValue(i);
                }
            }
            return null;
        }
    }

    private static String bounded(String where, String value, int maxChars) {
        if (value.length() > maxChars) {
            throw new InvalidReportException(where, "longer than " + maxChars + " characters (" + value.length() + ")");
        }
        return value;
    }

    private static UUID clientId(String text) {
        try {
            return ClientId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidReportException(MACHINE + "ClientID", e.getMessage());
        }
    }

    private static Instant date(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return MessageTimes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidReportException("ReportHeader/ReportDetails/Date", e.getMessage());
        }
    }

    private static int requiredInt(String where, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidReportException(where, "missing");
        }
        String t = text.trim();
        if (!StrictNumbers.isInteger(t, 10)) {
            throw new InvalidReportException(where, "not an integer: '" + abbreviate(text) + "'");
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new InvalidReportException(where, "not a 32-bit integer: '" + abbreviate(text) + "'");
        }
    }

    private static Integer optionalInt(String where, String text) {
        return text == null || text.isBlank() ? null : requiredInt(where, text);
    }

    private static long parseLong(String where, String text) {
        String t = text.trim();
        if (!StrictNumbers.isInteger(t, 19)) {
            throw new InvalidReportException(where, "not a 64-bit integer: '" + abbreviate(text) + "'");
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new InvalidReportException(where, "not a 64-bit integer: '" + abbreviate(text) + "'");
        }
    }

    /** {@code Priority}: 0 when empty; a negative or oversized value is an error. */
    private static Integer priority(String text) {
        Integer p = optionalInt(MACHINE + "Priority", text);
        if (p != null && (p < 0 || p > Report.MAX_PRIORITY)) {
            throw new InvalidReportException(MACHINE + "Priority", "outside 0.." + Report.MAX_PRIORITY + ": " + p);
        }
        return p;
    }

    private static final class Header {
        UUID clientId;
        Integer clientInstalled;
        Integer clientType;
        Integer idType;
        Integer idFlag;
        Integer priority;
        String netbiosName;
        String clientVersion;
        Integer codePage;
        Integer lcid;
        String reportType;
        Instant date;
    }
}
