/* file_map: a whole file mapped read-only, for reading a large import
 * without copying it (a copy of 50 MB cost 135 ms on the benchmark
 * machine, its page faults mostly; the mapping is read straight from the
 * page cache).
 *
 * A mapped file can shrink under its reader (a new download written into
 * the same path): a read past its new end raises SIGBUS. While a mapping
 * is guarded (file_map_guard), such a fault inside it ends the process
 * with the message given (exit status 1) rather than a crash; a SIGBUS
 * anywhere else keeps its default action. One guard at a time. */
#ifndef WP_FILE_MAP_H
#define WP_FILE_MAP_H

#include <stdbool.h>
#include <stddef.h>

/* Maps the regular file at path (its length in *len; not NUL-terminated;
 * an empty file is "" of length 0); NULL with errno set on failure:
 * EFBIG when it is larger than max, EINVAL when it is not a regular
 * file (a pipe, a folder). */
const char *file_map(const char *path, size_t max, size_t *len);
void file_unmap(const char *p, size_t len);

/* Guards [p, p + len) with message (copied; a line ending is added), or
 * ends the guard (p NULL). */
void file_map_guard(const char *p, size_t len, const char *message);

#endif
