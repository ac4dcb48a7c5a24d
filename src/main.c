/* main: the waypost command line. The table below lists every command (as
 * routes.c lists every URL); each command's code lives beside its module.
 * main reads the settings (--config FILE first, then --SECTION-KEY VALUE
 * flags over it), picks the command and runs it. Errors are one plain
 * sentence on stderr and a non-zero exit. */
#include "app.h"
#include "community/spikes_cmd.h"
#include "core/cli.h"
#include "core/config.h"
#include "core/json_alloc.h"
#include "core/util.h"
#include "hsds/hsds_cmd.h"
#include "staff/audit_cmd.h"
#include "staff/staff_cmd.h"
#include "stats/stats_cmd.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#ifndef WAYPOST_VERSION
#define WAYPOST_VERSION "0.1.0"
#endif

static int cmd_version(const config *cfg, const cli_args *a);
static int cmd_help(const config *cfg, const cli_args *a);

static const command commands[] = {
    {"serve", NULL, "", 0, 0, "", "migrate the database, load content and templates, and serve", app_serve},
    {"migrate", NULL, "", 0, 0, "", "bring the database schema up to date (safe to repeat)", app_migrate},
    {"import", "stats", "FILE", 1, 0, "", "load a newer CDC statistics file (VSRR or NCHS CSV)", stats_cmd_import},
    {"import", "hsds", "PATH...", 1, CLI_MAX_ARGS - 1, "",
     "load HSDS 3.0 services (JSON, NDJSON, .gz) or a taxonomy file; several files: one transaction each",
     hsds_cmd_import},
    {"import", "findtreatment", "FILE.json", 1, 0, "", "load a FindTreatment.gov locator export",
     hsds_cmd_import_findtreatment},
    {"import", "csv", "FILE --columns name=Name,address=Street,... [--source NAME]", 1, 0, "columns,source?",
     "load a simple spreadsheet (rows without lat/lon go to their ZIP's or town's centre)", app_import_csv},
    {"export", "hsds", "DIR", 1, 0, "", "write the directory as an HSDS 3.0 datapackage (CSV + NDJSON)",
     hsds_cmd_export},
    {"user", "add", "EMAIL --role ROLE [--name NAME] [--password-stdin]", 1, 0, "role,name?,password-stdin!",
     "add a staff account (admin, editor or moderator); prints a setup link unless --password-stdin",
     staff_cmd_user_add},
    {"user", "list", "", 0, 0, "", "list staff accounts", staff_cmd_user_list},
    {"user", "disable", "EMAIL", 1, 0, "", "disable a staff account and end its sessions", staff_cmd_user_disable},
    {"user", "enable", "EMAIL", 1, 0, "", "enable a disabled staff account", staff_cmd_user_enable},
    {"user", "role", "EMAIL ROLE", 2, 0, "", "change a staff account's role (ends its sessions)", staff_cmd_user_role},
    {"user", "reset", "EMAIL", 1, 0, "", "new setup link for an account; ends its sessions and password",
     staff_cmd_user_reset},
    {"user", "two-factor-off", "EMAIL", 1, 0, "", "turn off an account's two-factor sign-in (a lost phone)",
     staff_cmd_user_totp_off},
    {"token", "add", "NAME --role ROLE", 1, 0, "role", "make a staff API token (printed once)", staff_cmd_token_add},
    {"token", "list", "", 0, 0, "", "list staff API tokens", staff_cmd_token_list},
    {"token", "revoke", "NAME", 1, 0, "", "revoke a staff API token", staff_cmd_token_revoke},
    {"audit", "verify", "", 0, 0, "", "check the staff audit log's hash chain and name the first broken row",
     audit_cmd_verify},
    {"alert", "import", "FILE.json", 1, 0, "", "load local drug alerts (a JSON list; all are checked before any is saved)",
     app_alert_import},
    {"alert", "export", "", 0, 0, "", "print every local drug alert as JSON (drafts too)", app_alert_export},
    {"import", "events", "FILE.csv", 1, 0, "", "load daily counts for the spike detector (header date,area,kind,count)",
     spikes_cmd_import},
    {"spikes", NULL, "[--date YYYY-MM-DD] [--json]", 0, 0, "date?,json!",
     "run the spike detector for a day (default yesterday), store and print its flags", spikes_cmd_run},
    {"seed", NULL, "[--examples]", 0, 0, "examples!",
     "load the bundled directory and statistics (safe to repeat); --examples adds the made-up EXAMPLE listings",
     app_seed},
    {"version", NULL, "", 0, 0, "", "print the version", cmd_version},
    {"help", NULL, "[config]", 0, 1, "", "this text; `waypost help config` lists every setting", cmd_help},
};
#define NCOMMANDS ((int)(sizeof(commands) / sizeof(commands[0])))

static void usage(FILE *out)
{
    fprintf(out, "Waypost %s: a harm reduction and recovery hub.\n\nUsage: waypost COMMAND [options]\n\nCommands:\n",
            WAYPOST_VERSION);
    for (int i = 0; i < NCOMMANDS; i++) {
        const command *c = &commands[i];
        char words[128];
        snprintf(words, sizeof(words), "%s%s%s%s%s", c->name, c->sub ? " " : "", c->sub ? c->sub : "",
                 c->args[0] && c->sub ? " " : "", c->sub ? c->args : "");
        fprintf(out, "  %-18s %s\n", words, c->help);
    }
    fprintf(out, "\nOptions:\n"
                 "  --config FILE        read settings from an INI file\n"
                 "  --listen ADDR:PORT   where to listen (default 127.0.0.1:8080)\n"
                 "  --db PATH            the SQLite database (default var/waypost.db)\n"
                 "  --dev                reload templates and content when they change\n"
                 "  --SECTION-KEY VALUE  any setting, e.g. --site-site_name \"Harbor Health\"\n");
}

static int cmd_version(const config *cfg, const cli_args *a)
{
    (void)cfg;
    (void)a;
    printf("waypost %s (SQLite %s)\n", WAYPOST_VERSION, sqlite3_libversion());
    return 0;
}

static int cmd_help(const config *cfg, const cli_args *a)
{
    (void)cfg;
    if (a->npos > 0 && !strcmp(a->pos[0], "config"))
        config_print_help(stdout);
    else
        usage(stdout);
    return 0;
}

/* The command argv names: its word, and its second word when it has one.
 * NULL when there is none; *known_word says whether the first word exists. */
static const command *find_command(int argc, char **argv, bool *known_word)
{
    *known_word = false;
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, argv[1]))
            continue;
        *known_word = true;
        if (!commands[i].sub || (argc > 2 && !strcmp(commands[i].sub, argv[2])))
            return &commands[i];
    }
    return NULL;
}

/* What kind of option --name is for command c: 0 not one of its own, 'r'
 * required with a value, '?' optional with a value, '!' a flag without a
 * value (c->opts: "role,name?,password-stdin!"). */
static int own_option(const command *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = c->opts; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int kind = len && (p[len - 1] == '?' || p[len - 1] == '!') ? p[len - 1] : 'r';
        size_t word = kind == 'r' ? len : len - 1;
        if (word == n && !strncmp(p, name, n))
            return kind;
        p += len + (end ? 1 : 0);
    }
    return 0;
}

/* Splits argv after the command's words into positional arguments, the
 * command's own options and settings (applied to cfg: --config first, so
 * flags win over the file). */
static bool parse_args(const command *c, int argc, char **argv, config *cfg, cli_args *a, char *err, size_t errlen)
{
    int first = c->sub ? 3 : 2;
    for (int i = first; i < argc; i++) {
        if (strcmp(argv[i], "--config"))
            continue;
        if (i + 1 >= argc) {
            snprintf(err, errlen, "--config needs a file name");
            return false;
        }
        if (!config_load_file(cfg, argv[++i], err, errlen))
            return false;
    }
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (!str_has_prefix(arg, "--")) {
            if (a->npos >= CLI_MAX_ARGS) {
                snprintf(err, errlen, "too many arguments (at most %d)", CLI_MAX_ARGS);
                return false;
            }
            if (a->npos >= c->nargs + c->optargs) {
                snprintf(err, errlen, "unexpected argument \"%s\" (see `waypost help`)", arg);
                return false;
            }
            a->pos[a->npos++] = arg;
            continue;
        }
        if (!strcmp(arg, "--dev")) {
            cfg->dev = true;
            continue;
        }
        int kind = own_option(c, arg + 2);
        if (kind == '!' && a->nopts < CLI_MAX_OPTS) {
            a->opt_name[a->nopts] = arg + 2;
            a->opt_value[a->nopts++] = "";
            continue;
        }
        if (i + 1 >= argc) {
            snprintf(err, errlen, "%s needs a value", arg);
            return false;
        }
        const char *v = argv[++i];
        if (!strcmp(arg, "--config"))
            continue;
        if (kind && a->nopts < CLI_MAX_OPTS) {
            a->opt_name[a->nopts] = arg + 2;
            a->opt_value[a->nopts++] = v;
            continue;
        }
        const char *name = !strcmp(arg, "--listen") ? "server.listen" : !strcmp(arg, "--db") ? "server.db_path" : arg + 2;
        if (!config_set(cfg, name, v, err, errlen))
            return false;
    }
    return config_validate(cfg, err, errlen);
}

/* True when every required option of c (those without ? or !) was given. */
static bool has_required(const command *c, const cli_args *a)
{
    for (const char *p = c->opts; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool required = len && p[len - 1] != '?' && p[len - 1] != '!';
        bool given = false;
        for (int i = 0; required && i < a->nopts; i++)
            given = given || (strlen(a->opt_name[i]) == len && !strncmp(a->opt_name[i], p, len));
        if (required && !given)
            return false;
        p += len + (end ? 1 : 0);
    }
    return true;
}

/* Usage of one command, for a call that misses its arguments. */
static int misused(const command *c)
{
    fprintf(stderr, "waypost: usage: waypost %s%s%s %s [--db PATH]\n", c->name, c->sub ? " " : "",
            c->sub ? c->sub : "", c->args);
    return 2;
}

static int unknown(int argc, char **argv, bool known_word)
{
    if (known_word) {
        if (argc > 2)
            fprintf(stderr, "waypost: unknown %s kind \"%s\" (known:", argv[1], argv[2]);
        else
            fprintf(stderr, "waypost: usage: waypost %s KIND ... (kinds:", argv[1]);
        for (int i = 0; i < NCOMMANDS; i++)
            if (!strcmp(commands[i].name, argv[1]))
                fprintf(stderr, " %s", commands[i].sub);
        fprintf(stderr, ")\n");
        return 2;
    }
    fprintf(stderr, "waypost: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        argv[1] = "help";
    if (!strcmp(argv[1], "--version"))
        argv[1] = "version";
    bool known_word;
    const command *c = find_command(argc, argv, &known_word);
    if (!c)
        return unknown(argc, argv, known_word);
    /* jansson's per-thread cache (before any jansson call): for the
     * server's request threads, and for the imports, whose reader thread
     * parses and frees every record (its CPU, 6-12% less) */
    if (!strcmp(c->name, "serve") || !strcmp(c->name, "import"))
        json_alloc_use();
    if (sodium_init() < 0)
        return cli_fail("libsodium could not start");
    /* nothing reads SQLite's memory statistics, and keeping them takes a
     * lock on every one of its allocations (before its first use only) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    static config cfg;
    config_defaults(&cfg);
    cli_args a = {0};
    char err[1024];
    if (!parse_args(c, argc, argv, &cfg, &a, err, sizeof(err)))
        return cli_fail(err);
    if (a.npos < c->nargs || !has_required(c, &a))
        return misused(c);
    return c->fn(&cfg, &a);
}
