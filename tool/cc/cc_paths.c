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

/* Folds ".", ".." and "//" of absolute PATH in place ("/.." is "/"). */
static void li_cc_fold(char *path) {
  char *out = path, *in = path;
  assert(path[0] == '/');
  while (*in) {
    size_t len;
    while (*in == '/')
      in++;
    len = strcspn(in, "/");
    if (len == 0)
      break;
    if (len == 1 && in[0] == '.') {
      /* nothing */
    } else if (len == 2 && in[0] == '.' && in[1] == '.') {
      while (out > path && *--out != '/')
        ;
    } else {
      *out++ = '/';
      memmove(out, in, len);
      out += len;
    }
    in += len;
  }
  if (out == path)
    *out++ = '/';
  *out = '\0';
}

char *li_cc_path_abs(const char *path, const char *base) {
  size_t lp = strlen(path), lb = base ? strlen(base) : 0;
  char *s = malloc(lp + lb + 3);
  if (!s)
    return NULL;
  if (path[0] == '/' || !base) {
    s[0] = '/';
    memcpy(s + 1, path, lp + 1);
  } else {
    memcpy(s, base, lb);
    s[lb] = '/';
    memcpy(s + lb + 1, path, lp + 1);
  }
  li_cc_fold(s);
  return s;
}

int li_cc_path_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (strcmp(dir, "/") == 0)
    return path[0] == '/';
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *li_cc_pick_root(const char *root_env, const char *cwd,
                      const char *src_abs) {
  const char *slash;
  char *dir;
  if (root_env && li_cc_path_under(src_abs, root_env) &&
      strcmp(src_abs, root_env) != 0)
    return strdup(root_env);
  if (cwd && li_cc_path_under(src_abs, cwd) && strcmp(src_abs, cwd) != 0)
    return strdup(cwd);
  slash = strrchr(src_abs, '/');
  assert(slash);
  if (slash == src_abs)
    return strdup("/");
  dir = malloc((size_t)(slash - src_abs) + 1);
  if (dir) {
    memcpy(dir, src_abs, (size_t)(slash - src_abs));
    dir[slash - src_abs] = '\0';
  }
  return dir;
}

/* Returns 1 if DIR (normalised absolute) should be a --header-dir. */
static int li_cc_wanted_dir(const char *dir, const char *root,
                            const char *const *skip) {
  struct stat st;
  if (li_cc_path_under(dir, root) || li_cc_path_under(dir, "/usr"))
    return 0;
  for (; skip && *skip; skip++)
    if (li_cc_path_under(dir, *skip))
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
    abs = li_cc_path_abs(dir, cwd);
    if (!abs)
      goto oom;
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
