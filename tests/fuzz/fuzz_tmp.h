/* fuzz_tmp.h: where the harnesses that need files (fuzz_config, fuzz_gzip,
 * fuzz_roundtrip) put them: $TMPDIR when set, else /dev/shm when it is a
 * writable folder (memory: rewriting a file thousands of times a second on
 * a disk makes ext4 flush it on every close), else /tmp. */
#ifndef WP_FUZZ_TMP_H
#define WP_FUZZ_TMP_H

#include <stdlib.h>
#include <unistd.h>

static const char *fuzz_tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    if (t && *t)
        return t;
    if (access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return "/tmp";
}

#endif
