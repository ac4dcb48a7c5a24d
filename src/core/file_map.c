/* file_map: see file_map.h. */
#include "core/file_map.h"
#include "core/util.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *file_map(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!regular || (size_t)st.st_size > max) {
        close(fd);
        errno = regular ? EFBIG : EINVAL;
        return NULL;
    }
    *len = (size_t)st.st_size;
    void *p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : (void *)"";
    int e = errno;
    close(fd);
    if (p == MAP_FAILED) {
        errno = e;
        return NULL;
    }
    return p;
}

void file_unmap(const char *p, size_t len)
{
    if (p && len)
        munmap((void *)p, len);
}

/* The guarded range and its message (read by the signal handler). */
static const char *volatile guard_at;
static volatile size_t guard_len;
static char guard_msg[1024];
static volatile size_t guard_msg_len;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    const char *at = si->si_addr, *from = guard_at;
    if (from && at >= from && at < from + guard_len) {
        ssize_t w = write(STDERR_FILENO, guard_msg, guard_msg_len);
        (void)w;
        _exit(1);
    }
    /* not ours: the handler was reset on entry (SA_RESETHAND), so the
     * faulting access repeats with SIGBUS's default action */
}

void file_map_guard(const char *p, size_t len, const char *message)
{
    guard_at = NULL;
    if (!p || !len)
        return;
    str_copy(guard_msg, sizeof(guard_msg) - 1, message);
    size_t n = strlen(guard_msg);
    guard_msg[n++] = '\n';
    guard_msg_len = n;
    guard_len = len;
    guard_at = p;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}
