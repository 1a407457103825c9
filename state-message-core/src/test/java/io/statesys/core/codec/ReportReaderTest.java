package io.statesys.core.codec;

import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportReaderTest {
    private final ReportReader reader = new ReportReader();
    private final String example = Samples.text("contract-example.xml");

    @Test
    void readsTheContractExampleSentAsUtf16WithBom() {
        Report r = reader.read(Samples.encoded(example, XmlEncoding.UTF_16LE, true));

        assertThat(r.clientId()).isEqualTo(UUID.fromString("2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71"));
        assertThat(r.machine().netbiosName()).isEqualTo("WKS-0042");
        assertThat(r.machine().codePage()).isEqualTo(437);
        assertThat(r.reportType()).isEqualTo("Full");
        assertThat(r.reportDate()).isEqualTo(Instant.parse("2026-11-24T10:15:00Z"));
        assertThat(r.messages()).containsExactly(new StateMessage(Instant.parse("2026-11-24T10:14:58Z"), 1043, 500,
                "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 2, 0, List.of("102")));
    }

    @ParameterizedTest
    @EnumSource(XmlEncoding.class)
    void readsEveryEncodingWithBom(XmlEncoding enc) {
        assertThat(reader.read(Samples.encoded(example, enc, true)).messages()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(XmlEncoding.class)
    void readsEveryEncodingWithoutBom(XmlEncoding enc) {
        assertThat(reader.read(Samples.encoded(example, enc, false)).messages().get(0).serialNumber()).isEqualTo(1043);
    }

    @Test
    void readsUtf16WhenTheBomSaysSoEvenIfTheDeclarationIsMissing() {
        String noDecl = example.substring(example.indexOf("<Report>"));
        byte[] bytes = Samples.encoded(noDecl, XmlEncoding.UTF_16BE, true);
        assertThat(reader.read(bytes).machine().netbiosName()).isEqualTo("WKS-0042");
    }

    @Test
    void refusesBytesThatAreNotValidInTheDeclaredEncoding() {
        byte[] latin1 = example.replace("UTF-16", "UTF-8").replace("WKS-0042", "WKS-\u00e9\u00e9")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> reader.read(latin1)).isInstanceOf(InvalidReportException.class);
    }

    @Test
    void acceptsCimMessageTimesWithMinuteOffsets() {
        String cim = example.replace("2026-11-24T10:14:58Z", "20261124121458.250000+120");
        StateMessage m = reader.read(cim.replace("UTF-16", "UTF-8").getBytes(StandardCharsets.UTF_8)).messages().get(0);
        assertThat(m.messageTime()).isEqualTo(Instant.parse("2026-11-24T10:14:58.250Z"));
    }

    @Test
    void acceptsIsoMessageTimesWithOffsets() {
        String iso = example.replace("2026-11-24T10:14:58Z", "2026-11-24T05:14:58-05:00");
        StateMessage m = reader.read(utf8(iso)).messages().get(0);
        assertThat(m.messageTime()).isEqualTo(Instant.parse("2026-11-24T10:14:58Z"));
    }

    @Test
    void clientIdIsCaseInsensitive() {
        String lower = example.replace("GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71", "guid:2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71");
        assertThat(reader.read(utf8(lower)).clientId()).isEqualTo(UUID.fromString("2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71"));
    }

    @Test
    void unknownElementsAndAttributesAreIgnored() {
        String extra = example.replace("<State ID=\"2\"", "<StateDetails Type=\"1\"><![CDATA[abc]]></StateDetails><State Foo=\"x\" ID=\"2\"")
                .replace("<CodePage>", "<Priority>5</Priority><CodePage>");
        assertThat(reader.read(utf8(extra)).messages().get(0).stateId()).isEqualTo(2);
    }

    @Test
    void criticalityDefaultsToZero() {
        String noCrit = example.replace(" Criticality=\"0\"", "");
        assertThat(reader.read(utf8(noCrit)).messages().get(0).criticality()).isZero();
    }

    @Test
    void errorNamesTheMessageAndAttributeThatIsMissing() {
        String three = example.replace("</ReportBody>", second(1044) + second(1045).replace(" MessageTime=", " Sent=") + "</ReportBody>");
        assertThatThrownBy(() -> reader.read(utf8(three)))
                .isInstanceOf(InvalidReportException.class)
                .hasMessage("StateMessage[3]/@MessageTime: missing");
    }

    @Test
    void aMessageWithoutSerialNumberIsAccepted() {
        String three = example.replace("</ReportBody>", second(1044) + second(-1).replace(" SerialNumber=\"-1\"", "") + "</ReportBody>");
        List<StateMessage> messages = reader.read(utf8(three)).messages();
        assertThat(messages).extracting(StateMessage::serialNumber).containsExactly(1043L, 1044L, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5", "99999999999999999999"})
    void malformedSerialNumbersAreRefused(String serial) {
        String bad = example.replace("SerialNumber=\"1043\"", "SerialNumber=\"" + serial + "\"");
        assertThatThrownBy(() -> reader.read(utf8(bad))).isInstanceOf(InvalidReportException.class)
                .hasMessageStartingWith("StateMessage[1]/@SerialNumber");
    }

    @Test
    void missingTopicTypeIsRefused() {
        assertThatThrownBy(() -> reader.read(utf8(example.replace(" Type=\"500\"", ""))))
                .hasMessage("StateMessage[1]/Topic/@Type: missing");
    }

    @Test
    void malformedClientIdIsRefused() {
        assertThatThrownBy(() -> reader.read(utf8(example.replace("GUID:2B6C1D4E", "GUID:XXXX1D4E"))))
                .hasMessageStartingWith("ReportHeader/Identification/Machine/ClientID: not GUID:<uuid>");
    }

    @Test
    void aReportWithoutMessagesIsRefused() {
        String empty = example.replaceAll("(?s)<ReportBody>.*</ReportBody>", "<ReportBody/>");
        assertThatThrownBy(() -> reader.read(utf8(empty))).hasMessage("ReportBody: no StateMessage");
    }

    @Test
    void malformedXmlNamesLineAndColumn() {
        assertThatThrownBy(() -> reader.read(utf8(example.replace("</Report>", "</Repor>"))))
                .isInstanceOf(InvalidReportException.class).hasMessageContaining("line ");
    }

    @Test
    void wrongRootIsRefused() {
        assertThatThrownBy(() -> reader.read(utf8("<?xml version=\"1.0\"?><Inventory/>")))
                .hasMessageContaining("expected <Report>");
    }

    @Test
    void billionLaughsIsRefusedWithoutExpansion() {
        assertThatThrownBy(() -> reader.read(utf8(Samples.text("billion-laughs.xml"))))
                .isInstanceOf(InvalidReportException.class).hasMessageContaining("DTD");
    }

    @Test
    void externalEntityIsRefusedWithoutReadingTheFile() {
        assertThatThrownBy(() -> reader.read(utf8(Samples.text("xxe-file.xml"))))
                .isInstanceOf(InvalidReportException.class)
                .hasMessageContaining("DTD")
                .hasMessageNotContaining("root:");
    }

    @Test
    void externalDtdIsRefused() {
        assertThatThrownBy(() -> reader.read(utf8(Samples.text("external-dtd.xml"))))
                .isInstanceOf(InvalidReportException.class).hasMessageContaining("DTD");
    }

    @Test
    void moreMessagesThanTheLimitIsTooLarge() {
        ReportReader small = new ReportReader(new ReportLimits(1 << 20, 2));
        String three = example.replace("</ReportBody>", second(1044) + second(1045) + "</ReportBody>");
        assertThatThrownBy(() -> small.read(utf8(three))).isInstanceOf(ReportTooLargeException.class);
    }

    @Test
    void readsTenThousandMessages() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 9_999; i++) {
            sb.append(second(2000 + i));
        }
        Report r = reader.read(utf8(example.replace("</ReportBody>", sb + "</ReportBody>")));
        assertThat(r.messages()).hasSize(10_000);
        assertThat(r.messages().get(9_999).serialNumber()).isEqualTo(2000 + 9_998);
    }

    private static String second(long serial) {
        return "<StateMessage MessageTime=\"2026-11-24T10:15:00Z\" SerialNumber=\"" + serial + "\">"
                + "<Topic ID=\"8f3a\" Type=\"402\" IDType=\"3\"/><State ID=\"10\" Criticality=\"0\"/></StateMessage>";
    }

    private static byte[] utf8(String xml) {
        return xml.replace("encoding=\"UTF-16\"", "encoding=\"UTF-8\"").getBytes(StandardCharsets.UTF_8);
    }
}
