/* atom: the alerts as an Atom 1.0 feed (RFC 4287). The feed's id is a
 * name-based UUID of its own address, each entry's id the alert's UUID
 * (urn:uuid:...), so neither changes when an alert is updated. Each entry
 * has title, updated (its last change), published, author, summary, a text
 * content with the alert and its history, categories (severity and
 * substances) and two alternate links: the page (text/html) and the CAP
 * message (application/cap+xml). Times are RFC 3339 in UTC. */
#ifndef WP_ATOM_H
#define WP_ATOM_H

#include "alerts/alerts.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct atom_entry {
    const alert_rec *a;
    const alert_version *v; /* its versions, oldest first */
    int nv;
} atom_entry;

typedef struct atom_feed {
    const char *base;    /* the site's address, no trailing slash */
    const char *title;   /* the feed's title */
    const char *author;  /* the organisation */
    int64_t updated;     /* the feed's last change */
    int64_t now;         /* for the states the entries show */
    const atom_entry *entries;
    int n;
    int lang; /* the feed's language (core/i18n.h): its subtitle; each entry is in its alert's */
} atom_feed;

bool atom_write(buf *b, const atom_feed *f);

#endif
