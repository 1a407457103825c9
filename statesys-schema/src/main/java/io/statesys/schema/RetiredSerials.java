package io.statesys.schema;

/**
 * Keeping a retired client's highest serial (V23), as the SQL both ways of retiring a client share:
 * the processor's retention and the resync service's retire endpoint.
 */
public final class RetiredSerials {
    /**
     * A CTE body: keeps the highest serial of every row of the statement's {@code retired} CTE
     * ({@code client_id, highest_serial}, the deleted statistics), the newest retirement winning.
     */
    public static final String KEEP = """
            INSERT INTO retired_serial AS f (client_id, highest_serial)
                SELECT client_id, highest_serial FROM retired WHERE highest_serial >= 0
                ON CONFLICT (client_id, site_code) DO UPDATE
                SET highest_serial = greatest(f.highest_serial, excluded.highest_serial), retired_at = now()""";

    /**
     * How long a retired client's highest serial is kept: twice the signature window, the longest a
     * replayed report can still be signed fresh (the loader honours it, retention prunes after it).
     */
    public static java.time.Duration keptFor(java.time.Duration signatureWindow) {
        return signatureWindow.multipliedBy(2);
    }

    private RetiredSerials() {
    }
}
