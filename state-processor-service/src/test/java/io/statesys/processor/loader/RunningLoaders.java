package io.statesys.processor.loader;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The loader as deployed: its own threads, woken by NOTIFY; small chunks so that loaders interleave. */
public class RunningLoaders implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("statesys.loader.auto-start", "true",
                "statesys.loader.threads", "4",
                "statesys.loader.chunk-size", "16",
                "statesys.inbox-polling-interval", "900s");
    }
}
