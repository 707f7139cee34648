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

/* Folds "." and ".." and repeated slashes of an absolute path in place. */
static void normalise(char *p) {
  assert(p[0] == '/');
  char *w = p; /* write position; p[0] stays '/' */
  const char *r = p;
  while (*r) {
    while (*r == '/')
      r++;
    const char *seg = r;
    while (*r && *r != '/')
      r++;
    size_t n = (size_t)(r - seg);
    if (n == 0 || (n == 1 && seg[0] == '.'))
      continue;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
      if (w > p) /* back to the '/' that starts the last segment */
        w--;
      while (w > p && *w != '/')
        w--;
      continue;
    }
    *w++ = '/';
    memmove(w, seg, n);
    w += n;
  }
  if (w == p)
    *w++ = '/';
  *w = '\0';
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
  normalise(res);
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
