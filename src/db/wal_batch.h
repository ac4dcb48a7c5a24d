/* wal_batch: a SQLite VFS for bulk writers that gathers the writes to a
 * database's WAL file into large ones.
 *
 * SQLite writes each WAL frame as two writes (its 24-byte header, then
 * the page), each a system call: a commit of 40,000 pages at a million
 * services was 80,000 of them. Over this VFS the writes that follow one
 * another in the file are kept in a buffer and written together when
 * the buffer is full, when a write is not the next byte, before any
 * read, sync, size, truncate or close of the file, and after a commit
 * frame's header (one that gives the database's size) and its page,
 * whether appended or rewritten in place (a transaction whose pages
 * spilled ends by rewriting its frames' checksums): so every
 * frame of a transaction is in the file, as before, before SQLite marks
 * the transaction committed in the WAL index (it does so only after a
 * commit frame, and readers trust only what it marks), and a write's
 * error is still reported to the commit it belongs to. A process killed
 * with frames still gathered loses only an uncommitted transaction. The
 * database file itself and the WAL index are untouched: other processes
 * see what they saw.
 *
 * A checkpoint through this VFS gathers its writes to the database file
 * the same way (SQLite copies the pages in order, one write each: at a
 * million services, 230,000 of them), from SQLITE_FCNTL_CKPT_START to
 * SQLITE_FCNTL_CKPT_DONE, when the rest is written before SQLite can
 * mark the pages copied. Any other call on the file writes what is
 * gathered first. A gathered write that fails inside the copying fails
 * the checkpoint as before; one that fails at its end, tried again a
 * page at a time, ends the process (SQLite ignores what CKPT_DONE
 * returns and would mark pages copied that are not): what was committed
 * stays in the WAL, and the next checkpoint copies it.
 *
 * Every 8 MB written in one run to a WAL or by a checkpoint, the kernel
 * is asked to start writing them to the disk without waiting
 * (sync_file_range, as PostgreSQL's wal_writer_flush_after and
 * checkpoint_flush_after do): the sync SQLite must make before a
 * checkpoint copies the WAL (and after it, of the database) then finds
 * little left to write, instead of gigabytes an import left in memory.
 *
 * For a connection of a command that writes much in one transaction (an
 * import): open it with db_open_bulk (db.h). */
#ifndef WP_WAL_BATCH_H
#define WP_WAL_BATCH_H

#include <stdbool.h>

/* The VFS's name; registered (not as the default) by wal_batch_register,
 * which may be called more than once. False when it could not be. */
#define WAL_BATCH_VFS "waypost-wal-batch"
bool wal_batch_register(void);

/* The writes to WAL files this VFS passed to the one below since the
 * process started (for tests). */
long wal_batch_writes(void);
/* The writes to database files a checkpoint passed down (for tests). */
long wal_batch_checkpoint_writes(void);
/* The times the disk was asked to start writing a run of a WAL or of a
 * checkpoint's writes (for tests). */
long wal_batch_writeback_asks(void);

#endif
