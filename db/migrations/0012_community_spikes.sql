-- 0012: the spike detector (issue 14). Daily counts the program keeps
-- (naloxone kits used, EMS overdose calls, ED visits, reported reversals),
-- one row per kind, area and day; per-kind settings of the detector; and
-- the flags it found, kept so staff see them until they act. Reviewed
-- community reports (community_report, migration 0011) are counted at run
-- time as the kind 'community-reports' and never copied here.
CREATE TABLE community_event (
    kind TEXT NOT NULL,                   -- a slug: naloxone-administered, ems-overdose-calls ...
    area TEXT NOT NULL,                   -- an area key (community/areas.h): a ZIP or a named area
    day TEXT NOT NULL,                    -- YYYY-MM-DD, the site's time zone
    count INTEGER NOT NULL CHECK (count >= 0),
    source TEXT NOT NULL CHECK (source IN ('import', 'staff')),
    updated_at INTEGER NOT NULL,          -- unix seconds
    updated_by TEXT NOT NULL DEFAULT '',  -- the staff account, or '' for the command line
    PRIMARY KEY (kind, area, day)
) WITHOUT ROWID;
CREATE INDEX community_event_day ON community_event(day);

-- A kind without a row uses the defaults (community/ears.c ears_defaults).
CREATE TABLE community_spike_setting (
    kind TEXT PRIMARY KEY,
    methods TEXT NOT NULL,                -- comma-separated: c1,c2,c3,ewma,poisson
    baseline INTEGER NOT NULL,            -- C1/C2 baseline days
    guard INTEGER NOT NULL,               -- guard band days
    ewma_baseline INTEGER NOT NULL,
    z12 REAL NOT NULL,
    z3 REAL NOT NULL,
    min_sigma REAL NOT NULL,
    min_count INTEGER NOT NULL,
    p_red REAL NOT NULL,
    p_yellow REAL NOT NULL,
    pois_red REAL NOT NULL,
    pois_yellow REAL NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

-- One row per method that flagged a (day, area, kind); a new run of the
-- same day replaces that day's rows.
CREATE TABLE community_spike (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    area TEXT NOT NULL,
    kind TEXT NOT NULL,
    method TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('red', 'yellow')),
    count REAL NOT NULL,
    expected REAL NOT NULL,
    threshold REAL NOT NULL,
    stat REAL NOT NULL,                   -- C1/C2/C3 value, or the p-value
    found_at INTEGER NOT NULL,
    UNIQUE (day, area, kind, method)
);
CREATE INDEX community_spike_found ON community_spike(day DESC);
