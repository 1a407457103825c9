-- What a topic's Unknown breakdown needs of every client, counted by the console's sampler so that a
-- page view reads a few rows. The view used to read every client twice per request: to count the
-- site's clients and the silent ones, and to join the topic's clients to their statistics to learn
-- which of them are silent (a hash join over every statistics row, ~290 ms at 1,000,000 clients
-- here).
--
-- The silence snapshot, retaken every statesys.console.silence-interval in the sampler's
-- transaction (any reader sees both tables from the same snapshot): the site's clients by whole days
-- since last seen ({"0": n, "1": n, …}; 3650 holds everything older), so the clients silent for any
-- N days are a sum ...
CREATE TABLE console_silence (
    one        boolean     PRIMARY KEY DEFAULT true CHECK (one),
    taken_at   timestamptz NOT NULL,
    clients    bigint      NOT NULL,
    seen_days  jsonb       NOT NULL
);

-- ... and, per topic, its clients silent for a day or more by their whole days: a topic's clients
-- silent for N days are a sum over its rows (a few dozen).
CREATE TABLE console_topic_silence (
    topic_type integer          NOT NULL,
    topic_id   text COLLATE "C" NOT NULL,
    days       integer          NOT NULL,
    clients    bigint           NOT NULL,
    PRIMARY KEY (topic_type, topic_id, days)
);
