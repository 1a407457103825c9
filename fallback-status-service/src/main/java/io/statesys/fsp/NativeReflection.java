package io.statesys.fsp;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.statesys.core.intake.ApiError;
import io.statesys.fsp.deadletter.DeadLetterResource;
import io.statesys.fsp.intake.FspIntakeResource;

/** Payloads built into {@code Response} entities, which a native build cannot discover by itself. */
@RegisterForReflection(targets = {ApiError.class, FspIntakeResource.Queued.class, DeadLetterResource.Entry.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
