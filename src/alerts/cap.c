/* cap: the CAP 1.2 writer. See cap.h. */
#include "alerts/cap.h"
#include "alerts/alerts_lang.h"
#include "core/i18n.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

void cap_xml_text(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        switch (*p) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                break; /* not allowed in XML 1.0, even escaped */
            if (*p == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
                p += 2; /* U+FFFE and U+FFFF are not XML characters either */
                break;
            }
            buf_putc(b, (char)*p);
        }
    }
}

static void el(buf *b, const char *indent, const char *name, const char *text)
{
    if (!text || !*text)
        return;
    buf_printf(b, "%s<%s>", indent, name);
    cap_xml_text(b, text);
    buf_printf(b, "</%s>\n", name);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void line(buf *b, const char *label, const char *text)
{
    if (!text || !*text)
        return;
    if (b->len)
        buf_putc(b, '\n');
    buf_printf(b, "%s: %s", label, text);
}

/* The language an alert's document is written in (its labels follow it). */
static int doc_lang(const json_t *doc)
{
    const char *code = str(doc, "lang");
    int l = code ? i18n_find(code) : -1;
    return l >= 0 ? l : I18N_SOURCE;
}

void cap_description(buf *b, const json_t *doc)
{
    int lang = doc_lang(doc);
    char names[600] = "";
    size_t i;
    const json_t *s;
    json_array_foreach (json_object_get(doc, "substances"), i, s) {
        char slug[64], title[128];
        const char *name = json_string_value(s);
        if (!alerts_resolve_substance(name, slug, sizeof(slug), title, sizeof(title)))
            str_copy(title, sizeof(title), name);
        size_t l = strlen(names);
        snprintf(names + l, sizeof(names) - l, "%s%s", i ? ", " : "", i18n_tr(lang, title));
    }
    line(b, i18n_trc(lang, "alert description", "Found"), names);
    line(b, i18n_trc(lang, "alert description", "Sold as"), str(doc, "sold_as"));
    line(b, i18n_trc(lang, "alert description", "How it looks"), str(doc, "appearance"));
    line(b, i18n_trc(lang, "alert description", "Effects seen"), str(doc, "effects"));
    line(b, i18n_trc(lang, "alert description", "Where"), str(json_object_get(doc, "area"), "description"));
    line(b, i18n_trc(lang, "alert description", "Seen on"), str(doc, "seen_on"));
    char src[200];
    snprintf(src, sizeof(src), "%s (%s)", alerts_source_word(lang, str(doc, "source")),
             str(doc, "certainty") ? alerts_word(lang, str(doc, "certainty")) : "");
    line(b, i18n_trc(lang, "alert description", "Source"), src);
    if (str(doc, "description")) {
        buf_puts(b, "\n\n");
        buf_puts(b, str(doc, "description"));
    }
}

/* CAP's dateTime: with its offset, UTC as -00:00. */
static void cap_time(buf *b, const char *indent, const char *name, int64_t t, int off)
{
    char s[40];
    alerts_format_time(t, off, true, s, sizeof(s));
    buf_printf(b, "%s<%s>%s</%s>\n", indent, name, s, name);
}

/* The doc's key (starts, expires) as the CAP element name. */
static void doc_time(buf *b, const char *name, const json_t *doc, const char *key)
{
    int64_t t;
    int off;
    if (alerts_parse_time(str(doc, key) ? str(doc, key) : "", &t, &off))
        cap_time(b, "    ", name, t, off);
}

static void references(buf *b, const cap_msg *m)
{
    if (!m->nrefs)
        return;
    buf_puts(b, "  <references>");
    for (int i = 0; i < m->nrefs; i++) {
        char s[40];
        alerts_format_time(m->refs[i].sent, m->refs[i].sent_offset, true, s, sizeof(s));
        if (i)
            buf_putc(b, ' ');
        cap_xml_text(b, m->refs[i].sender);
        buf_putc(b, ',');
        cap_xml_text(b, m->refs[i].identifier);
        buf_printf(b, ",%s", s);
    }
    buf_puts(b, "</references>\n");
}

static void area(buf *b, const json_t *doc)
{
    const json_t *a = json_object_get(doc, "area");
    buf_puts(b, "    <area>\n");
    el(b, "      ", "areaDesc", str(a, "description") ? str(a, "description") : i18n_tr(doc_lang(doc), "Local area"));
    const json_t *c = json_object_get(a, "circle");
    if (json_is_object(c))
        buf_printf(b, "      <circle>%.6f,%.6f %.3f</circle>\n", json_number_value(json_object_get(c, "lat")),
                   json_number_value(json_object_get(c, "lon")), json_number_value(json_object_get(c, "radius_km")));
    size_t i;
    const json_t *z;
    json_array_foreach (json_object_get(a, "zips"), i, z) {
        buf_puts(b, "      <geocode>\n        <valueName>ZIP</valueName>\n");
        el(b, "        ", "value", json_string_value(z));
        buf_puts(b, "      </geocode>\n");
    }
    buf_puts(b, "    </area>\n");
}

static void info(buf *b, const cap_msg *m)
{
    const json_t *doc = m->v->doc;
    buf_puts(b, "  <info>\n");
    el(b, "    ", "language", str(doc, "language") ? str(doc, "language") : "en");
    buf_puts(b, "    <category>Health</category>\n");
    el(b, "    ", "event", i18n_tr(doc_lang(doc), "Toxic drug supply"));
    if (!strcmp(m->v->msg_type, "Cancel"))
        buf_puts(b, "    <responseType>AllClear</responseType>\n");
    el(b, "    ", "urgency", str(doc, "urgency") ? str(doc, "urgency") : "Unknown");
    el(b, "    ", "severity", str(doc, "severity") ? str(doc, "severity") : "Unknown");
    el(b, "    ", "certainty", str(doc, "certainty") ? str(doc, "certainty") : "Unknown");
    doc_time(b, "onset", doc, "starts");
    doc_time(b, "expires", doc, "expires");
    el(b, "    ", "senderName", m->sender_name);
    el(b, "    ", "headline", str(doc, "headline"));
    buf d = BUF_INIT;
    cap_description(&d, doc);
    el(b, "    ", "description", buf_cstr(&d));
    buf_free(&d);
    el(b, "    ", "instruction", str(doc, "instruction"));
    el(b, "    ", "web", m->web);
    if (m->photo_url && m->photo_mime) {
        buf_puts(b, "    <resource>\n");
        el(b, "      ", "resourceDesc", i18n_tr(doc_lang(doc), "Photo of the drug"));
        el(b, "      ", "mimeType", m->photo_mime);
        el(b, "      ", "uri", m->photo_url);
        buf_puts(b, "    </resource>\n");
    }
    area(b, doc);
    buf_puts(b, "  </info>\n");
}

bool cap_write(buf *b, const cap_msg *m)
{
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n");
    el(b, "  ", "identifier", m->v->identifier);
    el(b, "  ", "sender", m->v->sender);
    cap_time(b, "  ", "sent", m->v->sent, m->v->sent_offset);
    buf_puts(b, "  <status>Actual</status>\n");
    el(b, "  ", "msgType", m->v->msg_type);
    buf_puts(b, "  <scope>Public</scope>\n");
    el(b, "  ", "note", i18n_tr(doc_lang(m->v->doc), m->v->note)); /* a system note in the alert's language */
    references(b, m);
    info(b, m);
    buf_puts(b, "</alert>\n");
    return !b->overflow;
}
