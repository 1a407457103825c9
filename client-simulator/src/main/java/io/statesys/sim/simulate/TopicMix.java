package io.statesys.sim.simulate;

import io.statesys.sim.bench.SyntheticReports;

import io.statesys.core.report.StateDetails;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The state changes a managed Windows client reports in an ordinary cycle: update detection (500)
 * and scan (501), update and assignment enforcement (402, 301), compliance (300, 401).
 */
final class TopicMix {
    record Change(int topicType, String topicId, int idType, int stateId, List<String> params) {
    }

    private static final int UPDATES = 200;

    private TopicMix() {
    }

    static String assignment(int n) {
        return "{" + new UUID(0x4a3f9d10c0de4e11L, n).toString().toUpperCase() + "}";
    }

    /** A script's id, as the console names a CMPivot query or a script run. */
    static String script(int n) {
        return new UUID(0x9003L, n).toString();
    }

    /**
     * A script result's output: base64 of a small UTF-16 XML document, as clients send CMPivot
     * results (real ones can exceed 80 KB; these stay small so they do not dominate a load run).
     */
    static StateDetails scriptOutput(Random r) {
        StringBuilder xml = new StringBuilder("<result>");
        int rows = 1 + r.nextInt(8);
        for (int i = 0; i < rows; i++) {
            xml.append("<e Device=\"WKS\" Value=\"").append(r.nextInt(1_000_000)).append("\"/>");
        }
        xml.append("</result>");
        return new StateDetails(1, Base64.getEncoder().encodeToString(xml.toString().getBytes(StandardCharsets.UTF_16LE)));
    }

    static Change ordinary(Random r) {
        int kind = r.nextInt(100);
        if (kind < 40) {
            return new Change(500, SyntheticReports.updateId(r.nextInt(UPDATES)), 3, 1 + r.nextInt(3), List.of("102"));
        }
        if (kind < 50) {
            return new Change(501, "{" + new UUID(0x5ca2L, 1).toString().toUpperCase() + "}", 2, 2 + r.nextInt(2), List.of());
        }
        if (kind < 75) {
            return new Change(402, SyntheticReports.updateId(r.nextInt(UPDATES)), 3, new int[] {7, 8, 10, 10, 10, 11}[r.nextInt(6)], List.of());
        }
        if (kind < 85) {
            return new Change(301, assignment(r.nextInt(20)), 2, new int[] {1, 4, 5, 6}[r.nextInt(4)], List.of());
        }
        if (kind < 93) {
            return new Change(300, assignment(r.nextInt(20)), 2, 1 + r.nextInt(2), List.of());
        }
        return new Change(401, assignment(100 + r.nextInt(20)), 1, 1 + r.nextInt(2), List.of());
    }
}
