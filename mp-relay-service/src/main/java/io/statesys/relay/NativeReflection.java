package io.statesys.relay;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.statesys.service.error.ApiError;
import io.statesys.relay.ingest.StateMessageResource;
import io.statesys.relay.policy.PolicyResource;

/** Payloads built into {@code Response} entities, which a native build cannot discover by itself. */
@RegisterForReflection(targets = {ApiError.class, StateMessageResource.Accepted.class, io.statesys.relay.registration.RegistrationResource.Registered.class, PolicyResource.Policy.class,
        PolicyResource.Resync.class, io.statesys.service.forwarding.ForwardedReports.class,
        io.statesys.service.forwarding.ForwardedReports.Entry.class, io.statesys.service.forwarding.ForwardedReports.Results.class,
        io.statesys.service.forwarding.ForwardedReports.Result.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
