package io.statesys.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.DocumentedEndpoints;

@QuarkusTest
class ApiDocumentationTest extends DocumentedEndpoints {
    @Override
    protected String section() {
        return "## Relay (mp-relay-service, port 8081)";
    }
}
