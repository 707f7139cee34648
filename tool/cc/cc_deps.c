/*
 * cc_deps.c — dependency-file fix-up for lockinstr-cc (see cc_deps.h).
 *
 * The file is small (one line per header), so it is read whole, rebuilt in
 * memory with every mapped path replaced, and written back atomically
 * (output.h): make never sees half a dependency file. li_cc_fix_deps
 * works out which files the compiler wrote and what to map in them.
 */
#include "cc_deps.h"
#include "cc_launcher.h"

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

/* Strips the suffix (after the last '.' of the basename) off PATH. */
static char *li_cc_strip_ext(const char *path) {
  char *s = li_cc_cat(path, NULL, NULL, NULL);
  char *dot = strrchr(s, '.');
  if (dot && dot > s + (li_cc_base(s) - s))
    *dot = '\0';
  return s;
}

/* Fixes one candidate dependency file (see li_cc_fix_deps). */
static void li_cc_fix_one(char *path, const struct li_cc_map *maps, int n) {
  if (li_cc_fix_depfile(path, maps, n) < 0)
    fprintf(stderr, LI_CC_ME ": warning: %s: cannot fix dependency file: %s\n",
            path, strerror(errno));
  free(path);
}

void li_cc_fix_deps(const struct li_cc_cmd *cmd, const struct li_cc_input *in,
                    int nin, const char *env_cwd) {
  struct li_cc_map *maps = calloc((size_t)nin * 3 + 1, sizeof *maps);
  char **tofree = calloc((size_t)nin + 1, sizeof *tofree);
  char **tofree2 = calloc((size_t)nin + 1, sizeof *tofree2);
  int n = 0, j;
  if (!maps || !tofree || !tofree2)
    li_cc_die("out of memory");
  for (j = 0; j < nin; j++) {
    if (!in[j].ok)
      continue;
    maps[n++] = (struct li_cc_map){in[j].out, cmd->argv[in[j].arg], 0};
    /* header copies from a --header-dir outside the root: first, since a
     * prefix map applies in order */
    tofree2[j] = li_cc_cat(in[j].outdir, "/_abs/", NULL, NULL);
    maps[n++] =
        (struct li_cc_map){tofree2[j], li_cc_cat("/", NULL, NULL, NULL), 1};
    tofree[j] = li_cc_cat(in[j].outdir, "/", NULL, NULL);
    /* relative when the root is the working directory, as the compiler
     * would have named the originals */
    maps[n++] = (struct li_cc_map){tofree[j],
                                   strcmp(in[j].root, env_cwd) == 0
                                       ? li_cc_cat("", NULL, NULL, NULL)
                                       : li_cc_cat(in[j].root, "/", NULL, NULL),
                                   1};
  }
  if (cmd->depfile) {
    li_cc_fix_one(li_cc_cat(cmd->depfile, NULL, NULL, NULL), maps, n);
  } else if (cmd->output) {
    char *stem = li_cc_strip_ext(cmd->output);
    li_cc_fix_one(li_cc_cat(stem, ".d", NULL, NULL), maps, n);
    for (j = 0; j < nin && cmd->mode == LI_CC_LINK; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(cmd->output, "-", ist, ".d"), maps, n);
      free(ist);
    }
    free(stem);
  } else {
    for (j = 0; j < nin; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(ist, ".d", NULL, NULL), maps, n);
      free(ist);
    }
  }
  for (j = 0; j < n; j++)
    if (maps[j].prefix)
      free((char *)maps[j].to);
  for (j = 0; j < nin; j++) {
    free(tofree[j]);
    free(tofree2[j]);
  }
  free(tofree);
  free(tofree2);
  free(maps);
}
