/*
 * text.c — see text.h. The lexer knows just enough C to walk over
 * expressions written in source text: comments, string and character
 * literals, brackets and backslash-newlines.
 */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void) {
  fputs("lockinstr: error: out of memory\n", stderr);
  abort();
}

void *li_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    oom();
  return p;
}

void *li_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p)
    oom();
  return p;
}

char *li_xstrdup(const char *s) {
  return li_xstrndup(s, strlen(s));
}

char *li_xstrndup(const char *s, size_t n) {
  char *p = li_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *li_xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = li_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

void li_buf_add(struct li_buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n + 1)
      cap *= 2;
    b->s = li_xrealloc(b->s, cap);
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

void li_buf_puts(struct li_buf *b, const char *s) {
  li_buf_add(b, s, strlen(s));
}

void li_buf_printf(struct li_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < (int)sizeof small) {
    li_buf_add(b, small, (size_t)n);
    return;
  }
  char *big = li_xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  li_buf_add(b, big, (size_t)n);
  free(big);
}

void li_buf_cstr(struct li_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isspace(c)) {
      size_t j = i;
      int nl = 0;
      while (j < n && isspace((unsigned char)s[j]))
        nl |= s[j++] == '\n';
      if (nl) {
        li_buf_add(b, " ", 1);
        i = j - 1;
        continue;
      }
    }
    if (c == '\\' || c == '"')
      li_buf_printf(b, "\\%c", c);
    else if (c == '?' && i + 1 < n && s[i + 1] == '?')
      li_buf_puts(b, "?\\"); /* no trigraphs */
    else if (c < 0x20 || c == 0x7f)
      li_buf_printf(b, "\\%03o", c);
    else
      li_buf_add(b, (const char *)&s[i], 1);
  }
}

void li_buf_free(struct li_buf *b) {
  free(b->s);
  memset(b, 0, sizeof *b);
}

char *li_buf_take(struct li_buf *b) {
  char *s = b->s ? b->s : li_xstrdup("");
  memset(b, 0, sizeof *b);
  return s;
}

/* Returns the offset after a comment or backslash-newline at s[at], or at. */
static size_t skip_one_gap(const char *s, size_t len, size_t at) {
  if (at + 1 < len && s[at] == '/' && s[at + 1] == '*') {
    const char *e = NULL;
    for (size_t i = at + 2; i + 1 < len; i++)
      if (s[i] == '*' && s[i + 1] == '/') {
        e = s + i;
        break;
      }
    return e ? (size_t)(e - s) + 2 : len;
  }
  if (at + 1 < len && s[at] == '/' && s[at + 1] == '/') {
    while (at < len && s[at] != '\n')
      at++;
    return at;
  }
  if (s[at] == '\\' && at + 1 < len &&
      (s[at + 1] == '\n' || s[at + 1] == '\r')) {
    at++;
    if (s[at] == '\r' && at + 1 < len && s[at + 1] == '\n')
      at++;
    return at + 1;
  }
  return at;
}

size_t li_skip_space(const char *s, size_t len, size_t at) {
  while (at < len) {
    if (isspace((unsigned char)s[at])) {
      at++;
      continue;
    }
    size_t next = skip_one_gap(s, len, at);
    if (next == at)
      break;
    at = next;
  }
  return at;
}

size_t li_ident_len(const char *s, size_t len, size_t at) {
  size_t i = at;
  if (i < len && (isalpha((unsigned char)s[i]) || s[i] == '_'))
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
      i++;
  return i - at;
}

/* Returns the length of the line splice (backslash, newline or CR LF) at
 * s[at], or 0 if there is none. */
static size_t splice_len(const char *s, size_t len, size_t at) {
  if (at + 1 < len && s[at] == '\\' && s[at + 1] == '\n')
    return 2;
  if (at + 2 < len && s[at] == '\\' && s[at + 1] == '\r' && s[at + 2] == '\n')
    return 3;
  return 0;
}

size_t li_spliced_name_end(const char *s, size_t len, size_t at,
                           const char *name, size_t nl) {
  size_t i = at;
  for (size_t k = 0; k < nl; k++) {
    for (size_t n = splice_len(s, len, i); n; n = splice_len(s, len, i))
      i += n;
    if (i >= len || s[i] != name[k])
      return (size_t)-1;
    i++;
  }
  size_t j = i;
  for (size_t n = splice_len(s, len, j); n; n = splice_len(s, len, j))
    j += n;
  return li_ident_len(s, len, j) ? (size_t)-1 : j;
}

/* Returns the offset after the string or character literal at s[at]. */
static size_t skip_literal(const char *s, size_t len, size_t at) {
  char q = s[at];
  size_t i = at + 1;
  while (i < len && s[i] != q && s[i] != '\n')
    i += s[i] == '\\' ? 2 : 1;
  return i < len ? i + 1 : len;
}

size_t li_arg_end(const char *s, size_t len, size_t at) {
  int depth = 0;
  size_t i = at, last = at; /* last: end of the last non-space byte */
  while (i < len) {
    char c = s[i];
    size_t next = skip_one_gap(s, len, i);
    if (next != i) {
      i = next;
      continue;
    }
    if (depth == 0 && (c == ',' || c == ')'))
      return last;
    if (c == '"' || c == '\'') {
      i = skip_literal(s, len, i);
      last = i;
      continue;
    }
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if (c == ')' || c == ']' || c == '}')
      depth--;
    i++;
    if (!isspace((unsigned char)c))
      last = i;
  }
  return len;
}

size_t li_line_start(const char *s, size_t at) {
  while (at > 0 && s[at - 1] != '\n')
    at--;
  return at;
}

/* Returns the start of the logical line holding s[at]. */
static size_t logical_line_start(const char *s, size_t at) {
  size_t st = li_line_start(s, at);
  while (st >= 2) {
    size_t e = st - 1; /* the '\n' ending the previous line */
    if (e > 0 && s[e - 1] == '\r')
      e--;
    if (e == 0 || s[e - 1] != '\\')
      break;
    st = li_line_start(s, e - 1);
  }
  return st;
}

size_t li_define_at(const char *s, size_t len, size_t at, size_t *name_len) {
  size_t i = li_skip_space(s, len, logical_line_start(s, at));
  if (i >= len || s[i] != '#')
    return (size_t)-1;
  i = li_skip_space(s, len, i + 1);
  if (li_ident_len(s, len, i) != 6 || strncmp(s + i, "define", 6))
    return (size_t)-1;
  i = li_skip_space(s, len, i + 6);
  *name_len = li_ident_len(s, len, i);
  return *name_len ? i : (size_t)-1;
}

/* Returns the end of the logical line starting at `at` (the '\n' or len). */
static size_t logical_line_end(const char *s, size_t len, size_t at) {
  for (;;) {
    while (at < len && s[at] != '\n')
      at++;
    size_t e = at;
    if (e > 0 && s[e - 1] == '\r')
      e--;
    if (at >= len || e == 0 || s[e - 1] != '\\')
      return at;
    at++;
  }
}

size_t li_scan_defines(const char *s, size_t len, struct li_macro **out) {
  size_t n = 0, cap = 0;
  *out = NULL;
  for (size_t at = 0; at < len;) {
    size_t end = logical_line_end(s, len, at);
    size_t nl;
    size_t name = li_define_at(s, end, at, &nl);
    if (name != (size_t)-1 && li_line_start(s, name) <= end) {
      size_t body = name + nl;
      if (body < end && s[body] == '(')
        while (body < end && s[body] != ')')
          body++;
      if (body < end && s[body] == ')')
        body++;
      if (n == cap) {
        cap = cap ? 2 * cap : 16;
        *out = li_xrealloc(*out, cap * sizeof **out);
      }
      (*out)[n++] = (struct li_macro){name, nl, body, end};
    }
    at = end + 1;
  }
  return n;
}

size_t li_find_live_macro(const struct li_macro_text *t, const char *name,
                          size_t n, size_t before) {
  size_t end = 0; /* the macros defined before `before`: [0, end) */
  while (end < t->nm && t->ms[end].name < before)
    end++;
  for (size_t i = end; i-- > 0;) { /* the last one the preprocessor read */
    const struct li_macro *m = &t->ms[i];
    if (m->name_len == n && memcmp(t->s + m->name, name, n) == 0 &&
        (!t->live || t->live(t->s, m->name, t->live_arg)))
      return i;
  }
  return (size_t)-1;
}

size_t li_find_macro(const char *s, const struct li_macro *ms, size_t nm,
                     const char *name, size_t n, size_t before) {
  struct li_macro_text t = {s, 0, ms, nm, NULL, NULL};
  return li_find_live_macro(&t, name, n, before);
}

struct body_scan {
  const char *fn;
  li_macro_lookup lookup; /* or NULL */
  void *arg;
  struct li_body_call *v;
  size_t n, cap;
};

/* Advances *i in s[..end) past gaps, literals and punctuation to the next
 * identifier and returns its length; 0 when none is left before end. */
static size_t next_ident(const char *s, size_t end, size_t *i) {
  while (*i < end) {
    size_t next = skip_one_gap(s, end, *i);
    if (next != *i) {
      *i = next;
      continue;
    }
    if (s[*i] == '"' || s[*i] == '\'') {
      *i = skip_literal(s, end, *i);
      continue;
    }
    size_t il = li_ident_len(s, end, *i);
    if (il != 0)
      return il;
    (*i)++;
  }
  return 0;
}

/* Appends c to the growing array *v of *n calls (room for *cap). */
static void push_call(struct li_body_call **v, size_t *n, size_t *cap,
                      struct li_body_call c) {
  if (*n == *cap) {
    *cap = *cap ? 2 * *cap : 8;
    *v = li_xrealloc(*v, *cap * sizeof **v);
  }
  (*v)[(*n)++] = c;
}

/* Appends the calls of macro m's body in text t (recursing into macros it
 * uses: t's own defined before `before`, else the lookup's). */
static void scan_body(struct body_scan *b, const struct li_macro_text *t,
                      size_t before, size_t m, int depth) {
  const struct li_macro *mac = &t->ms[m];
  const char *s = t->s;
  size_t fnl = strlen(b->fn);
  size_t i = mac->body, il;
  while ((il = next_ident(s, mac->end, &i)) != 0) {
    size_t p = li_skip_space(s, mac->end, i + il);
    size_t inner;
    struct li_macro_text other;
    if (il == fnl && memcmp(s + i, b->fn, il) == 0) {
      if (p < mac->end && s[p] == '(')
        push_call(&b->v, &b->n, &b->cap, (struct li_body_call){i, p, m, s});
    } else if (depth < 16 && (inner = li_find_live_macro(
                                  t, s + i, il, before)) != (size_t)-1) {
      if (inner != m)
        scan_body(b, t, before, inner, depth + 1);
    } else if (depth < 16 && b->lookup &&
               (inner = b->lookup(s + i, il, b->arg, &other)) != (size_t)-1 &&
               other.s != s) {
      scan_body(b, &other, other.len, inner, depth + 1);
    }
    i += il;
  }
}

size_t li_body_calls(const char *s, size_t len, const struct li_macro *ms,
                     size_t nm, size_t m, const char *fn, size_t before,
                     struct li_body_call **out) {
  struct li_macro_text t = {s, len, ms, nm, NULL, NULL};
  return li_body_calls_in(&t, m, fn, before, NULL, NULL, out);
}

size_t li_body_calls_in(const struct li_macro_text *t, size_t m, const char *fn,
                        size_t before, li_macro_lookup lookup, void *arg,
                        struct li_body_call **out) {
  struct body_scan b = {fn, lookup, arg, NULL, 0, 0};
  scan_body(&b, t, before, m, 0);
  *out = b.v;
  return b.n;
}

size_t li_body_called(const char *s, const struct li_macro *mac,
                      struct li_body_call **out) {
  size_t n = 0, cap = 0;
  *out = NULL;
  size_t i = mac->body, il;
  while ((il = next_ident(s, mac->end, &i)) != 0) {
    size_t p = li_skip_space(s, mac->end, i + il);
    while (p < mac->end && s[p] == ')') /* (name)(args) */
      p = li_skip_space(s, mac->end, p + 1);
    if (p < mac->end && s[p] == '(' && (i == 0 || s[i - 1] != '#'))
      push_call(out, &n, &cap, (struct li_body_call){i, p, 0, s});
    i += il;
  }
  return n;
}

#define LI_MAX_PARAMS 64

/* Splits the parenthesised list at s[open] ('(') into at most max items
 * [start, end) pairs; returns their number, or -1 if malformed. Items are
 * trimmed; a list "()" has none. */
static int split_list(const char *s, size_t len, size_t open, size_t *st,
                      size_t *en, int max) {
  int n = 0;
  size_t at = open + 1;
  for (;;) {
    at = li_skip_space(s, len, at);
    if (at < len && s[at] == ')' && n == 0)
      return 0;
    size_t end = li_arg_end(s, len, at);
    if (end >= len || n == max)
      return -1;
    st[n] = at;
    en[n++] = end;
    at = li_skip_space(s, len, end);
    if (at >= len)
      return -1;
    if (s[at] == ')')
      return n;
    at++; /* ',' */
  }
}

char *li_macro_subst(const char *s, size_t len, const struct li_macro *mac,
                     size_t use, const char *text) {
  return li_macro_subst_in(s, len, mac, s, len, use, text);
}

char *li_macro_subst_in(const char *ds, size_t dlen, const struct li_macro *mac,
                        const char *s, size_t len, size_t use,
                        const char *text) {
  size_t ps[LI_MAX_PARAMS], pe[LI_MAX_PARAMS], as[LI_MAX_PARAMS],
      ae[LI_MAX_PARAMS];
  size_t open = mac->name + mac->name_len;
  if (open >= dlen || ds[open] != '(' || strchr(text, '#'))
    return NULL;
  int np = split_list(ds, mac->body, open, ps, pe, LI_MAX_PARAMS);
  size_t uopen = li_skip_space(s, len, use + mac->name_len);
  if (np < 0 || uopen >= len || s[uopen] != '(')
    return NULL;
  int na = split_list(s, len, uopen, as, ae, LI_MAX_PARAMS);
  if (na < 0)
    return NULL;
  struct li_buf b = {0};
  size_t tl = strlen(text);
  for (size_t i = 0; i < tl;) {
    size_t il = li_ident_len(text, tl, i);
    if (il == 0) {
      li_buf_add(&b, text + i, 1);
      i++;
      continue;
    }
    int k = 0;
    while (k < np && k < na &&
           !(pe[k] - ps[k] == il && memcmp(ds + ps[k], text + i, il) == 0))
      k++;
    if (k < np && k < na)
      li_buf_add(&b, s + as[k], ae[k] - as[k]);
    else
      li_buf_add(&b, text + i, il);
    i += il;
  }
  return li_buf_take(&b);
}

int li_read_file(const char *path, char **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno ? -errno : -EIO;
  struct li_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    li_buf_add(&b, chunk, n);
  int err = ferror(f) ? -EIO : 0;
  fclose(f);
  if (err) {
    li_buf_free(&b);
    return err;
  }
  *len = b.n;
  *buf = li_buf_take(&b);
  return 0;
}

size_t li_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  size_t len;
  uint32_t c, min;
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  } else if ((s[0] & 0xe0) == 0xc0) {
    len = 2, c = s[0] & 0x1f, min = 0x80;
  } else if ((s[0] & 0xf0) == 0xe0) {
    len = 3, c = s[0] & 0x0f, min = 0x800;
  } else if ((s[0] & 0xf8) == 0xf0) {
    len = 4, c = s[0] & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len > n)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return len;
}

char *li_utf8_fix(const char *s) {
  struct li_buf b = {0};
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  while (n > 0) {
    uint32_t cp;
    size_t len = li_utf8_decode(p, n, &cp);
    if (len)
      li_buf_add(&b, (const char *)p, len);
    else
      li_buf_add(&b, "\xef\xbf\xbd", 3); /* U+FFFD for one byte */
    len = len ? len : 1;
    p += len;
    n -= len;
  }
  return li_buf_take(&b);
}
