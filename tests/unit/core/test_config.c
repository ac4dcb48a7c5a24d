/* test_config: unit tests for src/core/config.c, site settings.
 *
 * Defaults (and that they validate); config_set with "section.key",
 * "section-key" flag names and bare key names, for strings, colours,
 * numbers with their ranges and booleans, with the error sentence for a bad
 * colour, a number out of range, a bad boolean and an unknown key;
 * config_load_file on temp INI files (values read, later keys win, the
 * unknown key named with its line number, a bad value and a line that is not
 * INI named by line, a missing file); config_validate; config_listen_addr;
 * config_print_help; the [map] keys (tile template, attribution, zoom) and
 * config_tiles_origin, the tile server origin the CSP names. Temp files are
 * made with mkstemp and removed. */
#include "core/config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wp_test.h"

/* Writes text to a new temp file; path gets its name. */
static void write_ini(char *path, size_t pathlen, const char *text)
{
    snprintf(path, pathlen, "/tmp/wp_test_config_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
}

/* ---- defaults ---- */

static void test_defaults(void **state)
{
    (void)state;
    config c;
    memset(&c, 0x55, sizeof c);
    config_defaults(&c);
    assert_string_equal(c.site_name, "Waypost");
    assert_string_equal(c.color_primary, "#1d4f91");
    assert_string_equal(c.color_accent, "#b3261e");
    assert_string_equal(c.quick_exit_url, "https://www.weather.gov/");
    assert_string_equal(c.emergency_number, "911");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.db_path, "var/waypost.db");
    assert_string_equal(c.content_dir, "content");
    assert_string_equal(c.org_url, "");
    assert_string_equal(c.theme_dir, "");
    assert_int_equal(c.threads, 0);
    assert_false(c.log_client_address);
    assert_false(c.hsts);
    assert_false(c.dev);
    assert_int_equal(c.max_header_bytes, 8192);
    assert_int_equal(c.max_uri_bytes, 4096);
    assert_int_equal(c.max_body_bytes, 65536);
    assert_int_equal(c.timeout_seconds, 15);
    assert_int_equal(c.max_connections, 4096);
    assert_int_equal(c.max_conns_per_client, 256);
    char err[256] = "";
    assert_true(config_validate(&c, err, sizeof err));
}

/* ---- config_set ---- */

static void test_set_dotted(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    assert_true(config_set(&c, "site.site_name", "Harbor Health", err, sizeof err));
    assert_string_equal(c.site_name, "Harbor Health");
    assert_true(config_set(&c, "limits.timeout_seconds", "30", err, sizeof err));
    assert_int_equal(c.timeout_seconds, 30);
    assert_true(config_set(&c, "server.hsts", "true", err, sizeof err));
    assert_true(c.hsts);
    assert_true(config_set(&c, "site.color_primary", "#ABCDEF", err, sizeof err));
    assert_string_equal(c.color_primary, "#ABCDEF");
    assert_true(config_set(&c, "server.listen", "0.0.0.0:80", err, sizeof err));
    assert_string_equal(c.listen, "0.0.0.0:80");
}

static void test_set_flag_style(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    /* --SECTION-KEY with dashes, as main.c passes it (without "--") */
    assert_true(config_set(&c, "site-site-name", "A", err, sizeof err));
    assert_string_equal(c.site_name, "A");
    assert_true(config_set(&c, "limits-max-body-bytes", "2048", err, sizeof err));
    assert_int_equal(c.max_body_bytes, 2048);
    assert_true(config_set(&c, "server-log-client-address", "yes", err, sizeof err));
    assert_true(c.log_client_address);
    /* the bare key, as in main.c's example --site-name */
    assert_true(config_set(&c, "site-name", "B", err, sizeof err));
    assert_string_equal(c.site_name, "B");
    assert_true(config_set(&c, "timeout-seconds", "60", err, sizeof err));
    assert_int_equal(c.timeout_seconds, 60);
    /* underscores and dashes mix */
    assert_true(config_set(&c, "site-site_name", "C", err, sizeof err));
    assert_string_equal(c.site_name, "C");
    assert_true(config_set(&c, "site.site-name", "D", err, sizeof err));
    assert_string_equal(c.site_name, "D");
}

static void test_set_bool_forms(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256];
    const char *yes[] = {"true", "TRUE", "yes", "Yes", "1", "on", "ON"};
    const char *no[] = {"false", "False", "no", "NO", "0", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        c.dev = false;
        assert_true(config_set(&c, "server.dev", yes[i], err, sizeof err));
        assert_true(c.dev);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        c.dev = true;
        assert_true(config_set(&c, "server.dev", no[i], err, sizeof err));
        assert_false(c.dev);
    }
    c.dev = true;
    assert_false(config_set(&c, "server.dev", "maybe", err, sizeof err));
    assert_contains(err, "server.dev");
    assert_contains(err, "true or false");
    assert_contains(err, "maybe");
    assert_false(config_set(&c, "server.dev", "", err, sizeof err));
    assert_true(c.dev); /* unchanged */
}

static void test_set_bad_colour(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    const char *bad[] = {"red", "#12345", "#1234567", "#12345g", "123456", "#GGGGGG", "", "# 12345"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        if (config_set(&c, "site.color_accent", bad[i], err, sizeof err))
            fail_msg("colour \"%s\" was accepted", bad[i]);
        assert_contains(err, "site.color_accent");
        assert_contains(err, "colour");
        assert_string_equal(c.color_accent, "#b3261e"); /* unchanged */
    }
    assert_false(config_set(&c, "site.color_primary", "red", err, sizeof err));
    assert_contains(err, "\"red\"");
}

static void test_set_number_range(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    assert_false(config_set(&c, "limits.timeout_seconds", "0", err, sizeof err));
    assert_contains(err, "limits.timeout_seconds");
    assert_contains(err, "from 1 to 3600");
    assert_contains(err, "\"0\"");
    assert_false(config_set(&c, "limits.timeout_seconds", "3601", err, sizeof err));
    assert_false(config_set(&c, "limits.timeout_seconds", "ten", err, sizeof err));
    assert_contains(err, "\"ten\"");
    assert_false(config_set(&c, "limits.timeout_seconds", "", err, sizeof err));
    assert_false(config_set(&c, "limits.timeout_seconds", "15s", err, sizeof err));
    assert_false(config_set(&c, "server.threads", "-1", err, sizeof err));
    assert_false(config_set(&c, "server.threads", "257", err, sizeof err));
    assert_false(config_set(&c, "server.threads", "99999999999999999999", err, sizeof err));
    assert_int_equal(c.timeout_seconds, 15); /* unchanged */
    assert_int_equal(c.threads, 0);
    /* the limits themselves are accepted */
    assert_true(config_set(&c, "limits.timeout_seconds", "1", err, sizeof err));
    assert_true(config_set(&c, "limits.timeout_seconds", "3600", err, sizeof err));
    assert_int_equal(c.timeout_seconds, 3600);
    assert_true(config_set(&c, "server.threads", "256", err, sizeof err));
    assert_int_equal(c.threads, 256);
}

static void test_set_unknown(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    config before = c;
    char err[256] = "";
    assert_false(config_set(&c, "site.nope", "x", err, sizeof err));
    assert_contains(err, "unknown setting");
    assert_contains(err, "site.nope");
    assert_false(config_set(&c, "nope", "x", err, sizeof err));
    assert_contains(err, "\"nope\"");
    assert_false(config_set(&c, "server.site_name", "x", err, sizeof err)); /* wrong section */
    assert_false(config_set(&c, "", "x", err, sizeof err));
    char longname[300];
    memset(longname, 'k', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_false(config_set(&c, longname, "x", err, sizeof err));
    assert_contains(err, "unknown setting");
    assert_memory_equal(&c, &before, sizeof c);
}

static void test_set_too_long(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[256] = "";
    char v[200];
    memset(v, 'n', sizeof v - 1);
    v[sizeof v - 1] = '\0';
    assert_false(config_set(&c, "site.site_name", v, err, sizeof err)); /* holds 127 */
    assert_contains(err, "site.site_name");
    assert_contains(err, "too long");
    assert_contains(err, "127");
    v[127] = '\0';
    assert_true(config_set(&c, "site.site_name", v, err, sizeof err));
    assert_int_equal(strlen(c.site_name), 127);
}

/* ---- config_load_file ---- */

static void test_load_file(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path,
              "; a comment\n"
              "# another\n"
              "[site]\n"
              "site_name = Harbor Health\n"
              "color_primary = #102030\n"
              "\n"
              "[server]\n"
              "listen = 0.0.0.0:9000\n"
              "hsts = yes\n"
              "threads = 4\n"
              "[limits]\n"
              "max_body_bytes = 4096\n"
              "[site]\n"
              "site_name = Later Wins\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    if (!ok)
        fail_msg("config_load_file: %s", err);
    assert_string_equal(c.site_name, "Later Wins");
    assert_string_equal(c.color_primary, "#102030");
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_true(c.hsts);
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.max_body_bytes, 4096);
    assert_string_equal(c.tagline, "Harm reduction and recovery help"); /* default kept */
}

static void test_load_unknown_key_line(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path,
              "[site]\n"
              "site_name = X\n"
              "\n"
              "[server]\n"
              "lisen = 0.0.0.0:80\n"
              "threads = 2\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    assert_false(ok);
    assert_contains(err, path);
    assert_contains(err, "line 5");
    assert_contains(err, "\"lisen\"");
    assert_contains(err, "[server]");
}

static void test_load_bad_value_line(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path,
              "[limits]\n"
              "max_body_bytes = 4096\n"
              "timeout_seconds = forever\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    assert_false(ok);
    assert_contains(err, "line 3");
    assert_contains(err, "limits.timeout_seconds");
    assert_contains(err, "\"forever\"");
}

static void test_load_bad_line(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path,
              "[site]\n"
              "site_name = X\n"
              "this line has no equals sign\n"
              "tagline = T\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    assert_false(ok);
    assert_contains(err, path);
    assert_contains(err, "line 3");
    assert_contains(err, "not a valid INI line");
}

static void test_load_key_outside_section(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path, "site_name = X\n");
    config c;
    config_defaults(&c);
    char err[512] = "";
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    assert_false(ok);
    assert_contains(err, "line 1");
    assert_contains(err, "\"site_name\"");
}

static void test_load_missing_file(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char err[512] = "";
    assert_false(config_load_file(&c, "/tmp/wp_test_config_missing/none.ini", err, sizeof err));
    assert_contains(err, "/tmp/wp_test_config_missing/none.ini");
    assert_contains(err, "cannot open");
}

static void test_load_long_value(void **state)
{
    (void)state;
    /* Debian's libinih reads at most 200 bytes a line. A longer line is
     * refused with its own line number; a long value can be written over
     * several lines, each continuation indented. */
    char text[600];
    char w[301];
    memset(w, 'w', 300);
    w[300] = '\0';
    snprintf(text, sizeof text, "[site]\nwelcome = %s\nsite_name = X\n", w);
    char path[64];
    write_ini(path, sizeof path, text);
    config c;
    config_defaults(&c);
    char err[512] = "";
    assert_false(config_load_file(&c, path, err, sizeof err));
    unlink(path);
    assert_non_null(strstr(err, "line 2: the line is too long"));

    char half[151];
    memset(half, 'w', 150);
    half[150] = '\0';
    snprintf(text, sizeof text, "[site]\nwelcome = %s\n  %s\nsite_name = X\n", half, half);
    write_ini(path, sizeof path, text);
    config_defaults(&c);
    bool ok = config_load_file(&c, path, err, sizeof err);
    unlink(path);
    if (!ok)
        fail_msg("config_load_file: %s", err);
    assert_int_equal(strlen(c.welcome), 301);
    assert_string_equal(c.site_name, "X");
}

/* ---- [map]: the optional Leaflet map's tile server ---- */

static void test_tiles_origin(void **state)
{
    (void)state;
    static const struct {
        const char *url, *origin; /* origin NULL: refused */
    } cases[] = {
        {"https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"},
        {"http://127.0.0.1:8999/{z}/{x}/{y}.png", "http://127.0.0.1:8999"},
        {"HTTPS://Tiles.Example.ORG:443/t/{z}/{x}/{y}.png?key=a&b=c", "https://tiles.example.org:443"},
        {"https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org"},
        {"https://a-b.c/{z}/{x}/{y}", "https://a-b.c"},
        {"https://tiles.example.org", NULL},             /* no path */
        {"https://tiles.example.org:/{z}", NULL},        /* empty port */
        {"https://tiles.example.org:0/{z}", NULL},       /* port out of range */
        {"https://tiles.example.org:65536/{z}", NULL},
        {"https://tiles.example.org:12ab/{z}", NULL},
        {"https:///{z}/{x}/{y}", NULL},                  /* no host */
        {"https://user@tiles.example.org/{z}", NULL},    /* user info */
        {"https://[::1]/{z}/{x}/{y}", NULL},             /* IPv6 not taken */
        {"https://{z}.example.org/{x}/{y}", NULL},       /* placeholder in host */
        {"https://{s}.org/{z}/{x}/{y}", NULL},           /* wildcard over a bare name */
        {"https://.example.org/{z}", NULL},
        {"https://example.org./{z}", NULL},
        {"https://ex ample.org/{z}", NULL},
        {"https://ex;ample.org/{z}", NULL},
        {"https://example.org;img-src */{z}", NULL},
        {"ftp://example.org/{z}/{x}/{y}", NULL},
        {"//example.org/{z}/{x}/{y}", NULL},
        {"javascript:alert(1)//{z}/{x}/{y}", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[300];
        memset(out, 'x', sizeof out);
        bool ok = config_tiles_origin(cases[i].url, out, sizeof out);
        if (ok != (cases[i].origin != NULL))
            fail_msg("\"%s\": expected %s", cases[i].url, cases[i].origin ? cases[i].origin : "refusal");
        if (ok)
            assert_string_equal(out, cases[i].origin);
        else
            assert_string_equal(out, "");
    }
    /* an origin that does not fit the caller's buffer is refused */
    char small[12];
    assert_false(config_tiles_origin("https://tiles.example.org/{z}/{x}/{y}", small, sizeof small));
    assert_string_equal(small, "");
}

static void test_validate_map(void **state)
{
    (void)state;
    config c;
    char err[512];
    config_defaults(&c);
    assert_string_equal(c.tiles, "");
    assert_string_equal(c.attribution, "");
    assert_int_equal(c.max_zoom, 18);
    assert_string_equal(c.leaflet_dir, "/usr/share/javascript/leaflet");
    assert_true(config_validate(&c, err, sizeof err)); /* no tiles: the map is off */

    /* flag names and dotted names reach the [map] keys */
    assert_true(config_set(&c, "map-tiles", "https://tiles.example.org/{z}/{x}/{y}.png", err, sizeof err));
    assert_false(config_validate(&c, err, sizeof err));
    assert_contains(err, "map.attribution");
    assert_true(config_set(&c, "map.attribution", "Tiles (c) Example", err, sizeof err));
    assert_true(config_validate(&c, err, sizeof err));

    assert_false(config_set(&c, "map-max_zoom", "23", err, sizeof err));
    assert_contains(err, "map.max_zoom");
    assert_true(config_set(&c, "map-max_zoom", "12", err, sizeof err));
    assert_int_equal(c.max_zoom, 12);

    static const struct {
        const char *tiles, *why;
    } bad[] = {
        {"ftp://tiles.example.org/{z}/{x}/{y}.png", "http:// or https://"},
        {"tiles.example.org/{z}/{x}/{y}.png", "http:// or https://"},
        {"https://tiles.example.org/{z}/{x}.png", "{z}, {x} and {y}"},
        {"https://tiles.example.org/tiles.png", "{z}, {x} and {y}"},
        {"https://tiles.example.org/{z}/{x}/{y}.png\" onload=\"x", "quotes"},
        {"https://tiles.example.org/{z}/{x}/{y}.png <b>", "spaces"},
        {"https://user@tiles.example.org/{z}/{x}/{y}.png", "host name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_true(config_set(&c, "map.tiles", bad[i].tiles, err, sizeof err));
        err[0] = '\0';
        if (config_validate(&c, err, sizeof err))
            fail_msg("map.tiles \"%s\" was accepted", bad[i].tiles);
        assert_contains(err, "map.tiles");
        assert_contains(err, bad[i].why);
    }
    assert_true(config_set(&c, "map.tiles", "", err, sizeof err));
    assert_true(config_set(&c, "map.attribution", "", err, sizeof err));
    assert_true(config_validate(&c, err, sizeof err)); /* off again */
}

/* ---- validate and listen address ---- */

static void test_validate(void **state)
{
    (void)state;
    config c;
    char err[256];
    config_defaults(&c);
    assert_true(config_set(&c, "server.listen", "localhost", err, sizeof err));
    assert_false(config_validate(&c, err, sizeof err));
    assert_contains(err, "server.listen");
    assert_contains(err, "localhost");

    config_defaults(&c);
    c.db_path[0] = '\0';
    assert_false(config_validate(&c, err, sizeof err));
    assert_contains(err, "server.db_path");

    config_defaults(&c);
    assert_true(config_set(&c, "site.quick_exit_url", "javascript:alert(1)", err, sizeof err));
    assert_false(config_validate(&c, err, sizeof err));
    assert_contains(err, "site.quick_exit_url");
    assert_true(config_set(&c, "site.quick_exit_url", "http://example.org/", err, sizeof err));
    assert_true(config_validate(&c, err, sizeof err));
    assert_true(config_set(&c, "site.quick_exit_url", "", err, sizeof err));
    assert_true(config_validate(&c, err, sizeof err)); /* empty: no button */
}

static void test_listen_addr(void **state)
{
    (void)state;
    config c;
    config_defaults(&c);
    char host[64];
    unsigned port = 0;
    assert_true(config_listen_addr(&c, host, sizeof host, &port));
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);

    static const struct {
        const char *listen;
        bool ok;
        const char *host;
        unsigned port;
    } cases[] = {
        {"0.0.0.0:80", true, "0.0.0.0", 80},
        {"10.1.2.3:65535", true, "10.1.2.3", 65535},
        {"h:1", true, "h", 1},
        {":80", false, NULL, 0},
        {"127.0.0.1", false, NULL, 0},
        {"127.0.0.1:", false, NULL, 0},
        {"127.0.0.1:0", false, NULL, 0},
        {"127.0.0.1:65536", false, NULL, 0},
        {"127.0.0.1:-1", false, NULL, 0},
        {"127.0.0.1:80x", false, NULL, 0},
        {"", false, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(c.listen, sizeof c.listen, "%s", cases[i].listen);
        port = 0;
        bool ok = config_listen_addr(&c, host, sizeof host, &port);
        if (ok != cases[i].ok)
            fail_msg("listen \"%s\": expected %d", cases[i].listen, cases[i].ok);
        if (ok) {
            assert_string_equal(host, cases[i].host);
            assert_int_equal(port, cases[i].port);
        }
    }
    /* a host that does not fit in the caller's buffer */
    snprintf(c.listen, sizeof c.listen, "127.0.0.1:80");
    char tiny[9];
    assert_false(config_listen_addr(&c, tiny, sizeof tiny, &port));
    char exact[10];
    assert_true(config_listen_addr(&c, exact, sizeof exact, &port));
    assert_string_equal(exact, "127.0.0.1");
}

static void test_print_help(void **state)
{
    (void)state;
    char path[64];
    write_ini(path, sizeof path, "");
    FILE *f = fopen(path, "w+");
    assert_non_null(f);
    config_print_help(f);
    fflush(f);
    long n = ftell(f);
    assert_true(n > 0);
    char *text = calloc(1, (size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(path);
    assert_contains(text, "[site]");
    assert_contains(text, "[server]");
    assert_contains(text, "[limits]");
    assert_contains(text, "site_name");
    assert_contains(text, "max_conns_per_client");
    assert_contains(text, "\"#1d4f91\"");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_set_dotted),
        cmocka_unit_test(test_set_flag_style),
        cmocka_unit_test(test_set_bool_forms),
        cmocka_unit_test(test_set_bad_colour),
        cmocka_unit_test(test_set_number_range),
        cmocka_unit_test(test_set_unknown),
        cmocka_unit_test(test_set_too_long),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_unknown_key_line),
        cmocka_unit_test(test_load_bad_value_line),
        cmocka_unit_test(test_load_bad_line),
        cmocka_unit_test(test_load_key_outside_section),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_long_value),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_tiles_origin),
        cmocka_unit_test(test_validate_map),
        cmocka_unit_test(test_listen_addr),
        cmocka_unit_test(test_print_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
