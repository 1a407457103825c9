package io.statesys.resync;

import io.quarkus.test.common.QuarkusTestResource;
import io.statesys.testing.FreshDatabase;

/** Every test run gets its own fresh database on the local Postgres. */
@QuarkusTestResource(value = FreshDatabase.class, restrictToAnnotatedClass = false)
public final class ResyncTestDatabase {
    private ResyncTestDatabase() {
    }
}
