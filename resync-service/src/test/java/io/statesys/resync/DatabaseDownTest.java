package io.statesys.resync;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.testing.contract.EveryEndpointWithoutDatabase;
import io.statesys.testing.contract.UnreachableDatabase;

/** The database is away: every endpoint answers 503 + Retry-After with the error JSON, and the service is not ready. */
@QuarkusTest
@TestProfile(UnreachableDatabase.class)
class DatabaseDownTest extends EveryEndpointWithoutDatabase {
    DatabaseDownTest() {
        super(4);
    }

    /**
     * The console's site view only asks the state processor (it answers, saying the processor does
     * not); its client search without a query has nothing to look up.
     */
    @Override
    protected java.util.Set<String> withoutDatabase() {
        return java.util.Set.of("GET /api/v1/console/sites", "GET /api/v1/console/clients");
    }
}
