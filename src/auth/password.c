/* password: the password policy, the common-password list (a sorted array
 * of lower-cased entries searched with bsearch) and Argon2id hashing
 * through libsodium. See password.h. */
#include "auth/password.h"
#include "core/i18n.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX_BYTES ((size_t)16 * 1024 * 1024)

/* The loaded list: entries point into text (the file, lower-cased, with
 * each line end replaced by NUL). */
static char *list_text;
static const char **list;
static size_t list_n;

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

/* The dummy hash: a random password nobody knows, hashed like a real one.
 * Failing to hash is running out of memory, which aborts (as xmalloc). */
static void dummy_make(void)
{
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    if (crypto_pwhash_str_alg(dummy_hash, (const char *)secret, sizeof secret, PASSWORD_OPSLIMIT,
                              PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fputs("waypost: out of memory hashing the dummy password\n", stderr);
        abort();
    }
    sodium_memzero(secret, sizeof secret);
}

bool auth_crypto_init(void)
{
    if (sodium_init() < 0)
        return false;
    pthread_once(&dummy_once, dummy_make);
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Splits text (len bytes) into NUL-terminated lower-cased lines, checks
 * each, and fills *out with the sorted distinct entries. */
static bool split_lines(const char *path, char *text, size_t len, const char ***out, size_t *nout, char *err,
                        size_t errlen)
{
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    const char **v = xcalloc(cap, sizeof *v);
    size_t n = 0, line = 0;
    for (char *p = text; p < text + len;) {
        char *end = memchr(p, '\n', (size_t)(text + len - p));
        if (!end)
            end = text + len;
        line++;
        size_t l = (size_t)(end - p);
        if (l && p[l - 1] == '\r')
            l--;
        p[l] = '\0';
        if (l > PASSWORD_MAX_BYTES || !utf8_valid(p, l) || memchr(p, '\0', l)) {
            snprintf(err, errlen, "%s: line %zu: not valid UTF-8 of at most %d bytes", path, line,
                     PASSWORD_MAX_BYTES);
            free(v);
            return false;
        }
        for (size_t k = 0; k < l; k++)
            p[k] = (char)tolower_ascii((unsigned char)p[k]);
        if (l)
            v[n++] = p;
        p = end + 1;
    }
    qsort(v, n, sizeof *v, cmp_entry);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (d == 0 || strcmp(v[d - 1], v[i]) != 0)
            v[d++] = v[i];
    *out = v;
    *nout = d;
    return true;
}

bool password_list_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = file_read(path, LIST_MAX_BYTES, &len);
    if (!text) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    if (memchr(text, '\0', len)) {
        snprintf(err, errlen, "%s: the file contains a NUL byte", path);
        free(text);
        return false;
    }
    const char **v;
    size_t n;
    if (!split_lines(path, text, len, &v, &n, err, errlen)) {
        free(text);
        return false;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no passwords", path);
        free(v);
        free(text);
        return false;
    }
    password_list_free();
    list_text = text;
    list = v;
    list_n = n;
    return true;
}

bool password_list_load_data(const char *data_dir, char *err, size_t errlen)
{
    char path[1024];
    int w = snprintf(path, sizeof path, "%s/%s", data_dir, PASSWORD_LIST_FILE);
    if (w < 0 || (size_t)w >= sizeof path) {
        snprintf(err, errlen, "the data folder's name is too long");
        return false;
    }
    return password_list_load(path, err, errlen);
}

size_t password_list_count(void)
{
    return list_n;
}

void password_list_free(void)
{
    free(list);
    free(list_text);
    list = NULL;
    list_text = NULL;
    list_n = 0;
}

static bool refuse(char *why, size_t whylen, const char *sentence)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", sentence);
    return false;
}

/* Whether pw (valid UTF-8, at most PASSWORD_MAX_BYTES) is on the list. */
static bool listed(const char *pw, size_t len)
{
    char low[PASSWORD_MAX_BYTES + 1];
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower_ascii((unsigned char)pw[i]);
    low[len] = '\0';
    const char *key = low;
    return bsearch(&key, list, list_n, sizeof *list, cmp_entry) != NULL;
}

bool password_policy_check(const char *pw, size_t len, char *why, size_t whylen)
{
    if (!pw)
        len = 0;
    if (len > PASSWORD_MAX_BYTES)
        return refuse(why, whylen, N_("Use a shorter password: at most 1,024 bytes."));
    if (len && (memchr(pw, '\0', len) || !utf8_valid(pw, len)))
        return refuse(why, whylen, N_("The password contains characters that cannot be used."));
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)pw[i] & 0xC0) != 0x80;
    if (chars < PASSWORD_MIN_CHARS)
        return refuse(why, whylen, N_("Use at least 12 characters."));
    if (list_n == 0)
        return refuse(why, whylen, N_("Passwords cannot be checked right now; try again later."));
    if (listed(pw, len))
        return refuse(why, whylen, N_("This password is on a list of common passwords; choose another."));
    if (why && whylen)
        why[0] = '\0';
    return true;
}

bool password_hash(const char *pw, size_t len, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str_alg(out, pw ? pw : "", pw ? len : 0, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* A hash string we may hand to libsodium: NUL-terminated in its size. */
static bool hash_ok(const char *hash)
{
    return hash && strnlen(hash, crypto_pwhash_STRBYTES) < crypto_pwhash_STRBYTES;
}

bool password_verify(const char *hash, const char *pw, size_t len)
{
    if (!hash_ok(hash))
        return false;
    return crypto_pwhash_str_verify(hash, pw ? pw : "", pw ? len : 0) == 0;
}

bool password_needs_rehash(const char *hash)
{
    if (!hash_ok(hash) || strncmp(hash, "$argon2id$", 10) != 0)
        return true;
    return crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT) != 0;
}

void password_dummy_verify(const char *pw, size_t len)
{
    pthread_once(&dummy_once, dummy_make);
    /* the result means nothing (nobody knows the dummy's password); it
     * is kept in a volatile so the call cannot be dropped */
    volatile int r = crypto_pwhash_str_verify(dummy_hash, pw ? pw : "", pw ? len : 0);
    (void)r;
}
