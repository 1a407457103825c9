package io.statesys.core.report;

/** Topic types the system itself acts on (the rest are data, named by the catalog). */
public final class TopicTypes {
    /** RESYNC_STATE_MSG: state ID 2 means the client has resent its whole cache. */
    public static final int RESYNC = 700;
    public static final int RESYNC_COMPLETE_STATE = 2;
    /** Script/CMPivot results: sent without a serial number, the output in StateDetails. */
    public static final int SCRIPT_RESULT = 9003;

    private TopicTypes() {
    }
}
