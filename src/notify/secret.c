/* secret: the key file and crypto_secretbox. See secret.h. */
#include "notify/secret.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char key[crypto_secretbox_KEYBYTES];
static bool loaded;

bool secret_path(const config *cfg, char *out, size_t outlen)
{
    if (cfg->key_file[0])
        return str_copy(out, outlen, cfg->key_file);
    const char *slash = strrchr(cfg->db_path, '/');
    int w = slash ? snprintf(out, outlen, "%.*s/checkin.key", (int)(slash - cfg->db_path), cfg->db_path)
                  : snprintf(out, outlen, "checkin.key");
    return w > 0 && (size_t)w < outlen;
}

/* Makes a new key file; the exclusive create means two starts racing
 * cannot both write one. */
static bool create_key(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create the check-in key %s: %s", path, strerror(errno));
        return false;
    }
    unsigned char k[crypto_secretbox_KEYBYTES];
    crypto_secretbox_keygen(k);
    bool ok = write(fd, k, sizeof(k)) == (ssize_t)sizeof(k) && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(k, sizeof(k));
    if (!ok) {
        snprintf(err, errlen, "cannot write the check-in key %s: %s", path, strerror(errno));
        unlink(path);
    }
    return ok;
}

bool secret_load(const char *path, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return false;
    }
    if (access(path, F_OK) != 0 && !create_key(path, err, errlen) && errno != EEXIST)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read the check-in key %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    if (st.st_mode & 077) {
        snprintf(err, errlen, "the check-in key %s may be read by others: chmod 600 it", path);
        close(fd);
        return false;
    }
    ssize_t n = read(fd, key, sizeof(key));
    close(fd);
    if (n != (ssize_t)sizeof(key) || st.st_size != (off_t)sizeof(key)) {
        snprintf(err, errlen, "the check-in key %s must hold exactly %d bytes", path, (int)sizeof(key));
        sodium_memzero(key, sizeof(key));
        return false;
    }
    loaded = true;
    return true;
}

void secret_set(const unsigned char *k)
{
    if (sodium_init() < 0)
        return;
    memcpy(key, k, sizeof(key));
    loaded = true;
}

bool secret_ready(void)
{
    return loaded;
}

void secret_unload(void)
{
    sodium_memzero(key, sizeof(key));
    loaded = false;
}

unsigned char *secret_seal(const void *plain, size_t n, size_t *outlen)
{
    if (!loaded)
        return NULL;
    size_t len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *out = xmalloc(len);
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, n, out, key);
    *outlen = len;
    return out;
}

char *secret_open(const void *box, size_t n)
{
    const unsigned char *b = box;
    if (!loaded || n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return NULL;
    size_t plain = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *out = xmalloc(plain + 1);
    if (crypto_secretbox_open_easy((unsigned char *)out, b + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, b, key) != 0) {
        free(out);
        return NULL;
    }
    out[plain] = '\0';
    return out;
}

bool secret_mac(const char *context, const void *data, size_t n, unsigned char out[SECRET_MAC_BYTES])
{
    if (!loaded)
        return false;
    /* a subkey of its own, so the box key is never used by a second algorithm */
    unsigned char sub[crypto_generichash_KEYBYTES];
    crypto_kdf_derive_from_key(sub, sizeof(sub), 1, "wp-mac01", key);
    crypto_generichash_state st;
    crypto_generichash_init(&st, sub, sizeof(sub), SECRET_MAC_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)context, strlen(context) + 1);
    crypto_generichash_update(&st, (const unsigned char *)data, n);
    crypto_generichash_final(&st, out, SECRET_MAC_BYTES);
    sodium_memzero(sub, sizeof(sub));
    return true;
}
