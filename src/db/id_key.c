/* id_key: lowercase UUIDs as 16 bytes and back, and the SQL functions
 * wp_id and wp_id_text (id_key.h). */
#include "db/id_key.h"

static const char HEX[] = "0123456789abcdef";

/* A lowercase hex digit's value plus one; 0 for any other byte. (The
 * importer asks this of every UUID in every document it stores.) */
static const unsigned char HEX1[256] = {
    ['0'] = 1,   ['1'] = 2,   ['2'] = 3,   ['3'] = 4,   ['4'] = 5,   ['5'] = 6,   ['6'] = 7,   ['7'] = 8,
    ['8'] = 9,   ['9'] = 10,  ['a'] = 11,  ['b'] = 12,  ['c'] = 13,  ['d'] = 14,  ['e'] = 15,  ['f'] = 16,
};

/* Where the 16 bytes' hex digits start in the 36 characters. */
static const unsigned char DIGITS_AT[ID_KEY_BYTES] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

bool id_key_is_uuid(const char *text, size_t len)
{
    if (len != ID_KEY_TEXT || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    for (int k = 0; k < ID_KEY_BYTES; k++)
        if (!HEX1[(unsigned char)text[DIGITS_AT[k]]] || !HEX1[(unsigned char)text[DIGITS_AT[k] + 1]])
            return false;
    return true;
}

void id_key_pack(const char *text, unsigned char *out)
{
    for (int k = 0; k < ID_KEY_BYTES; k++)
        out[k] = (unsigned char)((HEX1[(unsigned char)text[DIGITS_AT[k]]] - 1) << 4 |
                                 (HEX1[(unsigned char)text[DIGITS_AT[k] + 1]] - 1));
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
