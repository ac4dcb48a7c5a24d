/* site: the reference-counted snapshot of templates and content. */
#include "pages/site.h"
#include "content/content_store.h"
#include "core/log.h"
#include "core/util.h"
#include "core/walk.h"
#include "db/db.h"
#include "pages/images.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdint.h>
#include <time.h>

#define TEMPLATE_MAX_BYTES (512u * 1024u)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static site *current;
static const config *cfg_g;
static int64_t newest_seen; /* nanoseconds: edits within one second are still seen */
static time_t last_check;

struct tmpl_load {
    mus_set *set;
    int lang;
    char *err;
    size_t errlen;
};

static bool add_template(void *ctx, const char *full, const char *rel, const struct stat *st)
{
    struct tmpl_load *l = ctx;
    if (!str_has_suffix(rel, ".mustache"))
        return true;
    (void)st;
    size_t len;
    char *src = file_read(full, TEMPLATE_MAX_BYTES, &len);
    if (!src) {
        snprintf(l->err, l->errlen, "cannot read template %s: %s", full, strerror(errno));
        return false;
    }
    char name[1024], why[512];
    str_copy(name, sizeof(name), rel);
    name[strlen(name) - strlen(".mustache")] = '\0';
    buf text = BUF_INIT;
    bool ok = i18n_template(l->lang, src, len, &text, why, sizeof(why)) &&
              mus_set_add(l->set, name, text.data, text.len, why, sizeof(why));
    if (!ok)
        snprintf(l->err, l->errlen, "template %s: %s", full, why);
    buf_free(&text);
    free(src);
    return ok;
}

/* Adds every template under root (a missing root is no error: a theme
 * need not override templates). */
static bool add_templates(mus_set *set, int lang, const char *root, char *err, size_t errlen)
{
    struct tmpl_load l = {set, lang, err, errlen};
    enum walk_result r = walk_files(root, "templates folder", add_template, &l, err, errlen);
    return r == WALK_OK || r == WALK_NO_ROOT;
}

mus_set *site_load_templates(const config *cfg, char *err, size_t errlen)
{
    return site_load_templates_lang(cfg, I18N_SOURCE, err, errlen);
}

mus_set *site_load_templates_lang(const config *cfg, int lang, char *err, size_t errlen)
{
    mus_set *set = mus_set_new();
    bool ok = add_templates(set, lang, cfg->templates_dir, err, errlen);
    if (ok && cfg->theme_dir[0]) {
        char dir[600];
        snprintf(dir, sizeof(dir), "%s/templates", cfg->theme_dir);
        ok = add_templates(set, lang, dir, err, errlen);
    }
    if (ok && !mus_set_has(set, "layout")) {
        snprintf(err, errlen, "the templates folder %s has no layout.mustache", cfg->templates_dir);
        ok = false;
    }
    if (!ok) {
        mus_set_free(set);
        return NULL;
    }
    return set;
}

#define CACHE_SLOTS 512
#define CACHE_MAX_BODY (256u * 1024u)

struct cache_entry {
    char *path, *body;
    size_t len;
};

struct page_cache {
    pthread_mutex_t lock;
    struct cache_entry slots[CACHE_SLOTS];
};

static unsigned path_hash(const char *s)
{
    return str_hash(s) % CACHE_SLOTS;
}

static page_cache *cache_new(void)
{
    page_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static void cache_free(page_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slots[i].path);
        free(c->slots[i].body);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool site_cache_get(site *s, const char *path, buf *out)
{
    if (!s->cache)
        return false;
    struct cache_entry *e = &s->cache->slots[path_hash(path)];
    pthread_mutex_lock(&s->cache->lock);
    bool hit = e->path && !strcmp(e->path, path);
    if (hit)
        buf_append(out, e->body, e->len);
    pthread_mutex_unlock(&s->cache->lock);
    return hit;
}

void site_cache_put(site *s, const char *path, const char *body, size_t len)
{
    if (!s->cache || len > CACHE_MAX_BODY)
        return;
    struct cache_entry *e = &s->cache->slots[path_hash(path)];
    char *p = xstrdup(path), *b = xstrndup(body, len);
    pthread_mutex_lock(&s->cache->lock);
    free(e->path);
    free(e->body);
    e->path = p;
    e->body = b;
    e->len = len;
    pthread_mutex_unlock(&s->cache->lock);
}

static void site_free(site *s)
{
    cache_free(s->cache);
    for (int i = 0; i < s->nlangs; i++) {
        mus_set_free(s->tsets[i]);
        content_free(s->csets[i]);
    }
    free(s);
}

/* Images in pages: hashed URLs and sizes (the assets load first). */
static void rewrite_images(content_set *c)
{
    for (size_t i = 0; i < c->count; i++) {
        char *html = images_rewrite(c->pages[i].html);
        if (html) {
            free(c->pages[i].html);
            c->pages[i].html = html;
        }
    }
}

#define LANG_DIRS_MAX 32

/* The top-level folders of content/ named like a language (two or three
 * lower-case letters: es, vi, tl): translations, never English pages, even
 * while their catalog is missing. */
static void language_folders(const char *dir, char names[][8], const char **skip)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < LANG_DIRS_MAX;) {
        size_t len = strlen(e->d_name);
        bool code = len >= 2 && len <= 3;
        for (size_t i = 0; code && i < len; i++)
            code = e->d_name[i] >= 'a' && e->d_name[i] <= 'z';
        char path[700];
        struct stat st;
        snprintf(path, sizeof(path), "%.600s/%.3s", dir, e->d_name);
        code = code && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if (code) {
            str_copy(names[n], 8, e->d_name);
            skip[n] = names[n];
            n++;
        }
    }
    if (d)
        closedir(d);
}

/* English pages are content/ without the language folders; the pages of
 * another language are content/<code>/, which may be missing. */
static bool load_content(const config *cfg, int lang, content_set **out, char *err, size_t errlen)
{
    const content_token tokens[] = {{"emergency_number", cfg->emergency_number}};
    if (lang == I18N_SOURCE) {
        char names[LANG_DIRS_MAX][8];
        const char *skip[LANG_DIRS_MAX + 1] = {0};
        language_folders(cfg->content_dir, names, skip);
        return content_load_skip(cfg->content_dir, skip, tokens, 1, out, err, errlen);
    }
    char dir[600];
    snprintf(dir, sizeof(dir), "%s/%s", cfg->content_dir, i18n_code(lang));
    struct stat st;
    if (stat(dir, &st) != 0) {
        *out = xcalloc(1, sizeof(content_set));
        return true;
    }
    return content_load_skip(dir, NULL, tokens, 1, out, err, errlen);
}

static bool build_lang(site *s, const config *cfg, int lang, bool index_db, char *err, size_t errlen)
{
    s->tsets[lang] = site_load_templates_lang(cfg, lang, err, errlen);
    if (!s->tsets[lang] || !load_content(cfg, lang, &s->csets[lang], err, errlen))
        return false;
    rewrite_images(s->csets[lang]);
    if (index_db) {
        sqlite3 *db = db_thread();
        if (!db || !content_store_index(db, i18n_code(lang), s->csets[lang])) {
            snprintf(err, errlen, "could not index the content for search (see the log above)");
            return false;
        }
    }
    return true;
}

static site *build(const config *cfg, bool index_db, char *err, size_t errlen)
{
    site *s = xcalloc(1, sizeof(*s));
    s->nlangs = i18n_count();
    for (int lang = 0; lang < s->nlangs; lang++) {
        if (!build_lang(s, cfg, lang, index_db, err, errlen)) {
            site_free(s);
            return NULL;
        }
    }
    s->templates = s->tsets[0];
    s->content = s->csets[0];
    s->cache = cache_new();
    s->refs = 1;
    return s;
}

const mus_set *site_templates(const site *s, int lang)
{
    return lang > 0 && lang < s->nlangs && lang < I18N_MAX_LANGS ? s->tsets[lang] : s->tsets[0];
}

const content_set *site_content(const site *s, int lang)
{
    return lang > 0 && lang < s->nlangs && lang < I18N_MAX_LANGS ? s->csets[lang] : s->csets[0];
}

const page *site_page(const site *s, int lang, const char *path, bool *fallback)
{
    bool other = lang > 0 && lang < s->nlangs && lang < I18N_MAX_LANGS;
    const page *p = other ? content_find(s->csets[lang], path) : NULL;
    if (fallback)
        *fallback = !p && other;
    return p ? p : content_find(s->csets[0], path);
}

static bool note_mtime(void *ctx, const char *full, const char *rel, const struct stat *st)
{
    (void)full;
    (void)rel;
    int64_t *newest = ctx, t = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    if (t > *newest)
        *newest = t;
    return true;
}

/* Newest modification time of a file under dir, in nanoseconds (0 when
 * there is none or dir cannot be read). */
static int64_t newest_mtime(const char *dir)
{
    int64_t newest = 0;
    char err[64];
    walk_files(dir, "folder", note_mtime, &newest, err, sizeof(err));
    return newest;
}

static int64_t sources_mtime(const config *cfg)
{
    int64_t a = newest_mtime(cfg->templates_dir), b = newest_mtime(cfg->content_dir);
    int64_t c = cfg->theme_dir[0] ? newest_mtime(cfg->theme_dir) : 0;
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

bool site_load(const config *cfg, bool index_db, char *err, size_t errlen)
{
    cfg_g = cfg;
    site *s = build(cfg, index_db, err, errlen);
    if (!s)
        return false;
    pthread_mutex_lock(&lock);
    site *old = current;
    current = s;
    newest_seen = sources_mtime(cfg);
    last_check = time(NULL);
    pthread_mutex_unlock(&lock);
    if (old)
        site_release(old);
    return true;
}

void site_unload(void)
{
    pthread_mutex_lock(&lock);
    site *old = current;
    current = NULL;
    pthread_mutex_unlock(&lock);
    if (old)
        site_release(old);
}

/* With --dev: rebuild when a source changed. Called without the lock. */
static void maybe_reload(void)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&lock);
    bool due = now != last_check;
    if (due)
        last_check = now;
    pthread_mutex_unlock(&lock);
    if (!due || sources_mtime(cfg_g) <= newest_seen)
        return;
    char err[512];
    if (site_load(cfg_g, true, err, sizeof(err)))
        log_info("templates and content reloaded");
    else
        log_error("reload failed, keeping the previous version: %s", err);
    pthread_mutex_lock(&lock);
    newest_seen = sources_mtime(cfg_g);
    pthread_mutex_unlock(&lock);
}

site *site_acquire(void)
{
    if (cfg_g && cfg_g->dev)
        maybe_reload();
    pthread_mutex_lock(&lock);
    site *s = current;
    if (s)
        s->refs++;
    pthread_mutex_unlock(&lock);
    return s;
}

void site_release(site *s)
{
    pthread_mutex_lock(&lock);
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&lock);
    if (last)
        site_free(s);
}
