/*
 * cc_paths.c — the project root and header directories lockinstr-cc passes
 * to the rewriter, and the splitting of its --print-include-flags line
 * (see cc_paths.h for the rules). Everything here is lexical except the
 * existence check of candidate header directories.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "cc_paths.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "text.h"

/* Returns 1 if SRC lies strictly under DIR (DIR non-NULL). */
static int li_cc_holds(const char *dir, const char *src) {
  return dir && li_path_under(src, dir) && strcmp(src, dir) != 0;
}

char *li_cc_pick_root(const char *root_env, const char *cwd, const char *top,
                      const char *src_abs) {
  if (li_cc_holds(root_env, src_abs))
    return li_xstrdup(root_env);
  if (!li_cc_holds(top, src_abs))
    top = NULL;
  if (li_cc_holds(cwd, src_abs) && (!top || strlen(cwd) < strlen(top)))
    top = cwd; /* both hold the source: the shorter is the higher */
  return top ? li_xstrdup(top) : li_path_dir(src_abs);
}

char *li_cc_config_for(const char *dir) {
  static const char *const names[] = {".lockinstr", NULL};
  char *d = li_path_find_up(dir, names, 0, ".git");
  char *r = d ? li_xasprintf("%s/.lockinstr", strcmp(d, "/") ? d : "") : NULL;
  free(d);
  return r;
}

/* Returns 1 if directory DIR marks the top of a project (cc_paths.h). */
static int li_cc_is_top(const char *dir) {
  static const char *const vcs[] = {".git", ".hg", ".svn", ".bzr", NULL};
  static const char *const files[] = {".lockinstr", "configure.ac",
                                      "configure.in", "configure", NULL};
  const char *const *n;
  for (n = vcs; *n; n++)
    if (li_path_holds(dir, *n, 1))
      return 1;
  for (n = files; *n; n++)
    if (li_path_holds(dir, *n, 0))
      return 1;
  return 0;
}

char *li_cc_project_top(const char *dir) {
  char *d = li_xstrdup(dir);
  while (!li_cc_is_top(d)) {
    char *up;
    if (strcmp(d, "/") == 0) {
      free(d);
      return NULL;
    }
    up = li_path_dir(d);
    free(d);
    d = up;
  }
  return d;
}

/* Returns 1 if DIR (normalised absolute) should be a --header-dir. */
static int li_cc_wanted_dir(const char *dir, const char *root,
                            const char *const *skip) {
  struct stat st;
  if (li_path_under(dir, root) || li_path_under(dir, "/usr"))
    return 0;
  for (; skip && *skip; skip++)
    if (li_path_under(dir, *skip))
      return 0;
  return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends a copy of S to the vector *V of *N entries. Returns 0 or -1. */
static int li_cc_vec_push(char ***v, int *n, const char *s, size_t len) {
  char **nv = realloc(*v, (size_t)(*n + 2) * sizeof **v);
  char *c;
  if (!nv)
    return -1;
  *v = nv;
  c = malloc(len + 1);
  if (!c)
    return -1;
  memcpy(c, s, len);
  c[len] = '\0';
  nv[(*n)++] = c;
  nv[*n] = NULL;
  return 0;
}

int li_cc_header_dirs(int argc, char *const *argv, const char *cwd,
                      const char *root, const char *const *skip, char ***out) {
  char **v = calloc(1, sizeof *v);
  int n = 0, i;
  if (!v)
    return -1;
  for (i = 0; i < argc; i++) {
    const char *a = argv[i], *dir = NULL;
    char *abs;
    int k, dup = 0;
    if (strncmp(a, "-I", 2) == 0)
      dir = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
    else if (strncmp(a, "-iquote", 7) == 0)
      dir = a[7] ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
    if (!dir || !dir[0] || strcmp(dir, "-") == 0)
      continue; /* -I- is an old gcc switch, not a directory */
    abs = li_path_abs(dir, cwd);
    for (k = 0; k < n; k++)
      dup |= strcmp(v[k], abs) == 0;
    if (!dup && li_cc_wanted_dir(abs, root, skip) &&
        li_cc_vec_push(&v, &n, abs, strlen(abs)) != 0) {
      free(abs);
      goto oom;
    }
    free(abs);
  }
  *out = v;
  return n;
oom:
  li_cc_free_vec(v);
  return -1;
}

int li_cc_split_words(const char *line, char ***out) {
  char **v = calloc(1, sizeof *v);
  char *w = malloc(strlen(line) + 1);
  int n = 0;
  if (!v || !w)
    goto oom;
  while (*line) {
    size_t len = 0;
    while (*line == ' ' || *line == '\t' || *line == '\n' || *line == '\r')
      line++;
    if (!*line)
      break;
    while (*line && *line != ' ' && *line != '\t' && *line != '\n' &&
           *line != '\r') {
      if (*line == '\'') {
        for (line++; *line && *line != '\''; line++)
          w[len++] = *line;
        if (*line)
          line++;
      } else if (*line == '\\' && line[1]) {
        w[len++] = line[1];
        line += 2;
      } else {
        w[len++] = *line++;
      }
    }
    if (li_cc_vec_push(&v, &n, w, len) != 0)
      goto oom;
  }
  free(w);
  *out = v;
  return n;
oom:
  free(w);
  li_cc_free_vec(v);
  return -1;
}

void li_cc_free_vec(char **v) {
  char **p;
  for (p = v; p && *p; p++)
    free(*p);
  free(v);
}
