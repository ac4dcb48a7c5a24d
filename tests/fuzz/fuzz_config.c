/* fuzz_config: libFuzzer harness for the settings reader (src/core/config.c):
 * the INI file reader (config_load_file, through libinih) and the flag
 * setter and checks (config_set, config_validate).
 *
 * The input is used twice, on fresh defaults each time:
 *  1. written to a temp file (fuzz_tmp.h) and read with config_load_file, then checked
 *     with config_validate;
 *  2. split into lines, each "NAME VALUE" (split at the first space or tab,
 *     as `--NAME VALUE` arrives from the command line) given to config_set,
 *     then config_validate.
 * Checks: nothing crashes; every refusal writes a non-empty message that
 * ends inside the error buffer; the config always holds terminated strings
 * within their fields, colours that look like #rrggbb, numbers within their
 * keys' ranges; a config that validates has a listen address that splits
 * into host and port, and a tile template (when set) with a safe origin. */
#include "core/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_tmp.h"

/* A name picked once; the file is written and removed for every input (so
 * nothing is left behind however libFuzzer ends). */
static char path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof(path), "%s/wp-fuzz-config.XXXXXX", fuzz_tmp_dir());
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    unlink(path);
    return 0;
}

/* A refusal's message: at least one character, terminated inside err. */
static void check_err(const char *err, size_t errlen)
{
    if (!memchr(err, '\0', errlen) || !err[0])
        abort();
}

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static bool color_ok(const char *v)
{
    if (strlen(v) != 7 || v[0] != '#')
        return false;
    for (int i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", v[i]))
            return false;
    return true;
}

/* Whatever was accepted or refused, the struct stays well formed. */
static void check_config(const config *c)
{
    if (!TERMINATED(c->site_name) || !TERMINATED(c->tagline) || !TERMINATED(c->welcome) ||
        !TERMINATED(c->org_name) || !TERMINATED(c->org_url) || !TERMINATED(c->contact_email) ||
        !TERMINATED(c->contact_phone) || !TERMINATED(c->logo) || !TERMINATED(c->color_primary) ||
        !TERMINATED(c->color_accent) || !TERMINATED(c->quick_exit_url) || !TERMINATED(c->emergency_number) ||
        !TERMINATED(c->timezone) || !TERMINATED(c->listen) || !TERMINATED(c->db_path) ||
        !TERMINATED(c->content_dir) || !TERMINATED(c->templates_dir) || !TERMINATED(c->static_dir) ||
        !TERMINATED(c->theme_dir) || !TERMINATED(c->data_dir) || !TERMINATED(c->tiles) ||
        !TERMINATED(c->attribution) || !TERMINATED(c->leaflet_dir))
        abort();
    if (!color_ok(c->color_primary) || !color_ok(c->color_accent))
        abort();
    if (c->threads < 0 || c->threads > 256 || c->max_header_bytes < 1024 || c->max_header_bytes > 1048576 ||
        c->max_uri_bytes < 256 || c->max_uri_bytes > 1048576 || c->max_body_bytes < 1024 ||
        c->max_body_bytes > 67108864 || c->timeout_seconds < 1 || c->timeout_seconds > 3600 ||
        c->max_connections < 16 || c->max_connections > 100000 || c->max_conns_per_client < 1 ||
        c->max_conns_per_client > 100000 || c->max_zoom < 1 || c->max_zoom > 22)
        abort();
}

/* A config that validates is one the server can start with. */
static void check_valid(const config *c)
{
    char host[64];
    unsigned port = 0;
    if (!config_listen_addr(c, host, sizeof(host), &port) || port < 1 || port > 65535)
        abort();
    if (c->tiles[0]) {
        char origin[300];
        if (!config_tiles_origin(c->tiles, origin, sizeof(origin)))
            abort();
        /* it goes into the CSP header: no blanks, quotes, semicolons or commas */
        for (const char *p = origin; *p; p++)
            if ((unsigned char)*p <= ' ' || strchr("\"';,\\", *p) || (unsigned char)*p >= 0x7f)
                abort();
        if (strncmp(origin, "http://", 7) && strncmp(origin, "https://", 8))
            abort();
    }
}

static void validate(const config *c)
{
    char err[256];
    memset(err, 'x', sizeof(err));
    if (config_validate(c, err, sizeof(err)))
        check_valid(c);
    else
        check_err(err, sizeof(err));
}

static void from_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    config c;
    config_defaults(&c);
    char err[512];
    memset(err, 'x', sizeof(err));
    bool ok = config_load_file(&c, path, err, sizeof(err));
    unlink(path);
    check_config(&c);
    if (!ok) {
        check_err(err, sizeof(err));
        /* the message names the file it was about */
        if (!strstr(err, path))
            abort();
        return;
    }
    validate(&c);
}

static void from_flags(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    config c;
    config_defaults(&c);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *value = line + strcspn(line, " \t");
        if (*value)
            *value++ = '\0';
        char err[256];
        memset(err, 'x', sizeof(err));
        if (!config_set(&c, line, value, err, sizeof(err)))
            check_err(err, sizeof(err));
        check_config(&c);
    }
    validate(&c);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    from_file(data, size);
    from_flags(data, size);
    return 0;
}
