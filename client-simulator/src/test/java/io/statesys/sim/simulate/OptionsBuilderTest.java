package io.statesys.sim.simulate;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Named settings for a run: the simulate command's defaults, and a copy with some changed. */
class OptionsBuilderTest {
    @Test
    void aBuilderLeftAloneGivesTheSimulateCommandsDefaults() throws Exception {
        SimulateCommand cmd = new SimulateCommand();
        new picocli.CommandLine(cmd).parseArgs();
        Simulation.Options fromCommand = cmd.options();
        Simulation.Options built = Simulation.Options.builder().database(fromCommand.jdbc(), fromCommand.dbUser(), fromCommand.dbPassword())
                .enrolmentToken(fromCommand.enrolmentToken()).build();
        assertThat(built).isEqualTo(fromCommand);
    }

    @Test
    void aCopyChangesOnlyWhatItIsTold() {
        Simulation.Options o = Simulation.Options.builder().clients(50).scenario(Scenario.PATCH_TUESDAY).patchTuesday(10, 7)
                .faults(0.1, 0.2, 0.3).relay(URI.create("http://127.0.0.1:19081")).seed(7).rate(500).build();
        Simulation.Options w = o.toBuilder().clients(10).faults(0, 0, 0).audit(false).build();
        assertThat(w.clients()).isEqualTo(10);
        assertThat(w.drop() + w.duplicate() + w.reorder()).isZero();
        assertThat(w.audit()).isFalse();
        assertThat(w.toBuilder().clients(50).faults(0.1, 0.2, 0.3).audit(true).build()).isEqualTo(o);
        assertThat(o.interval()).isEqualTo(Duration.ofMinutes(15));
    }
}
