/* nested_doc: the copies of locations and organizations nested in stored
 * service documents, read in SQL (see nested_doc.h). */
#include "db/nested_doc.h"
#include "core/buf.h"
#include "core/json_span.h"
#include "db/brief_zip.h"

#include <string.h>

#define MAX_LISTINGS 1024 /* the elements of service_at_locations looked at */
#define MAX_MEMBERS 256   /* the members of an object looked at */

bool nested_doc_plain_id(const char *id)
{
    if (!id || !*id)
        return false;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
            return false;
    return true;
}

/* Whether the JSON string text s is id, quoted. */
static bool is_quoted(json_span s, const char *id, size_t idlen)
{
    return s.n == idlen + 2 && s.p[0] == '"' && !memcmp(s.p + 1, id, idlen) && s.p[s.n - 1] == '"';
}

bool nested_doc_location(const char *doc, size_t len, const char *sal_id, const char **out, size_t *outlen)
{
    json_span sals, el[MAX_LISTINGS];
    if (!nested_doc_plain_id(sal_id) || !json_span_get((json_span){doc, len}, "service_at_locations", &sals))
        return false;
    int n = json_span_elements(sals, el, MAX_LISTINGS);
    size_t idlen = strlen(sal_id);
    for (int i = 0; i < n; i++) {
        json_member m[MAX_MEMBERS];
        json_span id, loc;
        int nm = json_span_members(el[i], m, MAX_MEMBERS);
        if (nm < 0 || !json_span_member(m, nm, "id", &id) || !is_quoted(id, sal_id, idlen))
            continue;
        if (!json_span_member(m, nm, "location", &loc) || loc.p[0] != '{')
            return false;
        *out = loc.p;
        *outlen = loc.n;
        return true;
    }
    return false;
}

bool nested_doc_organization(const char *doc, size_t len, const char **out, size_t *outlen)
{
    json_span org;
    if (!json_span_get((json_span){doc, len}, "organization", &org) || org.p[0] != '{')
        return false;
    *out = org.p;
    *outlen = org.n;
    return true;
}

static void result_span(sqlite3_context *ctx, bool found, const char *p, size_t n)
{
    if (found)
        sqlite3_result_text64(ctx, p, n, SQLITE_TRANSIENT, SQLITE_UTF8);
    else
        sqlite3_result_null(ctx);
}

/* wp_nested_location(doc, sal_id) */
static void sql_location(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *doc = (const char *)sqlite3_value_text(argv[0]);
    const char *id = (const char *)sqlite3_value_text(argv[1]);
    const char *p = NULL;
    size_t n = 0;
    bool found = doc && id && nested_doc_location(doc, (size_t)sqlite3_value_bytes(argv[0]), id, &p, &n);
    result_span(ctx, found, p, n);
}

/* wp_nested_organization(doc) */
static void sql_organization(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *doc = (const char *)sqlite3_value_text(argv[0]);
    const char *p = NULL;
    size_t n = 0;
    bool found = doc && nested_doc_organization(doc, (size_t)sqlite3_value_bytes(argv[0]), &p, &n);
    result_span(ctx, found, p, n);
}

/* wp_small(text) */
static void sql_small(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    const char *text = (const char *)sqlite3_value_text(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    buf z = BUF_INIT;
    if (text && brief_zip(text, n, &z))
        sqlite3_result_blob64(ctx, z.data, z.len, SQLITE_TRANSIENT);
    else
        sqlite3_result_value(ctx, argv[0]);
    buf_free(&z);
}

bool nested_doc_register(sqlite3 *db)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    return sqlite3_create_function(db, "wp_nested_location", 2, flags, NULL, sql_location, NULL, NULL) == SQLITE_OK &&
           sqlite3_create_function(db, "wp_nested_organization", 1, flags, NULL, sql_organization, NULL, NULL) ==
               SQLITE_OK &&
           sqlite3_create_function(db, "wp_small", 1, flags, NULL, sql_small, NULL, NULL) == SQLITE_OK;
}
