package io.statesys.relay;

import io.quarkus.test.common.QuarkusTestResource;
import io.statesys.testing.FreshDatabase;

/** Every relay test run gets its own fresh database on the local Postgres. */
@QuarkusTestResource(value = FreshDatabase.class, restrictToAnnotatedClass = false)
public final class RelayTestDatabase {
    private RelayTestDatabase() {
    }
}
