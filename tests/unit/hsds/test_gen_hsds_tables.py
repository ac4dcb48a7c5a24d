#!/usr/bin/env python3
"""test_gen_hsds_tables: tools/gen_hsds_tables.py on throwaway copies of
the repository's datapackage, migrations and generated code (scripts/lint.sh
runs it). Checks that --check fails on stale generated code and on a
migration that was edited, deleted or never recorded; that a changed
datapackage gives a NEW numbered migration (never an edit of 0005) which
keeps the rows already stored; and that a second run has nothing to do.
Prints one line per test and ends with "N passed, N failed"."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TOOL = os.path.join(ROOT, "tools", "gen_hsds_tables.py")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gen_hsds_tables  # noqa: E402
COPY = ["data/hsds-3.0/datapackage.json", "db/migrations", "src/hsds/hsds_schema_gen.h",
        "src/hsds/hsds_schema_gen.c", "src/hsds/hsds_schema_gen_store.c"]
results = []


def test(fn):
    results.append(fn)
    return fn


def copy_repo():
    d = tempfile.mkdtemp(prefix="wp_gen_test_")
    for rel in COPY:
        src, dst = os.path.join(ROOT, rel), os.path.join(d, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copy(src, dst)
    return d


def run(root, *args):
    p = subprocess.run([sys.executable, TOOL, "--root", root] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def read(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return f.read()


def append(root, rel, text):
    with open(os.path.join(root, rel), "a", encoding="utf-8") as f:
        f.write(text)


def migrations(root):
    return sorted(n for n in os.listdir(os.path.join(root, "db/migrations")) if n.endswith(".sql"))


def migrate(root, db, names):
    # the SQL functions every Waypost connection has, as the tool stands
    # them in: these databases hold no documents
    gen_hsds_tables.add_stand_ins(db)
    for n in names:
        db.executescript(read(root, "db/migrations/" + n))


def columns(db, table):
    return {r[1]: r[2] for r in db.execute("PRAGMA table_info(%s)" % table)}


def change_datapackage(root, edit):
    rel = "data/hsds-3.0/datapackage.json"
    dp = json.loads(read(root, rel))
    edit({r["name"]: r for r in dp["resources"]}, dp["resources"])
    with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
        json.dump(dp, f)


@test
def repository_is_current():
    rc, out = run(ROOT, "--check")
    assert rc == 0, out


@test
def stale_generated_code_fails_check():
    d = copy_repo()
    append(d, "src/hsds/hsds_schema_gen.c", "/* edited by hand */\n")
    rc, out = run(d, "--check")
    assert rc == 1 and "stale: src/hsds/hsds_schema_gen.c" in out, out
    rc, out = run(d)
    assert rc == 0 and "wrote src/hsds/hsds_schema_gen.c" in out, out
    assert read(d, "src/hsds/hsds_schema_gen.c") == read(ROOT, "src/hsds/hsds_schema_gen.c")
    assert run(d, "--check")[0] == 0
    shutil.rmtree(d)


@test
def edited_migration_fails_and_nothing_is_written():
    d = copy_repo()
    append(d, "db/migrations/0005_hsds_tables.sql", "CREATE INDEX x ON hsds_phone(number);\n")
    append(d, "src/hsds/hsds_schema_gen.c", "/* stale */\n")
    for args in (["--check"], []):
        rc, out = run(d, *args)
        assert rc == 1 and "0005_hsds_tables.sql was edited after it was recorded" in out, out
    assert read(d, "src/hsds/hsds_schema_gen.c").endswith("/* stale */\n"), "wrote despite the edit"
    assert migrations(d) == migrations(ROOT)
    shutil.rmtree(d)


@test
def deleted_migration_fails_check():
    d = copy_repo()
    last = migrations(d)[-1]  # the last: removing another leaves a gap, refused before this check
    os.remove(os.path.join(d, "db/migrations", last))
    rc, out = run(d, "--check")
    assert rc == 1 and last + " was recorded" in out and "is gone" in out, out
    shutil.rmtree(d)


@test
def unrecorded_migration_fails_check_until_recorded():
    d = copy_repo()
    n = len(migrations(d)) + 1
    name = "%04d_something.sql" % n
    append(d, "db/migrations/" + name, "CREATE TABLE something (x);\n")
    rc, out = run(d, "--check")
    assert rc == 1 and "not recorded" in out and name in out, out
    rc, out = run(d)
    assert rc == 0 and "recorded in db/migrations/SHA256SUMS: " + name in out, out
    assert run(d, "--check")[0] == 0
    append(d, "db/migrations/" + name, "-- edited\n")
    rc, out = run(d, "--check")
    assert rc == 1 and name + " was edited" in out, out
    shutil.rmtree(d)


@test
def added_fields_and_resource_give_a_new_migration():
    d = copy_repo()
    before = {n: read(d, "db/migrations/" + n) for n in migrations(d)}

    def edit(by, resources):
        by["phone"]["schema"]["fields"].append({"name": "waypost_note", "type": "string"})
        resources.append({"name": "url", "path": "urls.csv", "schema": {
            "fields": [{"name": "id", "type": "string"}, {"name": "label", "type": "string"},
                       {"name": "url", "type": "string"}, {"name": "priority", "type": "integer"},
                       {"name": "organization_id", "type": "string"}],
            "foreignKeys": [{"fields": "organization_id", "reference": {"resource": "organization", "fields": "id"}}]}})
    change_datapackage(d, edit)
    rc, out = run(d, "--check")
    assert rc == 1 and "hsds_phone: new column waypost_note" in out and "hsds_url: new table" in out, out
    rc, out = run(d)
    n = len(before) + 1
    new = "%04d_hsds_tables_update.sql" % n
    assert rc == 0 and "wrote db/migrations/" + new in out, out
    assert migrations(d) == sorted(list(before) + [new])
    for name, text in before.items():
        assert read(d, "db/migrations/" + name) == text, name + " was rewritten"
    sql = read(d, "db/migrations/" + new)
    assert "ALTER TABLE hsds_phone ADD COLUMN waypost_note TEXT;" in sql, sql
    assert "CREATE TABLE hsds_url (" in sql and "priority INTEGER" in sql, sql
    assert "CREATE INDEX hsds_url_organization_id ON hsds_url(organization_id);" in sql, sql
    assert new in read(d, "db/migrations/SHA256SUMS")
    assert "waypost_note" in read(d, "src/hsds/hsds_schema_gen.c")
    assert "HSDS_URL" in read(d, "src/hsds/hsds_schema_gen.h")
    assert "INSERT OR REPLACE INTO hsds_url" in read(d, "src/hsds/hsds_schema_gen_store.c")

    # a database made by the old migrations keeps its rows
    db = sqlite3.connect(":memory:")
    migrate(d, db, sorted(before))
    db.execute("INSERT INTO hsds_phone (id, number, doc_service_id) VALUES ('p1', '555-0100', 's1')")
    migrate(d, db, [new])
    assert db.execute("SELECT number, waypost_note FROM hsds_phone").fetchall() == [("555-0100", None)]
    assert "priority" in columns(db, "hsds_url")

    rc, out = run(d)  # nothing left to do: no second migration
    assert rc == 0 and "wrote" not in out and len(migrations(d)) == n, out
    assert run(d, "--check")[0] == 0
    shutil.rmtree(d)


@test
def removed_and_retyped_fields_rebuild_the_table():
    d = copy_repo()
    before = migrations(d)

    def edit(by, resources):
        fields = by["phone"]["schema"]["fields"]
        fields[:] = [f for f in fields if f["name"] != "description"]
        for f in fields:
            if f["name"] == "extension":
                f["type"] = "string"
        resources[:] = [r for r in resources if r["name"] != "funding"]
    change_datapackage(d, edit)
    rc, out = run(d)
    assert rc == 0, out
    new = migrations(d)[-1]
    sql = read(d, "db/migrations/" + new)
    assert "hsds_phone rebuilt: columns gone: description; columns changed: extension" in sql, sql
    assert "DROP TABLE hsds_funding;" in sql, sql

    db = sqlite3.connect(":memory:")
    migrate(d, db, before)
    db.execute("INSERT INTO hsds_phone (id, number, extension, description, doc_service_id) "
               "VALUES ('p1', '555-0100', 12, 'Main', 's1')")
    migrate(d, db, [new])
    cols = columns(db, "hsds_phone")
    assert "description" not in cols and cols["extension"] == "TEXT", cols
    rows = db.execute("SELECT id, number, extension FROM hsds_phone").fetchall()
    assert len(rows) == 1 and rows[0][:2] == ("p1", "555-0100") and float(rows[0][2]) == 12, rows
    idx = [r[1] for r in db.execute("PRAGMA index_list(hsds_phone)")]
    assert "hsds_phone_service_id" in idx and "hsds_phone_id" in idx, idx
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'hsds_funding'").fetchall()
    assert run(d, "--check")[0] == 0
    shutil.rmtree(d)


def main():
    passed = failed = 0
    for fn in results:
        try:
            fn()
            print("ok   " + fn.__name__)
            passed += 1
        except AssertionError as e:
            print("FAIL %s: %s" % (fn.__name__, e))
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
