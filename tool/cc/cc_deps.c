/*
 * cc_deps.c — dependency-file fix-up for lockinstr-cc (see cc_deps.h).
 *
 * The file is small (one line per header), so it is read whole, rebuilt in
 * memory with every mapped path replaced, and written back atomically
 * (output.h): make never sees half a dependency file.
 */
#include "cc_deps.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "paths.h"
#include "text.h"

/* Appends PATH escaped the way gcc writes it in a make rule to B. */
static void li_cc_make_escape(struct li_buf *b, const char *path) {
  const char *s;
  for (s = path; *s; s++) {
    const char *e = *s == ' '   ? "\\ "
                    : *s == '#' ? "\\#"
                    : *s == '$' ? "$$"
                                : NULL;
    li_buf_add(b, e ? e : s, e ? 2 : 1);
  }
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
 * Appends the token TOK (LEN bytes) to OUT after applying the maps: a
 * whole-path map replaces it; a prefix map replaces the prefix of the
 * folded path (li_path_fold: the escaped form is fine, '/' and '.' are
 * never escaped) if the path still lies under it, else the folded path is
 * kept. A quoted include rewritten relative to the temporary directory
 * ("TMP/1/../../src/x.h") thus becomes the real path.
 */
static void li_cc_emit_token(char *tok, size_t len, char **from, char **to,
                             const struct li_cc_map *maps, int n,
                             struct li_buf *out) {
  int i;
  for (i = 0; i < n; i++)
    if (!maps[i].prefix && strlen(from[i]) == len &&
        strncmp(tok, from[i], len) == 0) {
      li_buf_puts(out, to[i]);
      return;
    }
  for (i = 0; i < n; i++) {
    size_t plen = strlen(from[i]);
    if (!maps[i].prefix || len < plen || strncmp(tok, from[i], plen) != 0)
      continue;
    len = li_path_fold(tok, len);
    if (len > plen && strncmp(tok, from[i], plen) == 0) {
      li_buf_puts(out, to[i]);
      li_buf_add(out, tok + plen, len - plen);
      return;
    }
    break;
  }
  li_buf_add(out, tok, len);
}

/* Builds the fixed-up TEXT into OUT. */
static void li_cc_rewrite(char *text, const struct li_cc_map *maps, int n,
                          struct li_buf *out) {
  char **from = li_xmalloc(((size_t)n + 1) * sizeof *from);
  char **to = li_xmalloc(((size_t)n + 1) * sizeof *to);
  int i;
  for (i = 0; i < n; i++) {
    struct li_buf f = {0}, t = {0};
    li_cc_make_escape(&f, maps[i].from);
    li_cc_make_escape(&t, maps[i].to);
    from[i] = li_buf_take(&f);
    to[i] = li_buf_take(&t);
  }
  while (*text) {
    size_t len = li_cc_token_len(text);
    if (len > 0)
      li_cc_emit_token(text, len, from, to, maps, n, out);
    else
      li_buf_add(out, text, 1);
    text += len ? len : 1;
  }
  for (i = 0; i < n; i++) {
    free(from[i]);
    free(to[i]);
  }
  free(from);
  free(to);
}

int li_cc_fix_depfile(const char *path, const struct li_cc_map *maps, int n) {
  char *text;
  size_t len;
  struct li_buf out = {0};
  int rc;
  assert(path && (maps || n == 0));
  rc = li_read_file(path, &text, &len);
  if (rc != 0) {
    errno = -rc;
    return rc == -ENOENT ? 0 : -1;
  }
  li_cc_rewrite(text, maps, n, &out);
  rc = 0; /* unchanged: nothing of ours in it */
  if (out.n != len || (len > 0 && memcmp(out.s, text, len) != 0)) {
    rc = li_write_atomic(path, out.s, out.n);
    errno = -rc;
    rc = rc == 0 ? 1 : -1;
  }
  free(text);
  li_buf_free(&out);
  return rc;
}
