package io.statesys.core.codec;

import io.statesys.core.report.ClientId;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Instant;

/** Writes the report document exactly as a Configuration Manager client lays it out. */
public final class ReportWriter {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    private ReportWriter() {
    }

    public static byte[] write(Report report, XmlEncoding encoding) {
        // written as characters, then encoded in one pass: encoding each small write through an
        // OutputStreamWriter was a fifth of the simulator's CPU with UTF-16 reports
        StringWriter w = new StringWriter(512 + report.messages().size() * 300);
        w.write("<?xml version=\"1.0\" encoding=\"" + encoding.declared() + "\"?>\n");
        try {
            XMLStreamWriter x = FACTORY.createXMLStreamWriter(w);
            writeReport(x, report);
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write report", e);
        }
        byte[] text = w.toString().getBytes(encoding.charset());
        byte[] bom = encoding.bom();
        byte[] out = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, out, 0, bom.length);
        System.arraycopy(text, 0, out, bom.length, text.length);
        return out;
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
