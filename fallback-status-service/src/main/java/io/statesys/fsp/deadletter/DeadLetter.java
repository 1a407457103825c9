package io.statesys.fsp.deadletter;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A report the relay refused (4xx), kept with the relay's answer for an operator to look at. */
@Entity
@Table(name = "fsp_dead_letter")
public class DeadLetter extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "netbios_name")
    public String netbiosName;

    @Column(name = "received_at", nullable = false)
    public OffsetDateTime receivedAt;

    @Column(name = "dead_at", nullable = false)
    public OffsetDateTime deadAt;

    @Column(name = "message_count", nullable = false)
    public int messageCount;

    @Column(name = "relay_status")
    public Integer relayStatus;

    @Column(name = "relay_answer")
    public String relayAnswer;
}
