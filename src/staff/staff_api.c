/* staff_api: POST and DELETE of services for automation. See staff_api.h. */
#include "staff/staff_api.h"
#include "core/util.h"
#include "db/db.h"
#include "http/api.h"
#include "staff/listings.h"
#include "staff/listings_store.h"

#include <stdio.h>
#include <string.h>

/* A refusal: the audit row, then the JSON error (extra stolen). */
static void refuse(request *rq, response *rs, int status, const char *target, const char *message, json_t *extra)
{
    json_t *detail = json_pack("{s:i,s:s}", "status", status, "message", message);
    if (extra)
        json_object_update(detail, extra);
    if (!listings_audit_refusal(db_thread(), staff_who_of(rq), "api.refused", target, detail)) {
        json_decref(detail);
        json_decref(extra);
        api_error(rs, 500, T(rq, "The request could not be recorded in the audit log."), NULL);
        return;
    }
    json_decref(detail);
    api_error(rs, status, message, extra);
}

static bool is_json_type(const char *ct)
{
    return !ct || str_has_prefix(ct, "application/json") || str_has_prefix(ct, "application/hsds+json");
}

/* The stored document of id (NULL when none or unreadable). */
static json_t *stored(request *rq, const char *id)
{
    const char *raw = NULL;
    if (listings_store_doc(db_thread(), &rq->a, id, &raw) != 1)
        return NULL;
    return json_loads(raw, 0, NULL);
}

static void answer_saved(request *rq, response *rs, json_t *doc, enum hsds_upsert result)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (result == HSDS_ADDED) {
        char loc[320];
        snprintf(loc, sizeof(loc), "/api/v1/services/%s", id);
        resp_header(rs, "Location", arena_strdup(&rq->a, loc));
    }
    api_send(rs, result == HSDS_ADDED ? 201 : 200, json_incref(doc));
}

void staff_api_post_service(request *rq, response *rs)
{
    if (!is_json_type(req_header(rq, "Content-Type"))) {
        refuse(rq, rs, 415, "", T(rq, "Send the service as application/json."), NULL);
        return;
    }
    json_error_t je;
    json_t *doc = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        char msg[256];
        snprintf(msg, sizeof(msg), "The body is not JSON (line %d, column %d: %s).", je.line, je.column, je.text);
        refuse(rq, rs, 400, "", msg, NULL);
        return;
    }
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (!json_is_object(doc) || !id) {
        refuse(rq, rs, 422, "", json_is_object(doc) ? T(rq, "A service needs an id.") : T(rq, "The body must be one HSDS service."),
               json_pack("{s:s}", "field", json_is_object(doc) ? "id" : "(document)"));
        json_decref(doc);
        return;
    }
    json_t *old = stored(rq, id);
    enum hsds_upsert result;
    char field[256], what[256];
    enum listings_outcome out = listings_save(db_thread(), staff_who_of(rq), old ? "listing.save" : "listing.create",
                                              doc, old, &result, field, sizeof(field), what, sizeof(what));
    if (out == LISTINGS_SAVED) {
        answer_saved(rq, rs, doc, result);
    } else if (out == LISTINGS_REFUSED) {
        char msg[600];
        snprintf(msg, sizeof(msg), "%s: %s", field, what);
        refuse(rq, rs, 422, id, msg, json_pack("{s:s}", "field", field));
    } else {
        api_error(rs, 500, what, NULL);
    }
    json_decref(old);
    json_decref(doc);
}

void staff_api_delete_service(request *rq, response *rs)
{
    const char *id = req_param(rq, "id");
    int r = listings_delete(db_thread(), staff_who_of(rq), "listing.delete", id);
    if (r == 1) {
        rs->status = 204;
        rs->content_type = "application/json";
    } else if (r == 0) {
        refuse(rq, rs, 404, id, T(rq, "There is no service with this id."), NULL);
    } else {
        api_error(rs, 500, T(rq, "The service could not be removed (or the change could not be recorded)."), NULL);
    }
}
