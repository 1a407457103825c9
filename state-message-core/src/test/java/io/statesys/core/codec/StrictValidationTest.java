package io.statesys.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a loose reader let through (issue 12, item 4): each is a 400 naming the field. */
class StrictValidationTest {
    private final ReportReader reader = new ReportReader();
    private final String example = Samples.text("contract-example.xml");

    private void refused(String xml, String message) {
        assertThatThrownBy(() -> reader.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class).hasMessage(message);
    }

    @Test
    void aBodyDeclaredInAnotherCharsetIsRefused() {
        byte[] latin1 = example.replace("encoding=\"UTF-16\"", "encoding=\"ISO-8859-1\"").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> reader.read(latin1)).isInstanceOf(InvalidReportException.class)
                .hasMessage("XML declaration: encoding 'ISO-8859-1' is not UTF-8 or UTF-16");
    }

    @Test
    void aBodyWithoutDeclarationIsReadAsUtf8() {
        String noDecl = example.substring(example.indexOf("<Report>"));
        assertThat(reader.read(noDecl.getBytes(StandardCharsets.UTF_8)).messages()).hasSize(1);
    }

    @Test
    void twoClientIdsAreRefused() {
        refused(example.replace("<ClientVersion>", "<ClientID>GUID:00000000-0000-0000-0000-000000000001</ClientID><ClientVersion>"),
                "ReportHeader/Identification/Machine/ClientID: more than one");
    }

    /** The parser itself refuses it, now that the document is read to its end. */
    @Test
    void anElementAfterTheRootIsRefused() {
        assertThatThrownBy(() -> reader.read(Samples.encoded(example.trim() + "<Report/>", XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class).hasMessageContaining("following the root element");
    }

    @Test
    void textAfterTheRootIsRefused() {
        assertThatThrownBy(() -> reader.read(Samples.encoded(example.trim() + "trailing", XmlEncoding.UTF_16LE, true)))
                .isInstanceOf(InvalidReportException.class);
    }

    @Test
    void whitespaceAndCommentsAfterTheRootAreFine() {
        assertThat(reader.read(Samples.encoded(example.trim() + "\n<!-- sent by ccmexec -->\n", XmlEncoding.UTF_16LE, true))
                .messages()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999", "-1", "256"})
    void aCriticalityOutsideItsRangeIsRefused(String criticality) {
        refused(example.replace("Criticality=\"0\"", "Criticality=\"" + criticality + "\""),
                "StateMessage[1]/State/@Criticality: outside 0..255: " + criticality);
    }

    @Test
    void aCountThatDisagreesWithTheParamsIsRefused() {
        refused(example.replace("Count=\"1\"", "Count=\"3\""), "StateMessage[1]/UserParameters/@Count: says 3 but 1 Param follow");
    }

    @Test
    void anOversizedNetbiosNameIsRefused() {
        refused(example.replace("WKS-0042", "W".repeat(100_000)),
                "ReportHeader/Identification/Machine/NetBIOSName: longer than 256 characters (100000)");
    }

    @Test
    void anOversizedParamIsRefusedByPosition() {
        refused(example.replace("<Param>102</Param>", "<Param>" + "p".repeat(500_000) + "</Param>"),
                "StateMessage[1]/UserParameters/Param[1]: longer than 8192 characters (500000)");
    }

    @Test
    void theLimitsAreSettings() {
        ReportReader generous = new ReportReader(new ReportLimits(8L << 20, 10_000, 256, 600_000));
        String xml = example.replace("<Param>102</Param>", "<Param>" + "p".repeat(500_000) + "</Param>");
        assertThat(generous.read(Samples.encoded(xml, XmlEncoding.UTF_16LE, true)).messages().get(0).userParameters().get(0))
                .hasSize(500_000);
    }
}
