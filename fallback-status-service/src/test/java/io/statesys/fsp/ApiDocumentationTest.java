package io.statesys.fsp;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.DocumentedEndpoints;

@QuarkusTest
class ApiDocumentationTest extends DocumentedEndpoints {
    @Override
    protected String section() {
        return "## Fallback status point (fallback-status-service, port 8082)";
    }
}
