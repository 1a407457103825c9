package io.statesys.schema;

/** The Postgres NOTIFY channel on which the relay tells the loaders that reports were committed. */
public final class InboxChannel {
    public static final String NAME = "statesys_inbox";
    public static final String NOTIFY = "SELECT pg_notify('" + NAME + "', '')";

    private InboxChannel() {
    }
}
