package io.statesys.processor;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The 503 path of the packaged executable: every endpoint with the database away. */
@QuarkusIntegrationTest
class NativeDatabaseDownIT extends DatabaseDownTest {
}
