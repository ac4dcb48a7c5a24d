/* config: defaults, INI file (libinih) and flags, all driven by one table. */
#include "config.h"
#include "i18n.h"
#include "util.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum key_type { K_STR, K_LONG, K_BOOL, K_COLOR };

struct key {
    const char *section, *name;
    enum key_type type;
    size_t offset, size;
    long min, max;
    const char *def, *doc;
};

#define S(sec, field, def, doc) \
    {sec, #field, K_STR, offsetof(config, field), sizeof(((config *)0)->field), 0, 0, def, doc}
/* A text key whose name differs from its field ([metrics] listen). */
#define SN(sec, name, field, def, doc) \
    {sec, name, K_STR, offsetof(config, field), sizeof(((config *)0)->field), 0, 0, def, doc}
#define C(sec, field, def, doc) \
    {sec, #field, K_COLOR, offsetof(config, field), sizeof(((config *)0)->field), 0, 0, def, doc}
#define L(sec, field, lo, hi, def, doc) \
    {sec, #field, K_LONG, offsetof(config, field), 0, lo, hi, def, doc}
#define B(sec, field, def, doc) \
    {sec, #field, K_BOOL, offsetof(config, field), 0, 0, 0, def, doc}

static const struct key keys[] = {
    S("site", site_name, "Waypost", "The site's name, shown in the header and page titles."),
    S("site", tagline, N_("Harm reduction and recovery help"), "A short line under the name."),
    S("site", welcome, N_("Practical, private help for staying safer and finding support. No account, no tracking."),
      "The welcome text on the home page."),
    S("site", org_name, "", "Who runs this site (shown on /about and in the footer; nothing is said when unset)."),
    S("site", org_url, "", "The organisation's own website (optional)."),
    S("site", contact_email, "", "A contact email address shown on /about (optional)."),
    S("site", contact_phone, "", "A contact phone number shown on /about (optional)."),
    S("site", logo, "", "Path of a logo image under the static or theme folder, e.g. img/logo.svg (optional)."),
    C("site", color_primary, "#1d4f91", "Main colour (#rrggbb); text on it is white, so keep it dark enough for 4.5:1 contrast."),
    C("site", color_accent, "#b3261e", "Accent colour for the quick-exit button and alerts (#rrggbb, dark enough for white text)."),
    S("site", quick_exit_url, "https://www.weather.gov/", "Where the quick-exit button goes: a neutral site."),
    S("site", emergency_number, "911", "The emergency phone number shown in the overdose guide."),
    S("site", health_alerts_url, "",
      "The web page of the state or city health department's drug alerts, named where this site has no active alert (optional)."),
    S("site", health_alerts_name, N_("your state or city health department"),
      "Who publishes the alerts at health_alerts_url, as the sentence names them."),
    S("site", default_language, "en",
      "The language served without a prefix (en, or a language with a catalog po/<code>.po such as es); "
      "every other language is served under /<code>/."),
    S("site", timezone, "America/New_York", "Time zone for opening hours when a listing does not give one."),
    S("server", listen, "127.0.0.1:8080", "Address and port to listen on (IPv4 ADDR:PORT)."),
    S("server", db_path, "var/waypost.db", "The SQLite database file."),
    S("server", content_dir, "content", "Folder of Markdown pages."),
    S("server", templates_dir, "templates", "Folder of Mustache templates."),
    S("server", po_dir, "po", "Folder of translation catalogs (<code>.po, gettext PO format)."),
    S("server", static_dir, "static", "Folder of CSS, JavaScript and images."),
    S("server", theme_dir, "", "Optional folder whose templates/ and static/ override the shipped ones."),
    S("server", data_dir, "data", "Folder of bundled data files."),
    L("server", threads, 0, 256, "0", "Worker threads; 0 means one per CPU core."),
    B("server", log_client_address, "false", "Log client IP addresses (off by default for privacy)."),
    B("server", hsts, "false", "Send Strict-Transport-Security (only when served over TLS by a proxy)."),
    B("server", dev, "false", "Development mode: reload templates and content when they change."),
    S("server", trusted_proxies, "",
      "Reverse proxies in front of Waypost (addresses or address/prefix, comma-separated, e.g. 127.0.0.1, ::1): "
      "requests from them are counted per X-Forwarded-For client."),
    L("server", drain_seconds, 0, 3600, "10",
      "On SIGTERM or SIGINT, seconds to let requests in flight finish before closing them and exiting."),
    L("limits", max_header_bytes, 1024, 1048576, "8192", "Largest request header block; larger gets 431."),
    L("limits", max_uri_bytes, 256, 1048576, "4096", "Longest request URI; longer gets 414."),
    L("limits", max_body_bytes, 1024, 67108864, "65536", "Largest request body for routes that take one; larger gets 413."),
    L("limits", timeout_seconds, 1, 3600, "15", "Seconds of silence before a connection is closed."),
    L("limits", max_connections, 16, 100000, "4096",
      "Most open connections in all (the open-file limit is raised to fit, as far as the system allows)."),
    L("limits", max_conns_per_client, 1, 100000, "256",
      "Most open connections from one client address, counted from the moment they open; more are refused at once."),
    L("limits", header_seconds, 1, 600, "10",
      "Seconds a request's header block may take to arrive, however it trickles in; then the connection is closed."),
    L("limits", max_streams, 1, 10000, "32",
      "Most whole-list API answers (format=ndjson without per_page) sent at once, each reading its own database "
      "connection; more get 503 with Retry-After."),
    SN("metrics", "listen", metrics_listen, "127.0.0.1:9464",
      "Where /metrics is served (IPv4 ADDR:PORT), apart from the public port; empty turns it off."),
    L("staff", session_idle_minutes, 1, 1440, "30", "Minutes without a request after which a staff session ends."),
    L("staff", session_hours, 1, 168, "12", "Hours after sign-in after which a staff session ends however active."),
    S("staff", public_url, "",
      "The site's address as staff reach it (https://example.org), for the setup links `waypost user add` prints; "
      "empty: http:// and server.listen."),
    S("map", tiles, "",
      "Tile URL template for an interactive Leaflet map on /find, e.g. https://tiles.example.org/{z}/{x}/{y}.png; "
      "empty (the default) keeps the server-drawn map only. Visitors' browsers then fetch tiles from that server."),
    S("map", attribution, "", "Credit for the tiles, shown on the map (plain text; required when tiles is set)."),
    L("map", max_zoom, 1, 22, "18", "Deepest zoom level the tile server offers."),
    S("map", leaflet_dir, "/usr/share/javascript/leaflet",
      "Folder holding Leaflet (leaflet.min.js, leaflet.css, images/); Debian's libjs-leaflet puts it here."),
    S("notify", sms_url, "",
      "The SMS gateway's full Messages URL (Twilio-shaped: a form POST of To, From and Body with basic auth), "
      "e.g. https://api.twilio.com/2010-04-01/Accounts/SID/Messages.json; empty: no SMS."),
    S("notify", sms_user, "", "User name for the SMS gateway's basic auth (Twilio: the account SID)."),
    S("notify", sms_password, "", "Password for the SMS gateway's basic auth (Twilio: the auth token)."),
    S("notify", sms_from, "", "The number SMS are sent from (+15035550100)."),
    S("notify", smtp_url, "", "The mail server, smtp://host:587 (STARTTLS when offered) or smtps://host:465; empty: no email."),
    S("notify", smtp_user, "", "User name for the mail server (empty: no login)."),
    S("notify", smtp_password, "", "Password for the mail server."),
    S("notify", mail_from, "", "The address email is sent from (alerts@example.org); required with smtp_url."),
    S("checkin", responder_sms, "", "The program's responder phone, told when nobody answers a check-in alert (+15035550100)."),
    S("checkin", responder_email, "", "The program's responder email address, told the same way."),
    S("checkin", responder_webhook, "", "A URL the responder alert is POSTed to as signed JSON (http or https)."),
    S("checkin", webhook_secret, "", "The HMAC-SHA256 key for X-Waypost-Signature; required with responder_webhook."),
    L("checkin", warn_seconds, 0, 3600, "60", "Seconds before a check-in ends that the person's own number is warned (0: no warning)."),
    L("checkin", escalate_seconds, 1, 86400, "180",
      "Seconds the contacts have to say they are on the way before the responder is alerted."),
    L("checkin", min_seconds, 1, 3600, "60", "The shortest timer accepted (tests use a few seconds)."),
    L("checkin", keep_hours, 1, 720, "24", "Hours after a check-in ends before it and its messages are deleted."),
    L("checkin", confirmed_days, 1, 3650, "90",
      "Days a contact who used an \"I'm on my way\" link stays free of the 3-an-hour limit for unconfirmed "
      "contacts (a keyed hash is kept, never the number)."),
    S("checkin", key_file, "",
      "The key that encrypts check-ins and queued messages (made with mode 0600 on first start); empty: checkin.key "
      "beside the database."),
    L("checkin", starts_per_hour, 0, 1000000, "10",
      "Check-ins one client address may start in an hour (kept in memory only); 0: no limit (benchmarks)."),
    L("community", report_min_seconds, 0, 3600, "3",
      "Seconds the /report form must be open before it is sent (spam guard; 0: none, for tests)."),
    L("community", reports_per_hour, 0, 1000000, "10",
      "Community drug reports one client address may send in an hour (kept in memory only); 0: no limit."),
    L("subscriptions", subscribes_per_hour, 0, 1000000, "20",
      "Alert subscription requests one client address may make in an hour (kept in memory only); 0: no limit."),
    S("subscriptions", sms_inbound_secret, "",
      "The secret in the SMS gateway's inbound webhook URL, /subscribe/sms/SECRET (replies: YES, a code, STOP); "
      "at least 16 characters; empty: replies are not taken."),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool is_color(const char *v)
{
    if (strlen(v) != 7 || v[0] != '#')
        return false;
    for (int i = 1; i < 7; i++) {
        char c = v[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on")) {
        *out = true;
        return true;
    }
    if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "off")) {
        *out = false;
        return true;
    }
    return false;
}

/* Stores value in the field k describes; false with a sentence in err. */
static bool key_store(config *c, const struct key *k, const char *v, char *err, size_t errlen)
{
    char *field = (char *)c + k->offset;
    switch (k->type) {
    case K_COLOR:
        if (!is_color(v)) {
            snprintf(err, errlen, "%s.%s must be a colour like #1d4f91, not \"%s\"", k->section, k->name, v);
            return false;
        }
        /* fall through */
    case K_STR:
        if (!str_copy(field, k->size, v)) {
            snprintf(err, errlen, "%s.%s is too long (at most %zu characters)", k->section, k->name, k->size - 1);
            return false;
        }
        return true;
    case K_LONG: {
        long n;
        if (!parse_long(v, k->min, k->max, &n)) {
            snprintf(err, errlen, "%s.%s must be a whole number from %ld to %ld, not \"%s\"", k->section,
                     k->name, k->min, k->max, v);
            return false;
        }
        *(long *)(void *)field = n;
        return true;
    }
    case K_BOOL:
        if (!parse_bool(v, (bool *)(void *)field)) {
            snprintf(err, errlen, "%s.%s must be true or false, not \"%s\"", k->section, k->name, v);
            return false;
        }
        return true;
    }
    return false;
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof(*c));
    char err[256];
    for (size_t i = 0; i < NKEYS; i++)
        key_store(c, &keys[i], keys[i].def, err, sizeof(err));
}

static const struct key *key_find(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
            return &keys[i];
    return NULL;
}

/* Debian's libinih is built without line numbers in the handler, so the
 * reader counts lines itself: the handler runs right after its line is read. */
struct ini_ctx {
    config *c;
    const char *path;
    char *err;
    size_t errlen;
    bool failed;
    FILE *f;
    int line;
    bool indented;           /* the line just read starts with a blank */
    const struct key *last;  /* the key the previous handler call set */
};

/* Debian's libinih reads at most 200 bytes a line; a longer line is an
 * error we name here (rather than a confusing one on the wrong line). */
static char *read_line(char *str, int num, void *stream)
{
    struct ini_ctx *x = stream;
    if (x->failed)
        return NULL;
    char *r = fgets(str, num, x->f);
    if (!r)
        return NULL;
    x->line++;
    x->indented = r[0] == ' ' || r[0] == '\t';
    size_t n = strlen(r);
    if (n == (size_t)num - 1 && r[n - 1] != '\n' && !feof(x->f)) {
        snprintf(x->err, x->errlen, "%s line %d: the line is too long (at most %d characters)", x->path, x->line,
                 num - 2);
        x->failed = true;
        return NULL;
    }
    return r;
}

static int on_ini_line(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *x = user;
    int line = x->line;
    if (x->failed)
        return 0;
    const struct key *k = key_find(section, name);
    if (!k) {
        snprintf(x->err, x->errlen, "%s line %d: unknown key \"%s\" in section [%s] (see `waypost help config`)",
                 x->path, line, name, section);
        x->failed = true;
        return 0;
    }
    char why[512];
    char joined[2048];
    if (k == x->last && x->indented && k->type == K_STR) {
        /* An indented line continues the value above (libinih's multi-line
         * values): join them with a space, so long texts fit in short lines. */
        snprintf(joined, sizeof(joined), "%s %s", (const char *)x->c + k->offset, value);
        value = joined;
    }
    if (!key_store(x->c, k, value, why, sizeof(why))) {
        snprintf(x->err, x->errlen, "%s line %d: %s", x->path, line, why);
        x->failed = true;
        return 0;
    }
    x->last = k;
    return 1;
}

bool config_load_file(config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open config file %s: %m", path);
        return false;
    }
    struct ini_ctx x = {c, path, err, errlen, false, f, 0, false, NULL};
    int rc = ini_parse_stream(read_line, &x, on_ini_line, &x);
    fclose(f);
    if (x.failed)
        return false;
    if (rc != 0) {
        snprintf(err, errlen, "%s line %d: not a valid INI line (expected key = value or [section])", path, rc);
        return false;
    }
    return true;
}

bool config_set(config *c, const char *name, const char *value, char *err, size_t errlen)
{
    char norm[128];
    if (!str_copy(norm, sizeof(norm), name)) {
        snprintf(err, errlen, "unknown setting \"%s\"", name);
        return false;
    }
    for (char *p = norm; *p; p++)
        if (*p == '-')
            *p = '_';
    for (size_t i = 0; i < NKEYS; i++) {
        char full[128];
        snprintf(full, sizeof(full), "%s_%s", keys[i].section, keys[i].name);
        char dotted[128];
        snprintf(dotted, sizeof(dotted), "%s.%s", keys[i].section, keys[i].name);
        if (!strcmp(norm, full) || !strcmp(norm, dotted) || !strcmp(norm, keys[i].name))
            return key_store(c, &keys[i], value, err, errlen);
    }
    snprintf(err, errlen, "unknown setting \"%s\" (see `waypost help config`)", name);
    return false;
}

bool config_listen_addr(const config *c, char *host, size_t hostlen, unsigned *port)
{
    return config_split_addr(c->listen, host, hostlen, port);
}

bool config_split_addr(const char *addr, char *host, size_t hostlen, unsigned *port)
{
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr || (size_t)(colon - addr) >= hostlen)
        return false;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    long p;
    if (!parse_long(colon + 1, 1, 65535, &p))
        return false;
    *port = (unsigned)p;
    return true;
}

bool config_tiles_origin(const char *url, char *out, size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    const char *scheme = !strncasecmp(url, "https://", 8)  ? "https"
                         : !strncasecmp(url, "http://", 7) ? "http"
                                                           : NULL;
    if (!scheme)
        return false;
    const char *host = url + strlen(scheme) + 3;
    const char *wild = "";
    if (str_has_prefix(host, "{s}.")) {
        wild = "*.";
        host += 4;
    }
    size_t n = 0, dots = 0;
    while (host[n] && host[n] != ':' && host[n] != '/') {
        char c = host[n];
        if (!(isalnum_ascii((unsigned char)c) || c == '.' || c == '-'))
            return false;
        dots += c == '.';
        n++;
    }
    if (n == 0 || host[0] == '.' || host[0] == '-' || host[n - 1] == '.' || (*wild && !dots))
        return false;
    const char *p = host + n;
    long port = 0;
    if (*p == ':') {
        char digits[8];
        size_t d = strspn(p + 1, "0123456789");
        if (d == 0 || d >= sizeof(digits) || p[1 + d] != '/')
            return false;
        memcpy(digits, p + 1, d);
        digits[d] = '\0';
        if (!parse_long(digits, 1, 65535, &port))
            return false;
        p += 1 + d;
    }
    if (*p != '/')
        return false;
    char portpart[8] = "";
    if (port)
        snprintf(portpart, sizeof(portpart), ":%ld", port);
    int w = snprintf(out, outlen, "%s://%s%.*s%s", scheme, wild, (int)n, host, portpart);
    if (w < 0 || (size_t)w >= outlen) {
        if (outlen)
            out[0] = '\0';
        return false;
    }
    for (char *q = out; *q; q++)
        *q = (char)tolower_ascii((unsigned char)*q);
    return true;
}

/* The [map] keys: a tile template Leaflet can use, safe in a CSP and an
 * HTML attribute, with its credit. */
static bool validate_map(const config *c, char *err, size_t errlen)
{
    if (!c->tiles[0])
        return true;
    for (const unsigned char *p = (const unsigned char *)c->tiles; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("\"'<>\\`^|", *p)) {
            snprintf(err, errlen, "map.tiles must be a URL without spaces, quotes or angle brackets");
            return false;
        }
    char origin[300];
    if (!config_tiles_origin(c->tiles, origin, sizeof(origin))) {
        snprintf(err, errlen,
                 "map.tiles must be an http:// or https:// URL with a host name, like "
                 "https://tiles.example.org/{z}/{x}/{y}.png, not \"%s\"", c->tiles);
        return false;
    }
    if (!strstr(c->tiles, "{z}") || !strstr(c->tiles, "{x}") || !strstr(c->tiles, "{y}")) {
        snprintf(err, errlen, "map.tiles must contain {z}, {x} and {y}, like https://tiles.example.org/{z}/{x}/{y}.png");
        return false;
    }
    if (!c->attribution[0]) {
        snprintf(err, errlen, "map.attribution must credit the tiles' source when map.tiles is set");
        return false;
    }
    if (!c->leaflet_dir[0]) {
        snprintf(err, errlen, "map.leaflet_dir must not be empty when map.tiles is set");
        return false;
    }
    return true;
}

static bool is_http_url(const char *u)
{
    if (!str_has_prefix(u, "https://") && !str_has_prefix(u, "http://"))
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* The outbox's channels and the check-in's responder ([notify], [checkin]). */
static bool validate_notify(const config *c, char *err, size_t errlen)
{
    if (c->sms_url[0] && !is_http_url(c->sms_url)) {
        snprintf(err, errlen, "notify.sms_url must be an http:// or https:// URL without spaces");
        return false;
    }
    if (c->smtp_url[0] && !str_has_prefix(c->smtp_url, "smtp://") && !str_has_prefix(c->smtp_url, "smtps://")) {
        snprintf(err, errlen, "notify.smtp_url must start with smtp:// or smtps://");
        return false;
    }
    if (c->smtp_url[0] && !strchr(c->mail_from, '@')) {
        snprintf(err, errlen, "notify.mail_from must be an email address when notify.smtp_url is set");
        return false;
    }
    if (c->responder_webhook[0] && (!is_http_url(c->responder_webhook) || !c->webhook_secret[0])) {
        snprintf(err, errlen, "checkin.responder_webhook must be an http(s) URL, and checkin.webhook_secret must be set with it");
        return false;
    }
    if (c->responder_sms[0] && !c->sms_url[0]) {
        snprintf(err, errlen, "checkin.responder_sms needs notify.sms_url");
        return false;
    }
    if (c->responder_email[0] && !c->smtp_url[0]) {
        snprintf(err, errlen, "checkin.responder_email needs notify.smtp_url");
        return false;
    }
    return true;
}

bool config_validate(const config *c, char *err, size_t errlen)
{
    char host[64];
    unsigned port;
    if (!config_listen_addr(c, host, sizeof(host), &port)) {
        snprintf(err, errlen, "server.listen must look like 127.0.0.1:8080, not \"%s\"", c->listen);
        return false;
    }
    if (c->metrics_listen[0] && !config_split_addr(c->metrics_listen, host, sizeof(host), &port)) {
        snprintf(err, errlen, "metrics.listen must look like 127.0.0.1:9464 (or be empty), not \"%s\"",
                 c->metrics_listen);
        return false;
    }
    if (!c->db_path[0]) {
        snprintf(err, errlen, "server.db_path must not be empty");
        return false;
    }
    for (const char *p = c->emergency_number; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == ' ' || *p == '-' || *p == '+')) {
            snprintf(err, errlen, "site.emergency_number may hold only digits, spaces, + and -, not \"%s\"",
                     c->emergency_number);
            return false;
        }
    if (!c->emergency_number[0]) {
        snprintf(err, errlen, "site.emergency_number must not be empty");
        return false;
    }
    if (c->quick_exit_url[0] && !str_has_prefix(c->quick_exit_url, "https://") &&
        !str_has_prefix(c->quick_exit_url, "http://")) {
        snprintf(err, errlen, "site.quick_exit_url must start with https:// or http://");
        return false;
    }
    return validate_map(c, err, errlen) && validate_notify(c, err, errlen);
}

void config_print_help(FILE *out)
{
    const char *section = "";
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(section, keys[i].section)) {
            section = keys[i].section;
            fprintf(out, "\n[%s]\n", section);
        }
        fprintf(out, "  %-22s default \"%s\"\n      %s\n      flag: --%s-%s VALUE\n", keys[i].name, keys[i].def,
                keys[i].doc, keys[i].section, keys[i].name);
    }
}
