-- Members' structures (associations), per circle.
CREATE TABLE memberships (
    circle_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    structure  TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     TEXT NOT NULL,
    PRIMARY KEY (circle_id, user_id)
);

-- Usage stories, numbered per circle (#12).
CREATE TABLE stories (
    circle_id         TEXT NOT NULL,
    number            INTEGER NOT NULL,
    author            TEXT NOT NULL,
    structure         TEXT,
    text              TEXT NOT NULL,
    role              TEXT NOT NULL,
    need              TEXT NOT NULL,
    benefit           TEXT NOT NULL,
    need_connector    TEXT NOT NULL,
    benefit_connector TEXT NOT NULL,
    themes_json       TEXT NOT NULL DEFAULT '[]',
    status            TEXT NOT NULL,
    porteur           TEXT,
    blocker_number    INTEGER,
    created_at        TEXT NOT NULL,
    edited_at         TEXT,
    done_at           TEXT,
    PRIMARY KEY (circle_id, number)
);

-- Obstacles (« freins »), numbered per circle (#4).
CREATE TABLE blockers (
    circle_id     TEXT NOT NULL,
    number        INTEGER NOT NULL,
    author        TEXT NOT NULL,
    text          TEXT NOT NULL,
    themes_json   TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL,
    story_number  INTEGER,
    PRIMARY KEY (circle_id, number)
);

-- A story written freely in chat, waiting for its author's ✅.
CREATE TABLE story_proposals (
    source_event_id TEXT PRIMARY KEY,
    circle_id       TEXT NOT NULL,
    author          TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    story_number    INTEGER          -- set once recorded
);

-- Guided dialogues (!histoire alone): one per thread, survives restarts.
CREATE TABLE story_dialogues (
    thread_root  TEXT PRIMARY KEY,    -- the !histoire message; the dialogue lives in its thread
    circle_id    TEXT NOT NULL,
    author       TEXT NOT NULL,
    step         TEXT NOT NULL,       -- role, need, benefit, confirm, done, cancelled
    role         TEXT,
    need         TEXT,
    benefit      TEXT,
    need_connector    TEXT,
    benefit_connector TEXT,
    started_at   TEXT NOT NULL
);
