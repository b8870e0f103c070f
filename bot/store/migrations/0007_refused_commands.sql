-- A command that was refused (nothing changed) may be corrected by editing its message in
-- Element: the edit is then run as the command. Who sent it and in which thread are kept
-- so the edit can be checked (same sender) and answered in the same place.
ALTER TABLE processed_events ADD COLUMN sender TEXT;
ALTER TABLE processed_events ADD COLUMN thread_root TEXT;
ALTER TABLE processed_events ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
