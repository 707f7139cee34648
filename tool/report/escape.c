/*
 * escape.c — sanitising names for terminals and HTML (see escape.h).
 *
 * li_rep_sanitize decodes UTF-8 (li_utf8_decode, text.h) rather than
 * trusting the input: jansson only accepts valid UTF-8, but the helpers
 * are also used on strings that did not come through jansson (file names
 * from the command line).
 */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* A growable string; on allocation failure ok becomes 0 and stays 0. */
struct sbuf {
  char *p;
  size_t len, cap;
  int ok;
};

static void sb_add(struct sbuf *b, const char *s, size_t n) {
  if (!b->ok)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 32;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
      b->ok = 0;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static char *sb_finish(struct sbuf *b) {
  sb_add(b, "", 0);
  if (!b->ok) {
    free(b->p);
    return NULL;
  }
  return b->p;
}

/* Whether code point c must not reach a terminal or a page as is. */
static int is_unsafe(uint32_t c) {
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x061c ||
         c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

char *li_rep_sanitize(const char *s) {
  struct sbuf b = {NULL, 0, 0, 1};
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  char esc[16];
  while (n > 0) {
    uint32_t cp;
    size_t len = li_utf8_decode(p, n, &cp);
    if (len == 0) {
      snprintf(esc, sizeof esc, "\\x%02x", p[0]);
      sb_add(&b, esc, strlen(esc));
      len = 1;
    } else if (is_unsafe(cp)) {
      snprintf(esc, sizeof esc, cp < 0x80 ? "\\x%02x" : "\\u%04x",
               (unsigned)cp);
      sb_add(&b, esc, strlen(esc));
    } else {
      sb_add(&b, (const char *)p, len);
    }
    p += len;
    n -= len;
  }
  return sb_finish(&b);
}

char *li_rep_html_escape(const char *s) {
  struct sbuf b = {NULL, 0, 0, 1};
  for (; *s; s++) {
    switch (*s) {
    case '&':
      sb_add(&b, "&amp;", 5);
      break;
    case '<':
      sb_add(&b, "&lt;", 4);
      break;
    case '>':
      sb_add(&b, "&gt;", 4);
      break;
    case '"':
      sb_add(&b, "&quot;", 6);
      break;
    case '\'':
      sb_add(&b, "&#39;", 5);
      break;
    default:
      sb_add(&b, s, 1);
      break;
    }
  }
  return sb_finish(&b);
}

char *li_rep_html_name(const char *s) {
  char *clean = li_rep_sanitize(s);
  if (clean == NULL)
    return NULL;
  char *html = li_rep_html_escape(clean);
  free(clean);
  return html;
}

size_t li_rep_text_width(const char *s) {
  size_t w = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xc0) != 0x80)
      w++;
  return w;
}
