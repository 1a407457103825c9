package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A resync request: the policy the relay serves a client until the loader processes the client's
 * resync-complete message (700/2) and sets {@code completedAt}.
 */
@Entity
@Table(name = "resync_request")
public class ResyncRequest extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "issued_at", nullable = false)
    public OffsetDateTime issuedAt;

    @Column(name = "first_issued_at", nullable = false)
    public OffsetDateTime firstIssuedAt;

    @Column(name = "reissue_count", nullable = false)
    public int reissueCount;

    @Column(nullable = false)
    public String reason;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;

    public static Uni<List<ResyncRequest>> outstanding(int limit) {
        return find("completedAt is null order by issuedAt").page(0, limit).list();
    }

    public static Uni<List<ResyncRequest>> outstandingFor(UUID client) {
        return list("clientId = ?1 and completedAt is null", client);
    }
}
