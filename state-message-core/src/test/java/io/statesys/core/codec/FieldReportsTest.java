package io.statesys.core.codec;

import io.statesys.core.report.Report;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reports shaped as real clients and site systems send them (docs/api.md, "The report"), read from UTF-16. */
class FieldReportsTest {
    private final ReportReader reader = new ReportReader();

    private Report read(String sample) {
        return reader.read(Samples.encoded(Samples.text(sample), XmlEncoding.UTF_16LE, true));
    }

    @Test
    void aScriptResultWithoutSerialNumberIsReadWithItsStateDetailsVerbatim() {
        Report r = read("cmpivot-result.xml");

        StateMessage m = r.messages().get(0);
        assertThat(m.hasSerial()).isFalse();
        assertThat(m.serialNumber()).isNull();
        assertThat(m.topicType()).isEqualTo(9003);
        assertThat(m.stateDetails().type()).isEqualTo(1);
        String decoded = new String(Base64.getDecoder().decode(m.stateDetails().data()), StandardCharsets.UTF_16);
        assertThat(decoded).startsWith("<?xml version=\"1.0\" encoding=\"UTF-16\"?><result>");
        assertThat(r.machine().priority()).isEqualTo(5);
        assertThat(r.priority()).isEqualTo(5);
    }

    @Test
    void aPullDistributionPointIsReadAsTheSameIdentityAndStaysASiteSystem() {
        Report r = read("pull-dp-status.xml");

        assertThat(r.clientId()).isEqualTo(UUID.fromString("4b1d2c3e-5f60-4718-9a2b-3c4d5e6f7a8b"));
        assertThat(r.machine().clientInstalled()).isZero();
        assertThat(r.machine().idType()).isZero();
        assertThat(r.machine().idFlag()).isEqualTo(1);
        assertThat(r.machine().sender().isSiteSystem()).isTrue();
        assertThat(r.messages().get(0).topicType()).isEqualTo(902);
        assertThat(r.priority()).isZero();
    }

    @Test
    void anUpdateReportWithPriorityAndUserAttributesIsRead() {
        Report r = read("update-priority-5.xml");

        assertThat(r.priority()).isEqualTo(5);
        assertThat(r.machine().sender().isSiteSystem()).isFalse();
        assertThat(r.messages().get(0).serialNumber()).isEqualTo(232L);
        assertThat(r.messages().get(0).userParameters()).containsExactly("200");
    }

    @Test
    void stateDetailsOverEightyKilobytesAreKeptWhole() {
        String big = "A".repeat(100 * 1024) + "==";
        String xml = Samples.text("cmpivot-result.xml").replaceFirst("<!\\[CDATA\\[[^]]*]]>", "<![CDATA[" + big + "]]>");
        StateMessage m = reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)).messages().get(0);
        assertThat(m.stateDetails()).isEqualTo(new StateDetails(1, big));
    }

    @Test
    void stateDetailsAsPlainTextKeepTheirWhitespace() {
        String xml = Samples.text("cmpivot-result.xml").replaceFirst("<!\\[CDATA\\[[^]]*]]>", "  a &amp; b\n ");
        StateMessage m = reader.read(Samples.encoded(xml, XmlEncoding.UTF_8, false)).messages().get(0);
        assertThat(m.stateDetails().data()).isEqualTo("  a & b\n ");
    }

    @Test
    void twoStateDetailsInOneMessageAreRefused() {
        String xml = Samples.text("cmpivot-result.xml").replace("</StateMessage>", "<StateDetails Type=\"1\">x</StateDetails></StateMessage>");
        assertThatThrownBy(() -> reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class).hasMessage("StateMessage[1]/StateDetails: more than one");
    }

    @Test
    void stateDetailsWithoutATypeAreRefused() {
        String xml = Samples.text("cmpivot-result.xml").replace("<StateDetails Type=\"1\">", "<StateDetails>");
        assertThatThrownBy(() -> reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class).hasMessage("StateMessage[1]/StateDetails/@Type: missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "256", "five", "+5", "\u0665"})
    void aPriorityOutsideItsRangeOrNotAnIntegerIsRefused(String priority) {
        String xml = Samples.text("update-priority-5.xml").replace("<Priority>5</Priority>", "<Priority>" + priority + "</Priority>");
        assertThatThrownBy(() -> reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class)
                .hasMessageStartingWith("ReportHeader/Identification/Machine/Priority: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1043", "\u0661\u0660\u0664\u0663", " 1043x"})
    void serialNumbersAreAsciiDigitsOnly(String serial) {
        String xml = Samples.text("contract-example.xml").replace("SerialNumber=\"1043\"", "SerialNumber=\"" + serial + "\"");
        assertThatThrownBy(() -> reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class).hasMessageStartingWith("StateMessage[1]/@SerialNumber: not a 64-bit integer");
    }

    @Test
    void whatTheWriterWritesOfAFieldReportReadsBackEqual() {
        for (String sample : new String[] {"cmpivot-result.xml", "pull-dp-status.xml", "update-priority-5.xml"}) {
            Report r = read(sample);
            assertThat(reader.read(ReportWriter.write(r, XmlEncoding.UTF_16LE))).as(sample).isEqualTo(r);
        }
    }
}
