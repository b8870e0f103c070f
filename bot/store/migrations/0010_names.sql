-- The names people see in Element, kept so that the offline export (python -m bot export)
-- can title a circle's memory with the room's name and credit people by display name.
-- Names of members who left are kept: their stories still carry their name.
CREATE TABLE room_names (
    room_id    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE member_names (
    room_id      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
