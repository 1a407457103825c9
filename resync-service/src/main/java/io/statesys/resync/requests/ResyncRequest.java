package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A resync request: the policy the relay serves a client until the loader processes the client's
 * resync-complete message (700/2) and sets {@code completedAt}. Read here, written by SQL
 * ({@code force_resync}, the resync check): ids are unique per site only, and a parent holds its
 * descendants' requests too, so the key is (site, id).
 */
@Entity
@Table(name = "resync_request")
@IdClass(ResyncRequest.Key.class)
public class ResyncRequest extends PanacheEntityBase {
    @Id
    @Column(name = "site_code")
    public String siteCode;

    @Id
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

    public static class Key implements Serializable {
        public String siteCode;
        public Long id;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(siteCode, k.siteCode) && Objects.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(siteCode, id);
        }
    }

    public static Uni<List<ResyncRequest>> outstanding(int limit) {
        return find("completedAt is null order by issuedAt").page(0, limit).list();
    }

    public static Uni<List<ResyncRequest>> outstandingFor(UUID client) {
        return list("clientId = ?1 and completedAt is null", client);
    }
}
