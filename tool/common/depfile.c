/*
 * depfile.c — see depfile.h. The text is built in one buffer; duplicates
 * are found by comparing each path with the ones before it (a translation
 * unit reads hundreds of files, not millions: quadratic is cheaper than a
 * hash table here and keeps the output order the inclusion order).
 */
#include "depfile.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int li_depfile_escape(struct li_buf *b, const char *path) {
  assert(b && path);
  if (!*path || strpbrk(path, "\n\r"))
    return -EINVAL;
  size_t slashes = 0; /* backslashes just copied */
  for (const char *p = path; *p; p++) {
    char c = *p;
    if (c == ' ' || c == '\t') {
      for (; slashes; slashes--) /* 2N+1 backslashes + blank = N + blank */
        li_buf_add(b, "\\", 1);
      li_buf_add(b, "\\", 1);
    } else if (c == '#') {
      li_buf_add(b, "\\", 1);
    } else if (c == '$') {
      li_buf_add(b, "$", 1);
    }
    slashes = c == '\\' ? slashes + 1 : 0;
    li_buf_add(b, &c, 1);
  }
  return 0;
}

/* Returns 1 if deps[i] equals one of deps[0..i). */
static int seen_before(const char *const *deps, size_t i) {
  for (size_t k = 0; k < i; k++)
    if (strcmp(deps[k], deps[i]) == 0)
      return 1;
  return 0;
}

int li_depfile_text(const char *target, const char *const *deps, size_t n,
                    char **out, size_t *len, const char **bad) {
  struct li_buf b = {0};
  *out = NULL;
  *len = 0;
  *bad = target;
  if (li_depfile_escape(&b, target) != 0) {
    li_buf_free(&b);
    return -EINVAL;
  }
  li_buf_add(&b, ":", 1);
  for (size_t i = 0; i < n; i++) {
    if (seen_before(deps, i))
      continue;
    li_buf_add(&b, i ? " \\\n  " : " ", i ? 5 : 1);
    *bad = deps[i];
    if (li_depfile_escape(&b, deps[i]) != 0) {
      li_buf_free(&b);
      return -EINVAL;
    }
  }
  li_buf_add(&b, "\n", 1);
  *bad = NULL;
  *len = b.n;
  *out = li_buf_take(&b);
  return 0;
}
