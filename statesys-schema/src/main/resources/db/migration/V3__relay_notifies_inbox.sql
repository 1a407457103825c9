-- The relay now NOTIFYs the loaders itself, debounced (at most one NOTIFY per 20 ms per relay
-- instance, always after the commits it covers). A NOTIFY inside every inbox insert made each
-- commit take Postgres's global notify lock: about a quarter of the relay's throughput under load.
-- Anything else that fills the inbox (the drain benchmark, tests) sends its own NOTIFY.
DROP TRIGGER inbox_notify ON inbox;
DROP FUNCTION inbox_notify();
