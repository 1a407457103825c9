-- The site's backups, as scripts/backup.sh records them after each one (pgBackRest's label, type,
-- times, sizes and WAL range). The processor's backup-age metric reads the newest, so an alert fires
-- when backups stop; a site restored from a backup holds the rows of the backups it came from.
CREATE TABLE site_backup (
    label           text        PRIMARY KEY,
    backup_type     text        NOT NULL CHECK (backup_type IN ('full', 'diff', 'incr')),
    started_at      timestamptz NOT NULL,
    completed_at    timestamptz NOT NULL,
    database_bytes  bigint      NOT NULL,
    stored_bytes    bigint      NOT NULL,
    wal_start       text        NOT NULL,
    wal_stop        text        NOT NULL
);
CREATE INDEX site_backup_completed ON site_backup (completed_at);
