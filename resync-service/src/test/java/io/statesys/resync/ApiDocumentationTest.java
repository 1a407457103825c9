package io.statesys.resync;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.DocumentedEndpoints;

@QuarkusTest
class ApiDocumentationTest extends DocumentedEndpoints {
    @Override
    protected String section() {
        return "## Resync service (resync-service, port 8084)";
    }
}
