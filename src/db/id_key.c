/* id_key: lowercase UUIDs as 16 bytes and back, and the SQL functions
 * wp_id and wp_id_text (id_key.h). */
#include "db/id_key.h"

static const char HEX[] = "0123456789abcdef";

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_dash_at(size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

bool id_key_is_uuid(const char *text, size_t len)
{
    if (len != ID_KEY_TEXT)
        return false;
    for (size_t i = 0; i < ID_KEY_TEXT; i++)
        if (is_dash_at(i) ? text[i] != '-' : hex_value((unsigned char)text[i]) < 0)
            return false;
    return true;
}

void id_key_pack(const char *text, unsigned char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < ID_KEY_TEXT; i += 2) {
        if (is_dash_at(i))
            i++;
        out[j++] = (unsigned char)(hex_value((unsigned char)text[i]) << 4 | hex_value((unsigned char)text[i + 1]));
    }
}

void id_key_text(const unsigned char *in, char *out)
{
    for (int k = 0; k < ID_KEY_BYTES; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10)
            *out++ = '-';
        *out++ = HEX[in[k] >> 4];
        *out++ = HEX[in[k] & 15];
    }
}

/* wp_id(x): a lowercase UUID's 16 bytes; anything else as it is. */
static void sql_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *t = sqlite3_value_type(argv[0]) == SQLITE_TEXT ? (const char *)sqlite3_value_text(argv[0]) : NULL;
    if (!t || !id_key_is_uuid(t, (size_t)sqlite3_value_bytes(argv[0]))) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    unsigned char key[ID_KEY_BYTES];
    id_key_pack(t, key);
    sqlite3_result_blob(ctx, key, ID_KEY_BYTES, SQLITE_TRANSIENT);
}

/* wp_id_text(x): a 16-byte BLOB as its UUID; anything else as it is. */
static void sql_id_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB || sqlite3_value_bytes(argv[0]) != ID_KEY_BYTES) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    char text[ID_KEY_TEXT];
    id_key_text(sqlite3_value_blob(argv[0]), text);
    sqlite3_result_text(ctx, text, ID_KEY_TEXT, SQLITE_TRANSIENT);
}

bool id_key_register(sqlite3 *db)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    return sqlite3_create_function_v2(db, "wp_id", 1, flags, NULL, sql_id, NULL, NULL, NULL) == SQLITE_OK &&
           sqlite3_create_function_v2(db, "wp_id_text", 1, flags, NULL, sql_id_text, NULL, NULL, NULL) == SQLITE_OK;
}
