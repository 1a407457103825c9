package io.statesys.core.contract;

/**
 * Routes of the external contract (docs/api.md) that more than one module names: the services that
 * serve them, the clients and benchmarks that call them, and the filters keyed by them. One
 * constant each, so renaming a route cannot leave a second spelling behind.
 */
public final class ContractPaths {
    /** Where clients POST state-message reports: the relay's ingress, and the FSP's for clients that cannot reach it. */
    public static final String STATE_MESSAGES = "/api/v1/statemessages";

    private ContractPaths() {
    }
}
