package io.statesys.resync;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Health, metrics and OpenAPI of the packaged executable (run with -Dnative: the native one). */
@QuarkusIntegrationTest
class NativeHealthIT extends HealthTest {
}
