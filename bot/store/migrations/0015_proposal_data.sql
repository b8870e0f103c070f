-- People's data for proposals. The message that gave each round its text (``!proposition …``
-- or ``!proposition modifier …``): deleting it before the close withdraws the proposal
-- (status ``retiree``, every round's text erased, its number still taken).
ALTER TABLE proposal_rounds ADD COLUMN source_event_id TEXT;
CREATE INDEX proposal_rounds_by_source ON proposal_rounds (source_event_id)
    WHERE source_event_id IS NOT NULL;

-- Answers withdrawn by a redaction before the close (the answer row is deleted), per round:
-- the status says how many.
CREATE TABLE withdrawn_proposal_answers (
    event_id     TEXT PRIMARY KEY,
    circle_id    TEXT NOT NULL,
    number       INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    withdrawn_at TEXT NOT NULL
);
