-- Prioritisation votes, numbered per circle (#1). One open at a time per circle.
CREATE TABLE votes (
    circle_id        TEXT NOT NULL,
    number           INTEGER NOT NULL,
    kind             TEXT NOT NULL,          -- dots | scores
    points           INTEGER NOT NULL,
    candidates_json  TEXT NOT NULL,
    opened_by        TEXT NOT NULL,
    opened_at        TEXT NOT NULL,
    closes_at        TEXT NOT NULL,          -- ISO with offset
    status           TEXT NOT NULL,          -- open | closed
    closed_at        TEXT,
    results_json     TEXT,
    picture_state    TEXT,                   -- pending | sent | failed
    PRIMARY KEY (circle_id, number)
);
CREATE UNIQUE INDEX one_open_vote ON votes (circle_id) WHERE status = 'open';

-- Every ballot received, kept; the tally counts each person's latest.
CREATE TABLE ballots (
    event_id     TEXT PRIMARY KEY,
    circle_id    TEXT NOT NULL,
    vote_number  INTEGER NOT NULL,
    voter        TEXT NOT NULL,
    source       TEXT NOT NULL,              -- text | poll | dm
    points_json  TEXT,                       -- dots: {"12": 2, "7": 1}
    story        INTEGER,                    -- scores
    impact       INTEGER,
    cost         INTEGER,
    cast_at      TEXT NOT NULL
);
CREATE INDEX ballots_by_vote ON ballots (circle_id, vote_number);
