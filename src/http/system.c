/* system: health, static files, robots.txt. */
#include "http/system.h"
#include "db/db.h"
#include "http/assets.h"
#include "http/server.h"

#include <string.h>

static const char SQL_PING[] = "SELECT 1";

void system_healthz(request *rq, response *rs)
{
    (void)rq;
    sqlite3 *db = db_thread();
    sqlite3_stmt *st = db ? db_stmt(db, SQL_PING) : NULL;
    bool ok = st && sqlite3_step(st) == SQLITE_ROW;
    if (st)
        sqlite3_reset(st);
    rs->content_type = "application/json";
    rs->cache_control = "no-store";
    rs->status = ok ? 200 : 503;
    buf_puts(&rs->body, ok ? "{\"status\":\"ok\",\"database\":\"ok\"}\n"
                           : "{\"status\":\"error\",\"database\":\"not answering\"}\n");
}

void system_static(request *rq, response *rs)
{
    bool immutable = false;
    const asset *a = assets_find(rq->path, &immutable);
    if (!a) {
        resp_error(rq, rs, 404, T(rq, "There is no file at this address."));
        return;
    }
    rs->asset = a;
    rs->cache_control = immutable ? "immutable" : NULL;
}

void system_robots(request *rq, response *rs)
{
    (void)rq;
    rs->content_type = "text/plain; charset=utf-8";
    rs->cache_control = "public, max-age=86400";
    buf_puts(&rs->body, "User-agent: *\nDisallow: /search\nDisallow: /api/\n");
}
