-- 0001: the content index and site search.
-- Pages are Markdown files; each start loads them into content_pages and the
-- FTS5 index content_fts (title, summary, body as plain text).
CREATE TABLE content_pages (
    path TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    reviewed TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL DEFAULT '',
    loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;

CREATE VIRTUAL TABLE content_fts USING fts5(
    path UNINDEXED,
    title,
    summary,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
