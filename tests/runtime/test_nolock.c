/*
 * test_nolock.c — a process that takes no instrumented lock (`prog
 * --version`) leaves no profile, prints nothing and never calibrates the
 * clock (issue #18 item 6, issue #24 item 5); one that takes a lock
 * writes its profile, also into a directory named by LOCKINSTR_OUTPUT.
 *
 * The children report li_clock_calibrations() from a destructor, which
 * runs after the runtime's exit handler (registered later, by the
 * runtime's constructor, so run first); it is the only line on their
 * stderr, so anything else the runtime printed shows too.
 */
#define _GNU_SOURCE
#include <dirent.h>
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

#include "clock.h"
#include "helpers.h"
#include "lockinstr.h"
#include "lockinstr_pthread.h"

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "nolock.c", "work", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "nolock.c", "work",
                        "&mu", "mu", ""),
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int child; /* this process is a child: report at exit */

__attribute__((destructor)) static void report(void) {
  if (child)
    fprintf(stderr, "calibrations %lu\n", li_clock_calibrations());
}

/* The number of entries in dir (not . and ..); *name gets the last. */
static int entries(const char *dir, char *name, size_t n) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int k = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      snprintf(name, n, "%s", e->d_name);
      k++;
    }
  closedir(d);
  return k;
}

/* Runs the child `mode` with LOCKINSTR_OUTPUT=dir + suffix; returns its
 * stderr. */
static char *run(const char *mode, const char *dir, const char *suffix) {
  char out[600], *err = NULL;
  const char *env[] = {out, "LOCKINSTR_SAMPLE_RATE=1",
                       "LOCKINSTR_QUIET=", NULL};
  snprintf(out, sizeof out, "LOCKINSTR_OUTPUT=%s%s", dir, suffix);
  assert_int_equal(t_run_child(mode, env, &err), 0);
  assert_non_null(err);
  return err;
}

static void no_lock_no_profile_no_output(void **state) {
  char name[256], *dir = t_tmpdir();
  char *err = run("nolock", dir, "/");
  (void)state;
  assert_string_equal(err, "calibrations 0\n");
  assert_int_equal(entries(dir, name, sizeof name), 0);
  free(err);
  assert_int_equal(rmdir(dir), 0);
  free(dir);
}

/* A profile at dir/lockinstr.<pid>.json with the child's one
 * acquisition; removed. */
static void check_one_profile(const char *dir) {
  char name[256], path[600];
  json_t *p;
  assert_int_equal(entries(dir, name, sizeof name), 1);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  p = t_load(path);
  snprintf(path, sizeof path, "lockinstr.%llu.json", t_u64(p, "pid"));
  assert_string_equal(name, path);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "hold.samples"), 1);
  json_decref(p);
  snprintf(path, sizeof path, "%s/%s", dir, name);
  assert_int_equal(unlink(path), 0);
}

static void lock_writes_a_profile_in_the_directory(void **state) {
  char *dir = t_tmpdir();
  char *err = run("lock", dir, "/"); /* a value ending in '/' */
  (void)state;
  /* one sampled hold to convert: one calibration with the TSC */
  assert_true(strcmp(err, "calibrations 1\n") == 0 ||
              (!li_shared.clock_tsc && strcmp(err, "calibrations 0\n") == 0));
  free(err);
  check_one_profile(dir);
  err = run("lock", dir, ""); /* an existing directory */
  free(err);
  check_one_profile(dir);
  assert_int_equal(rmdir(dir), 0);
  free(dir);
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(no_lock_no_profile_no_output),
      cmocka_unit_test(lock_writes_a_profile_in_the_directory),
  };
  if (argc > 1) { /* a child: "nolock" (like --version) or "lock" */
    child = 1;
    if (strcmp(argv[1], "lock") == 0) {
      lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
      lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
    }
    return 0;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
