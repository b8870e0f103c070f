-- The rhythm of each circle: its check-in rule (changed by !checkin planifier) and pause.
CREATE TABLE circle_rhythm (
    circle_id     TEXT PRIMARY KEY,
    checkin_rule  TEXT,                 -- MonthlyRule.key, e.g. '1st mon 10:00'; NULL: config
    paused        INTEGER NOT NULL DEFAULT 0,
    paused_until  TEXT                  -- ISO date included; NULL with paused=1: until resumed
);

-- Monthly check-ins, numbered per circle. Answers are the replies in their thread.
CREATE TABLE checkins (
    circle_id   TEXT NOT NULL,
    number      INTEGER NOT NULL,
    opened_at   TEXT NOT NULL,
    remind_at   TEXT NOT NULL,
    closes_at   TEXT NOT NULL,
    status      TEXT NOT NULL,          -- open | closed
    reminded    INTEGER NOT NULL DEFAULT 0,
    closed_at   TEXT,
    PRIMARY KEY (circle_id, number)
);
CREATE UNIQUE INDEX one_open_checkin ON checkins (circle_id) WHERE status = 'open';

CREATE TABLE checkin_answers (
    event_id    TEXT PRIMARY KEY,
    circle_id   TEXT NOT NULL,
    number      INTEGER NOT NULL,
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    answered_at TEXT NOT NULL
);

-- The last time each calendar job ran, so a restart never runs it twice.
CREATE TABLE job_runs (
    job_id   TEXT PRIMARY KEY,
    last_run TEXT NOT NULL
);

-- Monthly recaps posted (one per circle and month).
CREATE TABLE recaps (
    circle_id  TEXT NOT NULL,
    month      TEXT NOT NULL,           -- YYYY-MM
    posted_at  TEXT NOT NULL,
    PRIMARY KEY (circle_id, month)
);
