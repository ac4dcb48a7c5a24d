/* Tests for core/file_map: a file mapped whole, its errors, and the guard
 * that turns a read past a file that shrank under it into a message. */
#include "core/file_map.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

static void test_maps_the_whole_file(void **state)
{
    (void)state;
    char path[64];
    wp_temp_file(path, "line one\nli\0ne two\n", 19);
    size_t len = 0;
    const char *s = file_map(path, 1000, &len);
    assert_non_null(s);
    assert_int_equal(len, 19);
    assert_memory_equal(s, "line one\nli\0ne two\n", 19);
    file_unmap(s, len);
    s = file_map(path, 19, &len); /* exactly max */
    assert_non_null(s);
    file_unmap(s, len);
    errno = 0;
    assert_null(file_map(path, 18, &len));
    assert_int_equal(errno, EFBIG);
    unlink(path);
    wp_temp_file(path, "", 0);
    s = file_map(path, 10, &len);
    assert_non_null(s);
    assert_int_equal(len, 0);
    file_unmap(s, len);
    unlink(path);
}

static void test_errors(void **state)
{
    (void)state;
    size_t len;
    errno = 0;
    assert_null(file_map("/tmp/wp_test_file_map_does_not_exist/x", 100, &len));
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_null(file_map("/tmp", 100, &len)); /* a folder */
    assert_int_equal(errno, EINVAL);
}

enum guard { UNGUARDED, GUARDED, GUARD_ELSEWHERE };

/* In a child: maps a file of two pages, truncates it to one, guards the
 * mapping (or another range, or nothing) and reads the second page. */
static int child_reads_past_a_shrunk_file(enum guard guard, int errfd)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGBUS, SIG_DFL); /* not cmocka's */
        dup2(errfd, STDERR_FILENO);
        char path[64];
        long page = sysconf(_SC_PAGESIZE);
        char *data = calloc(2, (size_t)page);
        memset(data, 'x', 2 * (size_t)page);
        wp_temp_file(path, data, 2 * (size_t)page);
        size_t len;
        const char *p = file_map(path, 1u << 20, &len);
        if (!p || truncate(path, page) != 0)
            _exit(3);
        unlink(path);
        static const char elsewhere[] = "another range";
        if (guard == GUARDED)
            file_map_guard(p, len, "waypost: the file changed while it was read");
        else if (guard == GUARD_ELSEWHERE)
            file_map_guard(elsewhere, sizeof(elsewhere), "not this message");
        volatile char c = p[len - 1];
        (void)c;
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_guard_turns_a_shrunk_file_into_a_message(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int status = child_reads_past_a_shrunk_file(GUARDED, fds[1]);
    close(fds[1]);
    char out[256] = "";
    ssize_t n = read(fds[0], out, sizeof(out) - 1);
    close(fds[0]);
    assert_true(n > 0);
    out[n] = '\0';
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_string_equal(out, "waypost: the file changed while it was read\n");
    /* without the guard it is SIGBUS, as it would be anyway */
    int devnull = open("/dev/null", O_WRONLY);
    status = child_reads_past_a_shrunk_file(UNGUARDED, devnull);
    close(devnull);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGBUS);
}

/* A SIGBUS outside the guarded range keeps its default action. */
static void test_other_faults_keep_their_default(void **state)
{
    (void)state;
    int devnull = open("/dev/null", O_WRONLY);
    int status = child_reads_past_a_shrunk_file(GUARD_ELSEWHERE, devnull);
    close(devnull);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGBUS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maps_the_whole_file),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_guard_turns_a_shrunk_file_into_a_message),
        cmocka_unit_test(test_other_faults_keep_their_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
