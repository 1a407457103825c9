package io.statesys.processor;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.HealthContract;

@QuarkusTest
class HealthTest extends HealthContract {
}
