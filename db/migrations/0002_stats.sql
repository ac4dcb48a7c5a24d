-- 0002: statistics for /data. Loaded from the bundled CDC files on first
-- start; `waypost import stats FILE` replaces one table from a newer file.
CREATE TABLE stats_national (
    period TEXT PRIMARY KEY,          -- YYYY-MM, the end of a 12-month period
    reported INTEGER NOT NULL,
    predicted INTEGER,
    footnote TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE stats_state (
    state TEXT NOT NULL,              -- two-letter code
    state_name TEXT NOT NULL,
    period TEXT NOT NULL,             -- YYYY-MM
    deaths INTEGER NOT NULL,
    PRIMARY KEY (state, period)
) WITHOUT ROWID;

CREATE TABLE stats_longview (
    year INTEGER NOT NULL,
    state TEXT NOT NULL,              -- "United States" or a state name
    age TEXT NOT NULL,
    deaths INTEGER NOT NULL,
    population INTEGER NOT NULL,
    crude_rate REAL,
    adjusted_rate REAL,
    PRIMARY KEY (year, state, age)
) WITHOUT ROWID;

CREATE TABLE stats_sources (
    name TEXT PRIMARY KEY,            -- national, state, longview
    file TEXT NOT NULL,
    rows INTEGER NOT NULL,
    loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;
