package io.statesys.core.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of (topic type, state ID) pairs. Unknown pairs are not errors: they are stored as sent and
 * named {@value #UNKNOWN}. The rows come from {@code statesys/state-names.csv}, the same rows the
 * V2 migration puts in {@code state_name}.
 */
public final class StateNameCatalog {
    public static final String UNKNOWN = "Unknown";
    private static final String RESOURCE = "statesys/state-names.csv";
    private static final StateNameCatalog STANDARD = load();

    private final List<StateName> rows;
    private final Map<Long, String> byKey;

    private StateNameCatalog(List<StateName> rows) {
        this.rows = Collections.unmodifiableList(rows);
        this.byKey = new HashMap<>(rows.size() * 2);
        for (StateName r : rows) {
            byKey.put(key(r.topicType(), r.stateId()), r.stateName());
        }
    }

    public static StateNameCatalog standard() {
        return STANDARD;
    }

    public String nameOf(int topicType, int stateId) {
        return byKey.getOrDefault(key(topicType, stateId), UNKNOWN);
    }

    public boolean isKnown(int topicType, int stateId) {
        return byKey.containsKey(key(topicType, stateId));
    }

    public List<StateName> rows() {
        return rows;
    }

    private static long key(int topicType, int stateId) {
        return ((long) topicType << 32) | (stateId & 0xFFFFFFFFL);
    }

    private static StateNameCatalog load() {
        InputStream in = StateNameCatalog.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCE);
        }
        List<StateName> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", 3);
                rows.add(new StateName(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()), f[2].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StateNameCatalog(rows);
    }
}
