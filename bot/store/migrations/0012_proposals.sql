-- Proposals decided by consent, numbered per circle (#1). An amendment opens a new round:
-- ``text`` and ``round`` are the current ones, earlier texts stay in proposal_rounds.
CREATE TABLE proposals (
    circle_id     TEXT NOT NULL,
    number        INTEGER NOT NULL,
    author        TEXT NOT NULL,
    text          TEXT NOT NULL,
    round         INTEGER NOT NULL,
    stories_json  TEXT NOT NULL,            -- stories the current text cites: [12, 3]
    opened_at     TEXT NOT NULL,
    closes_at     TEXT NOT NULL,            -- ISO with offset
    status        TEXT NOT NULL,            -- open | adoptee | a_retravailler | bloquee | sans_quorum
    closed_at     TEXT,
    closed_by     TEXT,                     -- NULL: closed at the deadline
    PRIMARY KEY (circle_id, number)
);
CREATE INDEX open_proposals ON proposals (status);

-- Each round's text, kept as history.
CREATE TABLE proposal_rounds (
    circle_id   TEXT NOT NULL,
    number      INTEGER NOT NULL,
    round       INTEGER NOT NULL,
    text        TEXT NOT NULL,
    opened_by   TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    PRIMARY KEY (circle_id, number, round)
);

-- Every answer received, kept; a person's latest in the current round counts. An objection
-- chosen in a poll arrives with reason NULL and counts once its reason is given.
CREATE TABLE proposal_answers (
    event_id     TEXT PRIMARY KEY,
    circle_id    TEXT NOT NULL,
    number       INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    member       TEXT NOT NULL,
    answer       TEXT NOT NULL,             -- accord | abstention | objection | blocage
    reason       TEXT,
    source       TEXT NOT NULL,             -- text | poll | thread
    answered_at  TEXT NOT NULL
);
CREATE INDEX proposal_answers_by_round ON proposal_answers (circle_id, number, round);
