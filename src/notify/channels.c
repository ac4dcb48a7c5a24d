/* channels: SMS, SMTP email and webhooks through libcurl. See channels.h. */
#include "notify/channels.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CONNECT_TIMEOUT_S 5L
#define TIMEOUT_S 15L

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

static int progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    const atomic_bool *stop = ud;
    return stop && atomic_load(stop) ? 1 : 0;
}

/* Transport errors that will not go away by trying again. */
static bool permanent(CURLcode rc)
{
    return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_LOGIN_DENIED;
}

static void common(CURL *h, const char *url, const atomic_bool *stop)
{
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)stop);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Waypost-notify/1");
}

static enum notify_result http_result(CURL *h, CURLcode rc, char *err, size_t errlen)
{
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    enum notify_result r = notify_classify_http(rc == CURLE_OK, permanent(rc), status);
    if (r != NOTIFY_SENT) {
        if (rc != CURLE_OK)
            snprintf(err, errlen, "%s", curl_easy_strerror(rc));
        else
            snprintf(err, errlen, "HTTP %ld", status);
    }
    return r;
}

static bool add_header(struct curl_slist **l, const char *name, const char *value)
{
    char line[512];
    int w = snprintf(line, sizeof(line), "%s: %s", name, value);
    if (w < 0 || (size_t)w >= sizeof(line) || strpbrk(value, "\r\n"))
        return false;
    struct curl_slist *n = curl_slist_append(*l, line);
    if (!n)
        return false;
    *l = n;
    return true;
}

static void form_pair(buf *b, CURL *h, const char *key, const char *value)
{
    char *e = curl_easy_escape(h, value ? value : "", 0);
    buf_printf(b, "%s%s=%s", b->len ? "&" : "", key, e ? e : "");
    curl_free(e);
}

static enum notify_result send_sms(CURL *h, const config *cfg, const channel_msg *m, const atomic_bool *stop,
                                   char *err, size_t errlen)
{
    if (!cfg->sms_url[0]) {
        snprintf(err, errlen, "notify.sms_url is not set");
        return NOTIFY_RETRY;
    }
    common(h, cfg->sms_url, stop);
    buf form = BUF_INIT;
    form_pair(&form, h, "To", m->dest);
    form_pair(&form, h, "From", cfg->sms_from);
    form_pair(&form, h, "Body", m->body);
    struct curl_slist *hd = NULL;
    bool ok = add_header(&hd, "Idempotency-Key", m->idem_key) &&
              add_header(&hd, "Content-Type", "application/x-www-form-urlencoded");
    enum notify_result r = NOTIFY_FAILED;
    if (ok) {
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, buf_cstr(&form));
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)form.len);
        if (cfg->sms_user[0]) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
            curl_easy_setopt(h, CURLOPT_USERNAME, cfg->sms_user);
            curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->sms_password);
        }
        r = http_result(h, curl_easy_perform(h), err, errlen);
    } else {
        snprintf(err, errlen, "a header could not be built");
    }
    curl_slist_free_all(hd);
    buf_free(&form);
    return r;
}

void channel_sign(const char *secret, const char *ts, const char *body, char *out, size_t outlen)
{
    crypto_auth_hmacsha256_state s;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&s, mac);
    char hex[2 * sizeof(mac) + 1];
    sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
    snprintf(out, outlen, "sha256=%s", hex);
}

static enum notify_result send_webhook(CURL *h, const config *cfg, const channel_msg *m, const atomic_bool *stop,
                                       char *err, size_t errlen)
{
    char ts[24], sig[80];
    snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
    channel_sign(cfg->webhook_secret, ts, m->body, sig, sizeof(sig));
    common(h, m->dest, stop);
    struct curl_slist *hd = NULL;
    bool ok = add_header(&hd, "Content-Type", "application/json") && add_header(&hd, "Idempotency-Key", m->idem_key) &&
              add_header(&hd, "X-Waypost-Timestamp", ts) && add_header(&hd, "X-Waypost-Signature", sig);
    enum notify_result r = NOTIFY_FAILED;
    if (ok) {
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, m->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(m->body));
        r = http_result(h, curl_easy_perform(h), err, errlen);
    } else {
        snprintf(err, errlen, "a header could not be built");
    }
    curl_slist_free_all(hd);
    return r;
}

/* A header value without line breaks; non-ASCII as one RFC 2047 word. */
static void mail_header(buf *b, const char *name, const char *value)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        ascii &= *p >= 0x20 && *p < 0x7f;
    if (ascii) {
        buf_printf(b, "%s: %s\r\n", name, value);
        return;
    }
    size_t n = strlen(value), cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *enc = xmalloc(cap);
    sodium_bin2base64(enc, cap, (const unsigned char *)value, n, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(b, "%s: =?UTF-8?B?%s?=\r\n", name, enc);
    free(enc);
}

/* The whole message, headers and body, lines ending in CRLF. */
static void mail_text(buf *b, const config *cfg, const channel_msg *m)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    buf_printf(b, "Date: %s\r\n", date);
    mail_header(b, "From", cfg->mail_from);
    mail_header(b, "To", m->dest);
    mail_header(b, "Subject", m->subject && m->subject[0] ? m->subject : "Waypost");
    const char *at = strchr(cfg->mail_from, '@');
    buf_printf(b, "Message-ID: <%s@%s>\r\n", m->idem_key, at ? at + 1 : "waypost.invalid");
    buf_printf(b, "Idempotency-Key: %s\r\n", m->idem_key);
    if (m->unsubscribe && m->unsubscribe[0] && !strpbrk(m->unsubscribe, "<>\r\n ")) {
        buf_printf(b, "List-Unsubscribe: <%s>\r\n", m->unsubscribe);
        buf_puts(b, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    }
    buf_puts(b, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = m->body; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            buf_putc(b, '\r');
        buf_putc(b, *p);
    }
    buf_puts(b, "\r\n");
}

typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t read_mail(char *out, size_t size, size_t n, void *ud)
{
    reader *r = ud;
    size_t k = size * n < r->left ? size * n : r->left;
    memcpy(out, r->p, k);
    r->p += k;
    r->left -= k;
    return k;
}

static enum notify_result send_email(CURL *h, const config *cfg, const channel_msg *m, const atomic_bool *stop,
                                     char *err, size_t errlen)
{
    if (!cfg->smtp_url[0]) {
        snprintf(err, errlen, "notify.smtp_url is not set");
        return NOTIFY_RETRY;
    }
    if (strpbrk(m->dest, "<>\r\n ,")) {
        snprintf(err, errlen, "not an email address");
        return NOTIFY_FAILED;
    }
    common(h, cfg->smtp_url, stop);
    buf text = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
    mail_text(&text, cfg, m);
    buf_printf(&from, "<%s>", cfg->mail_from);
    buf_printf(&to, "<%s>", m->dest);
    struct curl_slist *rcpt = curl_slist_append(NULL, buf_cstr(&to));
    reader rd = {buf_cstr(&text), text.len};
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, buf_cstr(&from));
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mail);
    curl_easy_setopt(h, CURLOPT_READDATA, &rd);
    curl_easy_setopt(h, CURLOPT_INFILESIZE, (long)text.len);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (cfg->smtp_user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->smtp_password);
    }
    CURLcode rc = rcpt ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY;
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    enum notify_result r = notify_classify_smtp(rc == CURLE_OK, permanent(rc), code);
    if (r != NOTIFY_SENT)
        snprintf(err, errlen, "%s (SMTP %ld)", curl_easy_strerror(rc), code);
    curl_slist_free_all(rcpt);
    buf_free(&text);
    buf_free(&from);
    buf_free(&to);
    return r;
}

enum notify_result channel_send(CURL *h, const config *cfg, const channel_msg *m, const atomic_bool *stop, char *err,
                                size_t errlen)
{
    err[0] = '\0';
    if (!strcmp(m->channel, "sms"))
        return send_sms(h, cfg, m, stop, err, errlen);
    if (!strcmp(m->channel, "email"))
        return send_email(h, cfg, m, stop, err, errlen);
    if (!strcmp(m->channel, "webhook"))
        return send_webhook(h, cfg, m, stop, err, errlen);
    snprintf(err, errlen, "unknown channel");
    return NOTIFY_FAILED;
}
