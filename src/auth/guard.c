/* guard: who may use a staff route. See guard.h. */
#include "auth/guard.h"
#include "auth/roles.h"

const staff_who *staff_who_of(const request *rq)
{
    return rq->who;
}

bool auth_guard(request *rq, response *rs)
{
    resp_error(rq, rs, 403, "Staff sign-in is not ready yet.");
    return false;
}
