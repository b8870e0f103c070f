-- Mini-chantiers (sprints), numbered per circle (#2). Days are ISO dates in the
-- circle's zone, both included. The flags make each scheduled message go out once,
-- even across restarts: a job reads them inside its transaction before acting.
CREATE TABLE sprints (
    circle_id     TEXT NOT NULL,
    number        INTEGER NOT NULL,
    name          TEXT NOT NULL,
    starts_on     TEXT NOT NULL,          -- YYYY-MM-DD
    ends_on       TEXT NOT NULL,          -- YYYY-MM-DD, included
    status        TEXT NOT NULL,          -- planned | active | closed
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,          -- ISO with offset
    announced     INTEGER NOT NULL DEFAULT 0,
    nudged        INTEGER NOT NULL DEFAULT 0,
    closed_at     TEXT,
    summary_json  TEXT,                   -- the summary as it stood at the close
    PRIMARY KEY (circle_id, number)
);

-- The stories a chantier takes, in the order they were added.
CREATE TABLE sprint_stories (
    circle_id      TEXT NOT NULL,
    sprint_number  INTEGER NOT NULL,
    story_number   INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (circle_id, sprint_number, story_number)
);
CREATE INDEX sprint_stories_by_story ON sprint_stories (circle_id, story_number);

-- Answers to a chantier's retrospective: the replies in its questions' thread.
CREATE TABLE sprint_retro_answers (
    event_id       TEXT PRIMARY KEY,
    circle_id      TEXT NOT NULL,
    sprint_number  INTEGER NOT NULL,
    author         TEXT NOT NULL,
    text           TEXT NOT NULL,
    answered_at    TEXT NOT NULL
);
CREATE INDEX sprint_retro_by_sprint ON sprint_retro_answers (circle_id, sprint_number);
