-- When the site's database was restored from a backup (scripts/backup.sh restore writes the row; after
-- another kind of restore an operator does: docs/operating.md). A client the restored site first hears
-- from after that may have sent messages the restore took away before any of its messages the site
-- kept — no gap can show them, since a client's first serial at a site is its baseline — so the resync
-- check asks such a client once to resend (statesys.resync.restore-window).
CREATE TABLE site_restore (
    restored_at    timestamptz NOT NULL DEFAULT now() PRIMARY KEY,
    restore_point  timestamptz,
    backup_label   text
);
