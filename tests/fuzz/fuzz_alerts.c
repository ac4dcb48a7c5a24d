/* fuzz_alerts: libFuzzer harness for the alert parsers (src/alerts/): the
 * import file (a JSON list of alerts through alerts_cmd_check, so the one
 * validation every way in shares), RFC 3339 times and HTTP dates.
 *
 * Checks: a time that parses formats back (at its own offset) to a string
 * that parses to the same instant; every accepted alert has a headline of
 * at most ALERT_HEADLINE_MAX characters, expires after starts, and writes
 * as CAP and Atom without overflowing or leaving a raw '<' in text. */
#include "alerts/alerts.h"
#include "alerts/alerts_cmd.h"
#include "alerts/alerts_pages.h"
#include "alerts/atom.h"
#include "alerts/cap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_time(const char *s)
{
    int64_t t, t2;
    int off, off2;
    char out[48];
    if (!alerts_parse_time(s, &t, &off))
        return;
    alerts_format_time(t, off, true, out, sizeof(out));
    if (!alerts_parse_time(out, &t2, &off2) || t2 != t)
        abort();
}

static void check_doc(const json_t *doc)
{
    int64_t s, e;
    int off;
    if (!alerts_parse_time(json_string_value(json_object_get(doc, "starts")), &s, &off) ||
        !alerts_parse_time(json_string_value(json_object_get(doc, "expires")), &e, &off) || e <= s)
        abort();
    alert_version v;
    memset(&v, 0, sizeof(v));
    snprintf(v.msg_type, sizeof(v.msg_type), "Alert");
    snprintf(v.identifier, sizeof(v.identifier), "urn:uuid:x");
    snprintf(v.sender, sizeof(v.sender), "a@b");
    v.doc = (json_t *)doc;
    buf b = BUF_INIT;
    cap_msg m = {&v, &v, 0, "org", "https://x/alerts/1", NULL, NULL};
    if (!cap_write(&b, &m))
        abort();
    const char *h = strstr(buf_cstr(&b), "<headline>");
    if (!h || strchr(h + 10, '<') != strstr(h, "</headline>"))
        abort();
    buf_free(&b);
    alert_rec a;
    memset(&a, 0, sizeof(a));
    snprintf(a.state, sizeof(a.state), "published");
    a.doc = (json_t *)doc;
    atom_entry en = {&a, &v, 1};
    atom_feed f = {"https://x", "t", "o", 0, 0, &en, 1, 0};
    if (!atom_write(&b, &f))
        abort();
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    check_time(s);
    int64_t t;
    alerts_http_date(s, &t);
    json_t *docs = NULL;
    char err[512];
    int n = alerts_cmd_check(s, size, 1700000000, -5 * 3600, &docs, err, sizeof(err));
    if (n > 0) {
        size_t i;
        json_t *doc;
        json_array_foreach (docs, i, doc)
            check_doc(doc);
    }
    json_decref(docs);
    free(s);
    return 0;
}
