/*
 * json.c — JSON string escaping with UTF-8 validation.
 */
#include "json.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s) {
  unsigned int c = s[0], cp;
  size_t n, i;
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    n = 2, cp = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef)
    n = 3, cp = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4)
    n = 4, cp = c & 0x07;
  else
    return 0;
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

/* Writes one ASCII byte, escaped as JSON requires. */
static void put_ascii(FILE *f, unsigned char c) {
  switch (c) {
  case '"':
    fputs("\\\"", f);
    break;
  case '\\':
    fputs("\\\\", f);
    break;
  case '\n':
    fputs("\\n", f);
    break;
  case '\r':
    fputs("\\r", f);
    break;
  case '\t':
    fputs("\\t", f);
    break;
  case '\b':
    fputs("\\b", f);
    break;
  case '\f':
    fputs("\\f", f);
    break;
  default:
    if (c < 0x20 || c == 0x7f)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
}

void li_json_string(FILE *f, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  fputc('"', f);
  while (*p) {
    size_t n = utf8_len(p);
    if (n == 1)
      put_ascii(f, *p);
    else if (n == 0)
      fputs("\\ufffd", f);
    else
      fwrite(p, 1, n, f);
    p += n ? n : 1;
  }
  fputc('"', f);
}

void li_json_key(FILE *f, const char *key) {
  li_json_string(f, key);
  fputc(':', f);
}
