package io.statesys.core.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StateNameCatalogTest {
    private final StateNameCatalog catalog = StateNameCatalog.standard();

    @Test
    void namesTheReferenceTableRows() {
        assertThat(catalog.nameOf(500, 2)).isEqualTo("Update is required");
        assertThat(catalog.nameOf(402, 10)).isEqualTo("Successfully installed update");
        assertThat(catalog.nameOf(301, 11)).isEqualTo("Waiting for third-party orchestrator to initiate installation");
        assertThat(catalog.nameOf(501, 6)).isEqualTo("Scan completed with errors");
    }

    @Test
    void containsEveryRowOfTheReferenceTable() {
        long referenceRows = catalog.rows().stream()
                .filter(r -> List.of(300, 301, 302, 400, 401, 402, 500, 501).contains(r.topicType()))
                .filter(r -> !(r.topicType() == 301 && r.stateId() == 12))
                .count();
        assertThat(referenceRows).isEqualTo(4 + 12 + 4 + 4 + 8 + 15 + 4 + 7);
    }

    @Test
    void resyncCompleteIsNamed() {
        assertThat(catalog.nameOf(700, 2)).isEqualTo("Resync complete");
    }

    @Test
    void aPullDistributionPointsStatesAreNamed() {
        assertThat(catalog.nameOf(902, 1)).isEqualTo("Success");
        assertThat(catalog.nameOf(902, 16)).isEqualTo("Download in progress");
        assertThat(catalog.nameOf(902, 64)).isEqualTo("Canceled");
    }

    @Test
    void applicationEnforcementStatesAreNamed() {
        assertThat(catalog.nameOf(1702, 1000)).isEqualTo("Succeeded");
        assertThat(catalog.nameOf(1702, 2001)).isEqualTo("Waiting for content");
        assertThat(catalog.nameOf(1702, 5002)).isEqualTo("Error installing");
    }

    @Test
    void unknownPairsAreNamedUnknown() {
        assertThat(catalog.nameOf(500, 99)).isEqualTo(StateNameCatalog.UNKNOWN);
        assertThat(catalog.isKnown(12345, 1)).isFalse();
    }
}
