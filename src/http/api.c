/* api: JSON bodies and JSON errors. */
#include "http/api.h"

#include <stdlib.h>

void api_send(response *rs, int status, json_t *root)
{
    char *s = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(root);
    rs->status = status;
    rs->content_type = "application/json";
    buf_reset(&rs->body);
    if (!s) { /* out of memory, or root was NULL: never an empty answer with status */
        rs->status = 500;
        rs->cache_control = "no-store";
        buf_puts(&rs->body, "{\"error\":{\"status\":500,\"title\":\"Internal Server Error\","
                            "\"message\":\"The answer could not be written.\"}}\n");
        return;
    }
    buf_puts(&rs->body, s);
    buf_putc(&rs->body, '\n');
    free(s);
}

void api_error(response *rs, int status, const char *message, json_t *extra)
{
    json_t *err = json_object();
    json_object_set_new(err, "status", json_integer(status));
    json_object_set_new(err, "title", json_string(http_status_text(status)));
    json_object_set_new(err, "message", json_string(message));
    if (extra) {
        json_object_update(err, extra);
        json_decref(extra);
    }
    json_t *root = json_object();
    json_object_set_new(root, "error", err);
    rs->cache_control = "no-store";
    api_send(rs, status, root);
}

int api_lang(const request *rq, response *rs)
{
    const char *code = req_str(rq, "lang");
    int lang = -1;
    if (code && *code)
        lang = i18n_find(code);
    else if (i18n_count() > 1)
        lang = i18n_accept(req_header(rq, "Accept-Language"));
    if (lang < 0)
        lang = I18N_SOURCE;
    resp_header(rs, "Content-Language", i18n_code(lang));
    resp_header(rs, "Vary", "Accept-Language");
    return lang;
}
