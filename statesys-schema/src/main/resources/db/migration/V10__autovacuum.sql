-- What keeps the churning tables healthy under a backlog (docs/benchmarks.md, "Backlog";
-- README, "Operating Statesys"). Server-wide autovacuum must be on; these per-table settings only
-- change when and how fast it works on the tables Statesys churns.

-- Queues: every row is inserted once and deleted within seconds to hours. Vacuum by dead-row count,
-- not by a share of a table whose live size swings from nothing to millions, and without the cost
-- delay: a queue vacuum that sleeps lets the loaders' index scans wade through dead entries.
ALTER TABLE inbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                       autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0,
                       autovacuum_analyze_threshold = 50000);
ALTER TABLE fsp_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                           autovacuum_vacuum_cost_delay = 0);
ALTER TABLE fsp_signed_report SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
                                   autovacuum_vacuum_cost_delay = 0);

-- Latest state: tens of millions of rows, updated in bursts. The default (20 % of the table dead
-- before a vacuum) lets a 20 M-row table carry 4 M dead rows; 2 % keeps it near its live size.
-- Room on each page lets an update that keeps the state (a newer message time or serial) stay on
-- its page without touching the indexes (a HOT update).
ALTER TABLE topic_state SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.02,
                             autovacuum_analyze_scale_factor = 0.05);

-- Per-client statistics: one small row per client, rewritten by every chunk that holds a message of
-- that client, and only its key is indexed, so with free room on the page every update is HOT.
ALTER TABLE client_message_stats SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02);
