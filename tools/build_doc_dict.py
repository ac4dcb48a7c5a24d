#!/usr/bin/env python3
"""build_doc_dict: writes the zstd dictionary that the directory's stored
service documents are compressed with (src/db/doc_zip.c).

A stored service repeats, in every document, the full text of each
taxonomy term it links (about 250 bytes a term) and the same HSDS key
names; the dictionary holds those, so a document compresses to about a
quarter of its size. It is plain text built from the taxonomy terms of a
seeded database (`waypost seed`: the Waypost taxonomy and the SAMHSA
service codes) and a skeleton of the HSDS objects a service nests, in the
form the importer stores them (compact, keys sorted). zstd finds nearer
text more cheaply, so the most common parts come last.

A dictionary, once shipped, is never changed: every compressed document
names the dictionary it needs by number (db/zdict/NNNN_*.txt). A better
one is added as the next number; old documents keep theirs.

Usage: python3 tools/build_doc_dict.py SEEDED.db db/zdict/0001_services.txt
"""
import json
import sqlite3
import sys

WAYPOST = "1ffc8755-6460-51ac-9673-4e3eee8feaae"
LINKS = {WAYPOST: "service_type"}

SKELETON = [
    '"metadata":[{"field_name":"","id":"","last_action_date":"","last_action_type":"create","previous_value":"",'
    '"replacement_value":"","resource_id":"","resource_type":"service","updated_by":""}]',
    '"schedules":[{"byday":"MO,TU,WE,TH,FR","closes_at":"17:00:00","freq":"WEEKLY","id":"","opens_at":"09:00:00",'
    '"description":"","wkst":"MO"}]',
    '"phones":[{"description":"Main number","id":"","number":"","type":"voice"}]',
    '"addresses":[{"address_1":"","address_2":"","address_type":"physical","city":"","country":"US","id":"",'
    '"postal_code":"","state_province":""}]',
    '"service_areas":[{"description":"","extent":"","extent_type":"text","id":"","name":""}]',
    '"languages":[{"code":"en","id":"","name":"English"},{"code":"es","id":"","name":"Spanish"}]',
    '"contacts":[{"email":"","id":"","name":"","title":""}]',
    '"fees_description":"","email":"","url":"https://www.","accreditations":"","eligibility_description":"",'
    '"application_process":"","interpretation_services":"","assured_date":"","assurer_email":""',
    '{"alternate_name":"","attributes":[],"description":"","id":"","metadata":[],"name":"",'
    '"organization":{"description":"","id":"","name":"","website":"https://"},"organization_id":"",'
    '"service_at_locations":[{"id":"","location":{"addresses":[],"id":"","latitude":,"location_type":"physical",'
    '"longitude":,"name":""},"phones":[]}],"status":"active","url":""}',
]


def term_links(db):
    rows = db.execute("SELECT taxonomy_id, raw FROM dir_taxonomy_term ORDER BY taxonomy_id = ?, code, id",
                      (WAYPOST,)).fetchall()
    out = []
    for taxonomy_id, raw in rows:
        term = json.loads(raw)
        link = LINKS.get(taxonomy_id, "samhsa_code")
        out.append('{"id":"","link_type":"%s","taxonomy_term":%s}' % (
            link, json.dumps(term, sort_keys=True, separators=(",", ":"))))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    parts = term_links(db) + SKELETON
    text = ",".join(parts) + "\n"
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write(text)
    print("%s: %d bytes, %d terms" % (sys.argv[2], len(text), len(parts) - len(SKELETON)))


if __name__ == "__main__":
    main()
