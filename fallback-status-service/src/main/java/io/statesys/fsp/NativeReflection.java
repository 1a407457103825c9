package io.statesys.fsp;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.statesys.service.error.ApiError;
import io.statesys.fsp.deadletter.DeadLetterResource;
import io.statesys.fsp.intake.FspIntakeResource;

/** Payloads built into {@code Response} entities, which a native build cannot discover by itself. */
@RegisterForReflection(targets = {io.statesys.fsp.deadletter.DeadLetterActions.Outcome.class, io.statesys.service.forwarding.ForwardedReports.class,
        io.statesys.service.forwarding.ForwardedReports.Entry.class, io.statesys.service.forwarding.ForwardedReports.Results.class,
        io.statesys.service.forwarding.ForwardedReports.Result.class, ApiError.class, FspIntakeResource.Enqueued.class, DeadLetterResource.Entry.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
