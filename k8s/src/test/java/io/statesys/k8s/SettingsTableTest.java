package io.statesys.k8s;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operating.md's settings table is the settings: one row per property of every module's
 * mapping, with its environment variable and its default — none missing, none invented.
 */
class SettingsTableTest {

    @Test
    void theSettingsTableHasOneRowPerSettingOfEveryModuleWithItsVariableAndDefault() throws Exception {
        Map<String, Settings.Setting> real = Settings.all();
        Map<String, String[]> rows = rows();
        assertThat(real).as("the settings the modules map").hasSizeGreaterThan(60);
        TreeSet<String> undocumented = new TreeSet<>(real.keySet());
        undocumented.removeAll(rows.keySet());
        TreeSet<String> invented = new TreeSet<>(rows.keySet());
        invented.removeAll(real.keySet());
        assertThat(undocumented).as("settings the table does not document").isEmpty();
        assertThat(invented).as("rows for settings no module has").isEmpty();
        List<String> wrong = new ArrayList<>();
        for (Settings.Setting s : real.values()) {
            String[] row = rows.get(s.property());
            if (!row[0].equals("`" + s.env() + "`")) {
                wrong.add(s.property() + ": variable " + row[0] + ", expected `" + s.env() + "`");
            }
            if (s.defaultValue() != null && !row[1].contains("`" + s.defaultValue() + "`")) {
                wrong.add(s.property() + ": default " + row[1] + ", expected `" + s.defaultValue() + "`");
            }
        }
        assertThat(wrong).as("rows that disagree with the mapping").isEmpty();
    }

    @Test
    void everyModuleThatHasSettingsOwnsItsMapping() throws Exception {
        assertThat(Settings.mappings()).extracting(Class::getSimpleName)
                .contains("StatesysConfig", "ProcessorConfig", "FspConfig", "ResyncConfig", "ConsoleConfig");
    }

    /** Property → {variable, default} from the "Settings" section's table. */
    private static Map<String, String[]> rows() throws Exception {
        String doc = Files.readString(Rendered.root().resolve("docs/operating.md"));
        String section = doc.substring(doc.indexOf("\n## Settings\n"), doc.indexOf("\n## ", doc.indexOf("\n## Settings\n") + 5));
        Map<String, String[]> rows = new TreeMap<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `statesys.")) {
                String[] cells = line.split("\\|");
                String property = cells[1].trim();
                assertThat(rows).as("rows for " + property).doesNotContainKey(property.replace("`", ""));
                rows.put(property.replace("`", ""), new String[] {cells[2].trim(), cells[3].trim()});
            }
        }
        return rows;
    }
}
