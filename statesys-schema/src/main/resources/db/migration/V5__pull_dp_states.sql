-- Topic type 902 (pull distribution point monitoring): its states, so a pull DP's report is not
-- shown as "Unknown". Kept equal to the 902 rows of statesys/state-names.csv by StateNameCatalogTest.
INSERT INTO state_name (topic_type, state_id, state_name) VALUES
    (902, 0, 'Pull distribution point state unknown'),
    (902, 1, 'Success'),
    (902, 2, 'Warning'),
    (902, 4, 'Failure'),
    (902, 8, 'Download started'),
    (902, 16, 'Download in progress'),
    (902, 32, 'Downloaded'),
    (902, 64, 'Canceled');
