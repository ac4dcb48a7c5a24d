#!/usr/bin/env python3
"""Converts the public service directories bundled with Waypost into HSDS 3.0.

What it does
    Reads four files from the Opioid Environment Policy Scan (OEPS, GeoDa
    Center, doi:10.5281/zenodo.5842465), which republishes US federal listings:
      oeps_moud_providers_samhsa_2020-09.csv     SAMHSA treatment locator, Sept 2020
      oeps_otp_methadone_2017.csv                SAMHSA opioid treatment programs, 2017
      oeps_hrsa_fqhc.csv                         HRSA health centre sites
      oeps_samhsa_mental_health_facilities.csv   SAMHSA mental health facilities
    and writes one HSDS 3.0 "service" object per line (NDJSON, gzip), each as
    in data/hsds-3.0/schema/compiled/service_with_definitions.json: the
    organization, service_at_locations with location, address and phones,
    attributes linking the service to taxonomy terms, and a metadata record
    that carries the source name and its as-of date.
      data/directory/samhsa-moud-2020.ndjson.gz
      data/directory/samhsa-otp-2017.ndjson.gz
      data/directory/hrsa-fqhc.ndjson.gz
      data/directory/samhsa-mental-health.ndjson.gz
    Terms come from the Waypost taxonomy, data/taxonomy/waypost.json, which
    this tool reads (it is the one source of the codes and their names). It
    also writes a small, clearly marked set of EXAMPLE harm reduction
    services in New York City (data/directory/examples-harm-reduction.ndjson,
    plain NDJSON).

    Ids are name-based UUIDs (uuid5) from a fixed namespace per source and
    the source's own key, so a rerun gives the same ids and the same bytes:
    records are sorted, JSON is written compactly with a fixed key order, and
    the gzip header carries no file name and mtime 0.

How to rerun (Python 3.11, standard library only)
    python3 tools/convert_directories.py [SOURCE_DIR]
    SOURCE_DIR defaults to ../shared/data/directories beside the repository.
    Then check the result:
    python3 tests/content/check_directory.py
    Progress goes to stderr; a summary of rows read, kept and dropped (and
    why) ends the run. data/directory/README.md and PROVENANCE.md describe the
    output and quote these counts: update them if the counts change.
"""
import argparse
import csv
import gzip
import json
import math
import os
import re
import sys
import unicodedata
import uuid
from collections import Counter, OrderedDict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT_SRC = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "directories"))
OUT_DIR = os.path.join(ROOT, "data", "directory")

# --------------------------------------------------------------------------
# Fixed namespaces. Never change these: every id in the bundled data (and in
# databases that imported it) is derived from them.
# --------------------------------------------------------------------------
WAYPOST_URL = "https://waypost.example"
# The Waypost taxonomy: id = uuid5(NAMESPACE_URL, ".../taxonomy");
# each term's id = uuid5(WAYPOST_TAXONOMY_ID, code).
WAYPOST_TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, WAYPOST_URL + "/taxonomy")
# SAMHSA's own locator codes, kept as a taxonomy of their own:
# term id = uuid5(SAMHSA_TAXONOMY_ID, code).
SAMHSA_TAXONOMY_ID = uuid.uuid5(uuid.NAMESPACE_URL, WAYPOST_URL + "/taxonomy/samhsa-service-codes")


def source_ns(slug):
    """Namespace for the records of one source: uuid5(NAMESPACE_URL, .../sources/<slug>)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, WAYPOST_URL + "/sources/" + slug)


def uid(ns, *parts):
    return str(uuid.uuid5(ns, "|".join(parts)))


# --------------------------------------------------------------------------
# The Waypost taxonomy lives in data/taxonomy/waypost.json, its one source:
# codes, names, descriptions, parents, the link_type an attribute linking a
# service to a term carries, and each code's bit in the server's index. The
# server and the C converter read the same file. Edit the file, not this.
# --------------------------------------------------------------------------
TAXONOMY_FILE = os.path.join(ROOT, "data", "taxonomy", "waypost.json")


def term_id(code):
    return str(uuid.uuid5(WAYPOST_TAXONOMY_ID, code))


def load_taxonomy(path=TAXONOMY_FILE):
    """{code: term} from the taxonomy file, in its order (terms, then
    attributes). Stops the run, naming the entry, when a term lacks what
    this converter writes (tests/content/check_directory.py checks the
    whole file)."""
    rel = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, object_pairs_hook=OrderedDict)
    if (doc.get("taxonomy") or {}).get("id") != str(WAYPOST_TAXONOMY_ID):
        sys.exit("%s: the taxonomy id is not %s" % (rel, WAYPOST_TAXONOMY_ID))
    terms = OrderedDict()
    for group in ("terms", "attributes"):
        for i, t in enumerate(doc.get(group) or []):
            code = t.get("code")
            where = "%s: %s[%d] %s" % (rel, group, i, json.dumps(code))
            if not code or code in terms:
                sys.exit(where + ": no code, or the code is listed twice")
            if t.get("id") != term_id(code):
                sys.exit(where + ": the id is not uuid5(taxonomy id, code)")
            for k in ("name", "description", "taxonomy", "taxonomy_id", "link_type"):
                if not t.get(k):
                    sys.exit("%s: no %s" % (where, k))
            if (group == "terms") != (t["link_type"] == "service_type"):
                sys.exit(where + ": terms have link_type service_type, attributes another")
            terms[code] = t
    ids = {t["id"] for t in terms.values()}
    for code, t in terms.items():
        if t.get("parent_id") and t["parent_id"] not in ids:
            sys.exit("%s: %s: parent_id %s is not a term of the file" % (rel, code, t["parent_id"]))
    return terms


ALL_TERMS = load_taxonomy()
LINK_TYPE = {code: t["link_type"] for code, t in ALL_TERMS.items()}


def waypost_term(code):
    """The term as nested in a service's attribute. language and term_uri
    are in data/taxonomy/waypost.json; left out here to keep the bundled
    files small (as are link_type, on the attribute itself, and bit)."""
    src = ALL_TERMS[code]
    t = OrderedDict([("id", src["id"]), ("code", code), ("name", src["name"]), ("description", src["description"])])
    if src.get("parent_id"):
        t["parent_id"] = src["parent_id"]
    t["taxonomy"] = src["taxonomy"]
    t["taxonomy_id"] = src["taxonomy_id"]
    return t


# --------------------------------------------------------------------------
# SAMHSA locator service codes (the "Keys" column of the 2017 OTP file): their
# meanings, the Waypost terms the certain ones map onto, and the language
# codes, in data/taxonomy/samhsa-codes.json (its notes say where they come
# from). `waypost import findtreatment` reads the same file.
# SAMHSA_CODES: code -> (meaning, [waypost codes]), language codes included
# with "Language services: <language>" and no Waypost code.
# SAMHSA_LANGUAGES: code -> (language name, ISO 639 code or "").
# --------------------------------------------------------------------------
SAMHSA_FILE = os.path.join(ROOT, "data", "taxonomy", "samhsa-codes.json")


def load_samhsa(path=SAMHSA_FILE):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    codes = OrderedDict((e["code"], (e["meaning"], list(e.get("waypost", [])))) for e in doc["codes"])
    langs = OrderedDict((e["code"], (e["language"], e.get("iso", ""))) for e in doc["languages"])
    for code, (lang, _iso) in langs.items():
        codes.setdefault(code, ("Language services: " + lang, []))
    tax = doc["taxonomy"]
    return codes, langs, OrderedDict([
        ("id", str(SAMHSA_TAXONOMY_ID)), ("name", tax["name"]), ("description", tax["description"]),
        ("uri", tax["uri"]), ("version", tax["version"])])


SAMHSA_CODES, SAMHSA_LANGUAGES, SAMHSA_TAXONOMY = load_samhsa()


def samhsa_term(code):
    """A raw locator code as a term of the "SAMHSA service codes" taxonomy.
    Kept short: a program has about 80 codes. Codes Waypost has not mapped
    are named by the code itself."""
    meaning = SAMHSA_CODES.get(code, (None, []))[0]
    return OrderedDict([
        ("id", str(uuid.uuid5(SAMHSA_TAXONOMY_ID, code))), ("code", code),
        ("name", meaning or code), ("description", "SAMHSA locator code " + code),
        ("taxonomy", SAMHSA_TAXONOMY["name"]), ("taxonomy_id", SAMHSA_TAXONOMY["id"])])


# --------------------------------------------------------------------------
# The sources.
# --------------------------------------------------------------------------
SOURCES = OrderedDict([
    ("samhsa-moud-2020", dict(
        file="oeps_moud_providers_samhsa_2020-09.csv", out="samhsa-moud-2020.ndjson.gz",
        as_of="2020-09-01", updated_by="SAMHSA treatment locator (via OEPS)")),
    ("samhsa-otp-2017", dict(
        file="oeps_otp_methadone_2017.csv", out="samhsa-otp-2017.ndjson.gz",
        as_of="2017-01-01", updated_by="SAMHSA treatment locator (via OEPS)")),
    # OEPS META_Access_FQHCs_MinDistance.md: "Date Added: January 5, 2021";
    # the list was compiled for the US COVID Atlas in 2020 (it has a COVID
    # testing flag). The date added is the latest the data can be as of.
    ("hrsa-fqhc", dict(
        file="oeps_hrsa_fqhc.csv", out="hrsa-fqhc.ndjson.gz",
        as_of="2021-01-05", updated_by="HRSA health center sites (via OEPS)")),
    # OEPS META_Access_MentalHealth_MinDistance.md: "Date Added: January 9, 2021".
    ("samhsa-mental-health", dict(
        file="oeps_samhsa_mental_health_facilities.csv", out="samhsa-mental-health.ndjson.gz",
        as_of="2021-01-09", updated_by="SAMHSA treatment locator (via OEPS)")),
])

# Bounding boxes of the 50 states, DC and the inhabited US territories
# (lat_min, lat_max, lon_min, lon_max). tests/content/check_directory.py has
# the same list.
US_BOXES = [
    ("contiguous US", 24.3, 49.5, -125.0, -66.8),
    ("Alaska", 51.0, 71.6, -180.0, -129.9),
    ("Alaska (Aleutians west of 180)", 51.0, 53.1, 172.0, 180.0),
    ("Hawaii", 18.8, 22.4, -160.6, -154.6),
    ("Puerto Rico and US Virgin Islands", 17.6, 18.6, -68.0, -64.5),
    ("Guam and Northern Mariana Islands", 13.1, 20.7, 144.5, 146.2),
    ("American Samoa", -14.7, -10.9, -171.2, -168.1),
]


def in_us(lat, lon):
    return any(a <= lat <= b and c <= lon <= d for _, a, b, c, d in US_BOXES)


ZCTA_FILE = os.path.join(ROOT, "data", "geo", "zcta2020_centroids.csv")
_zcta = None


def far_from_zip(lat, lon, postal, km=50.0):
    """True when a location lies more than km from its ZIP code's 2020 ZCTA
    centroid: a hint of a geocoding error. Only counted, never dropped."""
    global _zcta
    if _zcta is None:
        _zcta = {}
        if os.path.exists(ZCTA_FILE):
            with open(ZCTA_FILE, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    _zcta[row["zcta"]] = (float(row["lat"]), float(row["lon"]))
    c = _zcta.get(postal)
    if c is None:
        return False
    p1, p2 = math.radians(lat), math.radians(c[0])
    d = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(c[1] - lon) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(d)) > km


# --------------------------------------------------------------------------
# Helpers.
# --------------------------------------------------------------------------
def clean(v):
    """Trim, collapse spaces; R's NA and empty become ''."""
    if v is None:
        return ""
    v = re.sub(r"\s+", " ", unicodedata.normalize("NFC", v)).strip()
    return "" if v in ("NA", "N/A") else v


def norm_key(*parts):
    """Key normalisation for ids: case, spacing and punctuation ignored."""
    out = []
    for p in parts:
        p = unicodedata.normalize("NFKD", clean(p)).casefold()
        out.append(" ".join(re.findall(r"[0-9a-z]+", p)))
    return "|".join(out)


def zip5(v):
    v = clean(v)
    m = re.match(r"^(\d{1,5})(?:-\d{4})?$", v)
    return m.group(1).zfill(5) if m else ""


def coord(lat, lon):
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


URL_RE = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?"
                    r"(/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?$")


def url(v):
    v = clean(v)
    return v if URL_RE.match(v) else ""


PHONE_RE = re.compile(r"\(?(\d{3})\)?[\s.-]*(\d{3})-\s*(\d{4})(?:\s*x\s*(\d+))?")


def phones_in(text):
    """[(number 'NNN-NNN-NNNN', extension or None)] in the order found."""
    out = []
    for m in PHONE_RE.finditer(text or ""):
        num = "%s-%s-%s" % m.group(1, 2, 3)
        ext = int(m.group(4)) if m.group(4) else None
        if (num, ext) not in out:
            out.append((num, ext))
    return out


def join_names(names):
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


class Builder:
    """Builds HSDS service records for one source; locations and
    organizations are shared (same id, same content) between the services of
    that source that have the same address or organization key."""

    def __init__(self, slug):
        self.slug = slug
        self.src = SOURCES[slug]
        self.ns = source_ns(slug)
        self.locations = {}
        self.organizations = {}
        self.services = []
        self.stats = Counter()

    def organization(self, key, name, description, website=""):
        oid = uid(self.ns, "organization", key)
        if oid not in self.organizations:
            o = OrderedDict([("id", oid), ("name", name), ("description", description)])
            if website:
                o["website"] = website
            self.organizations[oid] = o
        return self.organizations[oid]

    def location(self, key, lat, lon, address_1, address_2, city, state, postal):
        lid = uid(self.ns, "location", key)
        if lid in self.locations:
            self.stats["locations shared"] += 1
            return self.locations[lid]
        addr = OrderedDict([("id", uid(self.ns, "address", key)), ("address_1", address_1)])
        if address_2:
            addr["address_2"] = address_2
        addr.update([("city", city), ("state_province", state), ("postal_code", postal),
                     ("country", "US"), ("address_type", "physical")])
        loc = OrderedDict([("id", lid), ("location_type", "physical"), ("latitude", lat),
                           ("longitude", lon), ("addresses", [addr])])
        self.locations[lid] = loc
        if far_from_zip(lat, lon, postal):
            self.stats["locations over 50 km from their ZIP code's centroid (kept)"] += 1
        return loc

    def service(self, key, name, alternate_name, description, org, loc, phones, codes,
                extra_terms=(), languages=(), website=""):
        sid = uid(self.ns, "service", key)
        sal_id = uid(self.ns, "service_at_location", key, loc["id"])
        s = OrderedDict([("id", sid), ("organization_id", org["id"]), ("name", name)])
        if alternate_name:
            s["alternate_name"] = alternate_name
        s["description"] = description
        if website:
            s["url"] = website
        s["status"] = "active"
        sal = OrderedDict([("id", sal_id)])
        ph = []
        for number, ext, desc in phones:
            p = OrderedDict([("id", uid(self.ns, "phone", key, number, str(ext or ""), desc)),
                             ("number", number)])
            if ext is not None:
                p["extension"] = ext
            p["type"] = "voice"
            p["description"] = desc
            ph.append(p)
        if ph:
            sal["phones"] = ph
        sal["location"] = loc
        s["service_at_locations"] = [sal]
        if languages:
            s["languages"] = []
            for lname, code, note in languages:
                lg = OrderedDict([("id", uid(self.ns, "language", key, lname)), ("name", lname)])
                if code:
                    lg["code"] = code
                if note:
                    lg["note"] = note
                s["languages"].append(lg)
        s["organization"] = org
        attrs = []
        for code in codes:
            attrs.append(OrderedDict([
                ("id", uid(self.ns, "attribute", key, term_id(code))), ("link_type", LINK_TYPE[code]),
                ("taxonomy_term", waypost_term(code))]))
        for link_type, term in extra_terms:
            attrs.append(OrderedDict([
                ("id", uid(self.ns, "attribute", key, term["id"])), ("link_type", link_type),
                ("taxonomy_term", term)]))
        if attrs:
            s["attributes"] = attrs
        s["metadata"] = [OrderedDict([
            ("id", uid(self.ns, "metadata", key)), ("resource_id", sid), ("resource_type", "service"),
            ("last_action_date", self.src["as_of"]), ("last_action_type", "create"),
            ("field_name", ""), ("previous_value", ""), ("replacement_value", ""),
            ("updated_by", self.src["updated_by"])])]
        self.services.append(s)
        return s


def getter(row, col):
    """get(column name) -> cleaned value of that column in this row."""
    return lambda name: clean(row[col[name]])


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def ordered_codes(codes):
    """Waypost codes in taxonomy order."""
    order = {c: i for i, c in enumerate(ALL_TERMS)}
    return sorted(set(codes), key=order.__getitem__)


# How services are named inside the generated descriptions.
SHORT = {"naloxone": "naloxone", "methadone": "methadone", "buprenorphine": "buprenorphine",
         "naltrexone": "naltrexone", "substance-use-treatment": "substance use treatment",
         "outpatient": "outpatient treatment", "intensive-outpatient": "intensive outpatient treatment",
         "residential": "residential treatment", "withdrawal-management": "withdrawal management (detox)",
         "hiv-testing": "HIV testing", "hepatitis-c": "hepatitis C screening",
         "mental-health": "mental health services", "peer-support": "peer support",
         "housing": "housing services", "primary-care": "primary care"}


PAY_NAMES = {"medicaid": "Medicaid", "medicare": "Medicare", "private-insurance": "private insurance",
             "sliding-fee": "sliding fee scale", "cash": "cash or self-pay"}


def term_names(codes):
    return [SHORT[c] for c in codes if c in SHORT]


# --------------------------------------------------------------------------
# SAMHSA 2020 medication (MOUD) providers.
# --------------------------------------------------------------------------
def convert_moud(src_dir):
    b = Builder("samhsa-moud-2020")
    header, rows = read_csv(os.path.join(src_dir, b.src["file"]))
    b.stats["rows read"] = len(rows)
    # The geom column is R syntax, c(lon, lat), written without quotes, so the
    # CSV reader splits it in two: a row has one field more than the header.
    # Longitude and Latitude are then the last two fields.
    col = {name: i for i, name in enumerate(header)}
    cats = {"buprenorphine": "buprenorphine", "methadone": "methadone",
            "naltrexone/vivitrol": "naltrexone", "naltrexone": "naltrexone"}
    providers = OrderedDict()
    for n, r in enumerate(rows, 1):
        if n % 5000 == 0:
            progress("  %s: %d/%d rows" % (b.slug, n, len(rows)))
        if len(r) == len(header) + 1:
            lon_s, lat_s = r[-2], r[-1]
        elif len(r) == len(header):
            lon_s, lat_s = r[col["Longitude"]], r[col["Latitude"]]
        else:
            b.stats["dropped: malformed row"] += 1
            continue
        get = getter(r, col)
        if get("source") == "vivitrolWeb":
            b.stats["dropped: source vivitrolWeb (manufacturer's website)"] += 1
            continue
        cat = cats.get(get("category").lower())
        if not cat:
            b.stats["dropped: unknown category"] += 1
            continue
        key = norm_key(get("name1"), get("street1"), get("city"), get("state"), zip5(get("zip")))
        p = providers.get(key)
        if p is None:
            p = providers[key] = dict(rows=[], cats=set())
        p["rows"].append((get, lat_s, lon_s))
        p["cats"].add(cat)
    b.stats["rows kept (SAMHSA)"] = sum(len(p["rows"]) for p in providers.values())
    for key, p in providers.items():
        get, lat_s, lon_s = p["rows"][0]
        first = lambda name: next((g(name) for g, _, _ in p["rows"] if g(name)), "")  # noqa: E731
        c = coord(lat_s, lon_s)
        if c is None:
            b.stats["dropped providers: no valid coordinates"] += 1
            continue
        if not in_us(*c):
            b.stats["dropped providers: coordinates outside the US and its territories"] += 1
            continue
        name1, name2, state = get("name1"), first("name2"), get("state")
        codes = ordered_codes(p["cats"])
        org = b.organization(norm_key(name1, state), name1,
                             "Named as a provider in SAMHSA's treatment locator, September 2020.")
        street2 = first("street2")
        loc = b.location(norm_key(get("street1"), street2, get("city"), state, zip5(get("zip"))),
                         c[0], c[1], get("street1"), street2, get("city"), state, zip5(get("zip")))
        desc = ("Listed by SAMHSA's treatment locator, September 2020, as offering %s. "
                "Call ahead to confirm." % join_names(term_names(codes)))
        b.service(key, name1, name2, desc, org, loc, [], codes)
        if len(p["rows"]) > 1:
            b.stats["providers combined from several rows"] += 1
    return b


# --------------------------------------------------------------------------
# SAMHSA 2017 opioid treatment programs.
# --------------------------------------------------------------------------
def convert_otp(src_dir):
    b = Builder("samhsa-otp-2017")
    header, rows = read_csv(os.path.join(src_dir, b.src["file"]))
    b.stats["rows read"] = len(rows)
    col = {name: i for i, name in enumerate(header)}
    seen = set()
    unmapped = Counter()
    for r in rows:
        if len(r) != len(header):
            b.stats["dropped: malformed row"] += 1
            continue
        get = getter(r, col)
        # The file's ID (e.g. 4041AL35007) identifies the geocoded address, and
        # several programs can share it: the key adds names, address and phone.
        key = norm_key(get("ID"), get("Name1"), get("Name2"), get("Name3"), get("Address1"),
                       get("Address2"), get("Contact"))
        if key in seen:
            b.stats["dropped: exact duplicate row"] += 1
            continue
        seen.add(key)
        c = coord(get("Latitude"), get("Longitude"))
        if c is None:
            b.stats["dropped: no valid coordinates"] += 1
            continue
        if not in_us(*c):
            b.stats["dropped: coordinates outside the US and its territories"] += 1
            continue
        raw = []
        for code in get("Keys").split("/"):
            code = code.strip()
            if code and code not in raw:
                raw.append(code)
        codes = []
        for code in raw:
            if code in SAMHSA_CODES:
                codes.extend(SAMHSA_CODES[code][1])
            else:
                unmapped[code] += 1
        codes = ordered_codes(codes)
        langs = [SAMHSA_LANGUAGES[c] + ("SAMHSA locator code " + c,) for c in raw if c in SAMHSA_LANGUAGES]
        name1, name2, name3, state = get("Name1"), get("Name2"), get("Name3"), get("State")
        alt = ", ".join(x for x in (name2, name3) if x)
        org = b.organization(norm_key(name1, state), name1,
                             "Named as an opioid treatment program provider in SAMHSA's treatment locator, 2017.")
        a2 = ", ".join(x for x in (get("Address2"), get("Address3")) if x)
        postal = zip5(get("ZIP_Code"))
        loc = b.location(norm_key(get("Address1"), a2, get("City"), state, postal),
                         c[0], c[1], get("Address1"), a2, get("City"), state, postal)
        contact = get("Contact")
        m = re.search(r"Intakes?:", contact)
        main, intake = (contact[:m.start()], contact[m.end():]) if m else (contact, "")
        phones = [(n, e, "Main number") for n, e in phones_in(main)]
        phones += [(n, e, "Intake") for n, e in phones_in(intake) if (n, e) not in [(x, y) for x, y, _ in phones]]
        others = [c for c in codes if c in SHORT and c not in ("methadone", "substance-use-treatment")]
        pays = [c for c in codes if LINK_TYPE[c] == "payment"]
        desc = "Listed by SAMHSA's treatment locator, 2017, as an opioid treatment program (methadone)."
        if others:
            desc += " Also listed: %s." % join_names(term_names(others))
        if pays:
            desc += " Payment accepted: %s." % join_names(PAY_NAMES[c] for c in pays)
        desc += " Call ahead to confirm."
        extra = [("samhsa_code", samhsa_term(code)) for code in raw]
        b.service(key, name1, alt, desc, org, loc, phones, codes, extra, langs)
    b.stats["rows kept"] = len(b.services)
    b.unmapped = unmapped
    return b


# --------------------------------------------------------------------------
# HRSA health centre sites.
# --------------------------------------------------------------------------
def convert_hrsa(src_dir):
    b = Builder("hrsa-fqhc")
    header, rows = read_csv(os.path.join(src_dir, b.src["file"]))
    b.stats["rows read"] = len(rows)
    col = {name: i for i, name in enumerate(header)}
    groups = OrderedDict()
    for r in rows:
        if len(r) != len(header):
            b.stats["dropped: malformed row"] += 1
            continue
        get = getter(r, col)
        key = norm_key(get("name"), get("address"), get("city"), get("st_abbr"))
        if key in groups:
            b.stats["dropped: duplicate of another row (same name and address; phones merged)"] += 1
            groups[key].append(get)
        else:
            groups[key] = [get]
    for key, gets in groups.items():
        get = gets[0]
        c = coord(get("lat"), get("lon"))
        if c is None:
            b.stats["dropped: no valid coordinates"] += 1
            continue
        if not in_us(*c):
            b.stats["dropped: coordinates outside the US and its territories"] += 1
            continue
        name, state = get("name"), get("st_abbr")
        org = b.organization(norm_key(name, state), name,
                             "Health center site listed by HRSA (Health Resources and Services Administration).")
        # The file has no ZIP code: postal_code stays empty.
        loc = b.location(norm_key(get("address"), get("city"), state), c[0], c[1],
                         get("address"), "", get("city"), state, "")
        phones = []
        for g in gets:
            for n, e in phones_in(g("phone")):
                if (n, e) not in [(x, y) for x, y, _ in phones]:
                    phones.append((n, e, "Main number"))
        # testing_status is left out on purpose: OEPS's META_Access_FQHCs_MinDistance.md
        # says it is "COVID testing status (yes/no)" from 2020. It is not HIV
        # testing, no Waypost term fits, and a pandemic-era testing flag
        # would mislead today.
        if any(g("testing_status").lower() == "yes" for g in gets):
            b.stats["testing_status Yes (COVID-19 testing, 2020; not carried over)"] += 1
        desc = ("Listed by HRSA as a federally qualified health center site offering primary care "
                "(HRSA's list as compiled for the US COVID Atlas and published by the Opioid Environment "
                "Policy Scan in January 2021). Call ahead to confirm.")
        b.service(key, name, "", desc, org, loc, phones, ["primary-care"])
    b.stats["rows kept"] = len(b.services)
    return b


# --------------------------------------------------------------------------
# SAMHSA mental health facilities.
# --------------------------------------------------------------------------
def convert_mh(src_dir):
    b = Builder("samhsa-mental-health")
    header, rows = read_csv(os.path.join(src_dir, b.src["file"]))
    b.stats["rows read"] = len(rows)
    col = {name: i for i, name in enumerate(header)}
    seen = set()
    for n, r in enumerate(rows, 1):
        if n % 5000 == 0:
            progress("  %s: %d/%d rows" % (b.slug, n, len(rows)))
        if len(r) != len(header):
            b.stats["dropped: malformed row"] += 1
            continue
        get = getter(r, col)
        postal = zip5(get("zip"))
        key = norm_key(get("name1"), get("name2"), get("street1"), get("street2"), get("city"),
                       get("state"), postal)
        if key in seen:
            b.stats["dropped: exact duplicate row"] += 1
            continue
        seen.add(key)
        c = coord(get("latitude"), get("longitude"))
        if c is None:
            b.stats["dropped: no valid coordinates"] += 1
            continue
        if not in_us(*c):
            b.stats["dropped: coordinates outside the US and its territories"] += 1
            continue
        name1, name2, state = get("name1"), get("name2"), get("state")
        site = url(get("website"))
        if get("website") and not site and get("website") not in ("http://", "https://"):
            b.stats["websites left out (not a valid URL)"] += 1
        org = b.organization(norm_key(name1, state), name1,
                             "Named as a mental health facility in SAMHSA's treatment locator.")
        loc = b.location(norm_key(get("street1"), get("street2"), get("city"), state, postal),
                         c[0], c[1], get("street1"), get("street2"), get("city"), state, postal)
        phones = [(num, e, "Main number") for num, e in phones_in(get("phone"))]
        for field in ("intake1", "intake2"):
            for num, e in phones_in(get(field)):
                if (num, e) not in [(x, y) for x, y, _ in phones]:
                    phones.append((num, e, "Intake"))
        desc = ("Listed by SAMHSA's treatment locator as a mental health facility (as compiled by the "
                "Opioid Environment Policy Scan, January 2021). Call ahead to confirm.")
        b.service(key, name1, name2, desc, org, loc, phones, ["mental-health"], website=site)
    b.stats["rows kept"] = len(b.services)
    return b


# --------------------------------------------------------------------------
# EXAMPLE harm reduction services (New York City). Made up: names, phones
# (555-01xx, reserved for fiction) and web addresses (example.org) are not
# real. Street addresses are real streets but no such service is there.
# Times are local wall-clock times in America/New_York with no offset:
# HSDS 3.0's schedule.timezone is a fixed UTC offset, which cannot follow
# daylight saving time, so it is left out and the importer uses the
# configured time zone. closes_at earlier than opens_at runs past midnight;
# 00:00-23:59 on all seven days is open 24/7; a schedule with valid_from /
# valid_to and no times is a closure on those dates.
# --------------------------------------------------------------------------
EXAMPLE_AS_OF = "2026-11-27"
EXAMPLE_DESC = "Example listing shipped with Waypost to show how the finder works. Not a real service."
WEEKDAYS = "MO,TU,WE,TH,FR"
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"
EXAMPLES = [
    dict(key="harbor-lights-east-harlem", org="Harbor Lights Harm Reduction Collective",
         name="Harbor Lights Drop-in Center", place="East Harlem drop-in",
         what="A drop-in space with syringe services, naloxone, test strips, safer smoking supplies, "
              "wound care, food and peer support.",
         addr=("2150 Second Avenue", "", "New York", "NY", "10029"), at=(40.79512, -73.94105),
         phone="212-555-0101",
         terms=["syringe-services", "naloxone", "test-strips", "safer-smoking", "wound-care", "food",
                "peer-support"],
         attrs=["free", "walk-in", "no-id-required"], langs=[("English", "en"), ("Spanish", "es")],
         hours=[(WEEKDAYS, "10:00", "18:00", "Monday to Friday, 10 am to 6 pm"),
                ("SA", "11:00", "15:00", "Saturday, 11 am to 3 pm")],
         closed=[("2026-12-24", "2026-12-25", "Closed December 24 and 25, 2026")]),
    dict(key="harbor-lights-night-van", org="Harbor Lights Harm Reduction Collective",
         name="Harbor Lights Night Outreach Van", place="Night van stop, Hunts Point",
         what="An outreach van that parks overnight with syringes, naloxone and test strips.",
         addr=("Hunts Point Avenue and Garrison Avenue", "", "Bronx", "NY", "10474"), at=(40.81602, -73.88995),
         phone="718-555-0102",
         terms=["syringe-services", "naloxone", "test-strips", "safer-smoking"],
         attrs=["free", "walk-in", "no-id-required"], langs=[("English", "en"), ("Spanish", "es")],
         hours=[("TH,FR,SA", "21:00", "03:00",
                 "Thursday, Friday and Saturday nights, 9 pm to 3 am the next morning")]),
    dict(key="naloxone-box-mott-haven", org="Harbor Lights Harm Reduction Collective",
         name="Free Naloxone Vending Machine, Mott Haven", place="Naloxone vending machine, Mott Haven",
         what="A vending machine with free naloxone kits and fentanyl test strips, open all day and night.",
         addr=("540 East 138th Street", "Outside the entrance", "Bronx", "NY", "10454"), at=(40.80680, -73.91830),
         phone="718-555-0103",
         terms=["naloxone", "test-strips"],
         attrs=["free", "walk-in", "no-id-required"], langs=[],
         hours=[(ALL_DAYS, "00:00", "23:59", "Open 24 hours a day, 7 days a week")]),
    dict(key="five-borough-drug-checking-les", org="Five Borough Drug Checking Lab",
         name="Drug Checking Drop-in, Lower East Side", place="Lower East Side drug checking",
         what="Bring a small sample and get results in about 20 minutes from a trained technician. "
              "Also fentanyl and xylazine test strips to take home.",
         addr=("85 Delancey Street", "2nd floor", "New York", "NY", "10002"), at=(40.71875, -73.98890),
         phone="212-555-0104",
         terms=["drug-checking", "test-strips", "naloxone"],
         attrs=["free", "walk-in", "no-id-required"], langs=[("English", "en"), ("Spanish", "es"),
                                                           ("Chinese", "zh")],
         hours=[("TU,TH", "12:00", "19:00", "Tuesday and Thursday, noon to 7 pm"),
                ("SA", "10:00", "14:00", "Saturday, 10 am to 2 pm")]),
    dict(key="five-borough-drug-checking-bushwick", org="Five Borough Drug Checking Lab",
         name="Drug Checking Pop-up, Bushwick", place="Bushwick drug checking pop-up",
         what="A weekly drug checking table with test strips and naloxone.",
         addr=("1350 Myrtle Avenue", "", "Brooklyn", "NY", "11221"), at=(40.69745, -73.92660),
         phone="718-555-0105",
         terms=["drug-checking", "test-strips", "naloxone"],
         attrs=["free", "walk-in", "no-id-required"], langs=[("English", "en"), ("Spanish", "es")],
         hours=[("WE", "16:00", "20:00", "Wednesday, 4 pm to 8 pm")]),
    dict(key="supplies-by-mail", org="Harbor Lights Harm Reduction Collective",
         name="Supplies by Mail", place="Mail program office, Washington Heights",
         what="Order naloxone, test strips, syringes and safer smoking supplies online or by phone. "
              "Sent in plain packaging to any address in New York State.",
         addr=("4140 Broadway", "Suite 3", "New York", "NY", "10033"), at=(40.84675, -73.93795),
         phone="212-555-0106",
         terms=["mail-based-supplies", "naloxone", "test-strips", "syringe-services", "safer-smoking"],
         attrs=["free", "no-id-required"], langs=[("English", "en"), ("Spanish", "es")],
         hours=[(WEEKDAYS, "09:00", "17:00", "Phone orders Monday to Friday, 9 am to 5 pm; online orders any time")],
         area="New York State"),
    dict(key="uptown-overdose-prevention-center", org="Uptown Community Health Collective",
         name="Overdose Prevention Center, Harlem", place="Harlem overdose prevention center",
         what="A supervised place to use with staff ready to respond to an overdose, plus syringe services, "
              "naloxone, drug checking and links to care.",
         addr=("154 West 127th Street", "", "New York", "NY", "10027"), at=(40.81015, -73.94625),
         phone="212-555-0107",
         terms=["overdose-prevention-site", "syringe-services", "naloxone", "test-strips", "drug-checking",
                "peer-support"],
         attrs=["free", "walk-in", "no-id-required"], langs=[("English", "en"), ("Spanish", "es")],
         hours=[(ALL_DAYS, "08:00", "20:00", "Every day, 8 am to 8 pm")]),
    dict(key="uptown-low-threshold-clinic", org="Uptown Community Health Collective",
         name="Low-threshold Buprenorphine and Health Clinic", place="Harlem clinic",
         what="Same-day buprenorphine starts, HIV and hepatitis C testing and treatment, vaccines and "
              "wound care. Telehealth follow-up visits.",
         addr=("160 West 127th Street", "Ground floor", "New York", "NY", "10027"), at=(40.81030, -73.94660),
         phone="212-555-0108",
         terms=["buprenorphine", "hiv-testing", "hepatitis-c", "vaccination", "wound-care", "primary-care"],
         attrs=["walk-in", "telehealth", "medicaid", "medicare", "private-insurance", "sliding-fee"],
         langs=[("English", "en"), ("Spanish", "es")],
         hours=[(WEEKDAYS, "09:00", "17:00", "Monday to Friday, 9 am to 5 pm")]),
    dict(key="queens-womens-drop-in", org="Harbor Lights Harm Reduction Collective",
         name="Women's Drop-in, Jamaica", place="Jamaica women's drop-in",
         what="A drop-in for women and trans and nonbinary people: syringe services, naloxone, test strips, "
              "HIV testing, food and showers.",
         addr=("90-20 Parsons Boulevard", "", "Jamaica", "NY", "11432"), at=(40.70390, -73.80045),
         phone="718-555-0109",
         terms=["syringe-services", "naloxone", "test-strips", "hiv-testing", "food"],
         attrs=["free", "walk-in", "no-id-required", "women", "lgbtq"],
         langs=[("English", "en"), ("Spanish", "es"), ("Bengali", "bn")],
         hours=[("MO,WE,FR", "12:00", "18:00", "Monday, Wednesday and Friday, noon to 6 pm")]),
    dict(key="staten-island-pharmacy-naloxone", org="Harborside Community Pharmacy",
         name="Naloxone Without a Prescription", place="St. George pharmacy",
         what="Pharmacy naloxone without a prescription, and free fentanyl test strips at the counter.",
         addr=("45 Bay Street", "", "Staten Island", "NY", "10301"), at=(40.64205, -74.07645),
         phone="718-555-0110",
         terms=["naloxone", "test-strips"],
         attrs=["walk-in", "no-id-required", "medicaid", "private-insurance", "cash"],
         langs=[("English", "en")],
         hours=[(WEEKDAYS, "08:00", "21:00", "Monday to Friday, 8 am to 9 pm"),
                ("SA,SU", "10:00", "18:00", "Saturday and Sunday, 10 am to 6 pm")]),
    dict(key="youth-harm-reduction-brownsville", org="Uptown Community Health Collective",
         name="Youth Harm Reduction and Peer Support, Brownsville", place="Brownsville youth space",
         what="A space for people aged 16 to 24: naloxone training, test strips, peer support, "
              "mental health counselling and help with housing.",
         addr=("480 Rockaway Avenue", "", "Brooklyn", "NY", "11212"), at=(40.66455, -73.90865),
         phone="718-555-0111",
         terms=["naloxone", "test-strips", "peer-support", "mental-health", "housing"],
         attrs=["free", "walk-in", "no-id-required", "youth", "lgbtq"],
         langs=[("English", "en"), ("Spanish", "es")],
         hours=[("TU,WE,TH", "14:00", "20:00", "Tuesday to Thursday, 2 pm to 8 pm")]),
]


def build_examples():
    ns = source_ns("examples-harm-reduction")
    out = []
    for e in EXAMPLES:
        key = e["key"]
        sid = uid(ns, "service", key)
        oid = uid(ns, "organization", e["org"])
        lid = uid(ns, "location", key)
        sal_id = uid(ns, "service_at_location", key)
        a1, a2, city, state, postal = e["addr"]
        addr = OrderedDict([("id", uid(ns, "address", key)), ("address_1", a1)])
        if a2:
            addr["address_2"] = a2
        addr.update([("city", city), ("state_province", state), ("postal_code", postal), ("country", "US"),
                     ("address_type", "physical")])
        loc = OrderedDict([("id", lid), ("location_type", "physical"), ("name", "EXAMPLE: " + e["place"]),
                           ("description", "Example location shipped with Waypost. Not a real service."),
                           ("latitude", e["at"][0]), ("longitude", e["at"][1]), ("addresses", [addr])])
        schedules = []
        for byday, opens, closes, text in e["hours"]:
            schedules.append(OrderedDict([
                ("id", uid(ns, "schedule", key, byday, opens, closes)),
                ("freq", "WEEKLY"), ("byday", byday), ("opens_at", opens), ("closes_at", closes),
                ("description", text)]))
        # A closure: valid_from/valid_to and no opening times.
        for start, end, text in e.get("closed", []):
            schedules.append(OrderedDict([
                ("id", uid(ns, "schedule", key, "closed", start, end)), ("valid_from", start),
                ("valid_to", end), ("description", text)]))
        sal = OrderedDict([
            ("id", sal_id),
            ("phones", [OrderedDict([("id", uid(ns, "phone", key)),
                                     ("number", e["phone"]), ("type", "voice"),
                                     ("description", "Example number (not in service)")])]),
            ("schedules", schedules), ("location", loc)])
        s = OrderedDict([
            ("id", sid), ("organization_id", oid), ("name", "EXAMPLE: " + e["name"]),
            ("description", EXAMPLE_DESC + " " + e["what"]),
            ("url", "https://example.org/waypost-example/" + key), ("status", "active")])
        if "free" in e["attrs"]:
            s["fees_description"] = "Free."
        s["service_at_locations"] = [sal]
        if e.get("area"):
            s["service_areas"] = [OrderedDict([
                ("id", uid(ns, "service_area", key)), ("name", e["area"]),
                ("description", "Mails supplies to addresses in " + e["area"] + ".")])]
        if e["langs"]:
            s["languages"] = [OrderedDict([("id", uid(ns, "language", key, code)), ("name", name),
                                           ("code", code)]) for name, code in e["langs"]]
        s["organization"] = OrderedDict([
            ("id", oid), ("name", "EXAMPLE: " + e["org"]),
            ("description", "Example organization shipped with Waypost. Not a real organization."),
            ("website", "https://example.org/waypost-example/")])
        s["attributes"] = [OrderedDict([
            ("id", uid(ns, "attribute", key, code)), ("link_type", LINK_TYPE[code]),
            ("taxonomy_term", waypost_term(code))]) for code in e["terms"] + e["attrs"]]
        s["metadata"] = [OrderedDict([
            ("id", uid(ns, "metadata", key)), ("resource_id", sid), ("resource_type", "service"),
            ("last_action_date", EXAMPLE_AS_OF), ("last_action_type", "create"), ("field_name", ""),
            ("previous_value", ""), ("replacement_value", ""), ("updated_by", "Waypost example data")])]
        out.append(s)
    return sort_services(out)


# --------------------------------------------------------------------------
# Output.
# --------------------------------------------------------------------------
def sort_key(s):
    a = s["service_at_locations"][0]["location"]["addresses"][0]
    return (a["state_province"], a["city"].casefold(), a["postal_code"], s["name"].casefold(), s["id"])


def sort_services(services):
    return sorted(services, key=sort_key)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_ndjson(path, services, gz):
    data = "".join(dumps(s) + "\n" for s in services).encode("utf-8")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        if gz:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as g:
                g.write(data)
        else:
            f.write(data)
    os.replace(tmp, path)
    return len(data), os.path.getsize(path)


def check_codes_known():
    """Every Waypost code this converter writes is in the taxonomy file;
    stops the run naming the ones that are not."""
    used = [(c, "SAMHSA_CODES[%s]" % k) for k, (_, codes) in SAMHSA_CODES.items() for c in codes]
    used += [(c, "EXAMPLES %s" % e["key"]) for e in EXAMPLES for c in e["terms"] + e["attrs"]]
    used += [(c, "SHORT") for c in SHORT] + [(c, "PAY_NAMES") for c in PAY_NAMES]
    unknown = sorted({"%s (%s)" % (c, where) for c, where in used if c not in ALL_TERMS})
    if unknown:
        sys.exit("codes not in %s: %s" % (os.path.relpath(TAXONOMY_FILE, ROOT), ", ".join(unknown)))


def check_unique_ids(services, label):
    """Shared objects (locations, organizations) may repeat; anything else
    must not. Stops the run on a clash."""
    seen = {}
    shared = ("location", "organization", "taxonomy_term")

    def walk(o, kind):
        if isinstance(o, dict):
            if "id" in o:
                prev = seen.get(o["id"])
                this = (kind, dumps(o) if kind in shared else None)
                if prev is None:
                    seen[o["id"]] = this
                elif kind not in shared or prev != this:
                    sys.exit("%s: id %s used twice (%s, %s)" % (label, o["id"], prev[0], kind))
                else:
                    return  # the same shared object again: its insides were checked
            for k, v in o.items():
                if isinstance(v, (dict, list)):
                    walk(v, k)
        elif isinstance(o, list):
            for v in o:
                walk(v, kind)
    for s in services:
        walk(s, "service")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source_dir", nargs="?", default=DEFAULT_SRC,
                    help="folder with the OEPS CSV files (default: %(default)s)")
    args = ap.parse_args()
    if not os.path.isdir(args.source_dir):
        sys.exit("no such folder: %s" % args.source_dir)
    os.makedirs(OUT_DIR, exist_ok=True)
    check_codes_known()
    progress("read %s (%d codes)" % (os.path.relpath(TAXONOMY_FILE, ROOT), len(ALL_TERMS)))

    summary = []
    for slug, fn in (("samhsa-moud-2020", convert_moud), ("samhsa-otp-2017", convert_otp),
                     ("hrsa-fqhc", convert_hrsa), ("samhsa-mental-health", convert_mh)):
        progress("reading %s ..." % SOURCES[slug]["file"])
        b = fn(args.source_dir)
        services = sort_services(b.services)
        check_unique_ids(services, slug)
        raw, size = write_ndjson(os.path.join(OUT_DIR, SOURCES[slug]["out"]), services, True)
        progress("  wrote %s: %d services, %d locations, %d organizations, %d bytes (%d uncompressed)"
                 % (SOURCES[slug]["out"], len(services), len(b.locations), len(b.organizations), size, raw))
        summary.append((slug, b, len(services), size))
        if getattr(b, "unmapped", None):
            progress("  SAMHSA codes kept only as raw codes (not mapped): %d distinct" % len(b.unmapped))

    examples = build_examples()
    check_unique_ids(examples, "examples")
    raw, size = write_ndjson(os.path.join(OUT_DIR, "examples-harm-reduction.ndjson"), examples, False)
    progress("wrote examples-harm-reduction.ndjson: %d EXAMPLE services, %d bytes" % (len(examples), size))

    progress("\nsummary")
    total = 0
    for slug, b, n, size in summary:
        total += size
        progress("  %s (%s)" % (slug, SOURCES[slug]["file"]))
        for k, v in sorted(b.stats.items(), key=lambda kv: (not kv[0].startswith("rows"), kv[0])):
            progress("    %-70s %6d" % (k, v))
        progress("    %-70s %6d" % ("services written", n))
    progress("  gzip total %d bytes" % total)


if __name__ == "__main__":
    main()
