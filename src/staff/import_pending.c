/* import_pending: uploads waiting for their confirmation. See import_pending.h. */
#include "staff/import_pending.h"
#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pending {
    char id[IMPORT_PENDING_ID_CHARS];
    long user_id;
    time_t at;
    import_upload u;
    struct pending *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct pending *head; /* newest first */
static size_t bytes;

void import_upload_free(import_upload *u)
{
    free(u->name);
    free(u->format);
    free(u->text);
    memset(u, 0, sizeof(*u));
}

static void drop(struct pending **pp)
{
    struct pending *p = *pp;
    *pp = p->next;
    bytes -= p->u.len;
    import_upload_free(&p->u);
    free(p);
}

/* Drops the expired, the user's own (user_id > 0), then the oldest while
 * more than room bytes are kept. Holds the lock. */
static void prune(time_t now, long user_id, size_t room)
{
    for (struct pending **pp = &head; *pp;) {
        if (now - (*pp)->at > IMPORT_PENDING_SECONDS || (user_id > 0 && (*pp)->user_id == user_id))
            drop(pp);
        else
            pp = &(*pp)->next;
    }
    while (head && bytes > room) {
        struct pending **pp = &head;
        while ((*pp)->next)
            pp = &(*pp)->next;
        drop(pp);
    }
}

bool import_pending_put(long user_id, const import_upload *u, char id[IMPORT_PENDING_ID_CHARS])
{
    if (u->len > IMPORT_PENDING_BYTES)
        return false;
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(id, IMPORT_PENDING_ID_CHARS, raw, sizeof(raw));
    struct pending *p = xcalloc(1, sizeof(*p));
    memcpy(p->id, id, IMPORT_PENDING_ID_CHARS);
    p->user_id = user_id;
    p->at = time(NULL);
    p->u = (import_upload){xstrdup(u->name), xstrdup(u->format), xstrndup(u->text, u->len), u->len};
    pthread_mutex_lock(&lock);
    prune(p->at, user_id, IMPORT_PENDING_BYTES - u->len);
    p->next = head;
    head = p;
    bytes += u->len;
    pthread_mutex_unlock(&lock);
    return true;
}

bool import_pending_take(long user_id, const char *id, import_upload *u)
{
    bool found = false;
    if (!id || strlen(id) != IMPORT_PENDING_ID_CHARS - 1)
        return false;
    pthread_mutex_lock(&lock);
    prune(time(NULL), 0, IMPORT_PENDING_BYTES);
    for (struct pending **pp = &head; *pp; pp = &(*pp)->next) {
        struct pending *p = *pp;
        if (p->user_id != user_id || sodium_memcmp(p->id, id, IMPORT_PENDING_ID_CHARS - 1) != 0)
            continue;
        *u = p->u;
        memset(&p->u, 0, sizeof(p->u));
        bytes -= u->len;
        *pp = p->next;
        free(p);
        found = true;
        break;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void import_pending_clear(void)
{
    pthread_mutex_lock(&lock);
    while (head)
        drop(&head);
    pthread_mutex_unlock(&lock);
}
