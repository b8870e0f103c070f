-- People's data for proposals. The message that opened a proposal: deleting it before the
-- close withdraws the proposal (status ``retiree``, its texts erased, its number taken).
ALTER TABLE proposals ADD COLUMN source_event_id TEXT;
CREATE INDEX proposals_by_source ON proposals (source_event_id) WHERE source_event_id IS NOT NULL;

-- Answers withdrawn by a redaction before the close (the answer row is deleted), per round:
-- the status says how many.
CREATE TABLE withdrawn_proposal_answers (
    event_id     TEXT PRIMARY KEY,
    circle_id    TEXT NOT NULL,
    number       INTEGER NOT NULL,
    round        INTEGER NOT NULL,
    withdrawn_at TEXT NOT NULL
);
