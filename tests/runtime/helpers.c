/*
 * helpers.c — see helpers.h.
 */
#define _GNU_SOURCE
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lockinstr.h"

json_t *t_load(const char *path) {
  json_error_t err;
  json_t *j = json_load_file(path, 0, &err);
  if (!j)
    fail_msg("cannot parse %s: %s at line %d", path, err.text, err.line);
  assert_string_equal(json_string_value(json_object_get(j, "format")),
                      "lockinstr-profile");
  return j;
}

json_t *t_dump(void) {
  char path[] = "/tmp/lockinstr-test-XXXXXX";
  int fd = mkstemp(path), rc;
  json_t *j;
  assert_true(fd >= 0);
  close(fd);
  rc = lockinstr_dump(path);
  if (rc != 0)
    fail_msg("lockinstr_dump: %s", lockinstr_strerror(rc));
  j = t_load(path);
  unlink(path);
  return j;
}

json_t *t_site(json_t *profile, const char *api, unsigned int line) {
  json_t *sites = json_object_get(profile, "sites"), *s;
  size_t i;
  json_array_foreach(sites, i, s) {
    if (strcmp(json_string_value(json_object_get(s, "api")), api) == 0 &&
        json_integer_value(json_object_get(s, "line")) == (json_int_t)line)
      return s;
  }
  return NULL;
}

unsigned long long t_u64(json_t *obj, const char *path) {
  char buf[128], *tok, *save = NULL;
  json_t *j = obj;
  snprintf(buf, sizeof buf, "%s", path);
  for (tok = strtok_r(buf, ".", &save); tok && j;
       tok = strtok_r(NULL, ".", &save))
    j = json_object_get(j, tok);
  if (!j || !json_is_integer(j))
    fail_msg("no integer at %s", path);
  return (unsigned long long)json_integer_value(j);
}

unsigned long long t_site_u64(json_t *profile, const char *api,
                              unsigned int line, const char *path) {
  json_t *s = t_site(profile, api, line);
  if (!s)
    fail_msg("no %s site at line %u", api, line);
  return t_u64(s, path);
}

/* Reads a whole file (malloc'ed, NUL-terminated). */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  char *buf;
  long n;
  if (!f)
    return strdup("");
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = calloc(1, (size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
    buf[0] = '\0';
  fclose(f);
  return buf;
}

int t_run_child(const char *mode, const char *const *env, char **err) {
  char errpath[] = "/tmp/lockinstr-test-err-XXXXXX";
  int fd = mkstemp(errpath), status;
  pid_t pid;
  assert_true(fd >= 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *argv[3];
    size_t i;
    if (n <= 0)
      _exit(126);
    exe[n] = '\0';
    for (i = 0; env && env[i]; i++)
      putenv((char *)env[i]);
    dup2(fd, 2);
    argv[0] = exe;
    argv[1] = (char *)mode;
    argv[2] = NULL;
    execv(exe, argv);
    _exit(127);
  }
  close(fd);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (err)
    *err = slurp(errpath);
  unlink(errpath);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

char *t_tmpdir(void) {
  char *p = strdup("/tmp/lockinstr-test-dir-XXXXXX");
  assert_non_null(mkdtemp(p));
  return p;
}

unsigned long long t_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull +
         (unsigned long long)ts.tv_nsec;
}

void t_sleep_ns(unsigned long long ns) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ns / 1000000000ull);
  ts.tv_nsec = (long)(ns % 1000000000ull);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

double t_rel(double a, double b) {
  return fabs(a - b) / b;
}
