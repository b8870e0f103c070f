-- People's data (RGPD). A message deleted (redacted) in Matrix withdraws what it carried, so
-- each row that came from a message keeps that message's event id (ballots, check-in and
-- retrospective answers, proposals and point polls already do).
ALTER TABLE stories ADD COLUMN source_event_id TEXT;
-- erased_at set: withdrawn by a redaction, its text erased, its number still taken.
ALTER TABLE stories ADD COLUMN erased_at TEXT;
ALTER TABLE blockers ADD COLUMN source_event_id TEXT;
ALTER TABLE blockers ADD COLUMN erased_at TEXT;
CREATE INDEX stories_by_source ON stories (source_event_id) WHERE source_event_id IS NOT NULL;
CREATE INDEX blockers_by_source ON blockers (source_event_id) WHERE source_event_id IS NOT NULL;

-- Ballots withdrawn by a redaction before the close, per vote: the status says how many.
CREATE TABLE withdrawn_ballots (
    event_id     TEXT PRIMARY KEY,
    circle_id    TEXT NOT NULL,
    vote_number  INTEGER NOT NULL,
    withdrawn_at TEXT NOT NULL
);

-- Members who would rather not be thanked by name in recaps and summaries.
CREATE TABLE thanks_declined (
    user_id   TEXT PRIMARY KEY,
    since     TEXT NOT NULL
);

-- A « !oublier » waiting for its « !oublier confirmer » (valid a short while).
CREATE TABLE forget_requests (
    user_id    TEXT PRIMARY KEY,
    asked_at   TEXT NOT NULL
);
