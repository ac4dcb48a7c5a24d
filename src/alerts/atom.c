/* atom: the Atom 1.0 writer of the alerts feed. See atom.h. */
#include "alerts/atom.h"
#include "alerts/alerts_lang.h"
#include "alerts/cap.h"
#include "core/i18n.h"
#include "core/uuid.h"

#include <stdio.h>
#include <string.h>

/* RFC 4122's namespace for URLs: the feed's id is uuid5(URL, its address). */
static const unsigned char NS_URL[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

static void tag_text(buf *b, const char *indent, const char *name, const char *attrs, const char *text)
{
    buf_printf(b, "%s<%s%s>", indent, name, attrs);
    cap_xml_text(b, text ? text : "");
    buf_printf(b, "</%s>\n", name);
}

static void tag_time(buf *b, const char *indent, const char *name, int64_t t)
{
    char s[40];
    alerts_format_time(t, 0, false, s, sizeof(s));
    buf_printf(b, "%s<%s>%s</%s>\n", indent, name, s, name);
}

static void link(buf *b, const char *rel, const char *type, const char *href)
{
    buf_printf(b, "    <link rel=\"%s\" type=\"%s\" href=\"", rel, type);
    cap_xml_text(b, href);
    buf_puts(b, "\"/>\n");
}

/* The language of an entry: its alert's (the labels follow it, as in CAP). */
static int entry_lang(const alert_rec *a)
{
    int l = i18n_find(alerts_text_lang(a));
    return l >= 0 ? l : I18N_SOURCE;
}

static void content(buf *b, const atom_entry *e, int64_t now)
{
    const alert_rec *a = e->a;
    int lang = entry_lang(a);
    buf t = BUF_INIT;
    const char *state = alerts_state_shown(a->state, a->version, a->starts, a->expires, now);
    buf_printf(&t, i18n_tr(lang, "Status: %s\n"), alerts_word(lang, state));
    if (!strcmp(a->state, "withdrawn"))
        buf_printf(&t, i18n_tr(lang, "Withdrawn: %s\n"), a->reason);
    cap_description(&t, a->doc);
    const char *ins = json_string_value(json_object_get(a->doc, "instruction"));
    if (ins)
        buf_printf(&t, i18n_tr(lang, "\n\nWhat to do: %s"), ins);
    if (e->nv)
        buf_puts(&t, i18n_tr(lang, "\n\nHistory:"));
    for (int i = 0; i < e->nv; i++) {
        char s[40];
        alerts_format_time(e->v[i].sent, e->v[i].sent_offset, false, s, sizeof(s));
        buf_printf(&t, "\n%s (%s): %s", s, e->v[i].msg_type, i18n_tr(lang, e->v[i].note));
    }
    tag_text(b, "    ", "content", " type=\"text\"", buf_cstr(&t));
    buf_free(&t);
}

static void entry(buf *b, const atom_feed *f, const atom_entry *e)
{
    const alert_rec *a = e->a;
    const json_t *doc = a->doc;
    buf_puts(b, "  <entry xml:lang=\"");
    cap_xml_text(b, alerts_text_lang(a));
    buf_printf(b, "\">\n    <id>urn:uuid:%s</id>\n", a->uuid);
    char title[400];
    snprintf(title, sizeof(title), "%s%s", !strcmp(a->state, "withdrawn") ? i18n_tr(entry_lang(a), "Withdrawn: ") : "",
             json_string_value(json_object_get(doc, "headline")));
    buf_puts(b, "    <title type=\"text\">");
    cap_xml_text(b, title);
    buf_puts(b, "</title>\n");
    tag_time(b, "    ", "updated", a->updated_at);
    if (a->published_at)
        tag_time(b, "    ", "published", a->published_at);
    buf_puts(b, "    <author>\n");
    tag_text(b, "      ", "name", "", f->author);
    buf_puts(b, "    </author>\n");
    char href[600];
    snprintf(href, sizeof(href), "%s/alerts/%ld", f->base, a->id);
    link(b, "alternate", "text/html", href);
    snprintf(href, sizeof(href), "%s/alerts/%ld.cap", f->base, a->id);
    link(b, "alternate", "application/cap+xml", href);
    buf_puts(b, "    <category term=\"");
    cap_xml_text(b, json_string_value(json_object_get(doc, "severity")));
    buf_puts(b, "\" label=\"Severity\"/>\n");
    size_t i;
    const json_t *s;
    json_array_foreach (json_object_get(doc, "substances"), i, s) {
        buf_puts(b, "    <category term=\"");
        cap_xml_text(b, json_string_value(s));
        buf_puts(b, "\" label=\"Substance\"/>\n");
    }
    buf t = BUF_INIT;
    cap_description(&t, doc);
    buf_puts(b, "    <summary type=\"text\">");
    cap_xml_text(b, buf_cstr(&t));
    buf_puts(b, "</summary>\n");
    buf_free(&t);
    content(b, e, f->now);
    buf_puts(b, "  </entry>\n");
}

bool atom_write(buf *b, const atom_feed *f)
{
    char self[600], id[37];
    snprintf(self, sizeof(self), "%s/alerts.atom", f->base);
    uuid5(NS_URL, self, strlen(self), id);
    buf_printf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                  "xml:lang=\"%s\">\n",
               i18n_code(f->lang));
    buf_printf(b, "  <id>urn:uuid:%s</id>\n", id);
    tag_text(b, "  ", "title", " type=\"text\"", f->title);
    tag_text(b, "  ", "subtitle", " type=\"text\"",
             i18n_tr(f->lang, "Local drug alerts: what was found in the supply, where, and what to do."));
    tag_time(b, "  ", "updated", f->updated);
    buf_puts(b, "  <author>\n");
    tag_text(b, "    ", "name", "", f->author);
    buf_puts(b, "  </author>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
    cap_xml_text(b, self);
    buf_puts(b, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
    cap_xml_text(b, f->base);
    buf_puts(b, "/alerts\"/>\n  <generator>Waypost</generator>\n");
    for (int i = 0; i < f->n; i++)
        entry(b, f, &f->entries[i]);
    buf_puts(b, "</feed>\n");
    return !b->overflow;
}
