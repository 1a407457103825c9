package io.statesys.processor;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.contract.DocumentedEndpoints;

@QuarkusTest
class ApiDocumentationTest extends DocumentedEndpoints {
    @Override
    protected String section() {
        return "## State processor (state-processor-service, port 8083)";
    }
}
