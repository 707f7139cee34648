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

/* Returns the length of text[0..len)'s first rule: up to its first newline
 * that is not escaped by a backslash (or all of it). */
static size_t first_rule_len(const char *text, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n' && !(i > 0 && text[i - 1] == '\\') &&
        !(i > 1 && text[i - 1] == '\r' && text[i - 2] == '\\'))
      return i;
  return len;
}

/* Returns 1 if the escaped path E is a whole word of RULE[0..n). */
static int has_word(const char *rule, size_t n, const char *e, size_t elen) {
  for (size_t i = 0; i + elen <= n; i++)
    if (memcmp(rule + i, e, elen) == 0 &&
        (i == 0 || strchr(" \t\n", rule[i - 1])) &&
        (i + elen == n || strchr(" \t\r\n\\", rule[i + elen])))
      return 1;
  return 0;
}

int li_depfile_add(const char *text, size_t len, const char *dep, int phony,
                   struct li_buf *out) {
  struct li_buf e = {0};
  if (li_depfile_escape(&e, dep) != 0)
    return -EINVAL;
  size_t rule = first_rule_len(text, len);
  int add = memchr(text, ':', rule) != NULL && !has_word(text, rule, e.s, e.n);
  li_buf_add(out, text, rule);
  if (add) {
    li_buf_add(out, " \\\n ", 4);
    li_buf_add(out, e.s, e.n);
  }
  li_buf_add(out, text + rule, len - rule);
  if (add && phony) {
    if (len > 0 && text[len - 1] != '\n')
      li_buf_add(out, "\n", 1);
    li_buf_add(out, "\n", 1);
    li_buf_add(out, e.s, e.n);
    li_buf_add(out, ":\n", 2);
  }
  li_buf_free(&e);
  return add;
}
