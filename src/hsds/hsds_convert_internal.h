/* hsds_convert_internal: what the converters share (hsds_convert*.c only;
 * the public API is hsds_convert.h).
 *
 *   hsds_convert.c                 text clean-up, ids, the output writer
 *   hsds_convert_vocab.c           the Waypost taxonomy and the SAMHSA codes
 *   hsds_convert_record.c          one flat record -> one HSDS service
 *   hsds_convert_findtreatment.c   FindTreatment.gov rows -> records
 *   hsds_convert_csv.c             spreadsheet rows -> records
 *   hsds_convert_datapackage.c     an HSDS CSV datapackage -> nested services
 *
 * The FindTreatment.gov and CSV converters turn each row into a `rec` and
 * hand it to conv_emit(), which builds the service the way
 * tools/convert_directories.py's Builder.service does (same shapes, same
 * uuid5 ids), so that both make the same ids for the same facility. */
#ifndef WP_HSDS_CONVERT_INTERNAL_H
#define WP_HSDS_CONVERT_INTERNAL_H

#include "core/buf.h"
#include "hsds/hsds_opening_hours.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define WAYPOST_URL "https://waypost.example"
#define MAX_CODES 64
#define CONVERT_MAX_ROWS 2000000L

/* RFC 4122 appendix C: the URL namespace. */
extern const unsigned char CONV_NS_URL[16];

/* ---- vocabularies (hsds_convert_vocab.c) ---- */

/* The Waypost taxonomy, read from data/taxonomy/waypost.json. */
typedef struct taxo {
    json_t *root;
    json_t *terms; /* code -> the term as the bundled converter writes it */
    json_t *order; /* code -> its position in the file (taxonomy order) */
    json_t *links; /* code -> link_type */
} taxo;

bool conv_taxo_load(taxo *t, const char *path, char *err, size_t errlen);
void conv_taxo_free(taxo *t);

/* SAMHSA's locator codes, read from data/taxonomy/samhsa-codes.json. */
typedef struct samhsa {
    json_t *root;
    json_t *codes; /* code -> {"code", "meaning", "waypost": [Waypost codes]} */
    json_t *langs; /* code -> {"code", "language", "iso"} */
    const char *taxonomy_name; /* "SAMHSA service codes" */
} samhsa;

/* Reads path; every Waypost code it maps onto must be in tax. */
bool conv_samhsa_load(samhsa *s, const char *path, const taxo *tax, char *err, size_t errlen);
void conv_samhsa_free(samhsa *s);
/* What code means, or NULL when it is not a listed service code. */
const char *conv_samhsa_meaning(const samhsa *s, const char *code);
/* The Waypost codes code maps onto (a JSON list), or NULL. */
json_t *conv_samhsa_waypost(const samhsa *s, const char *code);
/* Whether code is a language code, and the language's name and ISO 639
 * code ("" when it has none). */
bool conv_samhsa_language(const samhsa *s, const char *code, const char **name, const char **iso);

/* ---- one converted record ---- */

typedef struct rec {
    const char *name, *alt, *desc, *org, *street1, *street2, *city, *state, *zip, *phone, *url;
    bool has_coords;
    double lat, lon;
    const char *codes[MAX_CODES]; /* Waypost codes */
    int ncodes;
    const char *raw[MAX_CODES]; /* SAMHSA codes as given */
    int nraw;
    const oh_week *hours; /* opening hours, or NULL */
} rec;

/* One conversion: the source's namespace, the vocabularies and the services
 * made so far. */
typedef struct conv {
    unsigned char ns[16];
    unsigned char samhsa_tax[16];
    char samhsa_tax_id[37];
    const char *source, *as_of;
    taxo tax;
    samhsa sam; /* loaded only when conv_init is given its path */
    json_t *services; /* in file order */
    json_t *by_id;    /* service id -> service, to merge rows of the same facility */
} conv;

/* Starts a conversion: the source's namespace and the vocabularies
 * (samhsa_path may be NULL when the source has no SAMHSA codes). */
bool conv_init(conv *c, const char *source_name, const char *as_of, const char *taxonomy_path,
               const char *samhsa_path, char *err, size_t errlen);
void conv_free(conv *c);

/* Adds r's service to c->services, or merges it into the service of an
 * earlier row with the same id (hsds_convert_record.c). */
bool conv_emit(conv *c, rec *r, char *err, size_t errlen);

/* ---- helpers (hsds_convert.c) ---- */

void conv_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Trims and collapses white space; "NA" and "N/A" become "" (malloc'd). */
char *conv_clean(const char *s);
/* The parts normalised (lower case, runs of [0-9a-z]) and joined by '|'. */
char *conv_norm_key(int n, ...);
/* uuid5(ns, the parts joined by '|'). */
void conv_uid(const unsigned char ns[16], char out[37], int n, ...);
/* ZIP+4 or a short ZIP to five digits; "" when it is not a ZIP code. */
void conv_zip5(const char *v, char out[6]);
/* A US phone number as NNN-NNN-NNNN, else the cleaned text (malloc'd). */
char *conv_phone(const char *v);
bool conv_is_http_url(const char *s);
/* Parses a whole string as a finite number. */
bool conv_parse_num(const char *s, double *out);
/* Adds code to list unless it is there or the list is full. */
void conv_add_code(const char **list, int *n, const char *code);
/* Reads lat and lon into r when either is given; an error names the row
 * and the kind ("field", "column") and name of the bad one. */
bool conv_coords(rec *r, const char *lat, const char *lon, long row, const char *kind, const char *latname,
                 const char *lonname, char *err, size_t errlen);
/* The objects of docs, one compact JSON a line (malloc'd); NULL with
 * "<what> is too large" in err past 1 GiB. */
char *conv_ndjson(json_t *docs, const char *what, char *err, size_t errlen);

#endif
