-- The monthly rendez-vous (the one-hour remote meeting): slots proposed, answers per slot, the
-- date chosen, reminders sent, who came; and members away (no ping reaches them until then).
CREATE TABLE rendezvous (
    circle_id        TEXT NOT NULL,
    number           INTEGER NOT NULL,
    proposed_by      TEXT,                  -- NULL when the circle's rule proposed it
    proposed_at      TEXT NOT NULL,
    status           TEXT NOT NULL,         -- open (answers come) | chosen | cancelled
    chosen_slot      INTEGER,
    starts_at        TEXT,                  -- the chosen slot, ISO with its offset
    duration_minutes INTEGER NOT NULL DEFAULT 60,
    link             TEXT,                  -- the visio link; NULL: it will follow
    reminded_day     INTEGER NOT NULL DEFAULT 0,
    reminded_hour    INTEGER NOT NULL DEFAULT 0,
    started          INTEGER NOT NULL DEFAULT 0,  -- « ça commence » posted
    PRIMARY KEY (circle_id, number)
);
CREATE UNIQUE INDEX one_open_rendezvous ON rendezvous (circle_id) WHERE status = 'open';

CREATE TABLE rendezvous_slots (
    circle_id  TEXT NOT NULL,
    number     INTEGER NOT NULL,
    slot       INTEGER NOT NULL,            -- 1..10, as numbered to people
    starts_at  TEXT NOT NULL,
    PRIMARY KEY (circle_id, number, slot)
);

-- A person's latest answer for each slot (yes | if_needed | no); an older one arriving late
-- (a poll response) never replaces a newer one.
CREATE TABLE rendezvous_answers (
    circle_id   TEXT NOT NULL,
    number      INTEGER NOT NULL,
    user_id     TEXT NOT NULL,
    slot        INTEGER NOT NULL,
    answer      TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    event_id    TEXT,
    PRIMARY KEY (circle_id, number, user_id, slot)
);

CREATE TABLE rendezvous_attendance (
    circle_id    TEXT NOT NULL,
    number       INTEGER NOT NULL,
    user_id      TEXT NOT NULL,
    structure    TEXT,                       -- her structure on that day
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (circle_id, number, user_id)
);

-- « !absent jusqu'au 15/1 »: until (a date, included) no reminder or ping reaches her.
CREATE TABLE absences (
    circle_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    until      TEXT,                         -- ISO date included; NULL: until « !absent fin »
    reason     TEXT,
    since      TEXT NOT NULL,
    PRIMARY KEY (circle_id, user_id)
);
