-- Element Web shows every poll as single choice, so a dot vote of N points is offered as N
-- single-choice polls, one per point. A person's latest answer to each point poll is kept here;
-- together they make her poll ballot (stored in ballots like any other).
CREATE TABLE poll_points (
    circle_id    TEXT NOT NULL,
    vote_number  INTEGER NOT NULL,
    voter        TEXT NOT NULL,
    point        INTEGER NOT NULL,          -- 1..N: which point poll
    story        INTEGER,                   -- NULL: answer withdrawn
    event_id     TEXT NOT NULL,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (circle_id, vote_number, voter, point)
);
