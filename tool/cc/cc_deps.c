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

#include "depfile.h"
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
 * whole-path map replaces it; a token under a prefix map is folded
 * (li_path_fold: the escaped form is fine, '/' and '.' are never escaped)
 * and the first prefix map it then lies under replaces its prefix (else
 * the folded path is kept). A quoted include rewritten relative to the
 * temporary directory ("TMP/1/src/../inc/x.h") thus becomes the real path.
 */
static void li_cc_emit_token(char *tok, size_t len, char **from, char **to,
                             const struct li_cc_map *maps, int n,
                             struct li_buf *out) {
  int i, folded = 0;
  for (i = 0; i < n; i++)
    if (!maps[i].prefix && strlen(from[i]) == len &&
        strncmp(tok, from[i], len) == 0) {
      li_buf_puts(out, to[i]);
      return;
    }
  for (i = 0; i < n && !folded; i++)
    if (maps[i].prefix && len >= strlen(from[i]) &&
        strncmp(tok, from[i], strlen(from[i])) == 0) {
      len = li_path_fold(tok, len);
      folded = 1;
    }
  for (i = 0; i < n && folded; i++) {
    size_t plen = strlen(from[i]);
    if (maps[i].prefix && len > plen && strncmp(tok, from[i], plen) == 0) {
      li_buf_puts(out, to[i]);
      li_buf_add(out, tok + plen, len - plen);
      return;
    }
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

/* The compiler breaks the line after the target when the first
 * prerequisite (the temporary copy) is long; once it is mapped back to a
 * short path, the first line reads as the compiler writes it without the
 * launcher: "TARGET: SOURCE ...". */
static void li_cc_join_first(struct li_buf *b) {
  char *colon = b->s ? strstr(b->s, ": \\\n") : NULL;
  size_t at, skip = 3;
  if (!colon || memchr(b->s, '\n', (size_t)(colon - b->s)))
    return; /* no rule, or not the target's line */
  at = (size_t)(colon - b->s) + 1;
  while (at + skip < b->n && b->s[at + skip] == ' ')
    skip++;
  if (at + skip >= b->n || b->s[at + skip] == '\n')
    return;
  memmove(b->s + at + 1, b->s + at + skip, b->n - at - skip + 1);
  b->n -= skip - 1;
}

/* Adds each path of EXTRA (NULL-terminated, or NULL) to the dependency
 * text in *OUT (see li_cc_fix_depfile). */
static void li_cc_add_extra(struct li_buf *out, const char *const *extra,
                            int phony) {
  for (; extra && *extra; extra++) {
    struct li_buf next = {0};
    if (li_depfile_add(out->s ? out->s : "", out->n, *extra, phony, &next) >
        0) {
      li_buf_free(out);
      *out = next;
    } else {
      li_buf_free(&next);
    }
  }
}

int li_cc_fix_depfile(const char *path, const struct li_cc_map *maps, int n,
                      const char *const *extra, int phony) {
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
  li_cc_join_first(&out);
  li_cc_add_extra(&out, extra, phony);
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

/* What li_cc_fix_one adds to each dependency file. */
struct li_cc_extra {
  const char **paths; /* NULL-terminated: the configuration files */
  int phony;          /* -MP */
};

/* Fixes one candidate dependency file (see li_cc_fix_deps). */
static void li_cc_fix_one(char *path, const struct li_cc_map *maps, int n,
                          const struct li_cc_extra *x) {
  if (li_cc_fix_depfile(path, maps, n, x->paths, x->phony) < 0)
    fprintf(stderr, LI_CC_ME ": warning: %s: cannot fix dependency file: %s\n",
            path, strerror(errno));
  free(path);
}

/* Returns the distinct configuration files of IN[0..NIN) (NULL-terminated;
 * the strings are borrowed). */
static const char **li_cc_configs(const struct li_cc_input *in, int nin) {
  const char **v = calloc((size_t)nin + 1, sizeof *v);
  int n = 0, j, k;
  if (!v)
    li_cc_die("out of memory");
  for (j = 0; j < nin; j++) {
    int dup = 0;
    for (k = 0; k < n && in[j].config; k++)
      dup |= strcmp(v[k], in[j].config) == 0;
    if (in[j].config && !dup)
      v[n++] = in[j].config;
  }
  return v;
}

/* Fixes every dependency file the compiler may have written (see
 * li_cc_fix_deps) with MAPS[0..n) and X. */
static void li_cc_fix_files(const struct li_cc_cmd *cmd,
                            const struct li_cc_input *in, int nin,
                            const struct li_cc_map *maps, int n,
                            const struct li_cc_extra *x) {
  int j;
  if (cmd->depfile) {
    li_cc_fix_one(li_cc_cat(cmd->depfile, NULL, NULL, NULL), maps, n, x);
  } else if (cmd->output) {
    char *stem = li_cc_strip_ext(cmd->output);
    li_cc_fix_one(li_cc_cat(stem, ".d", NULL, NULL), maps, n, x);
    for (j = 0; j < nin && cmd->mode == LI_CC_LINK; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(cmd->output, "-", ist, ".d"), maps, n, x);
      free(ist);
    }
    free(stem);
  } else {
    for (j = 0; j < nin; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(ist, ".d", NULL, NULL), maps, n, x);
      free(ist);
    }
  }
}

void li_cc_fix_deps(const struct li_cc_cmd *cmd, const struct li_cc_input *in,
                    int nin, const char *env_cwd) {
  struct li_cc_map *maps = calloc((size_t)nin * 4 + 1, sizeof *maps);
  char **tofree = calloc((size_t)nin + 1, sizeof *tofree);
  char **tofree2 = calloc((size_t)nin + 1, sizeof *tofree2);
  char **tofree3 = calloc((size_t)nin + 1, sizeof *tofree3);
  struct li_cc_extra x;
  int n = 0, j;
  if (!maps || !tofree || !tofree2 || !tofree3)
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
    /* relative under the working directory, as the compiler would have
     * named the originals; absolute elsewhere under the root */
    if (li_path_under(env_cwd, in[j].root) && strcmp(env_cwd, in[j].root)) {
      tofree3[j] = li_cc_cat(
          in[j].outdir, "/",
          env_cwd + strlen(in[j].root) + (strcmp(in[j].root, "/") != 0), "/");
      maps[n++] =
          (struct li_cc_map){tofree3[j], li_cc_cat("", NULL, NULL, NULL), 1};
    }
    tofree[j] = li_cc_cat(in[j].outdir, "/", NULL, NULL);
    maps[n++] = (struct li_cc_map){tofree[j],
                                   strcmp(in[j].root, env_cwd) == 0
                                       ? li_cc_cat("", NULL, NULL, NULL)
                                       : li_cc_cat(in[j].root, "/", NULL, NULL),
                                   1};
  }
  x.paths = li_cc_configs(in, nin);
  x.phony = cmd->phony;
  li_cc_fix_files(cmd, in, nin, maps, n, &x);
  for (j = 0; j < n; j++)
    if (maps[j].prefix)
      free((char *)maps[j].to);
  for (j = 0; j < nin; j++) {
    free(tofree[j]);
    free(tofree2[j]);
    free(tofree3[j]);
  }
  free(x.paths);
  free(tofree);
  free(tofree2);
  free(tofree3);
  free(maps);
}
