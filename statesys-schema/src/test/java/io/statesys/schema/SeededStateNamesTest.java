package io.statesys.schema;

import io.statesys.core.catalog.StateName;
import io.statesys.core.catalog.StateNameCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The state names the schema seeds are the catalog's, row for row (the CSV the services name states from). */
class SeededStateNamesTest {
    private final StateNameCatalog catalog = StateNameCatalog.standard();

    @Test
    void theMigrationsSeedExactlyTheCatalogRows() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String migration : new String[] {"V2__state_names.sql", "V5__pull_dp_states.sql", "V7__documented_states.sql"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/" + migration)) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        String sql = all.toString();
        Matcher m = Pattern.compile("\\((-?\\d+), (-?\\d+), '((?:[^']|'')*)'\\)").matcher(sql);
        List<StateName> seeded = new ArrayList<>();
        while (m.find()) {
            seeded.add(new StateName(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3).replace("''", "'")));
        }
        assertThat(seeded).containsExactlyElementsOf(catalog.rows());
    }
}
