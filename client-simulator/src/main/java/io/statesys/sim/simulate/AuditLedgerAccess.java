package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a finished simulation delivered, per client (the benchmark copies the same rows). */
public final class AuditLedgerAccess {
    private AuditLedgerAccess() {
    }

    public static Map<UUID, List<StateMessage>> arrivals(Simulation simulation) {
        return simulation.ledger().arrivals;
    }
}
