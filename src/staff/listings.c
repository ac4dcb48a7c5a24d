/* listings: loading the form's vocabulary, and saving or removing a
 * service with its audit row in one transaction. See listings.h. */
#include "staff/listings.h"
#include "auth/audit.h"
#include "core/vocab.h"
#include "db/db.h"
#include "hsds/hsds_import.h"
#include "staff/listings_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static listing_vocab vocab_g;
static listing_zip_fn zip_g;

bool listings_load(const config *cfg, listing_zip_fn zip, char *err, size_t errlen)
{
    vocab v;
    if (!vocab_open(&v, cfg->data_dir, "taxonomy/waypost.json", err, errlen))
        return false;
    listing_vocab nv;
    char why[160];
    bool ok = listing_vocab_init(&nv, v.root, why, sizeof(why));
    if (!ok)
        snprintf(err, errlen, "%s: %s", v.path, why);
    vocab_close(&v);
    if (!ok)
        return false;
    listings_unload();
    vocab_g = nv;
    zip_g = zip;
    return true;
}

void listings_unload(void)
{
    listing_vocab_free(&vocab_g);
    zip_g = NULL;
}

const listing_vocab *listings_vocab(void)
{
    return &vocab_g;
}

listing_zip_fn listings_zip(void)
{
    return zip_g;
}

void listings_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    if (!strftime(out, 11, "%Y-%m-%d", &tm))
        out[0] = '\0';
}

/* A field's value for the audit row: scalars as they are; lists and
 * objects as their compact JSON text. The audit log refuses keys that
 * look like secrets at any depth ("code" among them), and HSDS nests
 * "code" in every taxonomy term and language; a service document is
 * public (the API serves it whole), so its text holds no secret. Very
 * long values are shortened to their size. */
static json_t *audit_value(json_t *v)
{
    if (!v)
        return json_null();
    if (!json_is_object(v) && !json_is_array(v))
        return json_incref(v);
    char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *out;
    if (text && strlen(text) <= 32768)
        out = json_string(text);
    else
        out = json_sprintf("(%zu bytes of JSON, not shown)", text ? strlen(text) : 0);
    free(text);
    return out ? out : json_null();
}

/* The top-level fields of the two documents that differ: before and after
 * (a field one of them lacks is null on that side). */
static void diff(json_t *old, json_t *doc, json_t **before, json_t **after)
{
    *before = json_object();
    *after = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(doc, k, v) if (!json_equal(v, json_object_get(old, k)))
    {
        json_object_set_new(*after, k, audit_value(v));
        json_object_set_new(*before, k, audit_value(json_object_get(old, k)));
    }
    json_object_foreach(old, k, v) if (!json_object_get(doc, k))
    {
        json_object_set_new(*before, k, audit_value(v));
        json_object_set_new(*after, k, json_null());
    }
}

static audit_entry entry(const staff_who *who, const char *action, const char *target)
{
    audit_entry e = {who && who->email ? who->email : "", who && who->session ? who->session : "", action,
                     target ? target : "", NULL, NULL};
    return e;
}

enum listings_outcome listings_save(sqlite3 *db, const staff_who *who, const char *action, json_t *doc, json_t *old,
                                    enum hsds_upsert *result, char *field, size_t fieldlen, char *what,
                                    size_t whatlen)
{
    field[0] = what[0] = '\0';
    if (!db || !db_begin(db)) {
        snprintf(what, whatlen, "the database is busy");
        return LISTINGS_FAILED;
    }
    if (!hsds_import_service(db, doc, result, field, fieldlen, what, whatlen)) {
        db_rollback(db);
        /* the importer names a field for both; a database failure says so */
        return *field && !strstr(what, "database") && !strstr(what, "listing cache") ? LISTINGS_REFUSED
                                                                                     : LISTINGS_FAILED;
    }
    audit_entry e = entry(who, action, json_string_value(json_object_get(doc, "id")));
    diff(old, doc, &e.before, &e.after);
    bool ok = audit_write(db, &e) && db_commit(db);
    json_decref(e.before);
    json_decref(e.after);
    if (!ok) {
        db_rollback(db);
        snprintf(what, whatlen, "the change could not be recorded in the audit log, so it was not saved");
        return LISTINGS_FAILED;
    }
    return LISTINGS_SAVED;
}

int listings_delete(sqlite3 *db, const staff_who *who, const char *action, const char *id)
{
    if (!db || !db_begin(db))
        return -1;
    arena a;
    arena_init(&a);
    const char *raw = NULL;
    int found = listings_store_doc(db, &a, id, &raw);
    if (found == 1)
        found = hsds_store_delete_service(db, &a, id);
    bool ok = found == 1;
    if (ok) {
        json_t *old = json_loads(raw, 0, NULL);
        audit_entry e = entry(who, action, id);
        e.before = json_pack("{s:s,s:O?}", "id", id, "name", json_object_get(old, "name"));
        ok = audit_write(db, &e) && db_commit(db);
        json_decref(e.before);
        json_decref(old);
    }
    if (!ok)
        db_rollback(db);
    arena_free(&a);
    return found == 1 ? (ok ? 1 : -1) : found;
}

bool listings_audit_refusal(sqlite3 *db, const staff_who *who, const char *action, const char *target,
                            json_t *detail)
{
    audit_entry e = entry(who, action, target);
    e.after = detail;
    return db && audit_write(db, &e);
}
