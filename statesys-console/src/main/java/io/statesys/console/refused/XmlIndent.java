package io.statesys.console.refused;

/**
 * Indents XML text for reading without parsing it: a refused body may be malformed, or an entity
 * attack, so it is only split at its tags — nothing is resolved, expanded or fetched. A short text
 * stays on its element's line ({@code <State ID="2">text</State>}).
 */
final class XmlIndent {
    private XmlIndent() {
    }

    static String indent(String xml) {
        StringBuilder out = new StringBuilder(xml.length() + xml.length() / 4);
        int depth = 0;
        boolean afterOpen = false;
        boolean afterText = false;
        int i = 0;
        while (i < xml.length()) {
            int lt = xml.indexOf('<', i);
            String text = (lt < 0 ? xml.substring(i) : xml.substring(i, lt)).strip();
            if (!text.isEmpty()) {
                if (!afterOpen) {
                    newline(out, depth);
                }
                out.append(text);
                afterText = true;
                afterOpen = false;
            }
            if (lt < 0) {
                break;
            }
            int gt = tagEnd(xml, lt);
            String tag = xml.substring(lt, gt);
            if (tag.startsWith("</")) {
                depth = Math.max(0, depth - 1);
                if (!afterText && !afterOpen) {
                    newline(out, depth);
                }
                out.append(tag);
                afterOpen = false;
            } else {
                newline(out, depth).append(tag);
                afterOpen = !(tag.endsWith("/>") || tag.startsWith("<?") || tag.startsWith("<!"));
                if (afterOpen) {
                    depth++;
                }
            }
            afterText = false;
            i = gt;
        }
        return out.toString();
    }

    private static StringBuilder newline(StringBuilder out, int depth) {
        if (out.length() > 0) {
            out.append('\n');
        }
        return out.append("  ".repeat(Math.min(depth, 40)));
    }

    /** Past the tag at {@code lt}: its {@code >}, or the end of a CDATA section or comment. */
    private static int tagEnd(String xml, int lt) {
        String end = xml.startsWith("<![CDATA[", lt) ? "]]>" : xml.startsWith("<!--", lt) ? "-->" : ">";
        int e = xml.indexOf(end, lt + 1);
        return e < 0 ? xml.length() : e + end.length();
    }
}
