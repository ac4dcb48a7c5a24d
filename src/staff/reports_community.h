/* reports_community: the community drug reports in the staff report queue
 * (/staff/reports), private to the staff feature's report pages.
 *
 * On the queue page community reports are grouped by substance (what it
 * was sold as, else what it seemed to be, compared without case) and area,
 * each group in the place of its newest report, newest reports first
 * within it; listing reports stay one by one. A moderator marks a report
 * reviewed or dismissed (POST /staff/reports/decide, as a listing report).
 *
 * POST /staff/reports/alert (editors and up; csrf, report repeated): "make
 * an alert" from the ticked reports of a group. In one transaction each is
 * set to 'alerted' with its audit row ("report.alert", before and after
 * {"status"}; one already alerted changes and logs nothing), then 303 to
 * /staff/alerts/new with the alert form's fields as query parameters (the
 * prefill interface of src/alerts/alerts_staff.c): headline, sold_as,
 * substances (what it seemed to be), appearance, effects, description,
 * area, zips, seen_on (the latest day of use), source=community-report and
 * from=report:12,report:15 (written in the alert's audit row when saved).
 * Nothing about the alert is saved until the editor saves the form.
 *
 * The area names and the effect labels belong to the community feature,
 * which staff may not include: app.c hands them in (reports_set_community). */
#ifndef WP_REPORTS_COMMUNITY_H
#define WP_REPORTS_COMMUNITY_H

#include "http/http.h"
#include "staff/reports_store.h"

#include <jansson.h>
#include <stddef.h>

#define REPORTS_ALERT_MAX 30 /* reports one alert may be made from */

typedef struct reports_community_fns {
    const char *(*area_label)(const char *key);                       /* the name to show */
    size_t (*area_zips)(const char *key, const char **zips, size_t max); /* the ZIPs an area covers */
    const char *(*effect_label)(const char *slug);
} reports_community_fns;

/* Called once at start (app.c); copies f. Without it keys and slugs are
 * shown as they are stored. */
void reports_set_community(const reports_community_fns *f);

/* Adds community item it (already in o, the item's JSON, stolen) to its
 * group in groups (key -> group, borrowed), appending a new group to
 * entries as {"group": ...}. */
void reports_community_add(json_t *entries, json_t *groups, json_t *o, const report_item *it);

void staff_reports_alert(request *rq, response *rs);

/* The query string (without '?') of the alert form filled from n reports;
 * caps each field so the whole stays under max bytes. Exposed for tests. */
char *reports_alert_query(const report_item *items, size_t n, size_t max);

#endif
