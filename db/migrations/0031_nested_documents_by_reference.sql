-- 0031: a location's and an organization's document kept once. Each was
-- stored twice: in dir_location.raw / dir_organization.raw and, byte for
-- byte, inside the service document that carries it (130 MB of 1,075 at
-- a million services). A row whose raw is an empty BLOB now has as its
-- document the copy in its source (src/db/nested_doc.h): a location's
-- first listing's service, an organization's first service. Rows written
-- before keep their own copy; the importer writes new rows by reference
-- when the copy it was given is the one the source carries.

-- Every row's document, by reference or not. SQL reads these, never raw.
CREATE VIEW dir_location_doc(rowid, id, doc) AS
SELECT l.rowid, l.id,
       CASE WHEN length(l.raw) > 0 THEN wp_doc(l.raw) ELSE
       (SELECT wp_nested_location(wp_doc(s.raw), wp_id_text(sal.id))
          FROM dir_service_at_location sal JOIN dir_service s ON s.rowid = sal.service_rowid
         WHERE sal.location_rowid = l.rowid ORDER BY sal.rowid LIMIT 1) END
FROM dir_location l;

CREATE VIEW dir_organization_doc(rowid, id, doc) AS
SELECT o.rowid, o.id,
       CASE WHEN length(o.raw) > 0 THEN wp_doc(o.raw) ELSE
       (SELECT wp_nested_organization(wp_doc(s.raw)) FROM dir_service s
         WHERE s.organization_rowid = o.rowid ORDER BY s.rowid LIMIT 1) END
FROM dir_organization o;

-- Before a source changes, its by-reference documents are stored on their
-- own (coalesce: a document that cannot be found is left as it was).

-- A listing going: its location, when this listing is the first there.
CREATE TRIGGER dir_docs_keep_sal_delete BEFORE DELETE ON dir_service_at_location
BEGIN
    UPDATE dir_location SET raw = coalesce(wp_small((SELECT doc FROM dir_location_doc d WHERE d.rowid = old.location_rowid)), raw)
    WHERE rowid = old.location_rowid AND length(raw) = 0
      AND (SELECT min(rowid) FROM dir_service_at_location WHERE location_rowid = old.location_rowid) = old.rowid;
END;

-- A listing moved to another service or location, or given another id:
-- the location it leaves when it was the first there, and the one it
-- joins (it may be lower than that one's first).
CREATE TRIGGER dir_docs_keep_sal_update BEFORE UPDATE ON dir_service_at_location
WHEN old.service_rowid IS NOT new.service_rowid OR old.location_rowid IS NOT new.location_rowid OR old.id IS NOT new.id
BEGIN
    UPDATE dir_location SET raw = coalesce(wp_small((SELECT doc FROM dir_location_doc d WHERE d.rowid = dir_location.rowid)), raw)
    WHERE length(raw) = 0 AND (rowid = new.location_rowid OR (rowid = old.location_rowid
      AND (SELECT min(rowid) FROM dir_service_at_location WHERE location_rowid = old.location_rowid) = old.rowid));
END;

-- A service's document changing: the locations its listings are the
-- first at, and its organization when it is the first service there,
-- each when the copy it carries changes (a re-import writes a changed
-- record's listings in place, so an unchanged copy stays the source).
CREATE TRIGGER dir_docs_keep_service_update BEFORE UPDATE OF raw ON dir_service
WHEN old.raw IS NOT new.raw
BEGIN
    UPDATE dir_location SET raw = coalesce(wp_small((SELECT doc FROM dir_location_doc d WHERE d.rowid = dir_location.rowid)), raw)
    WHERE length(raw) = 0
      AND rowid IN (SELECT location_rowid FROM dir_service_at_location WHERE service_rowid = old.rowid)
      AND EXISTS (SELECT 1 FROM (SELECT f.service_rowid, f.id FROM dir_service_at_location f
                                  WHERE f.location_rowid = dir_location.rowid ORDER BY f.rowid LIMIT 1) src
                  WHERE src.service_rowid = old.rowid
                    AND wp_nested_location(wp_doc(old.raw), wp_id_text(src.id))
                        IS NOT wp_nested_location(wp_doc(new.raw), wp_id_text(src.id)));
    UPDATE dir_organization SET raw = coalesce(wp_small((SELECT doc FROM dir_organization_doc d WHERE d.rowid = old.organization_rowid)), raw)
    WHERE rowid = old.organization_rowid AND length(raw) = 0
      AND (SELECT min(rowid) FROM dir_service WHERE organization_rowid = old.organization_rowid) = old.rowid
      AND wp_nested_organization(wp_doc(old.raw)) IS NOT wp_nested_organization(wp_doc(new.raw));
END;

-- A service moving to another organization: the one it leaves when it
-- was the first there, and the one it joins.
CREATE TRIGGER dir_docs_keep_service_organization BEFORE UPDATE OF organization_rowid ON dir_service
WHEN old.organization_rowid IS NOT new.organization_rowid
BEGIN
    UPDATE dir_organization SET raw = coalesce(wp_small((SELECT doc FROM dir_organization_doc d WHERE d.rowid = dir_organization.rowid)), raw)
    WHERE length(raw) = 0 AND (rowid = new.organization_rowid OR (rowid = old.organization_rowid
      AND (SELECT min(rowid) FROM dir_service WHERE organization_rowid = old.organization_rowid) = old.rowid));
END;

-- A service going: what it is the source of (its listings' own triggers
-- would find it gone when the foreign key removes them).
CREATE TRIGGER dir_docs_keep_service_delete BEFORE DELETE ON dir_service
BEGIN
    UPDATE dir_location SET raw = coalesce(wp_small((SELECT doc FROM dir_location_doc d WHERE d.rowid = dir_location.rowid)), raw)
    WHERE length(raw) = 0
      AND rowid IN (SELECT location_rowid FROM dir_service_at_location WHERE service_rowid = old.rowid)
      AND (SELECT service_rowid FROM dir_service_at_location f WHERE f.location_rowid = dir_location.rowid
           ORDER BY f.rowid LIMIT 1) = old.rowid;
    UPDATE dir_organization SET raw = coalesce(wp_small((SELECT doc FROM dir_organization_doc d WHERE d.rowid = old.organization_rowid)), raw)
    WHERE rowid = old.organization_rowid AND length(raw) = 0
      AND (SELECT min(rowid) FROM dir_service WHERE organization_rowid = old.organization_rowid) = old.rowid;
END;
