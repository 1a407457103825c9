package io.statesys.resync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.statesys.service.error.ApiError;
import io.statesys.service.resync.IssuedResync;

/**
 * Payloads built into {@code Response} entities, which a native build cannot discover by itself (the
 * console's are {@code ConsoleReflection}'s).
 */
@RegisterForReflection(targets = {ApiError.class, IssuedResync.class,
        io.statesys.service.identity.ClientIdentity.View.class, io.statesys.service.identity.EnrolmentTokens.Created.class,
        io.statesys.service.identity.EnrolmentTokens.Listed.class, io.statesys.resync.retire.ClientRetirement.Retired.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
