package io.statesys.console.refused;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Refused bodies are indented for reading, never parsed: what they say is shown as they say it. */
class XmlIndentTest {
    @Test
    void elementsNestTwoSpacesAndShortTextStaysOnItsElementsLine() {
        assertThat(XmlIndent.indent("<?xml version=\"1.0\"?><Report><Header><ClientID>GUID:X</ClientID><Empty/><Pair></Pair></Header></Report>"))
                .isEqualTo("""
                        <?xml version="1.0"?>
                        <Report>
                          <Header>
                            <ClientID>GUID:X</ClientID>
                            <Empty/>
                            <Pair></Pair>
                          </Header>
                        </Report>""");
    }

    @Test
    void anEntityAttackIsShownNotExpanded() {
        String attack = "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;&b;</r>";
        String shown = XmlIndent.indent(attack);
        assertThat(shown).contains("&b;&b;").doesNotContain("aaaaaaaaaaaaaaaaaaaa");
        assertThat(shown.replace("\n", "").replace(" ", "")).isEqualTo(attack.replace(" ", ""));
    }

    @Test
    void cdataAndCommentsAreKeptWholeAndMalformedInputDoesNotThrow() {
        assertThat(XmlIndent.indent("<a><![CDATA[<not a tag>]]><!-- <b> --></a>")).contains("<![CDATA[<not a tag>]]>").contains("<!-- <b> -->");
        assertThat(XmlIndent.indent("<a><b>unclosed")).isEqualTo("<a>\n  <b>unclosed");
        assertThat(XmlIndent.indent("<a attr=\"x")).isEqualTo("<a attr=\"x");
        assertThat(XmlIndent.indent("not xml at all")).isEqualTo("not xml at all");
    }
}
