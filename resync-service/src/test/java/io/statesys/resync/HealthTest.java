package io.statesys.resync;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.HealthContract;

@QuarkusTest
class HealthTest extends HealthContract {
}
