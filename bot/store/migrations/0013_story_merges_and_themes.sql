-- Issue 12: similar stories merged, suggested themes remembered.

-- A story merged into another (« !histoire fusionner 9 4 »): the merged one is withdrawn,
-- this row says where it went, who merged it, and what happened to its running vote.
CREATE TABLE story_merges (
    circle_id    TEXT NOT NULL,
    merged       INTEGER NOT NULL,       -- the story withdrawn (9)
    into_story   INTEGER NOT NULL,       -- the story kept (4)
    merged_by    TEXT NOT NULL,
    merged_at    TEXT NOT NULL,
    PRIMARY KEY (circle_id, merged)
);

-- Authors of a story besides the one who wrote it: the authors of stories merged into it.
CREATE TABLE story_coauthors (
    circle_id     TEXT NOT NULL,
    story_number  INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    PRIMARY KEY (circle_id, story_number, user_id)
);

-- The last groups « !themes » showed in a circle, so that « !themes appliquer 2 » applies
-- what was shown: [{"hashtag": "benevoles", "members": [["story", 4], ["blocker", 2]]}, …]
CREATE TABLE theme_proposals (
    circle_id    TEXT PRIMARY KEY,
    groups_json  TEXT NOT NULL,
    made_by      TEXT NOT NULL,
    made_at      TEXT NOT NULL
);
