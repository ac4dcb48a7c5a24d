"""HTTP tests of the HSDS 3.0 API under /api/v1/ (src/locator/locator_api.c).

TESTS is a list of functions, each given the shared, seeded harness Server
(harness.SEED: the Waypost taxonomy, the example harm reduction services in
New York City and SAMHSA's 2017 opioid treatment programs). Responses are
also checked against the HSDS 3.0 schemas with Ajv (validate_hsds.mjs,
installed with `npm ci --prefix tests/http` when node_modules is missing)."""
import json
import re
import math
import os
import subprocess
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
WAYPOST_TAXONOMY = "1ffc8755-6460-51ac-9673-4e3eee8feaae"
BRONX = (40.8068, -73.9183)  # the example naloxone vending machine (open 24 hours)
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def get_json(srv, path, status=200):
    st, h, body, _ = srv.get(path)
    assert st == status, "%s: %d %r" % (path, st, body[:300])
    assert h.get("content-type", "").startswith("application/json"), (path, h.get("content-type"))
    return json.loads(body)


def get_ndjson(srv, path):
    # a whole-directory NDJSON answer is built in memory (issue 17): give a
    # loaded machine time, since this test checks content, not speed
    st, h, body, _ = srv.request("GET", path, timeout=120)
    assert st == 200, "%s: %d %r" % (path, st, body[:300])
    assert h.get("content-type", "").startswith("application/x-ndjson"), h.get("content-type")
    text = body.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.split("\n") if line]


def q(path, **params):
    items = []
    for k, v in params.items():
        for one in (v if isinstance(v, list) else [v]):
            items.append((k, str(one)))
    return path + ("?" + urllib.parse.urlencode(items) if items else "")


def check_page(page, page_number, per_page):
    """The HSDS page fields agree with each other and with contents."""
    for k in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"):
        assert k in page, "page lacks " + k
    total = page["total_items"]
    assert page["total_pages"] == math.ceil(total / per_page), page
    assert page["page_number"] == page_number
    expect = max(0, min(per_page, total - (page_number - 1) * per_page))
    assert page["size"] == len(page["contents"]) == expect, (page["size"], len(page["contents"]), expect)
    assert page["first_page"] == (page_number == 1)
    assert page["last_page"] == (page_number >= page["total_pages"])
    assert page["empty"] == (expect == 0)


def ensure_ajv():
    """Installs tests/http's npm packages (package-lock.json) when any is missing."""
    wanted = json.load(open(os.path.join(HERE, "package.json")))["dependencies"]
    if not all(os.path.isdir(os.path.join(HERE, "node_modules", name)) for name in wanted):
        subprocess.run(["npm", "ci", "--prefix", HERE, "--no-audit", "--no-fund"], check=True,
                       stdout=subprocess.DEVNULL)


def hsds_valid(schema, doc, mode=None):
    """Validates doc (an object, a page, or a list of ndjson objects) with Ajv."""
    ensure_ajv()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        if mode == "ndjson":
            f.write("".join(json.dumps(d) + "\n" for d in doc))
        else:
            json.dump(doc, f)
        path = f.name
    try:
        args = ["node", os.path.join(HERE, "validate_hsds.mjs")] + (["--" + mode] if mode else []) + [schema, path]
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert r.returncode == 0, r.stdout
        assert r.stdout.startswith("ok "), r.stdout
    finally:
        os.unlink(path)


def bad(srv, path, parameter):
    err = get_json(srv, path, 400)["error"]
    assert err["status"] == 400 and err["message"], err
    assert err.get("parameter") == parameter, (path, err)


def term_id(srv, code, taxonomy_id=WAYPOST_TAXONOMY):
    page = get_json(srv, q("/api/v1/taxonomy_terms", taxonomy_id=taxonomy_id, per_page=100))
    for t in page["contents"]:
        if t.get("code") == code:
            return t["id"]
    raise AssertionError("no term " + code)


def distances(items):
    d = [it["distance"] for it in items]
    assert all(isinstance(x, int) and x >= 0 for x in d), d
    assert d == sorted(d), d
    return d


@test
def test_api_root_and_openapi(srv):
    root = get_json(srv, "/api/v1")
    assert root["version"] == "3.0" and root["openapi_url"] == "/api/v1/openapi.json"
    doc = get_json(srv, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    for p in ("/services", "/services/{id}", "/organizations", "/organizations/{id}", "/service_at_locations",
              "/service_at_locations/{id}", "/taxonomies", "/taxonomies/{id}", "/taxonomy_terms",
              "/taxonomy_terms/{id}"):
        assert p in doc["paths"], p
    # the staff API (bearer token): services and alerts, with their answers
    assert doc["components"]["securitySchemes"]["staffToken"] == {**doc["components"]["securitySchemes"]["staffToken"],
                                                                  "type": "http", "scheme": "bearer"}
    want = {("/services", "post"): {"201", "200", "400", "401", "403", "415", "422"},
            ("/services/{id}", "delete"): {"204", "401", "403", "404"},
            ("/alerts", "post"): {"201", "400", "401", "403", "422"},
            ("/alerts/{id}", "put"): {"200", "400", "401", "403", "404", "422"},
            ("/alerts/{id}", "delete"): {"200", "401", "403", "404"}}
    for (path, method), codes in want.items():
        op = doc["paths"][path][method]
        assert op["security"] == [{"staffToken": []}], (path, method)
        assert codes <= set(op["responses"]), (path, method, sorted(op["responses"]))
        refs = json.dumps(op["responses"])
        assert all(s.startswith("#/components/") or s.startswith("https://") for s in re.findall(r'"\$ref": "([^"]+)"', refs))
    assert "field" in doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
    body = doc["paths"]["/services"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/service.json"), body
    names = {p["name"] for p in doc["components"]["parameters"].values() if p.get("x-waypost-extension")}
    assert {"lat", "lon", "open_now"} <= names, names
    with open(os.path.join(HERE, "..", "..", "data", "openapi.json"), "rb") as f:
        assert json.loads(f.read()) == doc


@test
def test_services_pagination(srv):
    first = get_json(srv, q("/api/v1/services", per_page=7))
    check_page(first, 1, 7)
    total = first["total_items"]
    assert total > 1000, total
    second = get_json(srv, q("/api/v1/services", per_page=7, page=2))
    check_page(second, 2, 7)
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert ids == sorted(ids) and len(set(ids)) == 14
    last = get_json(srv, q("/api/v1/services", per_page=7, page=first["total_pages"]))
    check_page(last, first["total_pages"], 7)
    assert last["size"] == total - (first["total_pages"] - 1) * 7 and last["last_page"]
    beyond = get_json(srv, q("/api/v1/services", per_page=7, page=first["total_pages"] + 1))
    check_page(beyond, first["total_pages"] + 1, 7)
    assert beyond["empty"] and beyond["contents"] == []
    default = get_json(srv, "/api/v1/services")
    check_page(default, 1, 20)
    assert default["size"] == 20 and default["total_items"] == total
    hsds_valid("service_list", first, "page")
    hsds_valid("service", first["contents"][0])


@test
def test_services_ndjson(srv):
    total = get_json(srv, q("/api/v1/services", per_page=1))["total_items"]
    rows = get_ndjson(srv, q("/api/v1/services", format="ndjson"))
    assert len(rows) == total, (len(rows), total)
    assert all("contents" not in r and "id" in r for r in rows)
    assert len({r["id"] for r in rows}) == total
    three = get_ndjson(srv, q("/api/v1/services", format="ndjson", per_page=3, page=2))
    assert [r["id"] for r in three] == [r["id"] for r in rows[3:6]]
    hsds_valid("service", rows, "ndjson")


@test
def test_service_by_id(srv):
    one = get_json(srv, q("/api/v1/services", per_page=1))["contents"][0]
    assert not any(isinstance(v, list) for v in one.values()), one
    got = get_json(srv, "/api/v1/services/" + one["id"])
    assert {k: v for k, v in got.items() if not isinstance(v, list)} == one
    assert got["service_at_locations"], got
    whole = get_json(srv, q("/api/v1/services", per_page=1, full="true"))["contents"][0]
    assert whole == got
    hsds_valid("service", got)
    err = get_json(srv, "/api/v1/services/00000000-0000-0000-0000-000000000000", 404)["error"]
    assert err["status"] == 404


@test
def test_services_modified_after(srv):
    total = get_json(srv, q("/api/v1/services", per_page=1))["total_items"]
    for since in ("2000-01-01", "2000-01-01T00:00:00Z", "2000-01-01T05:00:00+05:00", "2000-01-01T00:00"):
        assert get_json(srv, q("/api/v1/services", modified_after=since, per_page=1))["total_items"] == total, since
    future = get_json(srv, q("/api/v1/services", modified_after="2999-01-01"))
    check_page(future, 1, 20)
    assert future["total_items"] == 0 and future["empty"]
    assert get_ndjson(srv, q("/api/v1/services", modified_after="2999-01-01T00:00:00Z", format="ndjson")) == []
    for b in ("yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00:00Z", "2024-01-01Tx", "20240101"):
        bad(srv, q("/api/v1/services", modified_after=b), "modified_after")


@test
def test_organizations(srv):
    page = get_json(srv, q("/api/v1/organizations", per_page=5))
    check_page(page, 1, 5)
    assert page["total_items"] > 100
    hsds_valid("organization_list", page, "page")
    org = page["contents"][0]
    full = get_json(srv, "/api/v1/organizations/" + org["id"])
    assert full["id"] == org["id"] and full["name"] == org["name"]
    assert full["services"] and all(s.get("organization_id") == org["id"] for s in full["services"])
    assert all("service_at_locations" not in s for s in full["services"])
    hsds_valid("organization", full)
    rows = get_ndjson(srv, q("/api/v1/organizations", format="ndjson"))
    assert len(rows) == page["total_items"]
    get_json(srv, "/api/v1/organizations/no-such-organization", 404)


@test
def test_service_at_locations_list_and_detail(srv):
    page = get_json(srv, q("/api/v1/service_at_locations", per_page=10, page=3))
    check_page(page, 3, 10)
    hsds_valid("service_at_location_list", page, "page")
    for it in page["contents"]:
        assert it["service_id"] == it["service"]["id"] and it["location_id"] == it["location"]["id"]
        assert "distance" not in it
        assert not any(isinstance(v, list) for v in it["service"].values())
    one = page["contents"][0]
    full = get_json(srv, "/api/v1/service_at_locations/" + one["id"])
    assert full["id"] == one["id"] and full["service"]["id"] == one["service_id"]
    assert full["location"]["id"] == one["location_id"]
    assert "service_at_locations" not in full["service"]
    hsds_valid("service_at_location", full)
    get_json(srv, "/api/v1/service_at_locations/00000000-0000-0000-0000-000000000000", 404)


@test
def test_service_at_locations_proximity(srv):
    lat, lon = BRONX
    near = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=5000, per_page=100))
    check_page(near, 1, 100)
    assert near["total_items"] >= 3, near["total_items"]
    d = distances(near["contents"])
    assert d[0] < 50 and d[-1] <= 5000, d
    wide = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=50000, per_page=100))
    assert wide["total_items"] > near["total_items"]
    assert [i["id"] for i in wide["contents"][:near["total_items"]]] == [i["id"] for i in near["contents"]]
    # Across pages: page 2 carries on where page 1 stopped.
    p1 = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, per_page=5))
    p2 = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, per_page=5, page=2))
    check_page(p2, 2, 5)
    distances(p1["contents"] + p2["contents"])
    # From a point, total_items is exact when the matches end within the
    # page, else a lower bound promising at least one more page.
    every = get_json(srv, q("/api/v1/service_at_locations", per_page=1))["total_items"]
    assert p1["total_items"] == 6 and p1["last_page"] is False, p1["total_items"]
    last = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, per_page=100, page=(every + 99) // 100))
    assert last["last_page"] is True and last["total_items"] == every, (last["total_items"], every)
    # Alaska from Anchorage, across a long way: still sorted.
    far = get_json(srv, q("/api/v1/service_at_locations", lat=61.2, lon=-149.9, per_page=50))
    distances(far["contents"])
    hsds_valid("service_at_location_list", near, "page")
    rows = get_ndjson(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=50000, format="ndjson"))
    # ndjson has every match; the page's total is exact or "at least one more"
    assert len(rows) == wide["total_items"] or (not wide["last_page"] and len(rows) >= wide["total_items"])
    assert [r["id"] for r in rows[:100]] == [i["id"] for i in wide["contents"]]
    distances(rows)


@test
def test_service_at_locations_postcode(srv):
    page = get_json(srv, q("/api/v1/service_at_locations", postcode="10454"))
    assert page["total_items"] >= 1
    for it in page["contents"]:
        codes = [a.get("postal_code", "")[:5] for a in it["location"].get("addresses", [])]
        assert "10454" in codes, codes
    distances(page["contents"])
    prox = get_json(srv, q("/api/v1/service_at_locations", postcode="10454", proximity=4000, per_page=100))
    assert prox["total_items"] >= page["total_items"]
    d = distances(prox["contents"])
    assert d and d[-1] <= 4000
    bad(srv, q("/api/v1/service_at_locations", postcode="1045"), "postcode")
    bad(srv, q("/api/v1/service_at_locations", postcode="ABCDE"), "postcode")
    bad(srv, q("/api/v1/service_at_locations", postcode="00000", proximity=1000), "postcode")


def service_terms(srv, service_id):
    svc = get_json(srv, "/api/v1/services/" + service_id)
    return {a["taxonomy_term"]["id"] for a in svc.get("attributes", []) if a.get("taxonomy_term")}


@test
def test_service_at_locations_taxonomy_term(srv):
    lat, lon = BRONX
    nal = term_id(srv, "naloxone")
    near = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000,
                           taxonomy_term_id=nal, per_page=100))
    assert near["total_items"] >= 3
    distances(near["contents"])
    for it in near["contents"]:
        assert nal in service_terms(srv, it["service_id"]), it["service"]["name"]
    # The same term without a point goes through SQL: the same listings.
    flat = get_json(srv, q("/api/v1/service_at_locations", taxonomy_term_id=nal, per_page=100))
    far = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, taxonomy_term_id=nal, per_page=100))
    assert {i["id"] for i in flat["contents"]} == {i["id"] for i in far["contents"]}
    # Two terms: both must be linked.
    free = term_id(srv, "free")
    both = get_json(srv, q("/api/v1/service_at_locations", taxonomy_term_id=[nal, free], per_page=100))
    assert 0 < both["total_items"] <= flat["total_items"]
    for it in both["contents"]:
        assert {nal, free} <= service_terms(srv, it["service_id"])
    # A term of another taxonomy (SAMHSA's codes) filters through dir_service_term.
    terms = get_json(srv, q("/api/v1/taxonomy_terms", per_page=100))["contents"]
    other = next(t for t in terms if t.get("taxonomy_id") != WAYPOST_TAXONOMY)
    o_flat = get_json(srv, q("/api/v1/service_at_locations", taxonomy_term_id=other["id"], per_page=100))
    o_geo = get_json(srv, q("/api/v1/service_at_locations", taxonomy_term_id=other["id"], lat=lat, lon=lon,
                            per_page=100))
    assert o_flat["total_items"] == o_geo["total_items"] > 0, (other, o_flat["total_items"], o_geo["total_items"])
    distances(o_geo["contents"])
    for it in o_flat["contents"][:10]:
        assert other["id"] in service_terms(srv, it["service_id"])
    bad(srv, q("/api/v1/service_at_locations", taxonomy_term_id="no-such-term"), "taxonomy_term_id")


@test
def test_service_at_locations_search_and_open_now(srv):
    lat, lon = BRONX
    found = get_json(srv, q("/api/v1/service_at_locations", search="eXaMpLe", per_page=100))
    assert found["total_items"] >= 3
    assert all("example" in i["service"]["name"].lower() for i in found["contents"])
    none = get_json(srv, q("/api/v1/service_at_locations", search="zzzz-no-such-name"))
    assert none["total_items"] == 0 and none["empty"] and none["total_pages"] == 0
    geo = get_json(srv, q("/api/v1/service_at_locations", search="example", lat=lat, lon=lon, per_page=100))
    assert {i["id"] for i in geo["contents"]} == {i["id"] for i in found["contents"]}
    distances(geo["contents"])
    everything = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=20000, per_page=100))
    opened = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=20000, open_now="true",
                             per_page=100))
    assert opened["total_items"] <= everything["total_items"]
    # The example naloxone vending machine is open 24 hours, every day.
    assert any("Vending Machine" in i["service"]["name"] for i in opened["contents"]), opened["contents"]
    distances(opened["contents"])
    closed_too = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=20000,
                                 open_now="false", per_page=100))
    assert closed_too["total_items"] == everything["total_items"]


@test
def test_taxonomies_and_terms(srv):
    tax = get_json(srv, "/api/v1/taxonomies")
    check_page(tax, 1, 20)
    assert any(t["id"] == WAYPOST_TAXONOMY for t in tax["contents"])
    hsds_valid("taxonomy", tax, "page")
    terms = get_json(srv, q("/api/v1/taxonomy_terms", per_page=9, page=2))
    check_page(terms, 2, 9)
    hsds_valid("taxonomy_term", terms, "page")
    ours = get_json(srv, q("/api/v1/taxonomy_terms", taxonomy_id=WAYPOST_TAXONOMY, per_page=100))
    assert ours["total_items"] >= 20 and all(t["taxonomy_id"] == WAYPOST_TAXONOMY for t in ours["contents"])
    assert ours["total_items"] < terms["total_items"]
    rows = get_ndjson(srv, q("/api/v1/taxonomy_terms", format="ndjson"))
    assert len(rows) == terms["total_items"]
    assert get_ndjson(srv, q("/api/v1/taxonomies", format="ndjson"))[0]["id"] == tax["contents"][0]["id"]


@test
def test_bad_parameters(srv):
    cases = [
        (q("/api/v1/services", page=0), "page"),
        (q("/api/v1/services", page="two"), "page"),
        (q("/api/v1/organizations", per_page=0), "per_page"),
        (q("/api/v1/taxonomies", per_page=101), "per_page"),
        (q("/api/v1/taxonomy_terms", format="xml"), "format"),
        (q("/api/v1/service_at_locations", page=-1), "page"),
        (q("/api/v1/service_at_locations", per_page="1e2"), "per_page"),
        (q("/api/v1/service_at_locations", format="csv"), "format"),
        (q("/api/v1/service_at_locations", lat=91, lon=0), "lat"),
        (q("/api/v1/service_at_locations", lat="nan", lon=0), "lat"),
        (q("/api/v1/service_at_locations", lat=40, lon=181), "lon"),
        (q("/api/v1/service_at_locations", lat=40), "lon"),
        (q("/api/v1/service_at_locations", lon=-73), "lat"),
        (q("/api/v1/service_at_locations", lat=40, lon=-73, proximity=-5), "proximity"),
        (q("/api/v1/service_at_locations", lat=40, lon=-73, proximity=0), "proximity"),
        (q("/api/v1/service_at_locations", lat=40, lon=-73, proximity="far"), "proximity"),
        (q("/api/v1/service_at_locations", proximity=1000), "proximity"),
        (q("/api/v1/service_at_locations", open_now="yes"), "open_now"),
        (q("/api/v1/service_at_locations", search="x" * 201), "search"),
        (q("/api/v1/service_at_locations", taxonomy_term_id=["a"] * 17), "taxonomy_term_id"),
        (q("/api/v1/service_at_locations", taxonomy_id="no-such-taxonomy"), "taxonomy_id"),
        (q("/api/v1/service_at_locations", modified_after="soon"), "modified_after"),
        (q("/api/v1/service_at_locations", full="1"), "full"),
        (q("/api/v1/services", taxonomy_id="no-such-taxonomy"), "taxonomy_id"),
        (q("/api/v1/services", taxonomy_term_id="no-such-term"), "taxonomy_term_id"),
        (q("/api/v1/services", minimal="yes"), "minimal"),
        (q("/api/v1/services", search="y" * 201), "search"),
        (q("/api/v1/organizations", full_service="maybe"), "full_service"),
        (q("/api/v1/organizations/x", full_service="maybe"), "full_service"),
        (q("/api/v1/taxonomy_terms", top_only="1"), "top_only"),
    ]
    for path, param in cases:
        bad(srv, path, param)


@test
def test_not_found(srv):
    for path in ("/api/v1/services/nope", "/api/v1/organizations/nope", "/api/v1/service_at_locations/nope",
                 "/api/v1/taxonomies/nope", "/api/v1/taxonomy_terms/nope"):
        err = get_json(srv, path, 404)["error"]
        assert err["status"] == 404 and err["message"], err


def all_pages(srv, path, **params):
    """Every item of a list, by ndjson."""
    return get_ndjson(srv, q(path, format="ndjson", **params))


@test
def test_services_filters(srv):
    total = get_json(srv, q("/api/v1/services", per_page=1))["total_items"]
    minimal = get_json(srv, q("/api/v1/services", minimal="true", per_page=50))
    assert minimal["total_items"] == total
    assert all(set(s) == {"id", "last_modified"} for s in minimal["contents"]), minimal["contents"][0]
    found = all_pages(srv, "/api/v1/services", search="vEnDiNg")
    assert found, "no vending machine in the example services"
    for s in found:
        text = " ".join(str(s.get(k) or "") for k in ("name", "alternate_name", "description")).lower()
        assert "vending" in text, s
    # issue 18: full text, every word a whole word or a word's start (openapi.json's rule)
    ids = {s["id"] for s in found}
    assert {s["id"] for s in all_pages(srv, "/api/v1/services", search="VENDI")} == ids
    assert {s["id"] for s in all_pages(srv, "/api/v1/services", search="v\u00e9nding, !")} == ids
    both = all_pages(srv, "/api/v1/services", search="vending example")
    assert {s["id"] for s in both} <= ids
    assert get_json(srv, q("/api/v1/services", search="ending zzzqqq"))["total_items"] == 0
    assert get_json(srv, q("/api/v1/services", search="!!"))["total_items"] == 0
    assert len(found) < total
    org = get_json(srv, q("/api/v1/organizations", per_page=1))["contents"][0]
    own = all_pages(srv, "/api/v1/services", organization_id=org["id"])
    assert own and all(s["organization_id"] == org["id"] for s in own)
    assert {s["id"] for s in own} == {s["id"] for s in get_json(srv, "/api/v1/organizations/" + org["id"])["services"]}
    assert get_json(srv, q("/api/v1/services", organization_id="no-such-org"))["total_items"] == 0
    ours = get_json(srv, q("/api/v1/services", taxonomy_id=WAYPOST_TAXONOMY, per_page=1))["total_items"]
    assert 0 < ours <= total
    nal = term_id(srv, "naloxone")
    with_nal = all_pages(srv, "/api/v1/services", taxonomy_term_id=nal, full="true")
    assert with_nal and len(with_nal) < total
    for s in with_nal:
        ids = {a.get("taxonomy_term_id") or (a.get("taxonomy_term") or {}).get("id") for a in s.get("attributes", [])}
        assert nal in ids, s["id"]
    hsds_valid("service", with_nal, "ndjson")


@test
def test_service_at_locations_more_filters(srv):
    lat, lon = BRONX
    every = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000, per_page=100))
    org_id = every["contents"][0]["service"]["organization_id"]
    mine = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000, per_page=100,
                           organization_id=org_id))
    assert mine["total_items"] >= 1 and all(it["service"]["organization_id"] == org_id for it in mine["contents"])
    distances(mine["contents"])
    flat = get_json(srv, q("/api/v1/service_at_locations", organization_id=org_id, per_page=100))
    assert {it["id"] for it in mine["contents"]} <= {it["id"] for it in flat["contents"]}
    assert get_json(srv, q("/api/v1/service_at_locations", modified_after="2999-01-01"))["total_items"] == 0
    since = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000, per_page=100,
                            modified_after="2000-01-01"))
    assert since["total_items"] == every["total_items"]
    tax = get_json(srv, q("/api/v1/service_at_locations", taxonomy_id=WAYPOST_TAXONOMY, per_page=1))["total_items"]
    assert 0 < tax <= get_json(srv, q("/api/v1/service_at_locations", per_page=1))["total_items"]
    full = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000, per_page=5, full="true"))
    brief = get_json(srv, q("/api/v1/service_at_locations", lat=lat, lon=lon, proximity=30000, per_page=5))
    assert [it["id"] for it in full["contents"]] == [it["id"] for it in brief["contents"]]
    assert [it["distance"] for it in full["contents"]] == [it["distance"] for it in brief["contents"]]
    for it in full["contents"]:
        assert it == get_json(srv, "/api/v1/service_at_locations/" + it["id"]) | {"distance": it["distance"]}
    hsds_valid("service_at_location", full["contents"][0])


@test
def test_organizations_filters(srv):
    total = get_json(srv, q("/api/v1/organizations", per_page=1))["total_items"]
    listed = get_json(srv, q("/api/v1/organizations", per_page=3))
    assert all(not any(isinstance(v, list) for v in o.values()) for o in listed["contents"])
    found = all_pages(srv, "/api/v1/organizations", search="EXAMPLE")
    assert found and len(found) < total
    assert all("example" in (o["name"] + " " + str(o.get("description") or "")).lower() for o in found)
    full = get_json(srv, q("/api/v1/organizations", per_page=3, full="true"))
    for o in full["contents"]:
        assert o["services"] and all(not any(isinstance(v, list) for v in s.values()) for s in o["services"])
    deep = get_json(srv, q("/api/v1/organizations", per_page=3, full_service="true"))
    for o in deep["contents"]:
        assert o["services"] and all("service_at_locations" in s for s in o["services"])
    one = get_json(srv, q("/api/v1/organizations/" + found[0]["id"], full_service="true"))
    assert all("service_at_locations" in s for s in one["services"])
    hsds_valid("organization", one)


@test
def test_taxonomy_and_term_by_id(srv):
    tax = get_json(srv, "/api/v1/taxonomies/" + WAYPOST_TAXONOMY)
    assert tax["id"] == WAYPOST_TAXONOMY and tax["name"]
    hsds_valid("taxonomy", tax)
    assert get_json(srv, q("/api/v1/taxonomies", search="waypost"))["total_items"] >= 1
    assert get_json(srv, q("/api/v1/taxonomies", search="zzz-none"))["total_items"] == 0
    nal = term_id(srv, "naloxone")
    term = get_json(srv, "/api/v1/taxonomy_terms/" + nal)
    assert term["id"] == nal and term["code"] == "naloxone"
    hsds_valid("taxonomy_term", term)
    found = get_json(srv, q("/api/v1/taxonomy_terms", search="NALOX", taxonomy_id=WAYPOST_TAXONOMY))
    assert nal in [t["id"] for t in found["contents"]]
    ours = all_pages(srv, "/api/v1/taxonomy_terms", taxonomy_id=WAYPOST_TAXONOMY)
    children = [t for t in ours if t.get("parent_id")]
    assert children, "the Waypost taxonomy has treatment sub-terms"
    parent = children[0]["parent_id"]
    kids = all_pages(srv, "/api/v1/taxonomy_terms", parent_id=parent)
    assert {t["id"] for t in kids} == {t["id"] for t in ours if t.get("parent_id") == parent}
    top = all_pages(srv, "/api/v1/taxonomy_terms", taxonomy_id=WAYPOST_TAXONOMY, top_only="true")
    assert top and all(not t.get("parent_id") for t in top)
    assert len(top) == len(ours) - len(children)
