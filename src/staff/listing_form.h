/* listing_form: the staff listing form (/staff/listings/new and
 * /staff/listings/:id) and the HSDS 3.0 service document behind it.
 *
 * A form is a JSON object of its fields as typed (text, trimmed) plus
 * "codes", the Waypost codes ticked (a list). listing_form_check reads
 * every field, names each problem at its field (a list of {field,
 * message}, for staff_field_error) and gives the values in their checked
 * shape; listing_doc_build (listing_doc.c) puts those into a service
 * document, keeping whatever the old document had that the form does not
 * show, and listing_doc_form reads a document back into a form.
 *
 * The fields (FORM in routes.c lists the same keys):
 *   name, description, status, url, email, organization,
 *   address_1, address_2, city, state, postal_code,
 *   point        "lat,lon"; empty: the centre of the ZIP code
 *   phones       one a line: "212-555-0100" or "212-555-0100, Main desk"
 *   hours_mo .. hours_su   the weekly editor, one field a day: "09:00-17:00",
 *                "09:00-12:00, 13:00-17:00", "24 hours", or empty / "closed"
 *   closures     one a line: "2026-12-25", "2026-12-24 to 2026-12-26",
 *                either with ", a note" after it
 *   languages    "English, Spanish"
 *   costs        one cost option a line ("Free", "Sliding scale from $10")
 *   eligibility, verified_on ("YYYY-MM-DD"), verified_by (an email)
 *   code         repeated: a Waypost code from data/taxonomy/waypost.json
 *
 * Everything is plain data in jansson values the caller frees; nothing
 * here touches the database, so the unit tests and the fuzzer drive it
 * directly. */
#ifndef WP_LISTING_FORM_H
#define WP_LISTING_FORM_H

#include "http/params.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The centre of a five-digit ZIP code; false when unknown. */
typedef bool (*listing_zip_fn)(const char *zip, double *lat, double *lon);

/* The Waypost codes the form offers, from data/taxonomy/waypost.json:
 * codes is a list of {code, name, link_type, attribute, term} in the
 * file's order ("terms", then "attributes"); term is the taxonomy_term
 * object a service's attribute carries, as the importers write it. */
typedef struct listing_vocab {
    json_t *codes;
} listing_vocab;

/* Builds v from the taxonomy file's JSON (not stolen). False with err set
 * when it has no usable entry. */
bool listing_vocab_init(listing_vocab *v, json_t *taxonomy, char *err, size_t errlen);
void listing_vocab_free(listing_vocab *v);
/* The entry for code, or NULL. */
json_t *listing_vocab_find(const listing_vocab *v, const char *code);

typedef struct listing_ctx {
    const listing_vocab *vocab;
    listing_zip_fn zip;     /* NULL: a point must be typed */
    const char *service_id; /* the document's id (a new one for a new service) */
    const char *today;      /* "YYYY-MM-DD" (UTC): verified_on may not be later */
    const char *source;     /* who lists a new service (its metadata's updated_by) */
    int lang;               /* the language of the problems' messages (core/i18n.h) */
} listing_ctx;

/* The names of the text fields, NULL-terminated (not "code"). */
extern const char *const listing_form_fields[];
#define LISTING_DAYS 7
/* "MO" .. "SU" and their field names "hours_mo" .. "hours_su". */
extern const char *const listing_day_codes[LISTING_DAYS];
extern const char *const listing_day_fields[LISTING_DAYS];
extern const char *const listing_day_names[LISTING_DAYS];

/* The form as posted: each field's text (trimmed; "" when absent), and
 * "codes" the values of every "code". */
json_t *listing_form_read(const params *p);

/* Checks every field of form, appending {field, message} to errors for
 * each problem. Returns the checked values (always, also with errors):
 * the text fields (state upper-cased), "latitude"/"longitude" (numbers),
 * "phones" [{number, description}], "days" {"MO": [["09:00", "17:00"]]},
 * "closures" [{from, to, note}], "languages" [names], "costs" [texts],
 * "codes" [codes]. */
json_t *listing_form_check(json_t *form, const listing_ctx *ctx, json_t *errors);

/* ---- listing_doc.c ---- */

/* The service document for the checked values (from listing_form_check
 * without errors): old (may be NULL; not changed) with the form's fields
 * replaced, or a new document. Ids of nested objects are kept when old
 * has them, else derived from the service id, so saving the same form
 * twice gives the same document. */
json_t *listing_doc_build(json_t *checked, json_t *old, const listing_ctx *ctx);

/* The form for a stored document (for editing it). */
json_t *listing_doc_form(json_t *svc);

#endif
