-- Circles: one row per Matrix room the bot serves.
CREATE TABLE circles (
    room_id      TEXT PRIMARY KEY,
    joined_at_ms INTEGER NOT NULL,          -- events older than this are never answered
    invited_by   TEXT NOT NULL,
    language     TEXT,                      -- NULL: the configured default
    timezone     TEXT,
    created_at   TEXT NOT NULL
);

-- Direct chats accepted from members (secret ballots, private questions).
CREATE TABLE direct_rooms (
    room_id      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    joined_at_ms INTEGER NOT NULL
);

-- Every incoming event handled, by id: nothing is processed twice.
CREATE TABLE processed_events (
    event_id     TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL,
    processed_at TEXT NOT NULL
);

-- Replies decided inside a transaction, sent after it commits. The txn_id is
-- reused on every retry, so the homeserver keeps one event even if we resend.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id      TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    content_json TEXT NOT NULL,
    txn_id       TEXT NOT NULL UNIQUE,
    purpose      TEXT,                      -- e.g. 'vote-status:3' to remember the event id
    created_at   TEXT NOT NULL,
    sent_event_id TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_event_id) WHERE sent_event_id IS NULL;

-- Small facts about the bot itself (e.g. first sync done).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
