/*
 * cc_util.c — lockinstr-cc's small helpers: fatal errors, string
 * concatenation, existence checks, environment switches, and reading the
 * rewriter's logs (see cc_launcher.h). The rewriter always runs with
 * --verbose, its stderr in a log: the launcher reads from the log what the
 * user must hear about (the first error, the calls left uninstrumented)
 * and shows the whole log only when asked (LOCKINSTR_CC_VERBOSE).
 */
#define _GNU_SOURCE 1 /* getline in strict C11 mode */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cc_launcher.h"

_Noreturn void li_cc_die(const char *what) {
  fprintf(stderr, LI_CC_ME ": error: %s: %s\n", what, strerror(errno));
  exit(1);
}

char *li_cc_cat(const char *a, const char *b, const char *c, const char *d) {
  const char *parts[4] = {a, b, c, d};
  size_t len = 1, off = 0;
  char *s;
  int i;
  for (i = 0; i < 4; i++)
    len += parts[i] ? strlen(parts[i]) : 0;
  s = malloc(len);
  if (!s)
    li_cc_die("out of memory");
  for (i = 0; i < 4; i++)
    if (parts[i]) {
      memcpy(s + off, parts[i], strlen(parts[i]));
      off += strlen(parts[i]);
    }
  s[off] = '\0';
  return s;
}

int li_cc_exists(const char *path, int exec) {
  return path && path[0] && access(path, exec ? X_OK : F_OK) == 0;
}

int li_cc_env_on(const char *name) {
  const char *v = getenv(name);
  return v && v[0] && strcmp(v, "0") != 0;
}

const char *li_cc_base(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

char *li_cc_read_line(const char *file) {
  FILE *f = fopen(file, "r");
  char *line = NULL;
  size_t cap = 0;
  if (!f || getline(&line, &cap, f) < 0) {
    free(line);
    line = li_cc_cat("", NULL, NULL, NULL);
  }
  if (f)
    fclose(f);
  return line;
}

char *li_cc_log_reason(const char *log) {
  FILE *f = fopen(log, "r");
  char first[1024] = "";
  if (f) {
    char line[1024];
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\r\n")] = '\0';
      if (!first[0] && line[0])
        snprintf(first, sizeof first, "%s", line);
      if (strstr(line, "error")) {
        snprintf(first, sizeof first, "%s", line);
        break;
      }
    }
    fclose(f);
  }
  return li_cc_cat(first[0] ? first : "lockinstr failed without a message",
                   NULL, NULL, NULL);
}

void li_cc_dump_log(const char *log) {
  FILE *f = fopen(log, "r");
  char buf[4096];
  size_t n;
  if (!f)
    return;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    fwrite(buf, 1, n, stderr);
  fclose(f);
}

/* The prefix of the rewriter's note on a call it did not instrument:
 * "FILE:LINE:COL: note: not instrumented: REASON". */
static const char li_cc_lost_note[] = ": note: not instrumented: ";

int li_cc_log_lost(const char *log, char **first) {
  FILE *f = fopen(log, "r");
  char line[1024];
  int n = 0;
  *first = NULL;
  if (!f)
    return 0;
  while (fgets(line, sizeof line, f)) {
    char *note = strstr(line, li_cc_lost_note);
    if (!note)
      continue;
    line[strcspn(line, "\r\n")] = '\0';
    if (n++ == 0) { /* "FILE:LINE:COL: REASON" */
      *note = '\0';
      *first = li_cc_cat(line, ": ", note + sizeof li_cc_lost_note - 1, NULL);
    }
  }
  fclose(f);
  return n;
}

void li_cc_print_lines(const char *log, int (*keep)(const char *line)) {
  FILE *f = fopen(log, "r");
  char line[4096];
  if (!f)
    return;
  while (fgets(line, sizeof line, f))
    if (keep(line))
      fputs(line, stderr);
  fclose(f);
}

/* Returns 1 for a diagnostic line of the rewriter's log (see
 * li_cc_dump_diags). */
static int li_cc_is_diag(const char *line) {
  return (strncmp(line, "lockinstr: ", 11) != 0 || strstr(line, "error") ||
          strstr(line, "warning")) &&
         !strstr(line, li_cc_lost_note);
}

void li_cc_dump_diags(const char *log) {
  li_cc_print_lines(log, li_cc_is_diag);
}
