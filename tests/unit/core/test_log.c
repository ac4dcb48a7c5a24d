/* test_log: unit tests for src/core/log.c, one-line messages on stderr.
 *
 * stderr is pointed at a temp file (mkstemp, removed afterwards) while a
 * test logs. Checks the line format (UTC timestamp, level name, message,
 * one newline), the level filter of log_set_level, the convenience macros,
 * and that a message longer than the line buffer is cut but still ends in
 * exactly one newline. */
#include "core/log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

struct capture {
    char path[64];
    int saved;
    int fd;
};

static void capture_start(struct capture *c)
{
    snprintf(c->path, sizeof c->path, "/tmp/wp_test_log_XXXXXX");
    c->fd = mkstemp(c->path);
    assert_true(c->fd >= 0);
    fflush(stderr);
    c->saved = dup(STDERR_FILENO);
    assert_true(c->saved >= 0);
    assert_true(dup2(c->fd, STDERR_FILENO) >= 0);
}

/* Restores stderr and returns what was written (malloc'd). */
static char *capture_end(struct capture *c, size_t *len)
{
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    off_t n = lseek(c->fd, 0, SEEK_END);
    char *text = calloc(1, (size_t)n + 1);
    assert_int_equal(pread(c->fd, text, (size_t)n, 0), (ssize_t)n);
    close(c->fd);
    unlink(c->path);
    if (len)
        *len = (size_t)n;
    return text;
}

static size_t count_char(const char *s, char ch)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == ch;
    return n;
}

/* "2026-01-02T03:04:05Z " */
static bool is_timestamp(const char *s)
{
    const char *pat = "dddd-dd-ddTdd:dd:ddZ ";
    for (size_t i = 0; pat[i]; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return false;
    }
    return true;
}

static void test_format(void **state)
{
    (void)state;
    log_set_level(LOG_INFO);
    struct capture c;
    capture_start(&c);
    log_msg(LOG_INFO, "hello %s %d", "world", 42);
    char *text = capture_end(&c, NULL);
    assert_true(is_timestamp(text));
    assert_string_equal(text + 21, "info hello world 42\n");
    free(text);
}

static void test_levels(void **state)
{
    (void)state;
    struct capture c;
    log_set_level(LOG_WARN);
    capture_start(&c);
    log_debug("d");
    log_info("i");
    log_warn("w");
    log_error("e");
    char *text = capture_end(&c, NULL);
    assert_int_equal(count_char(text, '\n'), 2);
    assert_contains(text, "Z warn w\n");
    assert_contains(text, "Z error e\n");
    assert_not_contains(text, "info");
    assert_not_contains(text, "debug");
    free(text);

    log_set_level(LOG_DEBUG);
    capture_start(&c);
    log_debug("d");
    log_info("i");
    text = capture_end(&c, NULL);
    assert_int_equal(count_char(text, '\n'), 2);
    assert_contains(text, "Z debug d\n");
    assert_contains(text, "Z info i\n");
    free(text);

    log_set_level(LOG_ERROR);
    capture_start(&c);
    log_warn("w");
    text = capture_end(&c, NULL);
    assert_string_equal(text, "");
    free(text);
    log_set_level(LOG_INFO);
}

static void test_long_message(void **state)
{
    (void)state;
    log_set_level(LOG_INFO);
    char *big = malloc(5001);
    memset(big, 'x', 5000);
    big[5000] = '\0';
    struct capture c;
    capture_start(&c);
    log_error("%s", big);
    size_t len;
    char *text = capture_end(&c, &len);
    assert_true(len > 1000);
    assert_true(len <= 2048);
    assert_int_equal(count_char(text, '\n'), 1);
    assert_int_equal(text[len - 1], '\n');
    assert_true(is_timestamp(text));
    free(text);
    free(big);
}

static void test_empty_message(void **state)
{
    (void)state;
    log_set_level(LOG_INFO);
    struct capture c;
    capture_start(&c);
    log_info("%s", "");
    char *text = capture_end(&c, NULL);
    assert_string_equal(text + 21, "info \n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_long_message),
        cmocka_unit_test(test_empty_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
