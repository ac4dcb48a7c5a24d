/* wal_batch: the WAL-gathering VFS (wal_batch.h). Each file opened over
 * it is our header followed by the file of the VFS below (the default
 * one); every method passes through, and a WAL file's writes, and a
 * database file's writes during a checkpoint, gather in its buffer
 * first. */
#include "db/wal_batch.h"

#include "core/log.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* SQLite's unix VFS writes at most 128 KB - 1 bytes a call (it masks
 * the length with 0x1ffff), so a gathered write stays below that. */
#define GATHER_BYTES (120 * 1024)
#define FRAME_HEADER 24 /* a WAL frame's header: a write of exactly this size */
#define PAGE_PIECE 4096 /* a retried checkpoint write goes down in pieces of this size */
#define WRITEBACK_BYTES (8 * 1024 * 1024) /* the disk is asked to start writing every this many */

typedef struct bfile {
    sqlite3_file base;
    sqlite3_file *real; /* the file below: right after this header */
    bool wal;
    bool commit_page_next; /* the last write was a commit frame's header */
    bool ckpt;             /* database file: a checkpoint is copying pages into it */
    bool hint_tried;       /* hint_fd opened, or found not to be had */
    int hint_fd;           /* our own descriptor of the file, for writeback */
    const char *path;      /* the WAL's or database's name (SQLite keeps it until close) */
    sqlite3_int64 wb_from, wb_to; /* written since the disk was last asked, one run */
    char *buf;             /* gathered bytes (a WAL's, or a checkpoint's) */
    size_t len;
    sqlite3_int64 off;     /* the file offset of buf[0] */
} bfile;

static sqlite3_vfs *below;
static sqlite3_vfs vfs;
static atomic_long writes_below, ckpt_writes_below, writeback_asks;

long wal_batch_writes(void)
{
    return atomic_load(&writes_below);
}

long wal_batch_checkpoint_writes(void)
{
    return atomic_load(&ckpt_writes_below);
}

long wal_batch_writeback_asks(void)
{
    return atomic_load(&writeback_asks);
}

/* Asks the kernel to start writing to the disk what was written since
 * the last ask, once that is a run of WRITEBACK_BYTES, without waiting
 * for it (sync_file_range): the sync that must come (the WAL's before a
 * checkpoint copies it, the database's after) then finds little left to
 * write. A write that does not follow the run starts a new one. */
static void start_writeback(bfile *f, sqlite3_int64 off, int n)
{
    if (off != f->wb_to)
        f->wb_from = off;
    f->wb_to = off + n;
    if (f->wb_to - f->wb_from < WRITEBACK_BYTES)
        return;
    if (!f->hint_tried) {
        f->hint_tried = true;
        f->hint_fd = f->path ? open(f->path, O_RDONLY | O_CLOEXEC) : -1;
    }
    if (f->hint_fd >= 0 && sync_file_range(f->hint_fd, f->wb_from, f->wb_to - f->wb_from, SYNC_FILE_RANGE_WRITE) == 0)
        atomic_fetch_add(&writeback_asks, 1);
    f->wb_from = f->wb_to;
}

static int write_below(bfile *f, const void *p, int n, sqlite3_int64 off)
{
    if (f->wal || f->ckpt)
        atomic_fetch_add(f->wal ? &writes_below : &ckpt_writes_below, 1);
    int rc = f->real->pMethods->xWrite(f->real, p, n, off);
    if (rc == SQLITE_OK)
        start_writeback(f, off, n);
    return rc;
}

/* Writes what is gathered; the buffer is empty after, even on an error
 * (which is returned: the write it belongs to is reported failed). */
static int flush(bfile *f)
{
    if (!f->len)
        return SQLITE_OK;
    int rc = write_below(f, f->buf, (int)f->len, f->off);
    f->len = 0;
    return rc;
}

/* Writes what is gathered (flush); when that fails, tries each page of
 * it alone (flush empties the buffer but leaves its bytes). True when
 * every byte was written. */
static bool flush_or_retry(bfile *f)
{
    size_t len = f->len;
    if (flush(f) == SQLITE_OK)
        return true;
    bool all = true;
    for (size_t at = 0; at < len; at += PAGE_PIECE) {
        size_t n = len - at < PAGE_PIECE ? len - at : PAGE_PIECE;
        all = write_below(f, f->buf + at, (int)n, f->off + (sqlite3_int64)at) == SQLITE_OK && all;
    }
    return all;
}

/* Big-endian 32 bits at p: a frame header's database size in pages,
 * nonzero only in a commit frame. */
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int gather(bfile *f, const void *p, int n, sqlite3_int64 off)
{
    bool next_byte = f->len && off == f->off + (sqlite3_int64)f->len;
    if (!next_byte || f->len + (size_t)n > GATHER_BYTES) {
        int rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!f->buf && !(f->buf = malloc(GATHER_BYTES)))
        return write_below(f, p, n, off);
    if ((size_t)n > GATHER_BYTES)
        return write_below(f, p, n, off);
    if (!f->len)
        f->off = off;
    memcpy(f->buf + f->len, p, (size_t)n);
    f->len += (size_t)n;
    return SQLITE_OK;
}

static int b_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
    bfile *f = (bfile *)file;
    if (!f->wal)
        return f->ckpt ? gather(f, p, n, off) : write_below(f, p, n, off);
    bool commit_page = f->commit_page_next;
    bool commit_header = n == FRAME_HEADER && be32((const unsigned char *)p + 4) != 0;
    f->commit_page_next = commit_header;
    int rc = gather(f, p, n, off);
    /* A commit frame is whole in the file before SQLite goes on to mark
     * the transaction committed in the WAL index. Its header is written
     * at once too: a transaction that rewrote frames in place (pages
     * spilled before the commit) ends with SQLite rewriting the headers'
     * checksums, the commit frame's last, with no page after it; kept
     * here, it would be lost to a kill before the next read or sync. */
    if (rc == SQLITE_OK && (commit_page || commit_header))
        rc = flush(f);
    return rc;
}

static int b_close(sqlite3_file *file)
{
    bfile *f = (bfile *)file;
    int rc = SQLITE_OK;
    rc = flush(f);
    free(f->buf);
    f->buf = NULL;
    if (f->hint_tried && f->hint_fd >= 0)
        close(f->hint_fd);
    int rc2 = f->real->pMethods->xClose(f->real);
    return rc != SQLITE_OK ? rc : rc2;
}

static int b_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
    bfile *f = (bfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, p, n, off);
}

static int b_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    bfile *f = (bfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int b_sync(sqlite3_file *file, int flags)
{
    bfile *f = (bfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int b_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    bfile *f = (bfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int b_lock(sqlite3_file *file, int level)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xLock(r, level);
}

static int b_unlock(sqlite3_file *file, int level)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xUnlock(r, level);
}

static int b_check_reserved(sqlite3_file *file, int *out)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xCheckReservedLock(r, out);
}

/* The end of a checkpoint's copying, whose pages still gathered must
 * reach the file now: SQLite ignores what SQLITE_FCNTL_CKPT_DONE returns
 * and may next mark the pages copied (so that readers take them from the
 * database file) without another call on it. Gathered pages that cannot
 * be written, each tried again alone, end the process before SQLite can
 * mark them: what was committed stays whole in the WAL, and the next
 * checkpoint copies it again. */
static void checkpoint_done(bfile *f)
{
    bool written = flush_or_retry(f);
    f->ckpt = false;
    if (written)
        return;
    log_error("database: a checkpoint could not write the database file; everything committed is kept in its WAL "
              "and is copied by the next checkpoint (is the disk full?)");
    _exit(EXIT_FAILURE);
}

static int b_file_control(sqlite3_file *file, int op, void *arg)
{
    bfile *f = (bfile *)file;
    if (op == SQLITE_FCNTL_CKPT_DONE && !f->wal)
        checkpoint_done(f);
    int rc = flush(f);
    if (rc == SQLITE_OK && op == SQLITE_FCNTL_CKPT_START && !f->wal)
        f->ckpt = true;
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int b_sector_size(sqlite3_file *file)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xSectorSize(r);
}

static int b_device(sqlite3_file *file)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xDeviceCharacteristics(r);
}

static int b_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **pp)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xShmMap(r, page, size, extend, pp);
}

static int b_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xShmLock(r, offset, n, flags);
}

static void b_shm_barrier(sqlite3_file *file)
{
    sqlite3_file *r = ((bfile *)file)->real;
    r->pMethods->xShmBarrier(r);
}

static int b_shm_unmap(sqlite3_file *file, int delete_flag)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->xShmUnmap(r, delete_flag);
}

static int b_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **pp)
{
    sqlite3_file *r = ((bfile *)file)->real;
    int rc = flush((bfile *)file);
    if (rc != SQLITE_OK || r->pMethods->iVersion < 3) {
        *pp = NULL;
        return rc;
    }
    return r->pMethods->xFetch(r, off, n, pp);
}

static int b_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    sqlite3_file *r = ((bfile *)file)->real;
    return r->pMethods->iVersion < 3 ? SQLITE_OK : r->pMethods->xUnfetch(r, off, p);
}

static const sqlite3_io_methods methods = {
    3,          b_close,    b_read,        b_write,         b_truncate,  b_sync,       b_file_size,
    b_lock,     b_unlock,   b_check_reserved, b_file_control, b_sector_size, b_device, b_shm_map,
    b_shm_lock, b_shm_barrier, b_shm_unmap, b_fetch,        b_unfetch,
};

static int b_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)v;
    bfile *f = (bfile *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)&f[1];
    int rc = below->xOpen(below, name, f->real, flags, out_flags);
    if (!f->real->pMethods)
        return rc; /* nothing open: SQLite will not call xClose */
    f->base.pMethods = &methods;
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    if (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB))
        f->path = name;
    return rc;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return below->xDelete(below, name, sync_dir);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return below->xAccess(below, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return below->xFullPathname(below, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return below->xDlOpen(below, name);
}

static void v_dl_error(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    below->xDlError(below, n, msg);
}

static void (*v_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return below->xDlSym(below, h, sym);
}

static void v_dl_close(sqlite3_vfs *v, void *h)
{
    (void)v;
    below->xDlClose(below, h);
}

static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return below->xRandomness(below, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return below->xSleep(below, us);
}

static int v_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return below->xCurrentTime(below, out);
}

static int v_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return below->xGetLastError ? below->xGetLastError(below, n, out) : 0;
}

static int v_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return below->xCurrentTimeInt64(below, out);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool registered;

static void register_once(void)
{
    below = sqlite3_vfs_find(NULL);
    if (!below || below->iVersion < 2)
        return;
    vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(bfile) + below->szOsFile,
        .mxPathname = below->mxPathname,
        .zName = WAL_BATCH_VFS,
        .xOpen = b_open,
        .xDelete = v_delete,
        .xAccess = v_access,
        .xFullPathname = v_full_pathname,
        .xDlOpen = v_dl_open,
        .xDlError = v_dl_error,
        .xDlSym = v_dl_sym,
        .xDlClose = v_dl_close,
        .xRandomness = v_randomness,
        .xSleep = v_sleep,
        .xCurrentTime = v_current_time,
        .xGetLastError = v_last_error,
        .xCurrentTimeInt64 = v_current_time64,
    };
    registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

bool wal_batch_register(void)
{
    pthread_once(&once, register_once);
    return registered;
}
