/* config: the settings of one Waypost site, from defaults, then an INI file
 * (read with libinih), then command-line flags; later sources win.
 *
 * Every key lives in one table (config.c) with its section, type, default
 * and a line of documentation; the INI reader, the flag parser and
 * `waypost help config` all read that table, so a key exists everywhere or
 * nowhere. Unknown keys are errors that name the key and the line. */
#ifndef WP_CONFIG_H
#define WP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct config {
    /* [site] */
    char site_name[128];
    char tagline[256];
    char welcome[1024];
    char org_name[128];
    char org_url[256];
    char contact_email[128];
    char contact_phone[64];
    char logo[256];
    char color_primary[8];
    char color_accent[8];
    char quick_exit_url[256];
    char emergency_number[16];
    char health_alerts_url[256];
    char health_alerts_name[128];
    char timezone[64];
    char default_language[16];
    /* [server] */
    char listen[64];
    char db_path[512];
    char content_dir[512];
    char templates_dir[512];
    char po_dir[512];
    char static_dir[512];
    char theme_dir[512];
    char data_dir[512];
    long threads;
    bool log_client_address;
    bool hsts;
    bool dev;
    long drain_seconds;
    char trusted_proxies[512];
    /* [limits] */
    long max_header_bytes;
    long max_uri_bytes;
    long max_body_bytes;
    long timeout_seconds;
    long max_connections;
    long max_conns_per_client;
    long header_seconds;
    long max_streams;
    /* [metrics] */
    char metrics_listen[64]; /* where /metrics is served; empty: nowhere */
    /* [staff] */
    long session_idle_minutes;
    long session_hours;
    char public_url[256];
    /* [map] */
    char tiles[512];       /* tile URL template; empty: no Leaflet map */
    char attribution[256]; /* shown on the map; required with tiles */
    long max_zoom;
    char leaflet_dir[512]; /* where Debian's libjs-leaflet put its files */
    /* [notify]: the channels of the outbox (src/notify/) */
    char sms_url[512];      /* the gateway's full Messages URL; empty: no SMS */
    char sms_user[128];
    char sms_password[256];
    char sms_from[32];
    char smtp_url[512];     /* smtp://host:587 or smtps://host:465; empty: no email */
    char smtp_user[256];
    char smtp_password[256];
    char mail_from[256];
    /* [checkin]: the never-use-alone timer (src/checkin/) */
    char responder_sms[32];
    char responder_email[256];
    char responder_webhook[512];
    char webhook_secret[256];
    long warn_seconds;
    long escalate_seconds;
    long min_seconds;
    long keep_hours;
    long confirmed_days;    /* a contact's confirmation lifts its hourly limit this long */
    char key_file[512];     /* empty: checkin.key beside the database */
    long starts_per_hour;   /* per client address; 0: no limit */
    /* [community]: community drug reports (src/community/report*) */
    long report_min_seconds; /* the form's minimum fill time */
    long reports_per_hour;   /* per client address; 0: no limit */
    /* [subscriptions]: alert subscriptions (src/community/subs*) */
    long subscribes_per_hour;    /* per client address; 0: no limit */
    char sms_inbound_secret[128]; /* the inbound SMS webhook's path secret; empty: no inbound route */
} config;

void config_defaults(config *c);

/* Reads an INI file over c. On failure returns false and writes a plain
 * sentence naming the file, line and key into err. */
bool config_load_file(config *c, const char *path, char *err, size_t errlen);

/* Sets one key given as "section.key" or a flag name "section-key" (dashes
 * and underscores are the same). false with a sentence in err when the key
 * is unknown or the value is not valid for it. */
bool config_set(config *c, const char *name, const char *value, char *err, size_t errlen);

/* Checks values that depend on each other; false with a sentence in err. */
bool config_validate(const config *c, char *err, size_t errlen);

/* The origin of a tile URL template, for the CSP's img-src: "scheme://host"
 * or "scheme://host:port", lowercased. A template whose host starts with
 * "{s}." (Leaflet's subdomains) gives a wildcard source: for
 * https://{s}.tile.example.org/... that is https + "://" + "*.tile.example.org".
 * False (out left empty) unless url is http(s) with a plain host name or IPv4 address
 * (letters, digits, dots and hyphens; no user, no IPv6), an optional port
 * 1-65535, and a path after it; so the result is safe to put in a header. */
bool config_tiles_origin(const char *url, char *out, size_t outlen);

/* Writes every key with its section, default and description. */
void config_print_help(FILE *out);

/* Splits c->listen into an IPv4 address and port. */
bool config_listen_addr(const config *c, char *host, size_t hostlen, unsigned *port);
/* Splits "ADDR:PORT"; false when it is not that shape. */
bool config_split_addr(const char *addr, char *host, size_t hostlen, unsigned *port);

#endif
