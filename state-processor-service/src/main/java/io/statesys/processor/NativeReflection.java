package io.statesys.processor;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.statesys.core.catalog.StateName;
import io.statesys.service.error.ApiError;

/** Payloads built into {@code Response} entities or lists, which a native build cannot discover by itself. */
@RegisterForReflection(targets = {ApiError.class, StateName.class, io.statesys.processor.sites.SiteDirectory.Site.class,
        io.statesys.processor.invalid.InvalidRecords.Entry.class, io.statesys.processor.invalid.InvalidRecords.Requeued.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
