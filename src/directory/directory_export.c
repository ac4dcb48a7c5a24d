/* directory_export: `waypost export hsds DIR`, an HSDS 3.0 datapackage
 * flattened from the services stored whole as raw HSDS JSON. See
 * directory_export.h. */
#include "directory/directory_export.h"
#include "core/util.h"
#include "directory/directory_export_store.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The resources written, as in data/hsds-3.0/datapackage.json (HSDS 3.0.0):
 * names, paths, descriptions and the schemas' fields (name, type, format,
 * constraints), primary and foreign keys; the fields' long descriptions are
 * left out. The CSV headers are these fields, in this order. */
static const char RESOURCES[] =
    "[{\"name\":\"organization\",\"path\":\"organizations.csv\",\"description\":\"The details about each organiz"
    "ation delivering services. Each service should be linked to the organization responsible for its"
    " delivery. One organization may deliver many services.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"p"
    "rofile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"strin"
    "g\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"name\",\"type\":\"string\""
    ",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"alternate_name\",\"type\":\"string\",\"const"
    "raints\":{\"required\":false,\"unique\":false}},{\"name\":\"description\",\"type\":\"string\",\"constraints\":{"
    "\"required\":true,\"unique\":false}},{\"name\":\"email\",\"type\":\"string\",\"format\":\"email\",\"constraints\":"
    "{\"required\":false,\"unique\":false}},{\"name\":\"website\",\"type\":\"string\",\"format\":\"uri\",\"constraints"
    "\":{\"required\":false,\"unique\":false}},{\"name\":\"tax_status\",\"type\":\"string\",\"constraints\":{\"requir"
    "ed\":false,\"unique\":false}},{\"name\":\"tax_id\",\"type\":\"string\",\"constraints\":{\"required\":false,\"uni"
    "que\":false}},{\"name\":\"year_incorporated\",\"type\":\"number\",\"constraints\":{\"required\":false,\"unique"
    "\":false}},{\"name\":\"legal_status\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}"
    "},{\"name\":\"logo\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"uri\","
    "\"type\":\"string\",\"format\":\"uri\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"parent_"
    "organization_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}"
    "}]}},{\"name\":\"service\",\"path\":\"services.csv\",\"description\":\"The details of the services provided"
    " by organizations to a range of different groups.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profil"
    "e\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"f"
    "ormat\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"organization_id\",\"type\":\"s"
    "tring\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"program_id\",\"typ"
    "e\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"name\",\"typ"
    "e\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"alternate_name\",\"type\":\"str"
    "ing\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"description\",\"type\":\"string\",\"con"
    "straints\":{\"required\":false,\"unique\":false}},{\"name\":\"url\",\"type\":\"string\",\"format\":\"uri\",\"const"
    "raints\":{\"required\":false,\"unique\":false}},{\"name\":\"email\",\"type\":\"string\",\"format\":\"email\",\"con"
    "straints\":{\"required\":false,\"unique\":false}},{\"name\":\"status\",\"type\":\"string\",\"constraints\":{\"re"
    "quired\":true,\"unique\":false,\"enum\":[\"active\",\"inactive\",\"defunct\",\"temporarily closed\"]}},{\"name"
    "\":\"interpretation_services\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"n"
    "ame\":\"application_process\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"na"
    "me\":\"fees_description\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":"
    "\"wait_time\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"fees\",\"typ"
    "e\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"accreditations\",\"type\":\"st"
    "ring\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"eligibility_description\",\"type\":"
    "\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"minimum_age\",\"type\":\"number\","
    "\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"maximum_age\",\"type\":\"number\",\"constrai"
    "nts\":{\"required\":false,\"unique\":false}},{\"name\":\"assured_date\",\"type\":\"date\",\"constraints\":{\"req"
    "uired\":false,\"unique\":false}},{\"name\":\"assurer_email\",\"type\":\"string\",\"format\":\"email\",\"constrai"
    "nts\":{\"required\":false,\"unique\":false}},{\"name\":\"licenses\",\"type\":\"string\",\"constraints\":{\"requi"
    "red\":false,\"unique\":false}},{\"name\":\"alert\",\"type\":\"string\",\"constraints\":{\"required\":false,\"uni"
    "que\":false}},{\"name\":\"last_modified\",\"type\":\"datetime\",\"constraints\":{\"required\":false,\"unique\":"
    "false}}],\"foreignKeys\":[{\"fields\":\"organization_id\",\"reference\":{\"resource\":\"organization\",\"fiel"
    "ds\":\"id\"}},{\"fields\":\"program_id\",\"reference\":{\"resource\":\"program\",\"fields\":\"id\"}}]}},{\"name\":\""
    "attribute\",\"path\":\"attributes.csv\",\"description\":\"A link between a service and one or more class"
    "ifications that describe the nature of the service provided.\",\"format\":\"csv\",\"mediatype\":\"text/c"
    "sv\",\"profile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":"
    "\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"link_id\",\"type\""
    ":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"taxonomy_term"
    "_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"li"
    "nk_type\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"link_entity\","
    "\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"value\",\"type\":\"string\","
    "\"constraints\":{\"required\":false,\"unique\":false}}],\"foreignKeys\":[{\"fields\":\"taxonomy_term_id\",\"r"
    "eference\":{\"resource\":\"taxonomy_term\",\"fields\":\"id\"}}]}},{\"name\":\"service_at_location\",\"path\":\"s"
    "ervice_at_location.csv\",\"description\":\"A link between a service and a specific location.\",\"forma"
    "t\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"f"
    "ields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":tru"
    "e}},{\"name\":\"service_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\""
    ":false}},{\"name\":\"location_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"u"
    "nique\":false}},{\"name\":\"description\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":fa"
    "lse}}],\"foreignKeys\":[{\"fields\":\"service_id\",\"reference\":{\"resource\":\"service\",\"fields\":\"id\"}},{"
    "\"fields\":\"location_id\",\"reference\":{\"resource\":\"location\",\"fields\":\"id\"}}]}},{\"name\":\"location\","
    "\"path\":\"locations.csv\",\"description\":\"The locations where organizations operate. Locations may b"
    "e virtual, and one organization may have many locations.\",\"format\":\"csv\",\"mediatype\":\"text/csv\","
    "\"profile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"str"
    "ing\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"location_type\",\"typ"
    "e\":\"string\",\"constraints\":{\"required\":true,\"unique\":false,\"enum\":[\"physical\",\"postal\",\"virtual\"]"
    "}},{\"name\":\"url\",\"type\":\"string\",\"format\":\"uri\",\"constraints\":{\"required\":false,\"unique\":false}}"
    ",{\"name\":\"organization_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"uniq"
    "ue\":false}},{\"name\":\"name\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"na"
    "me\":\"alternate_name\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"d"
    "escription\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"transporta"
    "tion\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"latitude\",\"type\""
    ":\"number\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"longitude\",\"type\":\"number\",\""
    "constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"external_identifier\",\"type\":\"string\",\"c"
    "onstraints\":{\"required\":false,\"unique\":false}},{\"name\":\"external_identifier_type\",\"type\":\"string"
    "\",\"constraints\":{\"required\":false,\"unique\":false}}],\"foreignKeys\":[{\"fields\":\"organization_id\",\""
    "reference\":{\"resource\":\"organization\",\"fields\":\"id\"}}]}},{\"name\":\"phone\",\"path\":\"phones.csv\",\"de"
    "scription\":\"The details of the telephone numbers used to contact organizations, services, and lo"
    "cations.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schema\":{\"pri"
    "maryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":t"
    "rue,\"unique\":true}},{\"name\":\"location_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"requir"
    "ed\":false,\"unique\":false}},{\"name\":\"service_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\""
    "required\":false,\"unique\":false}},{\"name\":\"organization_id\",\"type\":\"string\",\"format\":\"uuid\",\"cons"
    "traints\":{\"required\":false,\"unique\":false}},{\"name\":\"contact_id\",\"type\":\"string\",\"format\":\"uuid\""
    ",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"service_at_location_id\",\"type\":\"strin"
    "g\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"number\",\"type\":\"str"
    "ing\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"extension\",\"type\":\"number\",\"constr"
    "aints\":{\"required\":false,\"unique\":false}},{\"name\":\"type\",\"type\":\"string\",\"constraints\":{\"require"
    "d\":false,\"unique\":false}},{\"name\":\"description\",\"type\":\"string\",\"constraints\":{\"required\":false,"
    "\"unique\":false}}],\"foreignKeys\":[{\"fields\":\"contact_id\",\"reference\":{\"resource\":\"contact\",\"field"
    "s\":\"id\"}},{\"fields\":\"location_id\",\"reference\":{\"resource\":\"location\",\"fields\":\"id\"}},{\"fields\":\""
    "organization_id\",\"reference\":{\"resource\":\"organization\",\"fields\":\"id\"}},{\"fields\":\"service_id\",\""
    "reference\":{\"resource\":\"service\",\"fields\":\"id\"}},{\"fields\":\"service_at_location_id\",\"reference\":"
    "{\"resource\":\"service_at_location\",\"fields\":\"id\"}}]}},{\"name\":\"address\",\"path\":\"addresses.csv\",\"d"
    "escription\":\"The addresses of locations where organizations operate.\",\"format\":\"csv\",\"mediatype\""
    ":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\""
    ",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"locatio"
    "n_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\""
    "attention\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"address_1\","
    "\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"address_2\",\"type\":\"stri"
    "ng\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"city\",\"type\":\"string\",\"constraints"
    "\":{\"required\":true,\"unique\":false}},{\"name\":\"region\",\"type\":\"string\",\"constraints\":{\"required\":f"
    "alse,\"unique\":false}},{\"name\":\"state_province\",\"type\":\"string\",\"constraints\":{\"required\":true,\"u"
    "nique\":false}},{\"name\":\"postal_code\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":fal"
    "se}},{\"name\":\"country\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\""
    "address_type\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false,\"enum\":[\"physical\",\""
    "postal\",\"virtual\"]}}],\"foreignKeys\":[{\"fields\":\"location_id\",\"reference\":{\"resource\":\"location\","
    "\"fields\":\"id\"}}]}},{\"name\":\"schedule\",\"path\":\"schedules.csv\",\"description\":\"The details of when "
    "a service or location is open. Entries are RFC 5545 RRULES.\",\"format\":\"csv\",\"mediatype\":\"text/cs"
    "v\",\"profile\":\"tabular-data-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\""
    "string\",\"format\":\"uuid\",\"constraints\":{\"required\":true,\"unique\":true}},{\"name\":\"service_id\",\"typ"
    "e\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"location_i"
    "d\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"ser"
    "vice_at_location_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":fa"
    "lse}},{\"name\":\"valid_from\",\"type\":\"date\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name"
    "\":\"valid_to\",\"type\":\"date\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"dtstart\",\"t"
    "ype\":\"date\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"timezone\",\"type\":\"number\","
    "\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"until\",\"type\":\"date\",\"constraints\":{\"r"
    "equired\":false,\"unique\":false}},{\"name\":\"count\",\"type\":\"number\",\"constraints\":{\"required\":false,"
    "\"unique\":false}},{\"name\":\"wkst\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false,\""
    "enum\":[\"MO\",\"TU\",\"WE\",\"TH\",\"FR\",\"SA\",\"SU\"]}},{\"name\":\"freq\",\"type\":\"string\",\"constraints\":{\"requ"
    "ired\":false,\"unique\":false,\"enum\":[\"WEEKLY\",\"MONTHLY\"]}},{\"name\":\"interval\",\"type\":\"number\",\"con"
    "straints\":{\"required\":false,\"unique\":false}},{\"name\":\"byday\",\"type\":\"string\",\"constraints\":{\"req"
    "uired\":false,\"unique\":false}},{\"name\":\"byweekno\",\"type\":\"string\",\"constraints\":{\"required\":false"
    ",\"unique\":false}},{\"name\":\"bymonthday\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":"
    "false}},{\"name\":\"byyearday\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"n"
    "ame\":\"description\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"ope"
    "ns_at\",\"type\":\"time\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"closes_at\",\"type\""
    ":\"time\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"schedule_link\",\"type\":\"string\""
    ",\"format\":\"uri\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"attending_type\",\"type\""
    ":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"notes\",\"type\":\"string\",\"cons"
    "traints\":{\"required\":false,\"unique\":false}}],\"foreignKeys\":[{\"fields\":\"location_id\",\"reference\":"
    "{\"resource\":\"location\",\"fields\":\"id\"}},{\"fields\":\"service_id\",\"reference\":{\"resource\":\"service\","
    "\"fields\":\"id\"}},{\"fields\":\"service_at_location_id\",\"reference\":{\"resource\":\"service_at_location\""
    ",\"fields\":\"id\"}}]}},{\"name\":\"language\",\"path\":\"languages.csv\",\"description\":\"The languages that "
    "are spoken at locations or services. This does not include languages which can only be used with"
    " interpretation.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schem"
    "a\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"req"
    "uired\":true,\"unique\":true}},{\"name\":\"service_id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{"
    "\"required\":false,\"unique\":false}},{\"name\":\"location_id\",\"type\":\"string\",\"format\":\"uuid\",\"constra"
    "ints\":{\"required\":false,\"unique\":false}},{\"name\":\"phone_id\",\"type\":\"string\",\"format\":\"uuid\",\"con"
    "straints\":{\"required\":false,\"unique\":false}},{\"name\":\"name\",\"type\":\"string\",\"constraints\":{\"requ"
    "ired\":false,\"unique\":false}},{\"name\":\"code\",\"type\":\"string\",\"constraints\":{\"required\":false,\"uni"
    "que\":false}},{\"name\":\"note\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}}],\"f"
    "oreignKeys\":[{\"fields\":\"location_id\",\"reference\":{\"resource\":\"location\",\"fields\":\"id\"}},{\"fields"
    "\":\"phone_id\",\"reference\":{\"resource\":\"phone\",\"fields\":\"id\"}},{\"fields\":\"service_id\",\"reference\":"
    "{\"resource\":\"service\",\"fields\":\"id\"}}]}},{\"name\":\"taxonomy_term\",\"path\":\"taxonomy_terms.csv\",\"de"
    "scription\":\"Each service can be categorized according to one or more taxonomy terms. The taxonom"
    "y_term object contains a list of taxonomy terms, their names, and, for hierarchical taxonomies, "
    "their structure.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schem"
    "a\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"req"
    "uired\":true,\"unique\":true}},{\"name\":\"code\",\"type\":\"string\",\"constraints\":{\"required\":false,\"uniq"
    "ue\":true}},{\"name\":\"name\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name"
    "\":\"description\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"parent_"
    "id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"ta"
    "xonomy\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"language\",\"typ"
    "e\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"taxonomy_id\",\"type\":\"strin"
    "g\",\"format\":\"uuid\",\"constraints\":{\"required\":false,\"unique\":false}},{\"name\":\"term_uri\",\"type\":\"s"
    "tring\",\"format\":\"uri\",\"constraints\":{\"required\":false,\"unique\":false}}],\"foreignKeys\":[{\"fields\""
    ":\"taxonomy_id\",\"reference\":{\"resource\":\"taxonomy\",\"fields\":\"id\"}}]}},{\"name\":\"metadata\",\"path\":\""
    "metadata.csv\",\"description\":\"A record of the changes that have been made to the data in order to"
    " maintain provenance information.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data"
    "-resource\",\"schema\":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"c"
    "onstraints\":{\"required\":true,\"unique\":true}},{\"name\":\"resource_id\",\"type\":\"string\",\"format\":\"uui"
    "d\",\"constraints\":{\"required\":true,\"unique\":false}},{\"name\":\"resource_type\",\"type\":\"string\",\"cons"
    "traints\":{\"required\":true,\"unique\":false}},{\"name\":\"last_action_date\",\"type\":\"date\",\"constraints"
    "\":{\"required\":true,\"unique\":false}},{\"name\":\"last_action_type\",\"type\":\"string\",\"constraints\":{\"r"
    "equired\":true,\"unique\":false}},{\"name\":\"field_name\",\"type\":\"string\",\"constraints\":{\"required\":tr"
    "ue,\"unique\":false}},{\"name\":\"previous_value\",\"type\":\"string\",\"constraints\":{\"required\":true,\"uni"
    "que\":false}},{\"name\":\"replacement_value\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\""
    ":false}},{\"name\":\"updated_by\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}}]}}"
    ",{\"name\":\"taxonomy\",\"path\":\"taxonomies.csv\",\"description\":\"The taxonomies from which taxonomy te"
    "rms are taken.\",\"format\":\"csv\",\"mediatype\":\"text/csv\",\"profile\":\"tabular-data-resource\",\"schema\""
    ":{\"primaryKey\":\"id\",\"fields\":[{\"name\":\"id\",\"type\":\"string\",\"format\":\"uuid\",\"constraints\":{\"requi"
    "red\":true,\"unique\":true}},{\"name\":\"name\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\""
    ":false}},{\"name\":\"description\",\"type\":\"string\",\"constraints\":{\"required\":true,\"unique\":false}},{"
    "\"name\":\"uri\",\"type\":\"string\",\"format\":\"uri\",\"constraints\":{\"required\":false,\"unique\":false}},{\"n"
    "ame\":\"version\",\"type\":\"string\",\"constraints\":{\"required\":false,\"unique\":false}}]}}]";

enum { T_ORG, T_SERVICE, T_ATTR, T_SAL, T_LOC, T_PHONE, T_ADDR, T_SCHED, T_LANG, T_TERM, T_META, T_TAX, NT };
/* in the order of RESOURCES */
static const char *const TABLE_NAMES[NT] = {"organization", "service",  "attribute",     "service_at_location",
                                            "location",     "phone",    "address",       "schedule",
                                            "language",     "taxonomy_term", "metadata", "taxonomy"};

struct table {
    json_t *fields; /* array of field objects */
    FILE *f;
    json_t *seen; /* ids written */
    long rows;
};

struct exporter {
    const char *dir;
    struct table t[NT];
    FILE *nd;
    json_t *taxonomies_needed; /* taxonomy_id -> taxonomy name, from terms */
    long services;
    bool failed;
    char *err;
    size_t errlen;
};

static bool efail(struct exporter *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool efail(struct exporter *x, const char *fmt, ...)
{
    if (!x->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    x->failed = true;
    return false;
}

static FILE *open_out(struct exporter *x, const char *name)
{
    char path[1024];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", x->dir, name) >= sizeof(path)) {
        efail(x, "the folder name %s is too long", x->dir);
        return NULL;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        efail(x, "cannot write %s: %s", path, strerror(errno));
    return f;
}

/* One CSV field, quoted when it has to be (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '));
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A scalar JSON value as CSV text; lists and objects are not columns. */
static char *scalar_text(json_t *v)
{
    if (!v || json_is_null(v) || json_is_array(v) || json_is_object(v))
        return xstrdup("");
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_true(v))
        return xstrdup("true");
    if (json_is_false(v))
        return xstrdup("false");
    if (json_is_real(v)) {
        /* the shortest text that reads back as the same double */
        char t[40];
        double d = json_real_value(v);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(t, sizeof(t), "%.*g", prec, d);
            if (strtod(t, NULL) == d)
                break;
        }
        return xstrdup(t);
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY);
    return s ? s : xstrdup("");
}

static void write_header(struct table *t)
{
    size_t i;
    json_t *fd;
    json_array_foreach(t->fields, i, fd)
    {
        if (i)
            fputc(',', t->f);
        csv_field(t->f, json_string_value(json_object_get(fd, "name")));
    }
    fputs("\r\n", t->f);
}

/* Writes obj as a row of table k, with the parent ids it leaves out
 * (key, value pairs ending in NULL) filled in. Rows with an id already
 * written are skipped (shared locations, organizations, terms). */
static void row(struct exporter *x, int k, json_t *obj, ...)
{
    struct table *t = &x->t[k];
    if (!json_is_object(obj))
        return;
    const char *id = json_string_value(json_object_get(obj, "id"));
    if (id) {
        if (json_object_get(t->seen, id))
            return;
        json_object_set_new(t->seen, id, json_true());
    }
    json_t *o = json_copy(obj);
    va_list ap;
    va_start(ap, obj);
    const char *key;
    while ((key = va_arg(ap, const char *)) != NULL) {
        const char *val = va_arg(ap, const char *);
        json_t *cur = json_object_get(o, key);
        if (val && (!cur || json_is_null(cur)))
            json_object_set_new(o, key, json_string(val));
    }
    va_end(ap);
    size_t i;
    json_t *fd;
    json_array_foreach(t->fields, i, fd)
    {
        if (i)
            fputc(',', t->f);
        char *s = scalar_text(json_object_get(o, json_string_value(json_object_get(fd, "name"))));
        csv_field(t->f, s);
        free(s);
    }
    fputs("\r\n", t->f);
    t->rows++;
    json_decref(o);
}

static const char *sv(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void each(struct exporter *x, int k, json_t *list, const char *key, const char *val)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) row(x, k, o, key, val, (const char *)NULL);
}

static void attributes(struct exporter *x, json_t *list, const char *link_id, const char *entity)
{
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    {
        json_t *term = json_object_get(a, "taxonomy_term");
        const char *tid = sv(term, "id");
        row(x, T_ATTR, a, "link_id", link_id, "link_entity", entity, "taxonomy_term_id", tid, (const char *)NULL);
        if (json_is_object(term) && sv(term, "taxonomy_id") && sv(term, "taxonomy"))
            json_object_set_new(x->taxonomies_needed, sv(term, "taxonomy_id"), json_string(sv(term, "taxonomy")));
    }
}

static void location(struct exporter *x, json_t *loc)
{
    const char *lid = sv(loc, "id");
    if (!lid || json_object_get(x->t[T_LOC].seen, lid))
        return;
    row(x, T_LOC, loc, (const char *)NULL);
    each(x, T_ADDR, json_object_get(loc, "addresses"), "location_id", lid);
    each(x, T_PHONE, json_object_get(loc, "phones"), "location_id", lid);
    each(x, T_SCHED, json_object_get(loc, "schedules"), "location_id", lid);
    each(x, T_LANG, json_object_get(loc, "languages"), "location_id", lid);
    attributes(x, json_object_get(loc, "attributes"), lid, "location");
}

static bool one_service(void *ctx, const char *raw)
{
    struct exporter *x = ctx;
    json_error_t je;
    json_t *s = json_loads(raw, 0, &je);
    if (!json_is_object(s)) {
        json_decref(s);
        return efail(x, "a stored service is not valid JSON: %s", je.text);
    }
    const char *sid = sv(s, "id");
    fputs(raw, x->nd);
    fputc('\n', x->nd);
    x->services++;
    row(x, T_SERVICE, s, (const char *)NULL);
    json_t *org = json_object_get(s, "organization");
    if (json_is_object(org) && !json_object_get(x->t[T_ORG].seen, sv(org, "id") ? sv(org, "id") : "")) {
        row(x, T_ORG, org, (const char *)NULL);
        each(x, T_PHONE, json_object_get(org, "phones"), "organization_id", sv(org, "id"));
    }
    each(x, T_PHONE, json_object_get(s, "phones"), "service_id", sid);
    each(x, T_SCHED, json_object_get(s, "schedules"), "service_id", sid);
    each(x, T_LANG, json_object_get(s, "languages"), "service_id", sid);
    attributes(x, json_object_get(s, "attributes"), sid, "service");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(s, "metadata"), i, m)
        row(x, T_META, m, "resource_id", sid, "resource_type", "service", (const char *)NULL);
    json_t *sal;
    json_array_foreach(json_object_get(s, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        const char *lid = sv(loc, "id") ? sv(loc, "id") : sv(sal, "location_id");
        const char *salid = sv(sal, "id");
        row(x, T_SAL, sal, "service_id", sid, "location_id", lid, (const char *)NULL);
        each(x, T_PHONE, json_object_get(sal, "phones"), "service_at_location_id", salid);
        each(x, T_SCHED, json_object_get(sal, "schedules"), "service_at_location_id", salid);
        if (json_is_object(loc))
            location(x, loc);
    }
    json_decref(s);
    return !ferror(x->nd) || efail(x, "cannot write services.ndjson");
}

static bool one_raw(struct exporter *x, int k, const char *raw)
{
    json_t *o = json_loads(raw, 0, NULL);
    if (json_is_object(o)) {
        row(x, k, o, (const char *)NULL);
        if (k == T_TERM && sv(o, "taxonomy_id") && sv(o, "taxonomy"))
            json_object_set_new(x->taxonomies_needed, sv(o, "taxonomy_id"), json_string(sv(o, "taxonomy")));
    }
    json_decref(o);
    return true;
}

static bool one_term(void *ctx, const char *raw)
{
    return one_raw(ctx, T_TERM, raw);
}

static bool one_taxonomy(void *ctx, const char *raw)
{
    return one_raw(ctx, T_TAX, raw);
}

static bool write_datapackage(struct exporter *x, json_t *resources)
{
    json_t *dp = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:O}", "name", "human_services_data",
                           "title", "Human Services Data Specification", "description",
                           "Services exported by Waypost (waypost export hsds), in HSDS 3.0.", "profile",
                           "tabular-data-package", "version", "3.0.0", "license", "url",
                           "https://creativecommons.org/licenses/by-sa/4.0/", "type", "CC-BY-SA-4.0", "name",
                           "Creative Commons Attribution-ShareAlike 4.0", "resources", resources);
    char path[1024];
    snprintf(path, sizeof(path), "%s/datapackage.json", x->dir);
    bool ok = dp && json_dump_file(dp, path, JSON_INDENT(2)) == 0;
    json_decref(dp);
    return ok || efail(x, "cannot write %s", path);
}

bool dir_export(sqlite3 *db, const char *dir, long *services, char *err, size_t errlen)
{
    struct exporter x = {.dir = dir, .err = err, .errlen = errlen};
    *services = 0;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the folder %s: %s", dir, strerror(errno));
        return false;
    }
    json_t *resources = json_loads(RESOURCES, 0, NULL);
    if (json_array_size(resources) != NT) {
        json_decref(resources);
        snprintf(err, errlen, "the built-in HSDS resource list is broken");
        return false;
    }
    x.taxonomies_needed = json_object();
    for (int k = 0; k < NT; k++) {
        json_t *r = json_array_get(resources, (size_t)k);
        x.t[k].fields = json_object_get(json_object_get(r, "schema"), "fields");
        x.t[k].seen = json_object();
        if (strcmp(sv(r, "name"), TABLE_NAMES[k]))
            efail(&x, "the built-in HSDS resource list is out of order");
        else if ((x.t[k].f = open_out(&x, sv(r, "path"))) != NULL)
            write_header(&x.t[k]);
    }
    if (!x.failed)
        x.nd = open_out(&x, "services.ndjson");
    bool ok = !x.failed && dir_export_store_services(db, one_service, &x) &&
              dir_export_store_terms(db, one_term, &x) && dir_export_store_taxonomies(db, one_taxonomy, &x);
    if (ok) {
        /* taxonomies that terms name but that were never imported themselves */
        const char *tid;
        json_t *name;
        json_object_foreach(x.taxonomies_needed, tid, name)
        {
            json_t *t = json_pack("{s:s, s:O}", "id", tid, "name", name);
            row(&x, T_TAX, t, (const char *)NULL);
            json_decref(t);
        }
    }
    if (!ok && !x.failed)
        efail(&x, "could not read the directory from the database");
    for (int k = 0; k < NT; k++) {
        if (x.t[k].f && fclose(x.t[k].f) != 0)
            efail(&x, "cannot write %s/%s", dir, sv(json_array_get(resources, (size_t)k), "path"));
        json_decref(x.t[k].seen);
    }
    if (x.nd && fclose(x.nd) != 0)
        efail(&x, "cannot write %s/services.ndjson", dir);
    if (!x.failed) {
        /* the ndjson file is Waypost's own addition: listed as a plain resource */
        json_array_append_new(resources,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "waypost_services", "path",
                                        "services.ndjson", "description",
                                        "Each service as one HSDS 3.0 JSON object a line, exactly as stored: "
                                        "`waypost import hsds services.ndjson` loads it back unchanged.",
                                        "format", "ndjson", "mediatype", "application/x-ndjson"));
        write_datapackage(&x, resources);
    }
    json_decref(resources);
    json_decref(x.taxonomies_needed);
    *services = x.failed ? 0 : x.services;
    return !x.failed;
}
