/* test_csv: the RFC 4180 reader used by the statistics import: quoting,
 * escaped quotes, CRLF, empty fields, blank lines, a BOM, and the errors
 * that name the row and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/csv.h"
#include "wp_test.h"

static void reads_quoted_and_plain_fields(void **state)
{
    (void)state;
    const char *s = "\xEF\xBB\xBF" "a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,,3\n\n\"x\ny\",z";
    csv_reader r;
    csv_init(&r, s, strlen(s));
    assert_int_equal(csv_next_row(&r), 1);
    assert_int_equal(r.nfields, 3);
    assert_string_equal(r.fields[0], "a");
    assert_string_equal(r.fields[1], "b, c");
    assert_string_equal(r.fields[2], "say \"hi\"");
    assert_int_equal(csv_find(&r, "b, c"), 1);
    assert_int_equal(csv_next_row(&r), 1);
    assert_int_equal(r.nfields, 3);
    assert_string_equal(r.fields[1], "");
    assert_int_equal(csv_next_row(&r), 1);
    assert_int_equal(r.row, 3);
    assert_string_equal(r.fields[0], "x\ny");
    assert_string_equal(r.fields[1], "z");
    assert_int_equal(csv_next_row(&r), 0);
    csv_free(&r);
}

static void trailing_comma_gives_empty_field(void **state)
{
    (void)state;
    csv_reader r;
    csv_init(&r, "a,b,", 4);
    assert_int_equal(csv_next_row(&r), 1);
    assert_int_equal(r.nfields, 3);
    assert_string_equal(r.fields[2], "");
    csv_free(&r);
}

static void errors_name_row_and_column(void **state)
{
    (void)state;
    static const struct { const char *in, *msg; } cases[] = {
        {"a,b\nc,\"d", "row 2, column 2: a quoted field is not closed"},
        {"a,b\nc,d\"e\n", "row 2, column 2: a quote inside a field"},
        {"\"a\"x,b\n", "row 1, column 1: text after a closing quote"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        csv_reader r;
        csv_init(&r, cases[i].in, strlen(cases[i].in));
        int rc;
        while ((rc = csv_next_row(&r)) == 1)
            ;
        assert_int_equal(rc, -1);
        assert_contains(r.error, cases[i].msg);
        assert_int_equal(csv_next_row(&r), -1);
        csv_free(&r);
    }
}

static void nul_byte_is_refused(void **state)
{
    (void)state;
    const char s[] = {'a', ',', 'b', '\0', 'c', '\n'};
    csv_reader r;
    csv_init(&r, s, sizeof(s));
    assert_int_equal(csv_next_row(&r), -1);
    assert_contains(r.error, "NUL");
    csv_free(&r);
}

static void too_many_fields_is_refused(void **state)
{
    (void)state;
    char s[CSV_MAX_FIELDS * 2 + 8];
    size_t n = 0;
    for (int i = 0; i < CSV_MAX_FIELDS + 1; i++) {
        s[n++] = 'x';
        s[n++] = ',';
    }
    s[n++] = '\n';
    csv_reader r;
    csv_init(&r, s, n);
    assert_int_equal(csv_next_row(&r), -1);
    assert_contains(r.error, "too many fields");
    csv_free(&r);
}

/* What csv_put_field writes reads back as the same field. */
static void written_fields_read_back(void **state)
{
    (void)state;
    static const char *const fields[] = {"plain", "a, b", "say \"hi\"", "two\nlines", "cr\rhere", " lead",
                                         "trail ", ""};
    const size_t n = sizeof(fields) / sizeof(fields[0]);
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ',');
        csv_put_field(&b, fields[i]);
    }
    buf_puts(&b, "\r\n");
    assert_string_equal(buf_cstr(&b), "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\" lead\","
                                      "\"trail \",\r\n");
    csv_reader r;
    csv_init(&r, b.data, b.len);
    assert_int_equal(csv_next_row(&r), 1);
    assert_int_equal(r.nfields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(r.fields[i], fields[i]);
    csv_free(&r);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_quoted_and_plain_fields),
        cmocka_unit_test(trailing_comma_gives_empty_field),
        cmocka_unit_test(errors_name_row_and_column),
        cmocka_unit_test(nul_byte_is_refused),
        cmocka_unit_test(too_many_fields_is_refused),
        cmocka_unit_test(written_fields_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
