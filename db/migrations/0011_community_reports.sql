-- 0011: anonymous community drug reports (/report, issue 14), read by the
-- staff report queue (/staff/reports, as its second source) and, once
-- reviewed, counted by the spike detector as the kind "community-reports".
--
-- Nothing here names the person: no IP address, no cookie, no account.
-- `note` is stored with phone numbers and email addresses already masked.
-- `day` is the day the use happened (YYYY-MM-DD in the site's time zone,
-- from the form's "when"); `area` is an area key (a five-digit ZIP or the
-- slug of a named area, src/community/areas.h); `effects` the chosen
-- effect slugs joined by commas. Times are Unix seconds.
CREATE TABLE community_report (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    day TEXT NOT NULL,
    area TEXT NOT NULL,
    sold_as TEXT,
    seemed TEXT,
    effects TEXT,
    note TEXT,
    looked TEXT,
    staff INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewed', 'dismissed', 'alerted')),
    decided_at INTEGER,
    decided_by TEXT
);
-- the queue: a status, newest first
CREATE INDEX community_report_status ON community_report(status, id);
-- the spike detector: reviewed reports per day and area
CREATE INDEX community_report_day ON community_report(day, area) WHERE status IN ('reviewed', 'alerted');
