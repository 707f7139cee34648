/*
 * jstream.c — the outer JSON tokenizer of the profile reader (see
 * jstream.h).
 */
#include "jstream.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void li_rep_js_init(struct li_js *s, int fd, size_t max) {
  memset(s, 0, sizeof *s);
  s->fd = fd;
  s->max = max;
  s->line = 1;
}

/* Refills the buffer; 0 or -1 (end, error or cap). */
static int fill(struct li_js *s) {
  if (s->eof || s->err || s->too_big)
    return -1;
  size_t want = sizeof s->buf;
  if (s->total >= s->max) {
    char probe;
    ssize_t n = read(s->fd, &probe, 1);
    if (n == 0)
      s->eof = 1;
    else
      s->too_big = 1;
    return -1;
  }
  if (want > s->max - s->total)
    want = s->max - s->total;
  ssize_t n;
  do
    n = read(s->fd, s->buf, want);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    s->err = errno;
    return -1;
  }
  if (n == 0) {
    s->eof = 1;
    return -1;
  }
  s->pos = 0;
  s->len = (size_t)n;
  s->total += (size_t)n;
  return 0;
}

int li_rep_js_peek(struct li_js *s) {
  if (s->pos == s->len && fill(s) != 0)
    return -1;
  return s->buf[s->pos];
}

int li_rep_js_get(struct li_js *s) {
  int c = li_rep_js_peek(s);
  if (c < 0)
    return -1;
  s->pos++;
  if (c == '\n') {
    s->line++;
    s->col = 0;
  } else if ((c & 0xc0) != 0x80) {
    s->col++;
  }
  return c;
}

static int is_ws(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_delim(int c) {
  return is_ws(c) || c == ',' || c == ':' || c == '}' || c == ']' || c == '{' ||
         c == '[' || c == '"';
}

int li_rep_js_skip_ws(struct li_js *s) {
  int c;
  while ((c = li_rep_js_peek(s)) >= 0 && is_ws(c))
    li_rep_js_get(s);
  return c;
}

/* Appends c to out if it still fits in cap; records overflow. */
static int put(struct li_rep_jbuf *out, size_t cap, int c, int *too_long) {
  if (out == NULL || *too_long)
    return 0;
  if (out->n >= cap) {
    *too_long = 1;
    return 0;
  }
  if (out->n + 1 >= out->cap) {
    size_t ncap = out->cap ? 2 * out->cap : 256;
    char *grown = realloc(out->p, ncap);
    if (grown == NULL)
      return -1;
    out->p = grown;
    out->cap = ncap;
  }
  out->p[out->n++] = (char)c;
  out->p[out->n] = '\0';
  return 0;
}

int li_rep_js_value(struct li_js *s, struct li_rep_jbuf *out, size_t cap) {
  size_t depth = 0;
  int in_str = 0, esc = 0, too_long = 0;
  if (li_rep_js_skip_ws(s) < 0)
    return LI_JS_END;
  for (;;) {
    int c = li_rep_js_get(s);
    if (c < 0)
      return LI_JS_END; /* only reached inside a string or brackets */
    if (put(out, cap, c, &too_long) != 0)
      return LI_JS_NOMEM;
    if (in_str) {
      if (esc)
        esc = 0;
      else if (c == '\\')
        esc = 1;
      else if (c == '"' && (in_str = 0, depth == 0))
        break;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || --depth == 0)
        break;
    } else if (depth == 0) { /* a scalar: ends before a delimiter */
      int next = li_rep_js_peek(s);
      if (next < 0 || is_delim(next))
        break;
    }
  }
  return too_long ? LI_JS_TOO_LONG : LI_JS_OK;
}

void li_rep_js_near(struct li_js *s, char *out, size_t n) {
  size_t k = 0;
  int c = li_rep_js_peek(s), str = c == '"';
  while (k + 1 < n && (c = li_rep_js_peek(s)) >= 0) {
    if (!str && k > 0 && is_delim(c))
      break;
    out[k++] = (char)li_rep_js_get(s);
    if (str && k > 1 && c == '"')
      break;
    if (!str && is_delim(c))
      break;
  }
  out[k] = '\0';
}

void li_rep_jbuf_free(struct li_rep_jbuf *b) {
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* Returns the value of the digits p[0..n) if they are a JSON integer in
 * [2^63, 2^64), else 0. */
static uint64_t wide_value(const char *p, size_t n) {
  if (n < 19 || n > 20 || p[0] == '0') /* JSON has no leading zeros */
    return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned d = (unsigned)(p[i] - '0');
    if (d > 9 || v > (UINT64_MAX - d) / 10)
      return 0;
    v = v * 10 + d;
  }
  return v > (uint64_t)INT64_MAX ? v : 0;
}

/* Returns the offset after the integer, real or word (true, null) at p[i]. */
static size_t scalar_end(const char *p, size_t n, size_t i) {
  while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '.' || p[i] == '+' ||
                   p[i] == '-'))
    i++;
  return i;
}

/* Returns the offset of the '"' that closes the string opened at p[i]
 * (n if none). */
static size_t string_end(const char *p, size_t n, size_t i) {
  for (i++; i < n && p[i] != '"'; i++)
    i += p[i] == '\\';
  return i;
}

/* Returns 1 if p[0..n) holds a '-' outside strings (a negative number). */
static int has_minus(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '"')
      i = string_end(p, n, i);
    else if (p[i] == '-')
      return 1;
  }
  return 0;
}

int li_rep_js_wide_ints(char *p, size_t n) {
  if (has_minus(p, n))
    return -1;
  int any = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '"') {
      i = string_end(p, n, i);
      continue;
    }
    if (!isdigit((unsigned char)p[i]))
      continue;
    size_t end = scalar_end(p, n, i);
    uint64_t v = wide_value(p + i, end - i);
    if (v) { /* -1 - (v - 2^63): never longer than v's digits */
      char t[24];
      int k = snprintf(t, sizeof t, "%lld",
                       -1 - (long long)(v - (uint64_t)INT64_MAX - 1));
      memcpy(p + i, t, (size_t)k);
      memset(p + i + k, ' ', end - i - (size_t)k);
      any = 1;
    }
    i = end - 1;
  }
  return any;
}
