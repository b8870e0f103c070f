-- Threads and replies are matched to the bot's messages by event id (check-ins,
-- retrospectives, polls): look them up without scanning the outbox.
CREATE INDEX outbox_sent_event ON outbox (sent_event_id) WHERE sent_event_id IS NOT NULL;
CREATE INDEX outbox_purpose ON outbox (purpose) WHERE purpose IS NOT NULL;
