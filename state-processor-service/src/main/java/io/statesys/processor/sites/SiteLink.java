package io.statesys.processor.sites;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configured link of this site: to a child (its processed data comes up) or to the parent (resync
 * orders come down). Names of the PostgreSQL objects are derived from the site codes, so every site
 * agrees on them without further settings.
 */
record SiteLink(String siteCode, String connection) {
    static final Pattern CODE = Pattern.compile("[A-Z0-9]{3}");

    /** At the parent: the subscription to a child's {@code statesys_up} publication (its slot at the child has the same name). */
    static String upSubscription(String child) {
        return "statesys_up_" + child.toLowerCase(Locale.ROOT);
    }

    /** At the parent: the row-filtered publication of {@code resync_order} for one child and its descendants. */
    static String downPublication(String child) {
        return "statesys_down_" + child.toLowerCase(Locale.ROOT);
    }

    /** At the child: the subscription to its parent's {@code statesys_down_<child>} (its slot at the parent has the same name). */
    static String downSubscription(String self) {
        return "statesys_down_" + self.toLowerCase(Locale.ROOT);
    }

    /** {@code statesys.site.children}: {@code CODE=postgresql://…} entries. */
    static List<SiteLink> children(Optional<List<String>> setting) {
        Map<String, SiteLink> out = new LinkedHashMap<>();
        for (String entry : setting.orElse(List.of())) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            String code = eq < 0 ? e : e.substring(0, eq).trim();
            if (!CODE.matcher(code).matches() || eq == e.length() - 1 || eq < 0) {
                throw new IllegalArgumentException("statesys.site.children: '" + code
                        + "' must be CODE=postgresql://user@host:port/database with a three-character capital code");
            }
            out.put(code, new SiteLink(code, e.substring(eq + 1).trim()));
        }
        return new ArrayList<>(out.values());
    }

    /** A SQL string literal (connection strings end up in CREATE SUBSCRIPTION, which takes no parameters). */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
