-- 0028: a service's link to a taxonomy term no longer keeps the link's
-- type (HSDS attribute.link_type). Nothing read it: the API's term filters,
-- the map's codes and the export all go by the term, and the type stays in
-- the service's document, where the API and the export read it. At a
-- million services it was 19 MB of the 38 MB table ('service_type' in
-- nearly every one of 1.5 million links).
ALTER TABLE dir_service_term DROP COLUMN link_type;
