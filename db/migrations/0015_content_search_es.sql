-- 0015: site search in Spanish (issue 16). Each language has its own FTS5
-- index of its pages: content_fts (0001) is English, with the Porter
-- stemmer; content_fts_es is Spanish, without a stemmer (SQLite has none
-- for Spanish) but with diacritics folded, so "via" finds "vía" and
-- "cocaina" finds "cocaína". A language added later gets its index the
-- same way, in a migration of its own (docs/translating.md).
CREATE VIRTUAL TABLE content_fts_es USING fts5(
    path UNINDEXED,
    title,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
