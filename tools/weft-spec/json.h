/* json.h — a small DOM JSON parser, enough for wast2json output.
 * Strings are decoded to bytes (\uXXXX below 0x80 stays one byte, others become UTF-8)
 * and carry an explicit length because wast2json names may contain NUL bytes. */
#ifndef WEFT_SPEC_JSON_H
#define WEFT_SPEC_JSON_H
#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

typedef struct json json;

/* One JSON value; arrays and objects own `items` (object members have a non-NULL key). */
struct json {
  json_kind kind;
  char *key;          /* member name when this value sits in an object, else NULL */
  size_t key_len;
  char *str;          /* JSON_STRING: NUL-terminated bytes (may contain NULs; see len) */
  size_t len;         /* JSON_STRING: byte length; JSON_ARRAY/OBJECT: item count */
  double num;         /* JSON_NUMBER value; JSON_BOOL: 0 or 1 */
  json *items;        /* JSON_ARRAY/OBJECT: len items */
};

/* Parses text[0..n). Returns NULL on a syntax error and writes a message to err (errlen
 * bytes). The result is freed with json_free. */
json *json_parse(const char *text, size_t n, char *err, size_t errlen);
void json_free(json *v);

/* Member `key` of an object, or NULL (also when v is NULL or not an object). */
const json *json_get(const json *v, const char *key);
/* The string of member `key` if it is a string, else NULL. */
const char *json_get_str(const json *v, const char *key);
/* Item i of an array, or NULL. */
const json *json_at(const json *v, size_t i);

#endif
