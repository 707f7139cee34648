/*
 * paths.c — see paths.h.
 */
#include "paths.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

/* Appends component seg[0..n) to the folded path p[0..*out), after a '/'
 * unless the path is still empty (or just the root "/", base 1). */
static void fold_push(char *p, size_t *out, size_t base, const char *seg,
                      size_t n) {
  if (*out > base)
    p[(*out)++] = '/';
  memmove(p + *out, seg, n);
  *out += n;
}

size_t li_path_fold(char *p, size_t len) {
  size_t base = len > 0 && p[0] == '/'; /* the root stays */
  size_t keep = base; /* p[0..keep): root or leading "..", never popped */
  size_t out = base, in = 0;
  while (in < len) {
    while (in < len && p[in] == '/')
      in++;
    size_t seg = in;
    while (in < len && p[in] != '/')
      in++;
    size_t n = in - seg;
    if (n == 0 || (n == 1 && p[seg] == '.'))
      continue;
    if (n == 2 && p[seg] == '.' && p[seg + 1] == '.') {
      if (out > keep) { /* drop the last component and its '/' */
        while (out > keep && p[out - 1] != '/')
          out--;
        out -= out > keep;
        continue;
      }
      if (base) /* "/.." is "/" */
        continue;
    }
    fold_push(p, &out, base, p + seg, n);
    if (n == 2 && p[seg] == '.' && p[seg + 1] == '.')
      keep = out; /* a relative path's leading ".." */
  }
  if (out == 0 && len > 0)
    p[out++] = '.';
  return out;
}

char *li_path_abs(const char *path, const char *base) {
  char *res;
  if (path[0] == '/') {
    res = li_xstrdup(path);
  } else {
    char cwd[PATH_MAX];
    if (!base) {
      if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "/");
      base = cwd;
    }
    res = li_xasprintf("%s/%s", base, path);
  }
  res[li_path_fold(res, strlen(res))] = '\0';
  return res;
}

char *li_path_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  assert(slash);
  if (slash == path)
    return li_xstrdup("/");
  return li_xstrndup(path, (size_t)(slash - path));
}

int li_path_under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1)
    return 1; /* everything is under "/" */
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

char *li_path_rel(const char *from_dir, const char *to) {
  if (strcmp(from_dir, "/") == 0)
    return li_xstrdup(to[1] ? to + 1 : ".");
  /* Find the longest common directory prefix. */
  size_t common = 0;
  for (size_t i = 0;; i++) {
    char a = from_dir[i], b = to[i];
    if ((a == '/' || a == '\0') && (b == '/' || b == '\0'))
      common = i;
    if (a != b || a == '\0')
      break;
  }
  struct li_buf b = {0};
  for (const char *p = from_dir + common; *p; p++)
    if (*p == '/')
      li_buf_puts(&b, "../");
  const char *rest = to + common;
  if (*rest == '/')
    rest++;
  li_buf_puts(&b, rest);
  if (b.n == 0)
    li_buf_puts(&b, ".");
  else if (b.s[b.n - 1] == '/')
    b.s[--b.n] = '\0';
  return li_buf_take(&b);
}

int li_mkdir_p(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0)
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
  char *parent = li_path_dir(path);
  int rc = strcmp(parent, path) ? li_mkdir_p(parent) : 0;
  free(parent);
  if (rc)
    return rc;
  if (mkdir(path, 0777) != 0 && errno != EEXIST)
    return -errno;
  return 0;
}

char *li_path_display(const char *path) {
  char cwd[PATH_MAX];
  if (path[0] == '/' && getcwd(cwd, sizeof cwd)) {
    char *abs = li_path_abs(path, NULL);
    if (li_path_under(abs, cwd) && strcmp(abs, cwd) != 0) {
      char *rel = li_path_rel(cwd, abs);
      free(abs);
      return rel;
    }
    free(abs);
  }
  return li_xstrdup(path);
}

int li_path_same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

int li_path_holds(const char *dir, const char *name, int any) {
  char *p = li_xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
  struct stat st;
  int r = stat(p, &st) == 0 && (any || S_ISREG(st.st_mode));
  free(p);
  return r;
}

char *li_path_find_up(const char *dir, const char *const *names, int any,
                      const char *stop) {
  char *d = li_xstrdup(dir);
  for (;;) {
    const char *const *n;
    for (n = names; *n; n++)
      if (li_path_holds(d, *n, any))
        return d;
    if ((stop && li_path_holds(d, stop, 1)) || strcmp(d, "/") == 0)
      break;
    char *up = li_path_dir(d);
    free(d);
    d = up;
  }
  free(d);
  return NULL;
}
