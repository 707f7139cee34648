/*
 * test_huge.c — a 100 MB profile: refused over --max-input with the
 * documented message (before it is read, for a file; at the cap, for a
 * pipe), and read with a raised limit in bounded memory.
 *
 * The profile is generated at test time in the build directory (never
 * committed) and removed afterwards: 100 MiB of distinct sites (each with
 * realistic wait and hold histograms) and a lock-order ring through 50
 * classes. Each run's peak RSS is taken from wait4()'s rusage; the bound
 * asserted is on the growth over the command's own baseline (`--help`),
 * because the lockinstr executable maps libclang (about 60 MB) before it
 * reads anything. Under sanitizers (LI_SANITIZED) the numbers are printed
 * but not asserted: ASan's shadow memory and quarantine are not ours.
 *
 * Usage: test_report_huge WORKDIR COMMAND...
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define HUGE_BYTES ((long)100 << 20) /* 100 MiB */
#define RSS_FACTOR 3                 /* peak growth at most 3x the input */

static char **cmd;
static int ncmd;
static long nsites;   /* sites in the generated profile */
static long baseline; /* KiB: peak RSS of `COMMAND --help` */

struct run {
  int rc;
  long rss_kib; /* peak resident set of the child */
  char err[512];
};

/* Starts a child that copies file into a new pipe; returns its read end
 * and the child's pid in *writer. */
static int pipe_from(const char *file, pid_t *writer) {
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  *writer = fork();
  assert_true(*writer >= 0);
  if (*writer == 0) {
    close(fds[0]);
    if (dup2(fds[1], 1) < 0)
      _exit(127);
    execlp("cat", "cat", file, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  return fds[0];
}

/* Runs COMMAND args... with stdout to out and stdin from in: /dev/null when
 * NULL, a pipe fed by cat when in is "|FILE", else the file. */
static struct run run_cmd(const char *in, const char *out, ...) {
  char *argv[32];
  int n = 0;
  va_list ap;
  for (int i = 0; i < ncmd; i++)
    argv[n++] = cmd[i];
  va_start(ap, out);
  for (char *a = va_arg(ap, char *); a != NULL; a = va_arg(ap, char *))
    argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  pid_t writer = -1;
  int piped = in && in[0] == '|' ? pipe_from(in + 1, &writer) : -1;
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int i = piped >= 0 ? piped : open(in ? in : "/dev/null", O_RDONLY);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (i < 0 || o < 0 || e < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0 ||
        dup2(e, 2) < 0)
      _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  struct rusage ru;
  assert_int_equal(wait4(pid, &status, 0, &ru), pid);
  if (piped >= 0) {
    close(piped);
    waitpid(writer, NULL, 0); /* may have died of SIGPIPE: that is fine */
  }
  struct run r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ru.ru_maxrss,
                  ""};
  FILE *f = fopen("stderr.txt", "r");
  assert_non_null(f);
  size_t len = fread(r.err, 1, sizeof r.err - 1, f);
  r.err[len] = '\0';
  fclose(f);
  return r;
}

static void put_site(FILE *f, long i) {
  fprintf(f,
          "%s\n  {\"id\": %ld, \"file\": \"src/module_%ld.c\", \"line\": %ld, "
          "\"column\": 5, \"function\": \"handler_%ld\", \"expr\": "
          "\"&obj->lock\", \"class\": \"struct obj%ld.lock\", \"macro\": \"\", "
          "\"api\": \"pthread_mutex_lock\", \"kind\": \"acquire\", \"mode\": "
          "\"excl\", \"acquisitions\": %ld, \"contentions\": %ld, "
          "\"try_failures\": 0, \"timeouts\": 0, \"errors\": 0, "
          "\"releases\": 0, \"wait\": {\"count\": 10, \"total_ns\": %ld, "
          "\"max_ns\": 4000, \"hist\": [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]}, "
          "\"hold\": {\"samples\": 5, \"sampled_total_ns\": 500, "
          "\"total_ns_est\": 50000, \"max_ns\": 300, \"hist\": [0, 0, 0, 0, "
          "0, 1, 2, 2]}, \"cond\": {\"count\": 0, \"total_ns\": 0, "
          "\"max_ns\": 0, \"hist\": []}}",
          i ? "," : "", i + 1, i % 1000, i + 1, i, i % 50, 1000 + i, i % 7,
          12345 + i);
}

/* Writes a profile of at least HUGE_BYTES to path; sets nsites. */
static void generate(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("{\"format\": \"lockinstr-profile\", \"version\": 1, \"program\": "
        "\"huge\", \"threads\": 64, \"sample_rate\": 100, \"sites\": [",
        f);
  for (nsites = 0; ftell(f) < HUGE_BYTES - 2000000; nsites++)
    put_site(f, nsites);
  fputs("\n ], \"lock_order\": {\"edges\": [", f);
  for (long i = 0; i < 10000; i++) /* class i%50 -> (i+1)%50: one ring */
    fprintf(f,
            "%s\n  {\"from\": \"struct obj%ld.lock\", \"to\": \"struct "
            "obj%ld.lock\", \"from_site\": %ld, \"to_site\": %ld, "
            "\"count\": %ld, \"thread\": %ld}",
            i ? "," : "", i % 50, (i + 1) % 50, i + 1, i + 2, 1 + i % 3,
            1000 + i);
  while (ftell(f) < HUGE_BYTES) /* pad to the size with whitespace */
    fputs("                                                              \n",
          f);
  fputs("]}}\n", f);
  assert_int_equal(fclose(f), 0);
}

static void check_rss(const char *what, long rss_kib) {
  long growth = rss_kib - baseline, bound = RSS_FACTOR * (HUGE_BYTES >> 10);
  printf("%s: peak RSS %ld KiB (baseline %ld KiB, growth %.2fx the %ld MiB "
         "input)\n",
         what, rss_kib, baseline, (double)growth / (double)(HUGE_BYTES >> 10),
         HUGE_BYTES >> 20);
#ifndef LI_SANITIZED
  assert_true(growth < bound);
#else
  (void)bound;
#endif
}

static void over_the_limit(void **state) {
  (void)state;
  struct run r = run_cmd(NULL, "out.txt", "huge.json", (char *)NULL);
  assert_int_equal(r.rc, 1);
  assert_string_equal(r.err, "lockinstr: huge.json: error: profile larger "
                             "than 67108864 bytes (see --max-input)\n");
  printf("refused file: peak RSS %ld KiB\n", r.rss_kib);
#ifndef LI_SANITIZED
  assert_true(r.rss_kib - baseline < 8192); /* not read at all */
#endif
  r = run_cmd("|huge.json", "out.txt", "-", (char *)NULL); /* a pipe */
  assert_int_equal(r.rc, 1);
  assert_string_equal(r.err, "lockinstr: -: error: profile larger than "
                             "67108864 bytes (see --max-input)\n");
  check_rss("refused stdin (read up to the cap)", r.rss_kib);
}

static void raised_limit(void **state) {
  char want[128];
  (void)state;
  struct run r = run_cmd(NULL, "out.txt", "--max-input", "200M", "huge.json",
                         (char *)NULL);
  assert_string_equal(r.err, "");
  assert_int_equal(r.rc, 0);
  check_rss("text report", r.rss_kib);
  FILE *f = fopen("out.txt", "r");
  char line[4096];
  int seen_rows = 0, seen_cycle = 0;
  snprintf(want, sizeof want, "sorted by wait (20 of %ld)\n", nsites);
  while (fgets(line, sizeof line, f) != NULL) {
    seen_rows |= strstr(line, want) != NULL;
    seen_cycle |= strstr(line, "cycle 1: struct obj0.lock -> struct "
                               "obj1.lock -> ") != NULL &&
                  strstr(line, "(50 classes;") != NULL;
  }
  fclose(f);
  assert_true(seen_rows);
  assert_true(seen_cycle);
  r = run_cmd(NULL, "/dev/null", "--max-input", "200M", "--format", "json",
              "-o", "out.json", "huge.json", (char *)NULL);
  assert_string_equal(r.err, "");
  assert_int_equal(r.rc, 0);
  check_rss("json output", r.rss_kib);
  struct stat st;
  assert_int_equal(stat("out.json", &st), 0);
  assert_true(st.st_size > HUGE_BYTES / 2);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s WORKDIR COMMAND...\n", argv[0]);
    return 2;
  }
  if (mkdir(argv[1], 0700) != 0 && access(argv[1], W_OK) != 0) {
    perror(argv[1]);
    return 1;
  }
  if (chdir(argv[1]) != 0) {
    perror(argv[1]);
    return 1;
  }
  cmd = argv + 2;
  ncmd = argc - 2;
  generate("huge.json");
  printf("generated huge.json: %ld bytes, %ld sites\n", HUGE_BYTES, nsites);
  struct run b = run_cmd(NULL, "/dev/null", "--help", (char *)NULL);
  baseline = b.rss_kib;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(over_the_limit),
      cmocka_unit_test(raised_limit),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  unlink("huge.json");
  unlink("out.json");
  unlink("out.txt");
  unlink("stderr.txt");
  return rc;
}
