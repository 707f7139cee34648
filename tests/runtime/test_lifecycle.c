/*
 * test_lifecycle.c — the process-level behaviour, mostly in child
 * processes (this binary re-run with a mode and extra environment): the
 * profile and the summary at exit, a fork child's own profile, interval
 * and signal dumps, bad environment values, LOCKINSTR_DISABLE and
 * LOCKINSTR_EXCLUDE, and an unwritable output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "main.c", "work", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "main.c", "work", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 3, "vendor/lib.c", "lib",
                        "&mu", "mu", ""),
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void work(unsigned int n) {
  unsigned int i;
  for (i = 0; i < n; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  }
}

/* ---- child modes ------------------------------------------------------ */

static int child_main(const char *mode) {
  if (strcmp(mode, "exit") == 0) {
    work(1234);
    return 0; /* the exit handler writes the profile */
  }
  if (strcmp(mode, "interval") == 0) {
    work(1000);
    t_sleep_ns(450000000ull);
    _exit(0); /* no exit dump: only the interval ones exist */
  }
  if (strcmp(mode, "signal") == 0) {
    const char *out = getenv("LOCKINSTR_OUTPUT");
    int i;
    work(500);
    raise(SIGUSR2); /* LOCKINSTR_SIGNAL=USR2 */
    for (i = 0; i < 500 && access(out, F_OK) != 0; i++)
      t_sleep_ns(10000000ull);
    _exit(access(out, F_OK) == 0 ? 0 : 3); /* no exit dump */
  }
  if (strcmp(mode, "disabled") == 0) {
    work(10);
    /* run-time off: the wrappers are plain calls; sites never register */
    return lockinstr_enabled() == 0 && LI_SITE[0].id == 0 ? 0 : 1;
  }
  if (strcmp(mode, "exclude") == 0) {
    lockinstr_pthread_mutex_lock(&LI_SITE[2], &mu); /* excluded site */
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
    return 0;
  }
  return 99;
}

/* ---- tests -------------------------------------------------------------- */

/* "NAME=dir/file" in a static buffer. */
static const char *env_path(char *buf, size_t n, const char *name,
                            const char *dir, const char *file) {
  snprintf(buf, n, "%s=%s/%s", name, dir, file);
  return buf;
}

static void exit_writes_profile_and_summary(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {
      env_path(out, sizeof out, "LOCKINSTR_OUTPUT", dir, "%e-exit.json"),
      "LOCKINSTR_QUIET=0", NULL};
  json_t *p;
  (void)state;
  assert_int_equal(t_run_child("exit", env, &err), 0);
  snprintf(path, sizeof path, "%s/test_lifecycle-exit.json", dir);
  p = t_load(path);
  assert_string_equal(json_string_value(json_object_get(p, "reason")), "exit");
  assert_string_equal(json_string_value(json_object_get(p, "program")),
                      "test_lifecycle");
  assert_string_equal(
      json_string_value(json_array_get(json_object_get(p, "cmdline"), 1)),
      "exit");
  assert_int_equal(t_u64(p, "version"), 2);
  assert_int_equal(t_u64(p, "sample_rate"), 100);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"),
                   1234);
  assert_int_equal(t_u64(p, "threads"), 1);
  assert_non_null(strstr(err, "lockinstr: profile written to "));
  assert_non_null(strstr(err, "main.c:10 work() mu [pthread_mutex_lock]"));
  json_decref(p);
  unlink(path);
  rmdir(dir);
  free(dir);
  free(err);
}

/* Waits for child pid, which must exit 0, and loads the profile it wrote
 * at exit (its path goes to path[n]). */
static json_t *reap_child(pid_t pid, char *path, size_t n) {
  const char *dir = getenv("LI_TEST_OUT");
  int status;
  assert_non_null(dir);
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_int_equal(status, 0);
  snprintf(path, n, "%s/test_lifecycle.%ld.json", dir, (long)pid);
  return t_load(path);
}

static void fork_child_has_its_own_profile(void **state) {
  char path[512];
  pid_t pid;
  json_t *p;
  (void)state;
  lockinstr_reset();
  work(100);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    work(7);
    exit(0); /* writes LOCKINSTR_OUTPUT = %e.%p.json with the child's pid */
  }
  p = reap_child(pid, path, sizeof path);
  assert_int_equal(t_u64(p, "pid"), (unsigned long long)pid);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"), 7);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"), 7);
  assert_int_equal(t_u64(p, "threads"), 1);
  json_decref(p);
  unlink(path);
  p = t_dump(); /* the parent's own counts are untouched */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"),
                   100);
  assert_int_equal(t_u64(p, "pid"), (unsigned long long)getpid());
  json_decref(p);
}

/* A lock held across fork() with a sampled hold (rate 1): its held entry
 * carries flags, which the child drops (the hold was the parent's); the
 * child still holds the lock and its unlock must find it. */
static void fork_while_holding_a_sampled_lock(void **state) {
  unsigned long rate = lockinstr_set_sample_rate(1);
  char path[512];
  pid_t pid;
  json_t *p;
  (void)state;
  lockinstr_reset();
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
    work(3);
    exit(0);
  }
  lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  lockinstr_set_sample_rate(rate);
  p = reap_child(pid, path, sizeof path);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"), 4);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"), 3);
  json_decref(p);
  unlink(path);
}

/* Runs child `name` with LOCKINSTR_OUTPUT=<tmp>/<name>.json and `setting`,
 * and checks the profile it dumped: written for `reason`, `acq`
 * acquisitions at line 10, and no temporary file left beside it. */
static void expect_child_dump(const char *name, const char *setting,
                              const char *reason, unsigned long long acq) {
  char out[512], path[512], file[64];
  char *dir = t_tmpdir();
  json_t *p;
  snprintf(file, sizeof file, "%s.json", name);
  const char *env[] = {env_path(out, sizeof out, "LOCKINSTR_OUTPUT", dir, file),
                       setting, NULL};
  assert_int_equal(t_run_child(name, env, NULL), 0);
  snprintf(path, sizeof path, "%s/%s", dir, file);
  p = t_load(path);
  assert_string_equal(json_string_value(json_object_get(p, "reason")), reason);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"),
                   acq);
  json_decref(p);
  unlink(path);
  assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
  free(dir);
}

static void interval_dumps(void **state) {
  (void)state;
  expect_child_dump("interval", "LOCKINSTR_INTERVAL=0.1", "interval", 1000);
}

static void signal_dumps(void **state) {
  (void)state;
  expect_child_dump("signal", "LOCKINSTR_SIGNAL=USR2", "signal", 500);
}

static void bad_environment_values_warn_and_use_defaults(void **state) {
  char out[512], path[512], *err = NULL;
  char *dir = t_tmpdir();
  const char *env[] = {
      env_path(out, sizeof out, "LOCKINSTR_OUTPUT", dir, "env.json"),
      "LOCKINSTR_SAMPLE_RATE=lots", "LOCKINSTR_INTERVAL=-3",
      "LOCKINSTR_QUIET=maybe", NULL};
  json_t *p;
  (void)state;
  assert_int_equal(t_run_child("exit", env, &err), 0);
  assert_non_null(strstr(err, "lockinstr: warning: LOCKINSTR_SAMPLE_RATE="
                              "\"lots\" is not a whole number from 0 (off) to "
                              "1000000000; using the default (100)\n"));
  assert_non_null(strstr(err, "lockinstr: warning: LOCKINSTR_INTERVAL=\"-3\""));
  assert_non_null(strstr(err, "lockinstr: warning: LOCKINSTR_QUIET=\"maybe\""));
  /* QUIET fell back to the default: no summary on a stderr that is not a
   * terminal (a pipe here) */
  assert_null(strstr(err, "lockinstr: profile written to "));
  snprintf(path, sizeof path, "%s/env.json", dir);
  p = t_load(path);
  assert_int_equal(t_u64(p, "sample_rate"), 100);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"),
                   1234);
  json_decref(p);
  unlink(path);
  rmdir(dir);
  free(dir);
  free(err);
}

static void unwritable_output_one_message(void **state) {
  const char *env[] = {"LOCKINSTR_OUTPUT=/nonexistent-dir/x.json",
                       "LOCKINSTR_QUIET=1", "LOCKINSTR_INTERVAL=0.05", NULL};
  char *err = NULL, *first;
  (void)state;
  assert_int_equal(t_run_child("exit", env, &err), 0);
  first = strstr(err, "lockinstr: error: cannot write the profile "
                      "/nonexistent-dir/x.json: no such file or directory\n");
  assert_non_null(first);
  assert_null(strstr(first + 1, "lockinstr: error"));
  free(err);
  assert_int_equal(lockinstr_dump("/nonexistent-dir/y.json"), -ENOENT);
  assert_string_equal(lockinstr_strerror(-ENOENT), "no such file or directory");
}

static void disable_switch(void **state) {
  const char *env[] = {"LOCKINSTR_DISABLE=1", NULL};
  (void)state;
  assert_int_equal(t_run_child("disabled", env, NULL), 0);
}

static void exclude_globs(void **state) {
  char out[512], path[512];
  char *dir = t_tmpdir();
  const char *env[] = {
      env_path(out, sizeof out, "LOCKINSTR_OUTPUT", dir, "ex.json"),
      "LOCKINSTR_EXCLUDE=other/*,vendor/*", NULL};
  json_t *p;
  (void)state;
  assert_int_equal(t_run_child("exclude", env, NULL), 0);
  snprintf(path, sizeof path, "%s/ex.json", dir);
  p = t_load(path);
  assert_null(t_site(p, "pthread_mutex_lock", 20));
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  unlink(path);
  rmdir(dir);
  free(dir);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exit_writes_profile_and_summary),
      cmocka_unit_test(fork_child_has_its_own_profile),
      cmocka_unit_test(fork_while_holding_a_sampled_lock),
      cmocka_unit_test(interval_dumps),
      cmocka_unit_test(signal_dumps),
      cmocka_unit_test(bad_environment_values_warn_and_use_defaults),
      cmocka_unit_test(unwritable_output_one_message),
      cmocka_unit_test(disable_switch),
      cmocka_unit_test(exclude_globs),
  };
  if (argc > 1)
    return child_main(argv[1]);
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
