/* routes: the route table, every URL Waypost answers, in one place (as
 * cgit's cmd.c). First match wins, so specific routes come before the
 * content catch-all at the end. Each row: methods, pattern, handler, flags,
 * the query/form keys the handler reads (others are dropped), the largest
 * body accepted, and a name for logs and metrics. */
#include "pages/pages.h"
#include "routes.h"
#include "locator/locator_api.h"
#include "locator/locator_pages.h"
#include "http/system.h"
#include "recovery/pathways.h"
#include "recovery/selfcheck_pages.h"
#include "stats/stats_pages.h"
#include "substances/combos_api.h"
#include "substances/combos_pages.h"

const route routes[] = {
    {M_GET, "/", pages_home, RF_NONE, "", 0, "home"},
    {M_GET, "/search", pages_search, RF_NO_CACHE, "q,page", 0, "search"},
    {M_GET, "/combos", combos_page, RF_NONE, "s,substances", 0, "combos"},
    {M_GET, "/api/v1/combos", combos_api_check, RF_API, "substances", 0, "api_combos"},
    {M_GET, "/api/v1/substances", combos_api_substances, RF_API, "", 0, "api_substances"},
    {M_GET, "/recovery", pathways_index, RF_NONE, "type,format,evidence,cost,where,suits,sort,dir", 0, "recovery"},
    {M_GET, "/self-check", selfcheck_index, RF_NONE, "", 0, "selfcheck"},
    {M_GET | M_POST, "/self-check/:slug", selfcheck_form, RF_NO_CACHE, "q1,q2,q3,q4,q5,q6,q7,q8,q9,q10,q11,q12,sex",
     4096, "selfcheck_form"},
    {M_GET, "/data", stats_page, RF_NONE, "", 0, "data"},
    {M_GET, "/data/:name", stats_csv, RF_NONE, "", 0, "data_csv"},
    {M_GET, "/find", locator_find_page, RF_NO_CACHE, "what,where,radius,open,attr,lang,page", 0, "find"},
    {M_GET, "/find/:what", locator_find_page, RF_NO_CACHE, "where,radius,open,attr,lang,page", 0, "find_shortcut"},
    {M_GET, "/services/:id", locator_service_page, RF_NONE, "reported", 0, "service"},
    {M_POST, "/services/:id/report", locator_service_report, RF_NO_CACHE, "kind,note", 4096, "service_report"},
    {M_GET, "/api/v1", api_root, RF_API, "", 0, "api_root"},
    {M_GET, "/api/v1/openapi.json", api_openapi, RF_API, "", 0, "api_openapi"},
    {M_GET, "/api/v1/services", api_services, RF_API,
     "search,page,per_page,format,taxonomy_term_id,taxonomy_id,organization_id,modified_after,minimal,full", 0,
     "api_services"},
    {M_GET, "/api/v1/services/:id", api_service, RF_API, "", 0, "api_service"},
    {M_GET, "/api/v1/organizations", api_organizations, RF_API, "search,full_service,full,page,per_page,format", 0,
     "api_organizations"},
    {M_GET, "/api/v1/organizations/:id", api_organization, RF_API, "full_service", 0, "api_organization"},
    {M_GET, "/api/v1/service_at_locations", api_service_at_locations, RF_API | RF_NO_CACHE,
     "postcode,proximity,lat,lon,taxonomy_term_id,taxonomy_id,organization_id,modified_after,full,open_now,search,"
     "page,per_page,format",
     0,
     "api_service_at_locations"},
    {M_GET, "/api/v1/service_at_locations/:id", api_service_at_location, RF_API, "", 0, "api_service_at_location"},
    {M_GET, "/api/v1/taxonomies", api_taxonomies, RF_API, "search,page,per_page,format", 0, "api_taxonomies"},
    {M_GET, "/api/v1/taxonomies/:id", api_taxonomy, RF_API, "", 0, "api_taxonomy"},
    {M_GET, "/api/v1/taxonomy_terms", api_taxonomy_terms, RF_API,
     "search,page,per_page,format,taxonomy_id,top_only,parent_id", 0, "api_taxonomy_terms"},
    {M_GET, "/api/v1/taxonomy_terms/:id", api_taxonomy_term, RF_API, "", 0, "api_taxonomy_term"},
    {M_GET, "/healthz", system_healthz, RF_API, "", 0, "healthz"},
    {M_GET, "/metrics", system_metrics, RF_NONE, "", 0, "metrics"},
    {M_GET, "/robots.txt", system_robots, RF_NONE, "", 0, "robots"},
    {M_GET, "/static/*", system_static, RF_NONE, "", 0, "static"},
    {M_GET, "/*", pages_content, RF_NONE, "", 0, "page"},
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0]));
