/* places: place names for "Where?" (data/geo/places.tsv, derived from
 * GeoNames by tools/build_places.py). See places.h.
 *
 * The file's cities and counties become one array sorted by folded name
 * then state, so a name is a binary search; a misspelt name is a scan with
 * a bounded edit distance (only on the error path). ZIP codes that are not
 * Census ZCTAs (PO boxes) are a second sorted array, and which state a ZIP
 * is in a short list of ranges. */
#include "locator/places.h"
#include "core/i18n.h"
#include "core/util.h"
#include "locator/locator.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_MAX 128

typedef struct place {
    char *key;        /* folded name (owned) */
    const char *name; /* as written, into text */
    char state[3];
    char kind; /* 'c' city, 'k' county */
    float lat, lon;
    int n; /* how many ZIP codes: a rough size, to rank */
} place;

typedef struct extra_zip {
    char zip[6], state[3];
    float lat, lon;
} extra_zip;

typedef struct zip_range {
    char from[6], to[6], state[3];
} zip_range;

static char *text;
static place *places;
static size_t nplaces;
static extra_zip *zips;
static size_t nzips;
static zip_range *ranges;
static size_t nranges;

static const struct {
    const char *code, *name;
} states[] = {
    {"AL", N_("Alabama")},       {"AK", N_("Alaska")},         {"AZ", N_("Arizona")},        {"AR", N_("Arkansas")},
    {"CA", N_("California")},    {"CO", N_("Colorado")},       {"CT", N_("Connecticut")},    {"DE", N_("Delaware")},
    {"DC", N_("District of Columbia")}, {"FL", N_("Florida")}, {"GA", N_("Georgia")},        {"HI", N_("Hawaii")},
    {"ID", N_("Idaho")},         {"IL", N_("Illinois")},       {"IN", N_("Indiana")},        {"IA", N_("Iowa")},
    {"KS", N_("Kansas")},        {"KY", N_("Kentucky")},       {"LA", N_("Louisiana")},      {"ME", N_("Maine")},
    {"MD", N_("Maryland")},      {"MA", N_("Massachusetts")},  {"MI", N_("Michigan")},       {"MN", N_("Minnesota")},
    {"MS", N_("Mississippi")},   {"MO", N_("Missouri")},       {"MT", N_("Montana")},        {"NE", N_("Nebraska")},
    {"NV", N_("Nevada")},        {"NH", N_("New Hampshire")},  {"NJ", N_("New Jersey")},     {"NM", N_("New Mexico")},
    {"NY", N_("New York")},      {"NC", N_("North Carolina")}, {"ND", N_("North Dakota")},   {"OH", N_("Ohio")},
    {"OK", N_("Oklahoma")},      {"OR", N_("Oregon")},         {"PA", N_("Pennsylvania")},   {"RI", N_("Rhode Island")},
    {"SC", N_("South Carolina")}, {"SD", N_("South Dakota")},  {"TN", N_("Tennessee")},      {"TX", N_("Texas")},
    {"UT", N_("Utah")},          {"VT", N_("Vermont")},        {"VA", N_("Virginia")},       {"WA", N_("Washington")},
    {"WV", N_("West Virginia")}, {"WI", N_("Wisconsin")},      {"WY", N_("Wyoming")},        {"PR", N_("Puerto Rico")},
    {"GU", N_("Guam")},          {"VI", N_("US Virgin Islands")}, {"AS", N_("American Samoa")}, {"MP", N_("Northern Mariana Islands")},
    {"MH", N_("Marshall Islands")},
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

const char *place_state_name(const char *code)
{
    for (size_t i = 0; code && i < NSTATES; i++)
        if (!strcmp(states[i].code, code))
            return states[i].name;
    return NULL;
}

/* ---- folding and distance ---- */

static const char *spelt_out(const char *word)
{
    static const char *const abbr[][2] = {{"st", "saint"}, {"ste", "sainte"}, {"ft", "fort"}, {"mt", "mount"}};
    for (size_t i = 0; i < sizeof(abbr) / sizeof(abbr[0]); i++)
        if (!strcmp(word, abbr[i][0]))
            return abbr[i][1];
    return word;
}

/* Folds in into out; expand spells out "st", "ft" and "mt". */
static void fold_words(const char *in, char *out, size_t outlen, bool expand)
{
    size_t n = 0;
    char word[FOLD_MAX];
    size_t w = 0;
    if (!outlen)
        return;
    out[0] = '\0';
    for (const char *p = in;; p++) {
        int c = (unsigned char)*p;
        if (c == '\'' || c == '.') /* "O'Fallon", "St." */
            continue;
        if (c && isalnum_ascii(c) && w + 1 < sizeof(word)) {
            word[w++] = (char)tolower_ascii(c);
            continue;
        }
        if (w) {
            word[w] = '\0';
            const char *s = expand ? spelt_out(word) : word;
            size_t sl = strlen(s);
            if (n + (n ? 1 : 0) + sl + 1 > outlen)
                break;
            if (n)
                out[n++] = ' ';
            memcpy(out + n, s, sl);
            n += sl;
            out[n] = '\0';
            w = 0;
        }
        if (!c)
            break;
    }
}

void place_fold(const char *in, char *out, size_t outlen)
{
    fold_words(in, out, outlen, true);
}

int place_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > FOLD_MAX || lb > FOLD_MAX)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)max)
        return max + 1;
    int row[FOLD_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0], best = row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
    }
    return row[lb] > max ? max + 1 : row[lb];
}

/* ---- loading ---- */

static int place_cmp(const void *x, const void *y)
{
    const place *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    if (!c)
        c = strcmp(a->state, b->state);
    return c ? c : a->kind - b->kind;
}

static int zip_cmp(const void *x, const void *y)
{
    return strcmp(((const extra_zip *)x)->zip, ((const extra_zip *)y)->zip);
}

/* Splits line into at most 6 tab-separated fields; returns how many. */
static int split_tabs(char *line, char *f[6])
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < 6; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static bool parse_point(const char *a, const char *b, float *lat, float *lon)
{
    char *e1 = NULL, *e2 = NULL;
    *lat = strtof(a, &e1);
    *lon = strtof(b, &e2);
    return e1 != a && e2 != b && !*e1 && !*e2 && fabsf(*lat) <= 90 && fabsf(*lon) <= 180;
}

/* One line of the file into the arrays; false when it is malformed. */
static bool load_line(char *line, size_t *cap_p, size_t *cap_z, size_t *cap_r)
{
    char *f[6];
    int nf = split_tabs(line, f);
    if (nf == 6 && (!strcmp(f[0], "c") || !strcmp(f[0], "k")) && strlen(f[2]) == 2) {
        place p = {0};
        long n = 0;
        char key[FOLD_MAX];
        if (!parse_point(f[3], f[4], &p.lat, &p.lon) || !parse_long(f[5], 1, 100000, &n))
            return false;
        place_fold(f[1], key, sizeof(key));
        if (!*key)
            return false;
        p.key = xstrdup(key);
        p.name = f[1];
        memcpy(p.state, f[2], 3);
        p.kind = f[0][0];
        p.n = (int)n;
        if (nplaces == *cap_p)
            places = xrealloc(places, (*cap_p = *cap_p ? *cap_p * 2 : 4096) * sizeof(place));
        places[nplaces++] = p;
        return true;
    }
    if (nf == 5 && !strcmp(f[0], "z") && strlen(f[1]) == 5 && strlen(f[2]) == 2) {
        extra_zip z = {{0}, {0}, 0, 0};
        if (!parse_point(f[3], f[4], &z.lat, &z.lon))
            return false;
        memcpy(z.zip, f[1], 6);
        memcpy(z.state, f[2], 3);
        if (nzips == *cap_z)
            zips = xrealloc(zips, (*cap_z = *cap_z ? *cap_z * 2 : 1024) * sizeof(extra_zip));
        zips[nzips++] = z;
        return true;
    }
    if (nf == 4 && !strcmp(f[0], "r") && strlen(f[1]) == 5 && strlen(f[2]) == 5 && strlen(f[3]) == 2) {
        if (nranges == *cap_r)
            ranges = xrealloc(ranges, (*cap_r = *cap_r ? *cap_r * 2 : 128) * sizeof(zip_range));
        zip_range *r = &ranges[nranges++];
        memcpy(r->from, f[1], 6);
        memcpy(r->to, f[2], 6);
        memcpy(r->state, f[3], 3);
        return true;
    }
    return false;
}

bool places_load(const char *data_dir, char *err, size_t errlen)
{
    char path[700];
    snprintf(path, sizeof(path), "%s/geo/places.tsv", data_dir);
    places_free();
    size_t len;
    text = file_read(path, 16u * 1024u * 1024u, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s (make it with tools/build_places.py)", path, strerror(errno));
        return false;
    }
    size_t cap_p = 0, cap_z = 0, cap_r = 0;
    long lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '#')
            continue;
        if (!load_line(line, &cap_p, &cap_z, &cap_r)) {
            snprintf(err, errlen, "%s: line %ld is not a place, ZIP or ZIP range line", path, lineno);
            places_free();
            return false;
        }
    }
    if (!nplaces || !nranges) {
        snprintf(err, errlen, "%s: no places", path);
        places_free();
        return false;
    }
    qsort(places, nplaces, sizeof(place), place_cmp);
    if (nzips)
        qsort(zips, nzips, sizeof(extra_zip), zip_cmp);
    return true;
}

void places_free(void)
{
    for (size_t i = 0; i < nplaces; i++)
        free(places[i].key);
    free(places);
    free(zips);
    free(ranges);
    free(text);
    places = NULL;
    zips = NULL;
    ranges = NULL;
    text = NULL;
    nplaces = nzips = nranges = 0;
}

/* ---- ZIP codes and states ---- */

void place_zip_state(const char *zip, char out[3])
{
    out[0] = '\0';
    if (!zip || strlen(zip) != 5)
        return;
    for (size_t i = 0; i < nranges; i++)
        if (strcmp(zip, ranges[i].from) >= 0 && strcmp(zip, ranges[i].to) <= 0) {
            memcpy(out, ranges[i].state, 3);
            return;
        }
}

void place_nearest_state(double lat, double lon, char out[3])
{
    out[0] = '\0';
    double best = INFINITY, k = cos(lat * M_PI / 180.0);
    for (size_t i = 0; i < nplaces; i++) {
        double dy = places[i].lat - lat, dx = (places[i].lon - lon) * k;
        double d = dx * dx + dy * dy;
        if (d < best) {
            best = d;
            memcpy(out, places[i].state, 3);
        }
    }
}

static const extra_zip *extra_zip_find(const char *zip)
{
    extra_zip key;
    memset(&key, 0, sizeof(key));
    if (!nzips || !str_copy(key.zip, sizeof(key.zip), zip))
        return NULL;
    return bsearch(&key, zips, nzips, sizeof(extra_zip), zip_cmp);
}

/* ---- names ---- */

/* The label a person sees and can type again: "Denver, CO",
 * "Multnomah County, OR", "Acadia Parish, LA". */
static void label_of(const place *p, char out[PLACE_LABEL])
{
    const char *suffix = "";
    if (p->kind == 'k' && strcmp(p->state, "AK") && !strstr(p->name, "County") && !strstr(p->name, "city") &&
        !strstr(p->name, "City"))
        suffix = strcmp(p->state, "LA") ? " County" : " Parish";
    snprintf(out, PLACE_LABEL, "%s%s, %s", p->name, suffix, p->state);
}

/* The first place whose key is key (NULL when none). */
static const place *first_named(const char *key)
{
    size_t lo = 0, hi = nplaces;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(places[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nplaces && !strcmp(places[lo].key, key) ? &places[lo] : NULL;
}

static bool suggested(const place_result *r, const char *label)
{
    for (int i = 0; i < r->nsuggest; i++)
        if (!strcmp(r->suggest[i], label))
            return true;
    return false;
}

/* Adds p to the suggestions unless it is there already or the list is full. */
static void suggest(place_result *r, const place *p)
{
    char label[PLACE_LABEL];
    label_of(p, label);
    if (r->nsuggest < PLACE_MAX_SUGGEST && !suggested(r, label) && strcmp(label, r->label))
        memcpy(r->suggest[r->nsuggest++], label, PLACE_LABEL);
}

static void found(place_result *r, const place *p)
{
    r->status = PLACE_FOUND;
    r->lat = p->lat;
    r->lon = p->lon;
    memcpy(r->state, p->state, 3);
    label_of(p, r->label);
}

/* Candidates sorted best first: larger places, cities before counties. */
static int rank_cmp(const void *x, const void *y)
{
    const place *a = *(const place *const *)x, *b = *(const place *const *)y;
    if (a->kind != b->kind)
        return a->kind == 'c' ? -1 : 1;
    return b->n - a->n;
}

/* The places called key, in state (any state when ""), of kind (0: any),
 * best first, into out (at most max); returns how many. */
static int named(const char *key, const char *state, char kind, const place **out, int max)
{
    int n = 0;
    for (const place *p = first_named(key); p && p < places + nplaces && !strcmp(p->key, key); p++)
        if ((!*state || !strcmp(p->state, state)) && (!kind || p->kind == kind) && n < max)
            out[n++] = p;
    if (n > 1)
        qsort(out, (size_t)n, sizeof(*out), rank_cmp);
    return n;
}

typedef struct near_name {
    const place *p;
    int dist;
} near_name;

static int near_cmp(const void *x, const void *y)
{
    const near_name *a = x, *b = y;
    if (a->dist != b->dist)
        return a->dist - b->dist;
    return b->p->n - a->p->n;
}

/* Suggestions for a name we do not know: near spellings (edit distance 1
 * for short names, 2 for longer), in state when given. */
static void suggest_spellings(place_result *r, const char *key, const char *state)
{
    int max = strlen(key) <= 4 ? 1 : 2;
    near_name best[PLACE_MAX_SUGGEST * 4] = {{NULL, 0}};
    int nb = 0;
    for (size_t i = 0; i < nplaces; i++) {
        const place *p = &places[i];
        if (*state && strcmp(p->state, state))
            continue;
        int d = place_distance(key, p->key, max);
        if (d > max)
            continue;
        near_name c = {p, d};
        if (nb < (int)(sizeof(best) / sizeof(best[0]))) {
            best[nb++] = c;
        } else {
            qsort(best, (size_t)nb, sizeof(best[0]), near_cmp);
            if (near_cmp(&c, &best[nb - 1]) < 0)
                best[nb - 1] = c;
        }
    }
    if (nb > 1)
        qsort(best, (size_t)nb, sizeof(best[0]), near_cmp);
    for (int i = 0; i < nb; i++)
        suggest(r, best[i].p);
}

/* Keeps the first (best) place of each state: a city and the county of
 * the same name in one state are one answer. Returns the new count. */
static int one_per_state(const place **c, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen |= !strcmp(c[j]->state, c[i]->state);
        if (!seen)
            c[k++] = c[i];
    }
    return k;
}

/* Strips a trailing " county" or " parish" from key into out; false when
 * there is none. */
static bool strip_county(const char *key, char *out, size_t outlen)
{
    static const char *const words[] = {" county", " parish"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (str_has_suffix(key, words[i]) && strlen(key) > strlen(words[i])) {
            size_t n = strlen(key) - strlen(words[i]);
            if (n >= outlen)
                return false;
            memcpy(out, key, n);
            out[n] = '\0';
            return true;
        }
    return false;
}

/* Splits folded text into a name and a trailing state (a two-letter code or
 * a state's name, the longest that fits); st is "" when there is none. */
static void split_state(const char *raw, char *name, size_t namelen, char st[3])
{
    st[0] = '\0';
    str_copy(name, namelen, raw);
    size_t len = strlen(raw), best = 0;
    const char *last = strrchr(raw, ' ');
    last = last ? last + 1 : raw;
    char code[3] = {0};
    if (strlen(last) == 2) {
        code[0] = (char)(last[0] - 'a' + 'A');
        code[1] = (char)(last[1] - 'a' + 'A');
        if (place_state_name(code)) {
            memcpy(st, code, 3);
            best = 2;
        }
    }
    for (size_t i = 0; i < NSTATES; i++) {
        char fs[64];
        fold_words(states[i].name, fs, sizeof(fs), false);
        size_t fl = strlen(fs);
        if (fl > best && fl <= len && !strcmp(raw + len - fl, fs) && (fl == len || raw[len - fl - 1] == ' ')) {
            memcpy(st, states[i].code, 3);
            best = fl;
        }
    }
    if (!best)
        return;
    size_t keep = len - best;
    while (keep && raw[keep - 1] == ' ')
        keep--;
    name[keep < namelen ? keep : namelen - 1] = '\0';
}

/* Only a state was typed ("Oregon", "TX"): a place of that name in the
 * state if there is one (New York), else the state with its largest
 * places as suggestions. */
static void state_only(place_result *r, const char *st, const char *key)
{
    const place *c[8] = {NULL};
    if (named(key, st, 'c', c, 8) > 0) {
        found(r, c[0]);
        return;
    }
    r->status = PLACE_STATE;
    memcpy(r->state, st, 3);
    str_copy(r->label, sizeof(r->label), place_state_name(st));
    if (named(key, "", 'c', c, 8) > 0)
        suggest(r, c[0]); /* "Washington": Washington, DC */
    const place *top[PLACE_MAX_SUGGEST] = {0};
    for (size_t i = 0; i < nplaces; i++) {
        const place *p = &places[i];
        if (p->kind != 'c' || strcmp(p->state, st))
            continue;
        int k = PLACE_MAX_SUGGEST;
        while (k > 0 && (!top[k - 1] || top[k - 1]->n < p->n))
            k--;
        if (k >= PLACE_MAX_SUGGEST)
            continue;
        memmove(&top[k + 1], &top[k], (size_t)(PLACE_MAX_SUGGEST - 1 - k) * sizeof(top[0]));
        top[k] = p;
    }
    for (int i = 0; i < PLACE_MAX_SUGGEST && top[i]; i++)
        suggest(r, top[i]);
}

/* A name, with or without a state. */
static void lookup(place_result *r, const char *key, const char *st, bool spellings)
{
    const place *c[64] = {NULL};
    char bare[FOLD_MAX];
    int n = 0;
    if (strip_county(key, bare, sizeof(bare)))
        n = named(bare, st, 'k', c, 64);
    if (!n)
        n = named(key, st, 0, c, 64);
    n = one_per_state(c, n);
    if (n == 1 || (n > 1 && (*st || c[0]->n >= 5 * c[1]->n))) {
        found(r, c[0]);
        for (int i = 1; i < n; i++)
            suggest(r, c[i]);
        return;
    }
    if (n > 1) {
        r->status = PLACE_AMBIGUOUS;
        for (int i = 0; i < n; i++)
            suggest(r, c[i]);
        return;
    }
    r->status = PLACE_NOT_FOUND;
    if (*st && (n = one_per_state(c, named(key, "", 0, c, 64))) > 0) {
        for (int i = 0; i < n; i++) /* "Denver, CA": the Denvers there are */
            suggest(r, c[i]);
        return;
    }
    if (!spellings)
        return;
    suggest_spellings(r, key, st);
    if (!r->nsuggest && *st)
        suggest_spellings(r, key, "");
}

/* Five digits, or ZIP+4, into zip. */
static bool zip_of(const char *t, char zip[6])
{
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < 5; i++)
        if (i >= n || t[i] < '0' || t[i] > '9')
            return false;
    if (n != 5 && !(n == 10 && t[5] == '-'))
        return false;
    memcpy(zip, t, 5);
    zip[5] = '\0';
    return true;
}

static void resolve_zip(const char *zip, place_result *r)
{
    double lat, lon;
    const extra_zip *z = NULL;
    if (!locator_zip(zip, &lat, &lon) && !(z = extra_zip_find(zip))) {
        r->status = PLACE_UNKNOWN_ZIP;
        return;
    }
    r->status = PLACE_FOUND;
    r->lat = z ? z->lat : lat;
    r->lon = z ? z->lon : lon;
    place_zip_state(zip, r->state);
    snprintf(r->label, sizeof(r->label), "ZIP %s", zip);
}

static void resolve(const char *input, place_result *r, bool spellings)
{
    memset(r, 0, sizeof(*r));
    r->status = PLACE_UNREADABLE;
    char zip[6], raw[FOLD_MAX], name[FOLD_MAX], key[FOLD_MAX], st[3];
    if (!input || strlen(input) >= FOLD_MAX)
        return;
    if (zip_of(input, zip)) {
        resolve_zip(zip, r);
        return;
    }
    double lat, lon;
    int rc = strchr(input, ',') ? locator_where(input, &lat, &lon) : 3;
    if (rc == 0) {
        r->status = PLACE_FOUND;
        r->lat = lat;
        r->lon = lon;
        place_nearest_state(lat, lon, r->state);
        snprintf(r->label, sizeof(r->label), "%.4f, %.4f", lat, lon);
        return;
    }
    if (rc == 2) {
        r->status = PLACE_BAD_COORDS;
        return;
    }
    fold_words(input, raw, sizeof(raw), false);
    if (!*raw || !nplaces)
        return;
    split_state(raw, name, sizeof(name), st);
    if (!*name) {
        place_fold(raw, key, sizeof(key));
        state_only(r, st, key);
        return;
    }
    place_fold(name, key, sizeof(key));
    memcpy(r->state, st, 3); /* kept when the name is not found: "Denvr, CO" is still in Colorado */
    lookup(r, key, st, spellings);
}

void place_resolve(const char *input, place_result *r)
{
    resolve(input, r, true);
}

void place_resolve_known(const char *input, place_result *r)
{
    resolve(input, r, false);
}
