/* cap: an alert as an OASIS Common Alerting Protocol 1.2 message
 * (urn:oasis:names:tc:emergency:cap:1.2), written by hand with every text
 * escaped for XML, and the XML escaping the Atom writer shares.
 *
 * The message follows the specification's element order (alert: identifier,
 * sender, sent, status, msgType, scope, note, references, info; info:
 * language, category, event, urgency, severity, certainty, onset, expires,
 * senderName, headline, description, instruction, web, resource, area;
 * area: areaDesc, circle, geocode). Times are written with their offset,
 * UTC as "-00:00" as section 3.3.2 requires, never "Z". An Update or Cancel
 * lists every earlier version in references as "sender,identifier,sent". */
#ifndef WP_CAP_H
#define WP_CAP_H

#include "alerts/alerts.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>

/* XML character data or attribute value: & < > " ' escaped, characters XML
 * 1.0 does not allow (controls other than tab and line breaks) dropped. */
void cap_xml_text(buf *b, const char *s);

/* The readable description of an alert (what was found, sold as, looks,
 * effects, where and when it was seen, source and certainty, and the
 * free text), as plain text lines. Substance names come from the resolver. */
void cap_description(buf *b, const json_t *doc);

typedef struct cap_msg {
    const alert_version *v;    /* the message: identifier, sender, sent, msg_type, note, doc */
    const alert_version *refs; /* the earlier versions it references */
    int nrefs;
    const char *sender_name;   /* the organisation */
    const char *web;           /* the alert's page (absolute URL) */
    const char *photo_url;     /* absolute URL of its photo, or NULL */
    const char *photo_mime;
} cap_msg;

/* Writes the message into b; false when b overflowed. */
bool cap_write(buf *b, const cap_msg *m);

#endif
