/* json.c — recursive-descent JSON parser (depth-limited so odd input cannot blow the stack). */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 200

typedef struct {
  const char *p, *end;
  char *err;
  size_t errlen;
  int failed;
} jparser;

/* Records the first error (later ones are dropped) and returns 0 for `return jfail(...)`. */
static int jfail(jparser *ps, const char *fmt, ...) {
  if (!ps->failed && ps->err && ps->errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err, ps->errlen, fmt, ap);
    va_end(ap);
  }
  ps->failed = 1;
  return 0;
}

static void skip_ws(jparser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

/* Frees what a value owns (not the value itself). */
static void json_clear(json *v) {
  free(v->key);
  free(v->str);
  if (v->items) {
    for (size_t i = 0; i < v->len; i++) json_clear(&v->items[i]);
    free(v->items);
  }
}

/* Appends one code point as UTF-8 (below 0x80 a single byte, including NUL). */
static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Reads 4 hex digits at p into *out; 0 if they are not hex. */
static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return 0;
  }
  *out = v;
  return 1;
}

/* Parses a string literal at ps->p (on the opening quote) into a fresh buffer.
 * The decoded form is never longer than the source, so the source span bounds the buffer. */
static int parse_string(jparser *ps, char **out, size_t *outlen) {
  ps->p++; /* opening quote */
  const char *start = ps->p;
  while (ps->p < ps->end && *ps->p != '"') {
    if (*ps->p == '\\') ps->p++;
    ps->p++;
  }
  if (ps->p >= ps->end) return jfail(ps, "unterminated string");
  const char *stop = ps->p;
  ps->p++; /* closing quote */
  char *buf = malloc((size_t)(stop - start) + 1);
  if (!buf) return jfail(ps, "out of memory");
  size_t n = 0;
  for (const char *s = start; s < stop;) {
    if (*s != '\\') { buf[n++] = *s++; continue; }
    s++;
    char c = *s++;
    switch (c) {
    case '"': buf[n++] = '"'; break;
    case '\\': buf[n++] = '\\'; break;
    case '/': buf[n++] = '/'; break;
    case 'b': buf[n++] = '\b'; break;
    case 'f': buf[n++] = '\f'; break;
    case 'n': buf[n++] = '\n'; break;
    case 'r': buf[n++] = '\r'; break;
    case 't': buf[n++] = '\t'; break;
    case 'u': {
      unsigned cp;
      if (stop - s < 4 || !hex4(s, &cp)) { free(buf); return jfail(ps, "bad \\u escape"); }
      s += 4;
      /* A surrogate pair needs 12 source bytes and produces 4, so it stays within bounds. */
      if (cp >= 0xD800 && cp < 0xDC00 && stop - s >= 6 && s[0] == '\\' && s[1] == 'u') {
        unsigned lo;
        if (hex4(s + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          s += 6;
        }
      }
      n += put_utf8(buf + n, cp);
      break;
    }
    default: free(buf); return jfail(ps, "bad escape \\%c", c);
    }
  }
  buf[n] = 0;
  *out = buf;
  *outlen = n;
  return 1;
}

static int parse_value(jparser *ps, json *v, int depth);

/* Parses an array or object body; `close` is ']' or '}'. Items grow by doubling. */
static int parse_container(jparser *ps, json *v, int depth, char close) {
  size_t cap = 0;
  ps->p++;
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == close) { ps->p++; return 1; }
  for (;;) {
    if (v->len == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      json *ni = realloc(v->items, ncap * sizeof(json));
      if (!ni) return jfail(ps, "out of memory");
      v->items = ni;
      cap = ncap;
    }
    json *it = &v->items[v->len];
    memset(it, 0, sizeof *it);
    v->len++; /* counted before filling so json_clear frees a half-parsed item */
    skip_ws(ps);
    if (close == '}') {
      if (ps->p >= ps->end || *ps->p != '"') return jfail(ps, "expected member name");
      if (!parse_string(ps, &it->key, &it->key_len)) return 0;
      skip_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') return jfail(ps, "expected ':'");
      ps->p++;
    }
    if (!parse_value(ps, it, depth + 1)) return 0;
    skip_ws(ps);
    if (ps->p >= ps->end) return jfail(ps, "unexpected end of input");
    if (*ps->p == ',') { ps->p++; continue; }
    if (*ps->p == close) { ps->p++; return 1; }
    return jfail(ps, "expected ',' or '%c'", close);
  }
}

/* Parses one value into *v (whose key, if any, is already set). */
static int parse_value(jparser *ps, json *v, int depth) {
  if (depth > JSON_MAX_DEPTH) return jfail(ps, "nesting too deep");
  skip_ws(ps);
  if (ps->p >= ps->end) return jfail(ps, "unexpected end of input");
  char c = *ps->p;
  if (c == '{') { v->kind = JSON_OBJECT; return parse_container(ps, v, depth, '}'); }
  if (c == '[') { v->kind = JSON_ARRAY; return parse_container(ps, v, depth, ']'); }
  if (c == '"') { v->kind = JSON_STRING; return parse_string(ps, &v->str, &v->len); }
  static const struct { const char *word; json_kind kind; double num; } words[] = {
    {"null", JSON_NULL, 0}, {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t wl = strlen(words[i].word);
    if ((size_t)(ps->end - ps->p) >= wl && memcmp(ps->p, words[i].word, wl) == 0) {
      v->kind = words[i].kind;
      v->num = words[i].num;
      ps->p += wl;
      return 1;
    }
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    char tmp[64];
    size_t k = 0;
    while (ps->p < ps->end && k < sizeof tmp - 1 && strchr("+-0123456789.eE", *ps->p)) tmp[k++] = *ps->p++;
    tmp[k] = 0;
    char *endp;
    v->kind = JSON_NUMBER;
    v->num = strtod(tmp, &endp);
    if (*endp) return jfail(ps, "bad number '%s'", tmp);
    return 1;
  }
  return jfail(ps, "unexpected character '%c'", c);
}

json *json_parse(const char *text, size_t n, char *err, size_t errlen) {
  jparser ps = {text, text + n, err, errlen, 0};
  json *v = calloc(1, sizeof *v);
  if (!v) { jfail(&ps, "out of memory"); return NULL; }
  if (parse_value(&ps, v, 0)) {
    skip_ws(&ps);
    if (ps.p != ps.end) jfail(&ps, "trailing characters");
  }
  if (ps.failed) {
    size_t off = (size_t)(ps.p - text);
    size_t used = err ? strlen(err) : 0;
    if (err && used + 1 < errlen) snprintf(err + used, errlen - used, " at offset %zu", off);
    json_free(v);
    return NULL;
  }
  return v;
}

void json_free(json *v) {
  if (!v) return;
  json_clear(v);
  free(v);
}

const json *json_get(const json *v, const char *key) {
  if (!v || v->kind != JSON_OBJECT) return NULL;
  size_t kl = strlen(key);
  for (size_t i = 0; i < v->len; i++)
    if (v->items[i].key_len == kl && memcmp(v->items[i].key, key, kl) == 0) return &v->items[i];
  return NULL;
}

const char *json_get_str(const json *v, const char *key) {
  const json *m = json_get(v, key);
  return m && m->kind == JSON_STRING ? m->str : NULL;
}

const json *json_at(const json *v, size_t i) {
  if (!v || v->kind != JSON_ARRAY || i >= v->len) return NULL;
  return &v->items[i];
}
