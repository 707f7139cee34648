/*
 * test_defaults.c — lockinstr_set_default_output / _quiet and the sample
 * rate set before initialisation, in child processes (this binary re-run
 * with a mode and extra environment). The parent drops LOCKINSTR_OUTPUT and
 * LOCKINSTR_QUIET from its environment first, so a child sees only what a
 * test gives it: the default set by the call applies when the variable is
 * unset, and the variable wins when set.
 *
 * Child environment: T_DEF_OUT (pattern for lockinstr_set_default_output),
 * T_DEF_QUIET (value for lockinstr_set_default_quiet), T_EARLY=1 (make the
 * calls from .preinit_array, before the runtime's constructor).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lifecycle.h"
#include "lockinstr.h"

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "main.c", "work", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "main.c", "work", "&mu",
                        "mu", ""),
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void work(unsigned int n) {
  unsigned int i;
  for (i = 0; i < n; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  }
}

/* ---- child side ------------------------------------------------------- */

static int early_ran, early_before_init, early_rc = -1;

/* Looks name up in envp (getenv does not work yet in .preinit_array). */
static const char *env_in(char **envp, const char *name) {
  size_t n = strlen(name);
  for (; envp && *envp; envp++)
    if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
      return *envp + n + 1;
  return NULL;
}

/* Makes the calls of T_DEF_OUT / T_DEF_QUIET; returns the output call's
 * result (0 when there was none). */
static int apply_defaults(char **envp) {
  const char *out = env_in(envp, "T_DEF_OUT"), *q = env_in(envp, "T_DEF_QUIET");
  int rc = 0;
  if (out)
    rc = lockinstr_set_default_output(out);
  if (q)
    lockinstr_set_default_quiet(atoi(q));
  return rc;
}

/* Runs before every constructor, the runtime's included: the runtime's
 * configuration is still all zeroes (output NULL). */
static void early(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  if (!env_in(envp, "T_EARLY"))
    return;
  early_ran = 1;
  early_before_init = li_config()->output == NULL;
  early_rc = apply_defaults(envp);
  lockinstr_set_sample_rate(7);
}
__attribute__((section(".preinit_array"),
               used)) static void (*const early_fn)(int, char **,
                                                    char **) = early;

static int child_main(const char *mode) {
  if (strcmp(mode, "late") == 0) {
    if (apply_defaults(environ) != 0)
      return 2;
    work(321);
    return 0; /* the exit handler writes the profile */
  }
  if (strcmp(mode, "early") == 0) {
    if (!early_ran || !early_before_init)
      return 3;
    if (early_rc != 0)
      return 4;
    if (lockinstr_get_sample_rate() != 7)
      return 5;
    work(55);
    return 0;
  }
  return 99;
}

/* ---- parent side ------------------------------------------------------ */

/* "NAME=dir/file" in buf. */
static const char *env_path(char *buf, size_t n, const char *name,
                            const char *dir, const char *file) {
  snprintf(buf, n, "%s=%s/%s", name, dir, file);
  return buf;
}

/* Loads path and checks it is the exit profile with n acquisitions at
 * line 10; removes the file. */
static void check_profile(const char *path, unsigned long long n) {
  json_t *p = t_load(path);
  assert_string_equal(json_string_value(json_object_get(p, "reason")), "exit");
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"), n);
  json_decref(p);
  assert_int_equal(unlink(path), 0);
}

static void default_output_used_when_env_unset(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {env_path(out, sizeof out, "T_DEF_OUT", dir, "def.json"),
                       "LOCKINSTR_SUMMARY=1", NULL};
  (void)state;
  assert_int_equal(t_run_child("late", env, &err), 0);
  snprintf(path, sizeof path, "%s/def.json", dir);
  check_profile(path, 321);
  /* a summary asked for: it names the configured file */
  snprintf(path, sizeof path, "lockinstr: profile written to %s/def.json", dir);
  assert_non_null(strstr(err, path));
  assert_int_equal(rmdir(dir), 0); /* nothing else was written there */
  free(dir);
  free(err);
}

static void env_output_wins(void **state) {
  char out[512], envout[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {
      env_path(out, sizeof out, "T_DEF_OUT", dir, "def.json"),
      env_path(envout, sizeof envout, "LOCKINSTR_OUTPUT", dir, "env.json"),
      "T_DEF_QUIET=1", NULL};
  (void)state;
  assert_int_equal(t_run_child("late", env, &err), 0);
  snprintf(path, sizeof path, "%s/def.json", dir);
  assert_int_equal(access(path, F_OK), -1);
  snprintf(path, sizeof path, "%s/env.json", dir);
  check_profile(path, 321);
  assert_string_equal(err, "");
  assert_int_equal(rmdir(dir), 0);
  free(dir);
  free(err);
}

static void quiet_default_suppresses_summary(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {env_path(out, sizeof out, "T_DEF_OUT", dir, "q.json"),
                       "T_DEF_QUIET=1", NULL};
  (void)state;
  assert_int_equal(t_run_child("late", env, &err), 0);
  assert_string_equal(err, "");
  snprintf(path, sizeof path, "%s/q.json", dir);
  check_profile(path, 321);
  assert_int_equal(rmdir(dir), 0);
  free(dir);
  free(err);
}

static void env_quiet_0_wins(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {env_path(out, sizeof out, "T_DEF_OUT", dir, "q0.json"),
                       "T_DEF_QUIET=1", "LOCKINSTR_QUIET=0", NULL};
  (void)state;
  assert_int_equal(t_run_child("late", env, &err), 0);
  snprintf(path, sizeof path, "lockinstr: profile written to %s/q0.json", dir);
  assert_non_null(strstr(err, path));
  assert_non_null(strstr(err, "main.c:10 work() mu [pthread_mutex_lock]"));
  snprintf(path, sizeof path, "%s/q0.json", dir);
  check_profile(path, 321);
  assert_int_equal(rmdir(dir), 0);
  free(dir);
  free(err);
}

/* Calls made before the runtime's initialisation survive it: the default
 * output, quiet and the sample rate (which initialisation used to reset to
 * LOCKINSTR_SAMPLE_RATE / 100). */
static void calls_before_init_survive_it(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {
      env_path(out, sizeof out, "T_DEF_OUT", dir, "early.%p.json"),
      "T_DEF_QUIET=1", "T_EARLY=1", "LOCKINSTR_SAMPLE_RATE=3", NULL};
  json_t *p;
  char *name;
  (void)state;
  assert_int_equal(t_run_child("early", env, &err), 0);
  assert_string_equal(err, "");
  /* %p expanded: the only file in dir starts with "early." */
  name = NULL;
  {
    FILE *ls;
    char cmd[600], line[512];
    snprintf(cmd, sizeof cmd, "ls %s", dir);
    ls = popen(cmd, "r");
    assert_non_null(ls);
    assert_non_null(fgets(line, sizeof line, ls));
    assert_null(fgets(path, sizeof path, ls));
    pclose(ls);
    line[strcspn(line, "\n")] = '\0';
    assert_int_equal(strncmp(line, "early.", 6), 0);
    assert_int_equal(strcmp(line + strlen(line) - 5, ".json"), 0);
    name = strdup(line);
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  p = t_load(path);
  assert_int_equal(t_u64(p, "sample_rate"), 7);
  json_decref(p);
  check_profile(path, 55);
  assert_int_equal(rmdir(dir), 0);
  free(name);
  free(dir);
  free(err);
}

static void bad_patterns_refused(void **state) {
  char *big = malloc(5000);
  (void)state;
  assert_int_equal(lockinstr_set_default_output(NULL), -EINVAL);
  assert_int_equal(lockinstr_set_default_output(""), -EINVAL);
  memset(big, 'x', 4999);
  big[4999] = '\0';
  assert_int_equal(lockinstr_set_default_output(big), -ENAMETOOLONG);
  free(big);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(default_output_used_when_env_unset),
      cmocka_unit_test(env_output_wins),
      cmocka_unit_test(quiet_default_suppresses_summary),
      cmocka_unit_test(env_quiet_0_wins),
      cmocka_unit_test(calls_before_init_survive_it),
      cmocka_unit_test(bad_patterns_refused),
  };
  if (argc > 1)
    return child_main(argv[1]);
  /* children see only what each test gives them */
  unsetenv("LOCKINSTR_OUTPUT");
  unsetenv("LOCKINSTR_QUIET");
  unsetenv("LOCKINSTR_SAMPLE_RATE");
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
