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
}
