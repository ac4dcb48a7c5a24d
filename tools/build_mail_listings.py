#!/usr/bin/env python3
"""Writes data/directory/mail-based-supplies.ndjson (HSDS 3.0 services, one
per line) from the hand-written data/by-mail/programs.json: national and
per-state programmes that send naloxone, syringes or test strips by mail.

These services have no point on a map. Each has one service_at_location at
a "virtual" location (no coordinates, the programme's web address), and one
service_area whose extent is "US" (the whole country) or "US-XX" (a state,
ISO 3166-2), extent_type "text": the finder shows them to people searching
from that area (src/locator/mail.c). Each carries its source page and the
date it was checked, in the description and the metadata.

Ids are uuid5 of the namespace .../sources/mail-based-supplies and the
entry's key, so writing again gives the same ids. Usage:
  python3 tools/build_mail_listings.py
Standard library only (and tools/convert_directories.py for the taxonomy)."""
import json
import os
import sys
from collections import OrderedDict
from urllib.parse import urlparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from convert_directories import LINK_TYPE, ROOT, source_ns, uid, waypost_term, write_ndjson  # noqa: E402

SRC = os.path.join(ROOT, "data", "by-mail", "programs.json")
OUT = os.path.join(ROOT, "data", "directory", "mail-based-supplies.ndjson")
STATES = {"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
          "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
          "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
          "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
          "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
          "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
          "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
          "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
          "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
          "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming"}


def host(url):
    h = urlparse(url).netloc
    return h[4:] if h.startswith("www.") else h


def service(p, ns, checked):
    key = p["key"]
    for field in ("key", "name", "org", "area", "url", "source", "what", "terms"):
        if not p.get(field):
            sys.exit("%s: %s: no %s" % (os.path.relpath(SRC, ROOT), key, field))
    if p["area"] != "US" and p["area"] not in STATES:
        sys.exit("%s: %s: area must be US or a state code" % (os.path.relpath(SRC, ROOT), key))
    if "mail-based-supplies" not in p["terms"]:
        sys.exit("%s: %s: the terms must include mail-based-supplies" % (os.path.relpath(SRC, ROOT), key))
    sid, oid = uid(ns, "service", key), uid(ns, "organization", p["org"])
    area_name = "United States" if p["area"] == "US" else STATES[p["area"]]
    extent = "US" if p["area"] == "US" else "US-" + p["area"]
    s = OrderedDict([
        ("id", sid), ("organization_id", oid), ("name", p["name"]),
        ("description", "%s Source: %s, checked on %s." % (p["what"], p["source"], checked)),
        ("url", p["url"]), ("status", "active")])
    if p.get("fees"):
        s["fees_description"] = p["fees"]
    loc = OrderedDict([("id", uid(ns, "location", key)), ("location_type", "virtual"),
                       ("name", "By mail (%s)" % area_name), ("url", p["url"])])
    sal = OrderedDict([("id", uid(ns, "service_at_location", key)), ("location", loc)])
    if p.get("phone"):
        sal["phones"] = [OrderedDict([("id", uid(ns, "phone", key)), ("number", p["phone"]), ("type", "voice")])]
    s["service_at_locations"] = [sal]
    s["service_areas"] = [OrderedDict([
        ("id", uid(ns, "service_area", key)), ("name", area_name),
        ("description", "Sends supplies to addresses in %s." % area_name),
        ("extent", extent), ("extent_type", "text")])]
    s["organization"] = OrderedDict([("id", oid), ("name", p["org"]),
                                     ("description", p.get("org_description") or p["org"]),
                                     ("website", p["url"])])
    s["attributes"] = [OrderedDict([("id", uid(ns, "attribute", key, code)), ("link_type", LINK_TYPE[code]),
                                    ("taxonomy_term", waypost_term(code))])
                       for code in p["terms"] + p.get("attrs", [])]
    s["metadata"] = [OrderedDict([
        ("id", uid(ns, "metadata", key)), ("resource_id", sid), ("resource_type", "service"),
        ("last_action_date", checked), ("last_action_type", "create"), ("field_name", ""),
        ("previous_value", ""), ("replacement_value", ""), ("updated_by", "Waypost from " + host(p["source"]))])]
    return s


def main():
    with open(SRC, encoding="utf-8") as f:
        doc = json.load(f)
    ns = source_ns("mail-based-supplies")
    out = [service(p, ns, doc["checked_on"]) for p in doc["programs"]]
    out.sort(key=lambda s: (s["service_areas"][0]["extent"] != "US", s["service_areas"][0]["extent"], s["name"]))
    raw, size = write_ndjson(OUT, out, False)
    print("wrote %s: %d services, %d bytes" % (os.path.relpath(OUT, ROOT), len(out), size))


if __name__ == "__main__":
    main()
