package io.statesys.processor.backup;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the site can be recovered, for the StatesysBackupOld and StatesysWalArchivingFailing
 * alerts: the age of its newest backup (as scripts/backup.sh records it in {@code site_backup}; -1
 * while there is none), whether WAL archiving is on, and whether it is failing (the archiver's last
 * failure is newer than its last success).
 */
@ApplicationScoped
public class BackupGauges {
    static final String SELECT = """
            SELECT coalesce(extract(epoch FROM now() - (SELECT max(completed_at) FROM site_backup))::bigint, -1) AS backup_age,
                   (a.last_failed_time IS NOT NULL
                    AND a.last_failed_time > coalesce(a.last_archived_time, '-infinity')) AS archiving_failing,
                   current_setting('archive_mode') <> 'off' AS archiving
            FROM pg_stat_archiver a""";

    private final Pool pool;
    private final AtomicLong backupAgeSeconds = new AtomicLong(-1);
    private final AtomicLong archivingFailing = new AtomicLong();
    private final AtomicLong archiving = new AtomicLong();

    public BackupGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        registry.gauge("statesys.backup.last.age.seconds", backupAgeSeconds);
        registry.gauge("statesys.wal.archiving.failing", archivingFailing);
        registry.gauge("statesys.wal.archiving", archiving);
    }

    @Scheduled(every = "60s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(SELECT).execute().invoke(rows -> {
            Row r = rows.iterator().next();
            backupAgeSeconds.set(r.getLong("backup_age"));
            archivingFailing.set(Boolean.TRUE.equals(r.getBoolean("archiving_failing")) ? 1 : 0);
            archiving.set(Boolean.TRUE.equals(r.getBoolean("archiving")) ? 1 : 0);
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
