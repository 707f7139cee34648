/*
 * cc_deps.c — dependency-file fix-up for lockinstr-cc (see cc_deps.h).
 *
 * The file is small (one line per header), so it is read whole, rebuilt in
 * memory with every mapped path replaced, and written back through a
 * temporary file in the same directory, renamed over the original: make
 * never sees half a dependency file.
 */
#define _GNU_SOURCE 1 /* mkstemp in strict C11 mode */
#include "cc_deps.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A growable byte buffer. */
struct li_cc_buf {
  char *p;
  size_t n, cap;
};

/* Appends LEN bytes of S. Returns 0, or -1 out of memory. */
static int li_cc_buf_add(struct li_cc_buf *b, const char *s, size_t len) {
  if (b->n + len + 1 > b->cap) {
    size_t cap = (b->n + len + 1) * 2;
    char *p = realloc(b->p, cap);
    if (!p)
      return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
  b->p[b->n] = '\0';
  return 0;
}

/* Returns PATH escaped the way gcc writes it in a make rule (malloc'd). */
static char *li_cc_make_escape(const char *path) {
  struct li_cc_buf b = {NULL, 0, 0};
  const char *s;
  if (li_cc_buf_add(&b, "", 0) != 0)
    return NULL;
  for (s = path; *s; s++) {
    const char *e = *s == ' '   ? "\\ "
                    : *s == '#' ? "\\#"
                    : *s == '$' ? "$$"
                                : NULL;
    if (li_cc_buf_add(&b, e ? e : s, e ? 2 : 1) != 0) {
      free(b.p);
      return NULL;
    }
  }
  return b.p;
}

/* Returns 1 if C ends a path in a make rule. */
static int li_cc_path_end(const char *c) {
  return *c == '\0' || *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r' ||
         *c == ':' || (c[0] == '\\' && (c[1] == '\n' || c[1] == '\r'));
}

/* Returns the length of the (escaped) path token at the start of TEXT. */
static size_t li_cc_token_len(const char *text) {
  const char *c = text;
  while (!li_cc_path_end(c))
    c += (c[0] == '\\' && (c[1] == ' ' || c[1] == '#')) ? 2 : 1;
  return (size_t)(c - text);
}

/*
 * Folds "." and ".." components of the LEN-byte path TOK lexically, in
 * place (the escaped form is fine: '/' and '.' are never escaped). Returns
 * the new length. A quoted include rewritten relative to the temporary
 * directory ("TMP/1/../../src/x.h") thus becomes the real path.
 */
static size_t li_cc_fold_dots(char *tok, size_t len) {
  int abs = len > 0 && tok[0] == '/';
  size_t in = (size_t)abs, out = (size_t)abs; /* keep a leading '/' */
  while (in < len) {
    size_t end = in;
    while (end < len && tok[end] != '/')
      end++;
    if (end - in == 1 && tok[in] == '.') {
      /* drop "." */
    } else if (end - in == 2 && tok[in] == '.' && tok[in + 1] == '.' &&
               out > (size_t)abs) {
      while (out > (size_t)abs && tok[out - 1] != '/')
        out--;
      out -= out > (size_t)abs; /* the '/' before the dropped component */
    } else if (end > in) {
      if (out > (size_t)abs)
        tok[out++] = '/';
      memmove(tok + out, tok + in, end - in);
      out += end - in;
    }
    in = end + 1;
  }
  return out;
}

/*
 * Appends the token TOK (LEN bytes) to OUT after applying the maps: a
 * whole-path map replaces it; a prefix map replaces the prefix of the
 * folded path if the path still lies under it, else the folded path is
 * kept. Returns 0, or -1 out of memory.
 */
static int li_cc_emit_token(char *tok, size_t len, char **from, char **to,
                            const struct li_cc_map *maps, int n,
                            struct li_cc_buf *out) {
  int i;
  for (i = 0; i < n; i++)
    if (!maps[i].prefix && strlen(from[i]) == len &&
        strncmp(tok, from[i], len) == 0)
      return li_cc_buf_add(out, to[i], strlen(to[i]));
  for (i = 0; i < n; i++) {
    size_t plen = strlen(from[i]);
    if (!maps[i].prefix || len < plen || strncmp(tok, from[i], plen) != 0)
      continue;
    len = li_cc_fold_dots(tok, len);
    if (len > plen && strncmp(tok, from[i], plen) == 0)
      return li_cc_buf_add(out, to[i], strlen(to[i])) ||
             li_cc_buf_add(out, tok + plen, len - plen);
    return li_cc_buf_add(out, tok, len);
  }
  return li_cc_buf_add(out, tok, len);
}

/* Builds the fixed-up TEXT into OUT. Returns 0, or -1 out of memory. */
static int li_cc_rewrite(char *text, const struct li_cc_map *maps, int n,
                         struct li_cc_buf *out) {
  char **from = calloc((size_t)n + 1, sizeof *from);
  char **to = calloc((size_t)n + 1, sizeof *to);
  int i, rc = from && to ? 0 : -1;
  for (i = 0; i < n && rc == 0; i++) {
    from[i] = li_cc_make_escape(maps[i].from);
    to[i] = li_cc_make_escape(maps[i].to);
    rc = from[i] && to[i] ? 0 : -1;
  }
  while (rc == 0 && *text) {
    size_t len = li_cc_token_len(text);
    if (len > 0) {
      rc = li_cc_emit_token(text, len, from, to, maps, n, out);
      text += len;
    } else {
      rc = li_cc_buf_add(out, text, 1);
      text++;
    }
  }
  for (i = 0; from && to && i < n; i++) {
    free(from[i]);
    free(to[i]);
  }
  free(from);
  free(to);
  return rc;
}

/* Reads PATH whole into *OUT (malloc'd, NUL-terminated). 0 or -1 (errno). */
static int li_cc_read_all(const char *path, char **out) {
  FILE *f = fopen(path, "rb");
  struct li_cc_buf b = {NULL, 0, 0};
  char chunk[4096];
  size_t got;
  if (!f)
    return -1;
  li_cc_buf_add(&b, "", 0);
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (li_cc_buf_add(&b, chunk, got) != 0)
      break;
  if (ferror(f) || !b.p || got > 0) {
    fclose(f);
    free(b.p);
    errno = errno ? errno : ENOMEM;
    return -1;
  }
  fclose(f);
  *out = b.p;
  return 0;
}

/* Writes LEN bytes of DATA to PATH via a temporary file + rename. */
static int li_cc_write_atomic(const char *path, const char *data, size_t len) {
  size_t n = strlen(path);
  static const char suffix[] = ".lockinstrXXXXXX";
  char *tmp = malloc(n + sizeof suffix);
  int fd, rc = -1;
  if (!tmp)
    return -1;
  memcpy(tmp, path, n);
  memcpy(tmp + n, suffix, sizeof suffix);
  fd = mkstemp(tmp);
  if (fd >= 0) {
    FILE *f = fdopen(fd, "wb");
    if (!f) {
      close(fd);
    } else {
      int ok = fwrite(data, 1, len, f) == len;
      ok = fclose(f) == 0 && ok;
      if (ok)
        rc = rename(tmp, path);
    }
    if (rc != 0)
      unlink(tmp);
  }
  free(tmp);
  return rc;
}

int li_cc_fix_depfile(const char *path, const struct li_cc_map *maps, int n) {
  char *text;
  struct li_cc_buf out = {NULL, 0, 0};
  int rc;
  assert(path && (maps || n == 0));
  if (li_cc_read_all(path, &text) != 0)
    return errno == ENOENT ? 0 : -1;
  rc = li_cc_buf_add(&out, "", 0);
  if (rc == 0)
    rc = li_cc_rewrite(text, maps, n, &out);
  if (rc == 0 && strcmp(out.p, text) == 0)
    rc = 0; /* nothing of ours in it */
  else if (rc == 0)
    rc = li_cc_write_atomic(path, out.p, out.n) == 0 ? 1 : -1;
  free(text);
  free(out.p);
  return rc;
}
