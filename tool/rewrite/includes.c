/*
 * includes.c — see includes.h.
 *
 * The text is scanned line by line for `# include "..."` (blanks allowed
 * around the '#'); the spelled name is resolved against the original's
 * directory, and only an existing regular file there is re-pointed (an
 * include found through -I is the compiler's business and stays).
 */
#include "includes.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edit.h"
#include "paths.h"
#include "text.h"

/* Returns the offset after the blanks (space, tab) at s[i..eol). */
static size_t blanks(const char *s, size_t i, size_t eol) {
  while (i < eol && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

/* If s[at..eol) is a quoted include, returns the offset of its opening
 * '"' and sets *n to the length of the name; else returns (size_t)-1. */
static size_t quoted_include(const char *s, size_t at, size_t eol, size_t *n) {
  size_t i = blanks(s, at, eol);
  if (i >= eol || s[i] != '#')
    return (size_t)-1;
  i = blanks(s, i + 1, eol);
  if (eol - i <= 7 || strncmp(s + i, "include", 7) != 0)
    return (size_t)-1;
  i = blanks(s, i + 7, eol);
  const char *q =
      i < eol && s[i] == '"' ? memchr(s + i + 1, '"', eol - i - 1) : NULL;
  if (!q)
    return (size_t)-1;
  *n = (size_t)(q - s) - i - 1;
  return i;
}

/* Returns how out_dir should spell to: relative, unless the two trees
 * share nothing but "/". New string. */
static char *spelling(const char *out_dir, const char *to) {
  const char *top = strchr(to + 1, '/');
  if (top && strncmp(out_dir, to, (size_t)(top - to) + 1) == 0)
    return li_path_rel(out_dir, to);
  return li_xstrdup(to);
}

/* Adds the edit of the include naming spelled (at s[q + 1]), if the name
 * resolves through in_dir and must change. */
static void repoint(const char *spelled, size_t q, const char *in_dir,
                    const char *out_dir,
                    char *(*target)(const char *abs, void *arg), void *arg,
                    struct li_edits *ed) {
  char *hdr = li_path_abs(spelled, in_dir);
  struct stat st;
  if (stat(hdr, &st) == 0 && S_ISREG(st.st_mode)) {
    char *to = target ? target(hdr, arg) : li_xstrdup(hdr);
    char *rel = spelling(out_dir, to);
    if (strcmp(rel, spelled) != 0 && !strpbrk(rel, "\"\n"))
      li_edits_add(ed, q + 1, strlen(spelled), rel);
    free(rel);
    free(to);
  }
  free(hdr);
}

void li_include_edits(const char *buf, size_t len, const char *in_abs,
                      const char *out_abs,
                      char *(*target)(const char *abs, void *arg), void *arg,
                      struct li_edits *ed) {
  char *in_dir = li_path_dir(in_abs);
  char *out_dir = li_path_dir(out_abs);
  for (size_t at = 0; at < len;) {
    size_t eol = at;
    while (eol < len && buf[eol] != '\n')
      eol++;
    size_t n;
    size_t q = quoted_include(buf, at, eol, &n);
    if (q != (size_t)-1) {
      char *spelled = li_xstrndup(buf + q + 1, n);
      repoint(spelled, q, in_dir, out_dir, target, arg, ed);
      free(spelled);
    }
    at = eol + 1;
  }
  free(in_dir);
  free(out_dir);
}
