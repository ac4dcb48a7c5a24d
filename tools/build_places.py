#!/usr/bin/env python3
"""Builds data/geo/places.tsv, the place names the service finder's "Where?"
box understands, from the GeoNames US postal code export
(shared/data/geo/geonames_us_postal.txt; GeoNames, geonames.org, CC BY 4.0:
the credit is on /about and in data/geo/README.md).

One line per record, tab-separated, sorted; UTF-8:

  c  NAME  ST  LAT  LON  N   a city or town (GeoNames "place name") in state ST:
                             the mean point of its N postal codes
  k  NAME  ST  LAT  LON  N   a county (GeoNames admin2 name, as written there,
                             usually without "County"): the mean point of its
                             N postal codes
  z  ZIP   ST  LAT  LON      a postal code that is not a 2020 Census ZCTA
                             (PO boxes, large buildings): its GeoNames point
  r  FROM  TO  ST            ZIP codes FROM..TO (inclusive) that are all in
                             state ST, or unknown (no code between them is in
                             another state); used for "which state is this
                             ZIP in"

Usage: python3 tools/build_places.py [GEONAMES_FILE] [OUT]
Defaults: ../shared/data/geo/geonames_us_postal.txt, data/geo/places.tsv.
Standard library only; the output is the same for the same input."""
import collections
import csv
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEFAULT_IN = os.path.join(ROOT, "..", "shared", "data", "geo", "geonames_us_postal.txt")
DEFAULT_OUT = os.path.join(ROOT, "data", "geo", "places.tsv")
ZCTA = os.path.join(ROOT, "data", "geo", "zcta2020_centroids.csv")
ZCTA_STATE = os.path.join(ROOT, "data", "geo", "zcta2010_state_county.csv")


def read_geonames(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            if len(r) < 11 or len(r[1]) != 5 or len(r[4]) != 2 or not r[9] or not r[10]:
                continue  # no state (military post offices) or no point
            rows.append(dict(zip=r[1], place=r[2].strip(), state=r[4], county=r[5].strip(),
                             lat=float(r[9]), lon=float(r[10])))
    return rows


def mean_points(rows, key):
    groups = collections.defaultdict(list)
    for r in rows:
        if r[key]:
            groups[(r[key], r["state"])].append((r["lat"], r["lon"]))
    out = []
    for (name, st), pts in groups.items():
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        out.append((name, st, lat, lon, len(pts)))
    return sorted(out)


def zip_states(rows):
    """ZIP -> state from GeoNames, with the Census 2010 file for ZCTAs that
    GeoNames lacks."""
    st = {r["zip"]: r["state"] for r in rows}
    with open(ZCTA_STATE, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if len(r["zcta"]) == 5 and len(r["state"]) == 2:
                st.setdefault(r["zcta"], r["state"])
    return st


def ranges(states):
    out = []
    for z in sorted(states):
        if out and out[-1][2] == states[z]:
            out[-1][1] = z
        else:
            out.append([z, z, states[z]])
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_IN
    dst = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    rows = read_geonames(src)
    with open(ZCTA, encoding="utf-8") as f:
        zctas = {r["zcta"] for r in csv.DictReader(f)}
    lines = []
    for name, st, lat, lon, n in mean_points(rows, "place"):
        lines.append("c\t%s\t%s\t%.4f\t%.4f\t%d" % (name, st, lat, lon, n))
    for name, st, lat, lon, n in mean_points(rows, "county"):
        lines.append("k\t%s\t%s\t%.4f\t%.4f\t%d" % (name, st, lat, lon, n))
    for r in sorted(rows, key=lambda r: r["zip"]):
        if r["zip"] not in zctas:
            lines.append("z\t%s\t%s\t%.4f\t%.4f" % (r["zip"], r["state"], r["lat"], r["lon"]))
    for a, b, st in ranges(zip_states(rows)):
        lines.append("r\t%s\t%s\t%s" % (a, b, st))
    tmp = dst + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Derived from GeoNames (geonames.org), CC BY 4.0, by tools/build_places.py: see data/geo/README.md\n")
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, dst)
    counts = collections.Counter(l[0] for l in lines)
    print("wrote %s: %d places, %d counties, %d extra ZIPs, %d ZIP ranges" %
          (os.path.relpath(dst, ROOT), counts["c"], counts["k"], counts["z"], counts["r"]))


if __name__ == "__main__":
    main()
