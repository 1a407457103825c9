package io.statesys.core.catalog;

/** One row of the state-name catalog (v_StateNames). */
public record StateName(int topicType, int stateId, String stateName) {
}
