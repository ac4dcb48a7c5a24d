/* fuzz_checkin: libFuzzer harness for the check-in API's JSON reader
 * (checkin_parse_json in src/checkin/checkin.c) and the checks after it.
 *
 * The input is the request body. When the reader accepts it, every string
 * it hands back must be valid to read (copied into the arena) and seconds
 * within the clamp; then the request is validated against a site with SMS
 * and email configured, and the phone and email checks run on each field.
 * Nothing may crash or leak. */
#include "checkin/checkin.h"
#include "core/arena.h"
#include "core/config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static config cfg;
    static int ready;
    if (!ready) {
        config_defaults(&cfg);
        snprintf(cfg.sms_url, sizeof(cfg.sms_url), "http://127.0.0.1:1/sms");
        snprintf(cfg.smtp_url, sizeof(cfg.smtp_url), "smtp://127.0.0.1:1");
        ready = 1;
    }
    arena a;
    arena_init(&a);
    checkin_req r;
    ck_problem p;
    if (checkin_parse_json((const char *)data, size, &r, &a, &p)) {
        if (r.seconds < -1 || r.seconds > 1000000)
            abort();
        const char *fields[] = {r.where, r.name, r.sms, r.email, r.own_sms, r.own_email};
        for (int i = 0; i < 6; i++)
            if (fields[i] && strlen(fields[i]) > 1000)
                abort();
        if (!checkin_validate(&cfg, &r, &p) && (!p.field || !p.message))
            abort();
        (void)checkin_valid_phone(r.sms);
        (void)checkin_valid_email(r.email);
    } else if (!p.field || !p.message) {
        abort();
    }
    arena_free(&a);
    return 0;
}
