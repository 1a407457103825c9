package io.statesys.core.codec;

import io.statesys.core.report.ClientId;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.Writer;
import java.time.Instant;

/** Writes the report document exactly as a Configuration Manager client lays it out. */
public final class ReportWriter {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    private ReportWriter() {
    }

    public static byte[] write(Report report, XmlEncoding encoding) {
        // written as characters, then encoded in one pass: encoding each small write through an
        // OutputStreamWriter was a fifth of the simulator's CPU with UTF-16 reports
        TextWriter w = new TextWriter(512 + report.messages().size() * 300);
        w.write("<?xml version=\"1.0\" encoding=\"" + encoding.declared() + "\"?>\n");
        try {
            XMLStreamWriter x = FACTORY.createXMLStreamWriter(w);
            writeReport(x, report);
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write report", e);
        }
        return encode(w.toString(), encoding);
    }

    /**
     * The document's bytes, BOM first. UTF-16 is laid out by hand: a Java string is already UTF-16
     * code units, and the JDK's UTF-16 encoder put them into a buffer one at a time (a sixth of
     * the simulator's CPU).
     */
    static byte[] encode(String text, XmlEncoding encoding) {
        byte[] bom = encoding.bom();
        if (encoding == XmlEncoding.UTF_8) {
            return text.getBytes(encoding.charset());
        }
        byte[] out = new byte[bom.length + 2 * text.length()];
        System.arraycopy(bom, 0, out, 0, bom.length);
        int hi = encoding == XmlEncoding.UTF_16BE ? 0 : 1;
        for (int i = 0, p = bom.length; i < text.length(); i++, p += 2) {
            char c = text.charAt(i);
            out[p + hi] = (byte) (c >>> 8);
            out[p + 1 - hi] = (byte) c;
        }
        return out;
    }

    /** A StringWriter without StringBuffer's locking: one document, one thread. */
    private static final class TextWriter extends Writer {
        private final StringBuilder text;

        TextWriter(int capacity) {
            this.text = new StringBuilder(capacity);
        }

        @Override
        public void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
        }

        @Override
        public void write(String s) {
            text.append(s);
        }

        @Override
        public void write(String s, int off, int len) {
            text.append(s, off, off + len);
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    public static String writeString(Report report) {
        return new String(write(report, XmlEncoding.UTF_8), XmlEncoding.UTF_8.charset());
    }

    private static void writeReport(XMLStreamWriter x, Report report) throws XMLStreamException {
        Machine m = report.machine();
        x.writeStartElement("Report");
        x.writeStartElement("ReportHeader");
        x.writeStartElement("Identification");
        x.writeStartElement("Machine");
        leaf(x, "ClientInstalled", m.clientInstalled() == null ? null : m.clientInstalled().toString());
        leaf(x, "ClientType", m.clientType() == null ? null : m.clientType().toString());
        if (m.idType() != null || m.idFlag() != null) {
            // a site system's form: the bare UUID with its IDType/IDFlag
            x.writeStartElement("ClientID");
            if (m.idType() != null) {
                x.writeAttribute("IDType", m.idType().toString());
            }
            if (m.idFlag() != null) {
                x.writeAttribute("IDFlag", m.idFlag().toString());
            }
            x.writeCharacters(m.clientId().toString());
            x.writeEndElement();
        } else {
            leaf(x, "ClientID", ClientId.format(m.clientId()));
        }
        leaf(x, "ClientVersion", m.clientVersion());
        leaf(x, "NetBIOSName", m.netbiosName());
        leaf(x, "CodePage", m.codePage() == null ? null : m.codePage().toString());
        leaf(x, "SystemDefaultLCID", m.systemDefaultLcid() == null ? null : m.systemDefaultLcid().toString());
        leaf(x, "Priority", m.priority() == null ? null : m.priority().toString());
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("ReportDetails");
        leaf(x, "ReportContent", "State Message Data");
        leaf(x, "ReportType", report.reportType());
        Instant date = report.reportDate();
        leaf(x, "Date", date == null ? null : MessageTimes.formatCim(date));
        leaf(x, "Version", "1.0");
        leaf(x, "Format", "1.0");
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("ReportBody");
        for (StateMessage s : report.messages()) {
            x.writeStartElement("StateMessage");
            x.writeAttribute("MessageTime", MessageTimes.formatIso(s.messageTime()));
            if (s.hasSerial()) {
                x.writeAttribute("SerialNumber", Long.toString(s.serialNumber()));
            }
            x.writeEmptyElement("Topic");
            x.writeAttribute("ID", s.topicId());
            x.writeAttribute("Type", Integer.toString(s.topicType()));
            x.writeAttribute("IDType", Integer.toString(s.idType()));
            x.writeEmptyElement("State");
            x.writeAttribute("ID", Integer.toString(s.stateId()));
            x.writeAttribute("Criticality", Integer.toString(s.criticality()));
            if (s.stateDetails() != null) {
                x.writeStartElement("StateDetails");
                x.writeAttribute("Type", Integer.toString(s.stateDetails().type()));
                String data = s.stateDetails().data();
                if (data.contains("]]>")) {
                    x.writeCharacters(data); // a CDATA section cannot hold its own terminator
                } else {
                    x.writeCData(data);
                }
                x.writeEndElement();
            }
            if (!s.userParameters().isEmpty()) {
                x.writeStartElement("UserParameters");
                x.writeAttribute("Flags", "0");
                x.writeAttribute("Count", Integer.toString(s.userParameters().size()));
                for (String p : s.userParameters()) {
                    leaf(x, "Param", p);
                }
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        x.writeEndElement();
        x.writeEndElement();
    }

    private static void leaf(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
