-- 0016: languages of alerts and subscriptions (issue 16).
--
-- An alert is written in one of the site's languages (lang, a code such as
-- 'en' or 'es'); a translation names the alert it translates
-- (translation_of), so /es/alerts can show the Spanish text of an alert
-- and link the two. A translation stays its own alert, with its own CAP
-- messages (info/language es-US).
ALTER TABLE alert ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE alert ADD COLUMN translation_of INTEGER REFERENCES alert(id) ON DELETE SET NULL;
CREATE INDEX alert_translation ON alert(translation_of, lang) WHERE translation_of IS NOT NULL;

-- A subscriber is written to in the language of the page where they
-- subscribed (/es/subscribe: 'es'): confirmations, alerts and SMS replies.
ALTER TABLE sub_pending ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE sub_subscriber ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';
