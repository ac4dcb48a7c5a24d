/* reports_pages: the report queue (/staff/reports), for moderators and up.
 *
 * GET /staff/reports: the public's "report a problem" notes and community
 * drug reports, newest first,
 * 50 a page, filtered by status (open = new and being edited, new,
 * editing, resolved, dismissed) and kind, each with its listing beside it
 * (name, organization, address, phones, source, a link to the public page
 * /services/ID and to the staff page /staff/listings/ID), or a line saying
 * the listing is no longer in the directory.
 * POST /staff/reports/decide (report, source, action resolve|review|dismiss|reopen
 * (resolve for listing reports, review for community ones),
 * csrf; the filter to return to): sets the status in one transaction with
 * its audit row ("report.resolve", "report.dismiss", "report.reopen";
 * before and after {"status"}), then 303 back to the queue with a notice.
 * Deciding what is already so changes and logs nothing.
 * POST /staff/reports/edit (report, source, csrf; editors and up): "turn
 * into an edit": marks the report as being edited ("report.edit" in the
 * audit log) and sends the editor to /staff/listings/ID?report=N, the
 * listing's edit page, which may resolve it when saved.
 * Community drug reports (issue 14) are in the same queue, grouped by
 * substance and area, with review, dismiss, reopen and "make an alert"
 * (reports_community.h: POST /staff/reports/alert).
 * The roles are the rows of routes.c; the SQL is reports_store.c. */
#ifndef WP_REPORTS_PAGES_H
#define WP_REPORTS_PAGES_H

#include "http/http.h"

void staff_reports(request *rq, response *rs);
void staff_reports_decide(request *rq, response *rs);
void staff_reports_edit(request *rq, response *rs);

#endif
