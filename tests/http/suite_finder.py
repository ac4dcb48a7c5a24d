"""HTTP tests of the finder's answers where nothing is near (issue 10,
"Finding naloxone and syringes anywhere in the US"): the over-the-counter
naloxone fact, programmes that mail to the person's state, the Never Use
Alone line and pharmacy syringe rules; "Where?" as a city and state, a
county or a state, with "did you mean"; distances in miles; EXAMPLE
listings only with `seed --examples`, and never "Example EXAMPLE:"; the
API's Waypost codes (taxonomy_term_id=naloxone, code=naloxone).

run.py collects TESTS (each given the shared server). Tests that need the
bundled mail programmes use one more server, started once, whose database
also has data/directory/mail-based-supplies.ndjson."""
import atexit
import csv
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse

from harness import BIN, ROOT, SEED, Server, main_of, page

TESTS = []
MAIL = "data/directory/mail-based-supplies.ndjson"
_srv = []


def test(fn):
    TESTS.append(fn)
    return fn


def mail_server():
    """The server with the mail programmes, started on first use."""
    if not _srv:
        s = Server(seed=SEED + [MAIL])
        atexit.register(s.cleanup)
        _srv.append(s)
    return _srv[0]


def visible(fragment):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def zip_per_state():
    """One ZIP code per state (the first ZCTA of each, 50 states), from the
    bundled Census files."""
    with open(os.path.join(ROOT, "data/geo/zcta2020_centroids.csv"), encoding="utf-8") as f:
        known = {r["zcta"] for r in csv.DictReader(f)}
    first = {}
    with open(os.path.join(ROOT, "data/geo/zcta2010_state_county.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["zcta"] in known and r["state"] not in ("DC", "PR") and r["zcta"] < first.get(r["state"], "99999z"):
                first[r["state"]] = r["zcta"]
    assert len(first) == 50, sorted(first)
    return first


# What counts as a way to get naloxone on the page: a local listing, the
# pharmacy fact (in full, or the note above local results), or a programme
# that mails it.
WAYS = ['<li class="listing"', 'id="wp-pharmacy"', "also sold at most pharmacies without a prescription",
        'id="wp-by-mail"']


@test
def naloxone_search_at_50_zips_shows_a_way_on_the_first_screen(srv):
    s = mail_server()
    for st, z in sorted(zip_per_state().items()):
        text = main_of(page(s, "/find/naloxone?where=%s" % z))
        where = [text.find(w) for w in WAYS if w in text]
        assert where, "%s %s: no way to get naloxone" % (st, z)
        first = min(where)
        # before the map and the search form, and within the first ~600
        # characters of text (a 360x740 screen holds about 700)
        for fold in ['class="map-figure"', '<form class="find-form"']:
            if fold in text:
                assert first < text.index(fold), "%s %s: the first way comes after %s" % (st, z, fold)
        assert len(visible(text[:first])) < 600, (st, z, visible(text[:first]))
        assert "800-484-3731" in text, (st, z)


@test
def no_local_result_shows_the_states_mail_programmes_first(srv):
    s = mail_server()
    text = main_of(page(s, "/find/naloxone?where=Austin,+TX&radius=5"))
    assert "Ways to get naloxone in Texas" in text
    assert text.index('id="wp-anywhere"') < text.index('<form class="find-form"')
    assert "More Narcan Please" in text and "NEXT Distro" in text
    assert text.index("More Narcan Please") < text.index("NEXT Distro"), "the state's own programmes come first"
    assert "checked on 2026-12-04" in text and "https://morenarcanplease.com/" in text
    assert "without a prescription" in text and "about $45" in text
    text = main_of(page(s, "/find/naloxone?where=97214"))
    assert "Ways to get naloxone in Oregon" in text and "NEXT Distro" in text
    assert "More Narcan Please" not in text and "Harm Reduction Ohio" not in text
    text = main_of(page(s, "/find?what=test-strips&where=97214"))
    assert "DanceSafe" in text and 'id="wp-pharmacy"' not in text
    sid = re.search(r'href="/services/([0-9a-f-]+)">More Narcan Please', page(s, "/find/naloxone?where=Austin,+TX"))
    item = main_of(page(s, "/services/" + sid.group(1)))
    assert "Area served" in item and "Texas" in item and "Directions" not in item and "geo:" not in item


@test
def local_results_come_first_then_other_ways(srv):
    s = mail_server()
    text = main_of(page(s, "/find/naloxone?where=10001"))
    first_listing = text.index('<li class="listing"')
    assert "also sold at most pharmacies without a prescription" in text
    assert first_listing < text.index('id="wp-anywhere"') < text.index('<form class="find-form"')
    assert "More ways to get naloxone" in text


@test
def syringe_search_says_how_pharmacy_sales_work_in_the_state(srv):
    s = mail_server()
    text = main_of(page(s, "/find/syringes?where=Los+Angeles,+CA"))
    assert "In California, pharmacies may sell syringes" in text and "leginfo.legislature.ca.gov" in text
    text = main_of(page(s, "/find/syringes?where=Boise,+ID"))
    assert "We do not have a checked summary" in text and "health department" in text
    assert "Ways to get syringes in Idaho" in text and "NASEN" in text


def zip_inside_state():
    """One ZIP code per state (50 states) that the Census puts in that state
    and whose ZIP range (the "r" lines of data/geo/places.tsv, which the
    finder uses to name the state) agrees, so the finder cannot place it in
    a neighbouring state: zip_per_state's first ZCTA can cross a state line
    (51360 is a Minnesota ZCTA in Iowa's ZIP range)."""
    ranges = []
    with open(os.path.join(ROOT, "data/geo/places.tsv"), encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            if len(r) == 4 and r[0] == "r":
                ranges.append((r[1], r[2], r[3]))
    with open(os.path.join(ROOT, "data/geo/zcta2020_centroids.csv"), encoding="utf-8") as f:
        known = {r["zcta"] for r in csv.DictReader(f)}
    first = {}
    with open(os.path.join(ROOT, "data/geo/zcta2010_state_county.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            z, st = r["zcta"], r["state"]
            if z in known and st not in ("DC", "PR") and z < first.get(st, "99999z") \
                    and any(a <= z <= b and s == st for a, b, s in ranges):
                first[st] = z
    assert len(first) == 50, sorted(first)
    return first


# Sourced per-state entries (issue 10): (state, finder page, text only that
# state's entry has, its source's host). Each must show at one ZIP of its
# state and at no other state's ZIP.
SOURCED = [
    ("IL", "syringes", "In Illinois, a pharmacist may sell up to 100", "ilga.gov"),
    ("KY", "syringes", "In Kentucky, a 2021 state law", "inthestates.nacds.org"),
    ("AK", "syringes", "In Alaska, a national summary by NASTAD", "nastad.org"),
    ("CT", "syringes", "In Connecticut, a pharmacy may sell up to 10", "instalawyer.io"),
    ("MA", "syringes", "In Massachusetts, pharmacies may sell syringes", "www.mass.gov"),
    ("MN", "syringes", "In Minnesota, a law in force since 1998", "health.state.mn.us"),
    ("OR", "syringes", "In Oregon, state law says syringes may not be sold", "oregon.public.law"),
    ("NJ", "syringes", "In New Jersey, a pharmacy may sell up to 10", "www.villanideluca.com"),
    ("DE", "syringes", "In Delaware, since a 2021 change to the law", "codes.findlaw.com"),
    ("RI", "syringes", "In Rhode Island, syringes and needles may be sold only", "lawserver.com"),
    ("NH", "syringes", "In New Hampshire, a 2015 local news report", "www.areanewsgroup.com"),
    ("NC", "syringes", "In North Carolina, state law allows pharmacies to sell syringes", "www.nchrc.org"),
    ("PA", "syringes", "In Pennsylvania, a 2009 State Board of Pharmacy rule", "pacodeandbulletin.gov"),
    ("VT", "syringes", "In Vermont, a 2014 Vermont Public report", "www.vermontpublic.org/vpr-news"),
    ("DE", "naloxone", "Delaware Division of Public Health", "news.delaware.gov"),
    ("SD", "naloxone", "South Dakota: free naloxone by mail from NEXT Distro", "nextdistro.org/southdakota"),
    ("ND", "naloxone", "North Dakota Health and Human Services: ask for a free naloxone kit", "www.hhs.nd.gov"),
    ("MS", "naloxone", "Mississippi State Department of Health: free naloxone kits by mail", "odfree.org"),
    ("WA", "naloxone", "Washington State Department of Health: free naloxone by mail", "www.spokesman.com"),
    ("VT", "naloxone", "Vermont Department of Health: free naloxone and fentanyl test strips", "www.vermontpublic.org"),
    ("PA", "naloxone", "Pennsylvania: free naloxone mailed to your home", "www.ddap.pa.gov"),
    ("MI", "naloxone", "Michigan: free naloxone by mail through NEXT Naloxone", "grbj.com"),
    ("OK", "naloxone", "Oklahoma: free naloxone and fentanyl test strip kits", "okimready.org"),
    ("WI", "naloxone", "Wisconsin: free naloxone by mail through NEXT Distro", "www.dhs.wisconsin.gov"),
    ("UT", "naloxone", "Utah Naloxone: free naloxone kits", "utahvalleydpc.org"),
    ("ME", "naloxone", "Maine: naloxone by mail from Maine Access Points", "nextdistro.org/maine"),
    ("KY", "naloxone", "Kentucky: naloxone by mail from the Kentucky Harm Reduction Coalition", "recoverycenterofexcellence.org"),
    ("CA", "naloxone", "California: naloxone by mail through NEXT Distro", "www.cdph.ca.gov"),
    ("NY", "naloxone", "New York: free naloxone and drug test strips ordered online", "www.wrfalp.com"),
    ("TN", "naloxone", "Tennessee Harm Reduction: free Narcan by mail", "tennesseeharmreduction.com"),
    ("MD", "naloxone", "Maryland: free naloxone by mail in some counties", "stopoverdose.maryland.gov"),
    ("AL", "naloxone", "Alabama: free Narcan kit by mail", "mh.alabama.gov"),
]


@test
def sourced_state_entries_show_in_their_state(srv):
    s = mail_server()
    zips = zip_inside_state()
    pages = {}
    for what in sorted({w for _, w, _, _ in SOURCED}):
        for st, z in zips.items():
            pages[(what, st)] = html.unescape(main_of(page(s, "/find/%s?where=%s" % (what, z))))
    for st, what, needle, host in SOURCED:
        text = pages[(what, st)]
        assert needle in text and host in text, (st, what, needle)
        others = [o for (w, o), t in pages.items() if w == what and o != st and needle in t]
        assert not others, (needle, "also shows in", others)


@test
def where_takes_cities_counties_and_states(srv):
    for where, label in [("Denver, CO", "Denver, CO"), ("denver co", "Denver, CO"),
                         ("Multnomah County, OR", "Multnomah County, OR"), ("10001", "ZIP 10001")]:
        text = page(srv, "/find?what=methadone&radius=25&where=" + urllib.parse.quote(where))
        assert "Results near %s" % label in text, where
    text = page(srv, "/find?what=methadone&where=Denver")
    assert "Results near Denver, CO" in text and "Not the place you meant?" in text
    text = page(srv, "/find/naloxone?where=Texas")
    assert "add a city or ZIP code in Texas" in text and "Ways to get naloxone in Texas" in text


@test
def ambiguous_or_misspelt_places_get_did_you_mean_links(srv):
    text = page(srv, "/find?what=naloxone&where=Portlnd,+OR", 400)
    assert "We could not find that place" in text and "Did you mean:" in text
    links = re.findall(r'<li><a href="(/find\?what=naloxone&amp;where=[^"]+)">([^<]+)</a>', text)
    assert links and links[0][1] == "Portland, OR", links
    target = page(srv, html.unescape(links[0][0]))
    assert "Results near Portland, OR" in target
    text = page(srv, "/find?what=naloxone&where=Springfield")
    assert "more than one place" in text
    links = re.findall(r'<li><a href="(/find\?what=naloxone&amp;where=[^"]+)">([^<]+)</a>', text)
    assert 2 <= len(links) <= 6 and all(", " in label for _, label in links), links
    for href, label in links:
        assert "Results near " + label in page(srv, html.unescape(href))
    assert "We could not find" in page(srv, "/find?where=qqqqqqqq", 400)


@test
def distances_on_pages_say_miles(srv):
    text = page(srv, "/find/naloxone?where=10001")
    d = re.findall(r"<strong>([\d.]+) miles</strong>", text)
    cards = re.sub(r"<svg.*?</svg>", "", text, flags=re.S)  # the map's rings and scale bar say "5 mi"
    assert len(d) >= 2 and not re.search(r"\d mi<", cards), d


@test
def example_listings_say_example_once(srv):
    text = page(srv, "/find/naloxone?where=10001")
    assert '<span class="badge">Example</span> EXAMPLE' not in text
    assert '<span class="badge">Example</span> Free Naloxone Vending Machine' in text
    sid = re.search(r'href="/services/([0-9a-f-]+)"><span class="badge">', text).group(1)
    item = page(srv, "/services/" + sid)
    h1 = re.search(r"<h1>(.*?)</h1>", item).group(1)
    assert "EXAMPLE" not in h1 and "Example" in h1, h1


def tiny_data_dir():
    """A data folder like data/ whose big directory files hold only their
    first service, so a seed takes seconds: the examples and the mail
    programmes are real."""
    d = tempfile.mkdtemp(prefix="waypost-data-")
    for name in os.listdir(os.path.join(ROOT, "data")):
        if name != "directory":
            os.symlink(os.path.join(ROOT, "data", name), os.path.join(d, name))
    os.mkdir(os.path.join(d, "directory"))
    for name in os.listdir(os.path.join(ROOT, "data", "directory")):
        dst = os.path.join(d, "directory", name)
        if name.endswith(".gz"):
            with gzip.open(os.path.join(ROOT, "data", "directory", name), "rb") as f:
                first = f.readline()
            with gzip.open(dst, "wb") as f:
                f.write(first)
        else:
            os.symlink(os.path.join(ROOT, "data", "directory", name), dst)
    return d


@test
def seed_leaves_examples_out_unless_asked(srv):
    data = tiny_data_dir()
    try:
        db = os.path.join(data, "seed.db")

        def count(sql):
            return int(subprocess.run(["sqlite3", db, sql], capture_output=True, text=True).stdout.strip() or 0)

        def seed(*extra):
            p = subprocess.run([BIN, "seed", "--db", db, "--data_dir", data] + list(extra), cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
            assert p.returncode == 0, p.stderr

        seed()
        assert count("SELECT count(*) FROM dir_service WHERE is_example = 1") == 0
        assert count("SELECT count(*) FROM dir_service WHERE name LIKE 'NEXT Distro%'") == 1
        seed("--examples")
        assert count("SELECT count(*) FROM dir_service WHERE is_example = 1") == 11
        p = subprocess.run([BIN, "help"], capture_output=True, text=True)
        assert "--examples" in p.stdout
    finally:
        shutil.rmtree(data, ignore_errors=True)


def api(srv, path, status=200):
    st, _, body, _ = srv.get(path)
    assert st == status, "%s: %d %r" % (path, st, body[:200])
    return json.loads(body)


@test
def api_takes_waypost_codes(srv):
    by_id = api(srv, "/api/v1/services?taxonomy_term_id=ace88573-f956-52ae-98fd-21e4b91ad5e7&per_page=100")
    by_code = api(srv, "/api/v1/services?taxonomy_term_id=naloxone&per_page=100")
    by_param = api(srv, "/api/v1/services?code=naloxone&per_page=100")
    ids = sorted(s["id"] for s in by_id["contents"])
    assert ids and ids == sorted(s["id"] for s in by_code["contents"]) == sorted(s["id"] for s in by_param["contents"])
    both = api(srv, "/api/v1/services?code=naloxone&code=drug-checking&per_page=100")
    assert 0 < both["total_items"] < by_code["total_items"]
    near = api(srv, "/api/v1/service_at_locations?code=naloxone&postcode=10029&proximity=10000")
    assert near["contents"] and all("distance" in r for r in near["contents"])
    d = [r["distance"] for r in near["contents"]]
    assert d == sorted(d) and all(isinstance(x, int) and x <= 10000 for x in d), d
    err = api(srv, "/api/v1/services?code=unicorns", 400)
    assert err["error"]["parameter"] == "code"
    err = api(srv, "/api/v1/service_at_locations?taxonomy_term_id=unicorns", 400)
    assert err["error"]["parameter"] == "taxonomy_term_id"
    doc = api(srv, "/api/v1/openapi.json")
    assert "code" in doc["components"]["parameters"]
    assert "metres" in doc["components"]["parameters"]["proximity"]["description"]


@test
def about_credits_geonames(srv):
    text = page(srv, "/about")
    assert "GeoNames" in text and "CC BY 4.0" in text
