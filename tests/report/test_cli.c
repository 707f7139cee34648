/*
 * test_cli.c — `lockinstr report` as a user runs it: the text table
 * against golden files, exit codes and the exact error messages for bad
 * input and bad usage, -o written atomically, JSON that reads back to the
 * same report, hostile names rendered inert.
 *
 * Usage: test_report_cli DATADIR COMMAND... (COMMAND is `lockinstr report`
 * or li_report_driver). Each case runs the command in DATADIR, so messages
 * name files as the user typed them, with stdout and stderr captured.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>

#include <cmocka.h>

static char **cmd; /* the command prefix */
static int ncmd;
static char tmpdir[] = "/tmp/li-report-cli.XXXXXX";

struct result {
  int rc;    /* exit status, or -1 if killed by a signal */
  char *out; /* stdout, NUL-terminated */
  char *err; /* stderr */
};

/* Reads a whole file; the caller frees. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + n + 1 > cap) {
      cap = 2 * (len + n + 1);
      char *grown = realloc(buf, cap);
      assert_non_null(grown);
      buf = grown;
    }
    memcpy(buf + len, chunk, n);
    len += n;
  }
  fclose(f);
  if (buf == NULL)
    buf = calloc(1, 1);
  else
    buf[len] = '\0';
  return buf;
}

/* Runs COMMAND args... (NULL-terminated), stdin from in (or /dev/null). */
static struct result run_in(const char *in, ...) {
  char *argv[64];
  int n = 0;
  va_list ap;
  for (int i = 0; i < ncmd; i++)
    argv[n++] = cmd[i];
  va_start(ap, in);
  for (char *a = va_arg(ap, char *); a != NULL; a = va_arg(ap, char *))
    argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  char out[256], err[256];
  snprintf(out, sizeof out, "%s/stdout", tmpdir);
  snprintf(err, sizeof err, "%s/stderr", tmpdir);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int i = open(in ? in : "/dev/null", O_RDONLY);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (i < 0 || o < 0 || e < 0 || dup2(i, 0) < 0 || dup2(o, 1) < 0 ||
        dup2(e, 2) < 0)
      _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  struct result r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out),
                     slurp(err)};
  return r;
}
#define run(...) run_in(NULL, __VA_ARGS__, (char *)NULL)

static void result_free(struct result *r) {
  free(r->out);
  free(r->err);
}

/* Expects exit code rc and exactly the stderr text want. */
static void expect_error(int rc, const char *want, struct result r) {
  assert_string_equal(r.err, want);
  assert_int_equal(r.rc, rc);
  assert_string_equal(r.out, "");
  result_free(&r);
}

static void golden(const char *file, struct result r) {
  char *want = slurp(file);
  assert_string_equal(r.err, "");
  assert_int_equal(r.rc, 0);
  assert_string_equal(r.out, want);
  free(want);
  result_free(&r);
}

static void text_table_golden(void **state) {
  (void)state;
  golden("workq-run1.expected.txt", run("workq-run1.json"));
  golden("workq-merged-class.expected.txt",
         run("--by", "class", "-v", "--wide", "workq-run1.json",
             "workq-run2.json"));
}

static void top_and_min_wait(void **state) {
  (void)state;
  struct result r = run("--top", "2", "workq-run1.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "sorted by wait (2 of 8)\n"));
  assert_non_null(strstr(r.out, "cache.c:80 cache_refresh"));
  assert_null(strstr(r.out, "queue.c:41 queue_push")); /* third by wait */
  result_free(&r);
  r = run("--min-wait=1ms", "--sort", "contentions", "workq-run1.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "sorted by contentions (3 of 3)\n"));
  char *pop = strstr(r.out, "queue.c:60"), *push = strstr(r.out, "queue.c:41");
  char *cache = strstr(r.out, "cache.c:80");
  assert_true(pop && push && cache && pop < push && push < cache);
  result_free(&r);
  r = run("--min-wait", "1s", "workq-run1.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "(0 of 0)\n(no site reaches --min-wait)\n"));
  assert_null(strstr(r.out, "Condition waits")); /* 452ms < 1s */
  result_free(&r);
}

static void bad_input_messages(void **state) {
  (void)state;
  expect_error(1,
               "lockinstr: malformed.json:4:2: error: ',' or '}' expected "
               "near '\"program\"'\n",
               run("malformed.json"));
  expect_error(1,
               "lockinstr: truncated.json:24:325: error: premature end of "
               "input\n",
               run("truncated.json"));
  expect_error(1, "lockinstr: empty.json: error: empty file\n",
               run("empty.json"));
  expect_error(1,
               "lockinstr: wrong-type.json: error: sites[1].acquisitions: "
               "expected a non-negative integer, got a string\n",
               run("wrong-type.json"));
  expect_error(1,
               "lockinstr: unknown-version.json: error: unsupported "
               "profile version 3 (this lockinstr reads versions 1 and 2)\n",
               run("unknown-version.json"));
  expect_error(1,
               "lockinstr: too-many-buckets.json: error: "
               "sites[0].wait.hist: 65 buckets, at most 64 allowed\n",
               run("too-many-buckets.json"));
  expect_error(1,
               "lockinstr: negative.json: error: sites[0].hold.max_ns: "
               "expected a non-negative integer, got -5\n",
               run("negative.json"));
  expect_error(1,
               "lockinstr: not-an-object.json: error: expected a JSON "
               "object at the top, got an array\n",
               run("not-an-object.json"));
  expect_error(1,
               "lockinstr: not-a-profile.json: error: not a lockinstr "
               "profile (\"format\" is not \"lockinstr-profile\")\n",
               run("not-a-profile.json"));
  expect_error(1,
               "lockinstr: no-such.json: error: cannot open: No such file "
               "or directory\n",
               run("no-such.json"));
  expect_error(1, "lockinstr: .: error: is a directory\n", run("."));
  expect_error(1,
               "lockinstr: workq-run1.json: error: profile larger than "
               "1024 bytes (see --max-input)\n",
               run("--max-input", "1K", "workq-run1.json"));
}

static void other_program(void **state) {
  (void)state;
  expect_error(1,
               "lockinstr: bank.json: error: profile of program 'bank' "
               "cannot be merged with program 'workq' (use --merge-any to "
               "merge anyway)\n",
               run("workq-run1.json", "bank.json"));
  struct result r = run("--merge-any", "workq-run1.json", "bank.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "program workq,bank, 2 profiles"));
  assert_non_null(strstr(r.out, "bank.c:88 transfer"));
  result_free(&r);
}

static void usage_errors(void **state) {
  (void)state;
  const char *see = "(see 'lockinstr report --help')\n";
  char want[512];
  snprintf(want, sizeof want, "lockinstr: error: no profile given\n%s", see);
  expect_error(2, want, run("--top", "3"));
  snprintf(want, sizeof want,
           "lockinstr: error: --sort must be wait, hold, contentions or "
           "acquisitions, not 'size'\n%s",
           see);
  expect_error(2, want, run("--sort", "size", "workq-run1.json"));
  snprintf(want, sizeof want,
           "lockinstr: error: --min-wait needs a duration with a unit (ns, "
           "us, ms, s), e.g. 10us, not '10'\n%s",
           see);
  expect_error(2, want, run("--min-wait", "10", "workq-run1.json"));
  snprintf(want, sizeof want, "lockinstr: error: unknown option '--frob'\n%s",
           see);
  expect_error(2, want, run("--frob", "workq-run1.json"));
  snprintf(want, sizeof want,
           "lockinstr: error: option '--format' needs a value\n%s", see);
  expect_error(2, want, run("workq-run1.json", "--format"));
  struct result r = run("--help");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "usage: lockinstr report [options] "));
  result_free(&r);
}

/* Files in tmpdir other than stdout/stderr and the expected names. */
static int stray_files(const char *keep) {
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.' && strcmp(e->d_name, "stdout") &&
        strcmp(e->d_name, "stderr") && strcmp(e->d_name, keep))
      n++;
  closedir(d);
  return n;
}

static void output_file_atomic(void **state) {
  char path[256], want[512];
  (void)state;
  snprintf(path, sizeof path, "%s/report.txt", tmpdir);
  struct result r = run("-o", path, "workq-run1.json");
  assert_int_equal(r.rc, 0);
  assert_string_equal(r.out, ""); /* nothing on stdout with -o */
  result_free(&r);
  char *text = slurp(path), *gold = slurp("workq-run1.expected.txt");
  assert_string_equal(text, gold);
  free(text);
  free(gold);
  assert_int_equal(stray_files("report.txt"), 0); /* no temporary left */
  /* a failure leaves the previous output as it was */
  r = run("-o", path, "malformed.json");
  assert_int_equal(r.rc, 1);
  result_free(&r);
  text = slurp(path);
  assert_non_null(strstr(text, "program workq"));
  free(text);
  snprintf(want, sizeof want,
           "lockinstr: %s/missing/x.txt: error: cannot create: No such file "
           "or directory\n",
           tmpdir);
  snprintf(path, sizeof path, "%s/missing/x.txt", tmpdir);
  expect_error(1, want, run("-o", path, "workq-run1.json"));
}

static void json_reads_back(void **state) {
  char path[256];
  (void)state;
  snprintf(path, sizeof path, "%s/merged.json", tmpdir);
  struct result r =
      run("--format", "json", "-o", path, "workq-run1.json", "workq-run2.json");
  assert_int_equal(r.rc, 0);
  result_free(&r);
  char *doc = slurp(path);
  assert_non_null(strstr(doc, "\"merged_from\": 2"));
  assert_non_null(strstr(doc, "\"acquisitions\": 300000"));
  free(doc);
  /* the merged profile renders exactly like the two it came from */
  struct result a = run("--by", "class", "-v", "--wide", path);
  golden("workq-merged-class.expected.txt", a);
  /* and merging it with run 1 again counts three profiles */
  r = run("--format", "json", path, "workq-run1.json");
  assert_non_null(strstr(r.out, "\"merged_from\": 3"));
  assert_non_null(strstr(r.out, "\"acquisitions\": 500000"));
  result_free(&r);
}

static void stdin_input(void **state) {
  (void)state;
  struct result r = run_in("workq-run1.json", "-", (char *)NULL);
  char *gold = slurp("workq-run1.expected.txt");
  assert_int_equal(r.rc, 0);
  assert_string_equal(r.out, gold);
  free(gold);
  result_free(&r);
}

static void hostile_names_inert(void **state) {
  (void)state;
  struct result r = run("hostile-names.json");
  assert_int_equal(r.rc, 0);
  assert_null(strchr(r.out, '\x1b'));
  assert_null(strchr(r.out, '\a'));
  assert_null(strstr(r.out, "\u202e"));
  assert_non_null(strstr(r.out, "\\x1b[31mred\\x1b[0m<img s"));
  assert_non_null(strstr(r.out, "evil\\u202eclass"));
  assert_non_null(strstr(r.out, "program evil<b>prog\\x1b]0;title\\x07,"));
  result_free(&r);
  r = run("absurd-numbers.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "18446744073709551615"));
  result_free(&r);
}

/* The text of r.out from the first line containing from (to the end). */
static const char *section_of(const struct result *r, const char *from) {
  const char *s = strstr(r->out, from);
  if (s == NULL)
    fail_msg("no '%s' in:\n%s", from, r->out);
  return s;
}

static void lock_order_cycles(void **state) {
  (void)state;
  /* A -> B in one thread, later B -> A in another: one cycle, four sites */
  struct result r = run("order-abba.json");
  assert_int_equal(r.rc, 0);
  assert_string_equal(
      section_of(&r, "\nPotential deadlocks"),
      "\nPotential deadlocks: lock-order cycles, ranked by least-taken edge "
      "(1 of 1)\n"
      "\ncycle 1: g_alpha -> g_beta -> g_alpha (2 classes; least-taken edge "
      "3 times, all edges 8)\n"
      "count  held     held at               acquired  acquired at           "
      "thread\n"
      "    5  g_alpha  order.c:10 ab_worker  g_beta    order.c:11 ab_worker  "
      "   201\n"
      "    3  g_beta   order.c:20 ba_worker  g_alpha   order.c:21 ba_worker  "
      "   202\n");
  result_free(&r);
  /* three classes across three threads */
  r = run("order-ring.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "\ncycle 1: g_alpha -> g_beta -> g_gamma -> "
                                "g_alpha (3 classes; least-taken edge 4 "
                                "times, all edges 19)\n"));
  assert_non_null(strstr(r.out, "    6  g_gamma  ring.c:30 t3  g_alpha   "
                                "ring.c:31 t3     303\n"));
  result_free(&r);
}

static void lock_order_read_mode(void **state) {
  (void)state;
  /* rwlocks: read acquisitions are marked, the write is not */
  struct result r = run("order-rwlock.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "    3  struct index.rw (read)  rw.c:20 "
                                "ba_worker  struct cache.rw         rw.c:21 "
                                "ba_worker     202\n"));
  result_free(&r);
  r = run("--format", "html", "order-rwlock.json");
  assert_non_null(strstr(r.out, "<td class=\"lock\">struct cache.rw (read)"
                                "</td>"));
  result_free(&r);
}

static void lock_order_no_cycle(void **state) {
  (void)state;
  struct result r = run("order-consistent.json");
  assert_int_equal(r.rc, 0);
  assert_string_equal(section_of(&r, "\nLock order"),
                      "\nLock order: no cycle (2 classes, 2 edges)\n");
  result_free(&r);
  /* trylock back-off: the runtime records no edge for the trylock, so
   * only A -> B is in the profile */
  r = run("order-trylock.json");
  assert_int_equal(r.rc, 0);
  assert_string_equal(section_of(&r, "\nLock order"),
                      "\nLock order: no cycle (2 classes, 1 edge)\n");
  result_free(&r);
  r = run("workq-run1.json");
  assert_string_equal(
      section_of(&r, "\nLock order"),
      "\nLock order: no lock was acquired while another was held\n");
  result_free(&r);
}

static void lock_order_nesting(void **state) {
  (void)state;
  struct result r = run("order-nesting.json");
  assert_int_equal(r.rc, 0);
  assert_null(strstr(r.out, "Potential deadlocks"));
  assert_string_equal(
      section_of(&r, "\nLock order"),
      "\nLock order: no cycle (1 class, 1 edge)\n"
      "\nSame-class nesting: two locks of one class held at once, safe only "
      "under an ordering rule the tool cannot see (1 of 1)\n"
      "count  class                held at             acquired at         "
      "thread\n"
      "   40  struct account.lock  bank.c:88 transfer  bank.c:89 transfer     "
      "401\n");
  result_free(&r);
}

static void lock_order_merge(void **state) {
  (void)state;
  struct result r = run("order-run1.json");
  assert_null(strstr(r.out, "Potential deadlocks"));
  result_free(&r);
  r = run("order-run2.json");
  assert_null(strstr(r.out, "Potential deadlocks"));
  result_free(&r);
  r = run("order-run1.json", "order-run2.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "\ncycle 1: g_alpha -> g_beta -> g_alpha (2 "
                                "classes; least-taken edge 2 times, all "
                                "edges 7)\n"));
  assert_non_null(strstr(r.out, "order.c:20 ba_worker  g_alpha   order.c:21"));
  result_free(&r);
  /* --format json carries the merged edges with the renumbered site ids,
   * and reads back to the same cycle */
  char path[256];
  snprintf(path, sizeof path, "%s/order.json", tmpdir);
  r = run("--format", "json", "-o", path, "order-run1.json", "order-run2.json",
          "order-run3.json");
  assert_int_equal(r.rc, 0);
  result_free(&r);
  char *doc = slurp(path);
  assert_non_null(strstr(doc, "{\"from\": \"g_alpha\", \"to\": \"g_beta\", "
                              "\"from_site\": 1, \"to_site\": 2, \"count\": "
                              "9, \"thread\": 201}"));
  assert_non_null(strstr(doc, "{\"from\": \"g_beta\", \"to\": \"g_alpha\", "
                              "\"from_site\": 3, \"to_site\": 4, \"count\": "
                              "2, \"thread\": 202}"));
  free(doc);
  r = run(path);
  assert_non_null(strstr(r.out, "least-taken edge 2 times, all edges 11)"));
  result_free(&r);
}

static void lock_order_html(void **state) {
  (void)state;
  struct result r = run("--format", "html", "order-abba.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "<h3>Cycle 1: g_alpha \xe2\x86\x92 g_beta "
                                "\xe2\x86\x92 g_alpha</h3>"));
  assert_non_null(strstr(
      r.out, "<tr><td class=\"n\">3</td><td class=\"lock\">g_beta</td>"
             "<td class=\"loc\">order.c:20 ba_worker</td><td class=\"lock\">"
             "g_alpha</td><td class=\"loc\">order.c:21 ba_worker</td><td "
             "class=\"n\">202</td></tr>"));
  result_free(&r);
  r = run("--format", "html", "order-hostile.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "<h3>Cycle 1: &lt;script&gt;alert(1)&lt;/"
                                "script&gt;\\x1b[31m\\u202e \xe2\x86\x92 "
                                "evil&quot;class\\N\\G"));
  assert_null(strstr(r.out, "<script>alert"));
  assert_null(strchr(r.out, '\x1b'));
  result_free(&r);
  /* A -> B and B -> A: two red arrows between two red classes, each with
   * its count and its sites in the tooltip */
  r = run("--format", "html", "order-abba.json");
  assert_non_null(strstr(r.out, "<svg id=\"lo-graph\" class=\"lg\""));
  assert_non_null(strstr(r.out, "<g id=\"cycle_e0\" class=\"edge cyc\">"
                                "<title>g_alpha \xe2\x86\x92 g_beta: 5 times"
                                "&#10;order.c:10 ab_worker \xe2\x86\x92 "
                                "order.c:11 ab_worker (5)</title>"));
  assert_non_null(strstr(r.out, "<g id=\"cycle_e1\" class=\"edge cyc\">"
                                "<title>g_beta \xe2\x86\x92 g_alpha: 3 times"));
  assert_non_null(strstr(r.out, "<g id=\"n0\" class=\"node cyc\"><title>"
                                "g_alpha</title>"));
  assert_non_null(strstr(r.out, "<g id=\"n1\" class=\"node cyc\"><title>"
                                "g_beta</title>"));
  result_free(&r);
  r = run("--format", "html", "order-nesting.json");
  assert_non_null(strstr(r.out, "<h2 id=\"nesting\">Same-class nesting (1 of "
                                "1)</h2>"));
  /* the graph: the nesting is a loop with its count, not a cycle */
  assert_non_null(strstr(r.out, "<g id=\"nest_e0\" class=\"edge nest\">"));
  assert_non_null(strstr(r.out, "same class \xc3\x97"
                                "40</text>"));
  assert_null(strstr(r.out, "class=\"edge cyc\""));
  assert_non_null(strstr(r.out, "<p id=\"no-cycle\">No cycle"));
  result_free(&r);
}

static void html_columns(void **state) {
  (void)state;
  /* API and mode tell the rwlock's sites apart; hold n is next to the
   * hold estimate, a rough one marked as in the text report */
  struct result r = run("--format", "html", "workq-run1.json");
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "<td class=\"api\">pthread_rwlock_wrlock</td>"
                                "<td class=\"mode\">write</td>"));
  assert_non_null(strstr(r.out, "<td class=\"api\">pthread_rwlock_tryrdlock"
                                "</td><td class=\"mode\">read</td>"));
  assert_non_null(strstr(r.out, "title=\"estimated from 10 sampled holds (few: "
                                "a rough estimate)\">~200\xc2\xb5s</td><td "
                                "class=\"n\" data-v=\"10\">10</td>"));
  assert_non_null(strstr(r.out, "title=\"estimated from 2000 sampled holds\">"
                                "100ms</td><td class=\"n\" data-v=\"2000\">"
                                "2000</td>"));
  result_free(&r);
  /* a class shows its sites' common API and mode, else "mixed" */
  r = run("--format", "html", "--by", "class", "workq-run1.json");
  assert_non_null(strstr(r.out, "<td class=\"lock\">struct cache.rw</td><td "
                                "class=\"api\">mixed</td><td class=\"mode\">"
                                "mixed</td>"));
  assert_non_null(strstr(r.out, "<td class=\"lock\">struct queue.mu</td><td "
                                "class=\"api\">mixed</td><td class=\"mode\">"
                                "excl</td>"));
  result_free(&r);
}

/* Writes head + n copies of rep + tail to tmpdir/name; returns the path
 * (malloc'd). */
static char *write_tmp(const char *name, const char *head, const char *rep,
                       size_t n, const char *tail) {
  char *path = malloc(512);
  assert_non_null(path);
  snprintf(path, 512, "%s/%s", tmpdir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(head, f);
  for (size_t i = 0; i < n; i++)
    fputs(rep, f);
  fputs(tail, f);
  assert_int_equal(fclose(f), 0);
  return path;
}

#define HEAD                                                                   \
  "{\"format\": \"lockinstr-profile\", \"version\": 1, \"program\": \"p\", "
#define SITE                                                                   \
  "{\"id\": 1, \"file\": \"a.c\", \"line\": 1, \"column\": 1, "                \
  "\"function\": \"f\", \"expr\": \"&m\", \"api\": "                           \
  "\"pthread_mutex_lock\", \"kind\": \"acquire\""

/* Number of code points of s up to its first newline. */
static size_t line_width(const char *s) {
  size_t w = 0;
  for (; *s && *s != '\n'; s++)
    w += (*s & 0xc0) != 0x80;
  return w;
}

static void text_fits_width(void **state) {
  (void)state;
  /* long names: without --wide every table line fits 120 columns, the
   * location cut in its middle (file start and function kept), the lock
   * at its end; --wide prints them whole */
  char *path = write_tmp(
      "long.json",
      HEAD "\"sites\": [{\"id\": 1, \"file\": \"src/server/protocol/"
           "connection_state_machine.c\", \"line\": 1214, \"column\": 3, "
           "\"function\": \"handle_incoming_request_header\", \"expr\": "
           "\"&c->m\", \"class\": \"struct connection_state.request_"
           "queue_lock_for_all_workers\", \"api\": \"pthread_mutex_lock\", "
           "\"kind\": \"acquire\", \"acquisitions\": 123456789, "
           "\"contentions\": 1234567, \"wait\": {\"count\": 1234567, "
           "\"total_ns\": 987654321, \"max_ns\": 4000000}}]}",
      "", 0, "");
  struct result r = run(path);
  assert_int_equal(r.rc, 0);
  size_t lines = 0;
  for (const char *l = r.out; *l; l = strchr(l, '\n') + 1, lines++)
    assert_true(line_width(l) <= 120);
  assert_int_equal(lines, 7);
  assert_non_null(strstr(r.out, "  src/server\xe2\x80\xa6"
                                "est_header  "
                                "struct connection_s\xe2\x80\xa6"
                                "\n"));
  assert_null(strstr(r.out, "wait-p99"));
  result_free(&r);
  r = run("--wide", path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "  src/server/protocol/connection_state_"
                                "machine.c:1214 handle_incoming_request_header"
                                "  struct connection_state.request_queue_lock_"
                                "for_all_workers\n"));
  assert_non_null(strstr(r.out, "wait-p99"));
  result_free(&r);
  assert_int_equal(unlink(path), 0); /* output_file_atomic counts files */
  free(path);
}

/* Runs the report on a generated file; expects exit 1 and "lockinstr:
 * PATH<msg>" on stderr. */
static void expect_tmp_error(const char *name, const char *head,
                             const char *rep, size_t n, const char *tail,
                             const char *msg) {
  char *path = write_tmp(name, head, rep, n, tail);
  char want[1024];
  snprintf(want, sizeof want, "lockinstr: %s%s\n", path, msg);
  expect_error(1, want, run(path));
  free(path);
}

/* Every dropped counter the runtime reports reaches the text report. */
static void dropped_warnings(void **state) {
  (void)state;
  char *path = write_tmp("dropped.json",
                         HEAD "\"dropped\": {\"events\": 3, \"sites\": 4, "
                              "\"unlock_not_held\": 5, \"held_overflow\": 6, "
                              "\"edges\": 7}, \"sites\": [" SITE
                              ", \"acquisitions\": 1}]}",
                         "", 0, "");
  struct result r = run(path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "warning: the runtime dropped 3 events;"));
  assert_non_null(strstr(r.out, "warning: the runtime dropped 4 sites;"));
  assert_non_null(
      strstr(r.out, "warning: 5 releases of a lock the thread did not hold"));
  assert_non_null(
      strstr(r.out, "warning: the runtime dropped 6 held-lock records;"));
  assert_non_null(strstr(r.out, "warning: the runtime dropped 7 lock-order "
                                "edges (its edge table was full)"));
  result_free(&r);
  free(path);
}

/* A profile whose rate changed during the run: the header gives the
 * history (and the entries the runtime did not keep) instead of the rate
 * at the time of writing; a merge keeps the range. */
static void rate_history_header(void **state) {
  (void)state;
  char *path = write_tmp(
      "rates.json",
      HEAD "\"sample_rate\": 0, \"sample_rates\": [{\"rate\": 100, "
           "\"from_ns\": 0}, {\"rate\": 1, \"from_ns\": 520000000}, "
           "{\"rate\": 0, \"from_ns\": 1100000000}], "
           "\"sample_rates_dropped\": 2, \"sites\": [" SITE
           ", \"acquisitions\": 1}]}",
      "", 0, "");
  struct result r = run(path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, ", hold sampled (2 earlier rates not kept) 1 "
                                "in 100 from 0ns, 1 in 1 from 520ms, off "
                                "from 1.10s, clock"));
  result_free(&r);
  r = run(path, path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, ", hold sampling off, clock"));
  result_free(&r);
  free(path);
}

static void hostile_profiles(void **state) {
  (void)state;
  expect_tmp_error("ws.json", " \n\t\n", "", 0, "", ": error: empty file");
  expect_tmp_error("real.json",
                   HEAD "\"sites\": [" SITE ", \"acquisitions\": ", "", 0,
                   "1e300}]}",
                   ": error: sites[0].acquisitions: expected a non-negative "
                   "integer, got a real number");
  expect_tmp_error("bigint.json",
                   HEAD "\"sites\": [" SITE ", \"acquisitions\": ", "", 0,
                   "18446744073709551616}]}",
                   ":1:236: error: too big integer near "
                   "'18446744073709551616'");
  /* 2^63 and up are read (u64-max.json), but not with a leading zero,
   * nor next to a negative number: the text is left to jansson then */
  expect_tmp_error(
      "bigzero.json", HEAD "\"sites\": [" SITE ", \"acquisitions\": ", "", 0,
      "09223372036854775808}]}", ":1:217: error: invalid token near '0'");
  expect_tmp_error("bigneg.json",
                   HEAD "\"sites\": [" SITE ", \"errors\": -1, "
                        "\"acquisitions\": ",
                   "", 0, "9223372036854775808}]}",
                   ":1:249: error: too big integer near "
                   "'9223372036854775808'");
  expect_tmp_error("dupkey.json", HEAD "\"program\": \"q\", \"sites\": []}", "",
                   0, "", ": error: duplicate object key \"program\"");
  expect_tmp_error(
      "dupsitekey.json", HEAD "\"sites\": [" SITE ", \"function\": \"x\"}]}",
      "", 0, "", ":1:210: error: duplicate object key near '\"function\"'");
  expect_tmp_error("kind.json",
                   HEAD "\"sites\": [{\"file\": \"a.c\", \"line\": 1, "
                        "\"column\": 1, \"function\": \"f\", \"expr\": \"&m\", "
                        "\"api\": \"spin\", \"kind\": \"frobnicate\"}]}",
                   "", 0, "",
                   ": error: sites[0].kind: unknown kind (expected acquire, "
                   "try, timed, release, condwait, condtimedwait, init, "
                   "destroy, semwait, semtry or sempost)");
  expect_tmp_error("dupid.json", HEAD "\"sites\": [" SITE "}, " SITE "}]}", "",
                   0, "",
                   ": error: sites[1].id: duplicate site id 1 (also "
                   "sites[0])");
  expect_tmp_error("badutf.json", HEAD "\"sites\": [" SITE ", \"class\": \"",
                   "\xff", 1, "\"}]}",
                   ":1:210: error: unable to decode byte 0xff near '\"'");
  expect_tmp_error("nul.json", HEAD "\"sites\": [" SITE ", \"macro\": ", "", 0,
                   "\"a\\u0000b\"}]}",
                   ":1:219: error: \\u0000 (NUL) is not allowed in a string");
  expect_tmp_error("trailing.json", HEAD "\"sites\": []} trailing", "", 0, "",
                   ":1:76: error: end of file expected near 'trailing'");
  static char closers[5000 + sizeof "}]}"];
  memset(closers, ']', 5000);
  memcpy(closers + 5000, "}]}", sizeof "}]}");
  expect_tmp_error("deep.json", HEAD "\"sites\": [" SITE ", \"x\": ", "[", 5000,
                   closers,
                   ":1:2253: error: maximum parsing depth reached near '['");
  /* a histogram of 10^6 buckets: refused by count, memory bounded by the
   * 4 MiB element cap */
  expect_tmp_error("hist.json",
                   HEAD "\"sites\": [" SITE ", \"wait\": {\"hist\": [0", ", 1",
                   999999, "]}}]}",
                   ": error: sites[0].wait.hist: 1000000 buckets, at most 64 "
                   "allowed");
  expect_tmp_error("longname.json", HEAD "\"sites\": [" SITE ", \"class\": \"",
                   "xxxxxxxxxx", 500000, "\"}]}",
                   ": error: sites[0]: value larger than 4194304 bytes");
  /* far more contentions than acquisitions: cont% is clamped, not
   * converted out of range (found by the fuzzer under UBSan) */
  char *odd = write_tmp("contpct.json",
                        HEAD "\"sites\": [" SITE ", \"acquisitions\": 1, "
                             "\"contentions\": 9223372036854775807}]}",
                        "", 0, "");
  struct result h = run("--format", "html", odd);
  assert_int_equal(h.rc, 0);
  assert_non_null(
      strstr(h.out, "<td class=\"n\" data-v=\"18446744073709551615\">"));
  result_free(&h);
  free(odd);
  /* an unknown key is skipped, however deep; a binary file is refused */
  char *path = write_tmp("unknown.json", HEAD "\"future\": ", "[", 100000, "");
  FILE *f = fopen(path, "a");
  for (int i = 0; i < 100000; i++)
    fputc(']', f);
  fputs(", \"sites\": [" SITE ", \"acquisitions\": 7}]}", f);
  fclose(f);
  struct result r = run(path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "\n  7     0  0.00%"));
  result_free(&r);
  free(path);
  expect_tmp_error("binary.bin", "\x89PNG\r\n\x1a\n", "", 0, "",
                   ":1:1: error: unable to decode byte 0x89");
}

/* Writes a profile whose 5 classes all take each other (84 cycles). */
static char *complete5(void) {
  char *path = malloc(512), site[512];
  assert_non_null(path);
  snprintf(path, 512, "%s/complete5.json", tmpdir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(HEAD "\"sites\": [", f);
  for (int i = 0; i < 5; i++) {
    snprintf(site, sizeof site,
             "%s{\"id\": %d, \"file\": \"k.c\", \"line\": %d, "
             "\"column\": 1, \"function\": \"f\", \"expr\": \"&l%d\", "
             "\"class\": \"c%d\", \"api\": \"pthread_mutex_lock\", "
             "\"kind\": \"acquire\"}",
             i ? ", " : "", i + 1, i + 1, i, i);
    fputs(site, f);
  }
  fputs("], \"lock_order\": {\"edges\": [", f);
  for (int i = 0, n = 0; i < 5; i++)
    for (int j = 0; j < 5; j++)
      if (i != j)
        fprintf(f,
                "%s{\"from_site\": %d, \"to_site\": %d, \"count\": %d, "
                "\"thread\": 1}",
                n++ ? ", " : "", i + 1, j + 1, 1 + i + j);
  fputs("]}}\n", f);
  assert_int_equal(fclose(f), 0);
  return path;
}

static void lock_order_cap(void **state) {
  (void)state;
  char *path = complete5();
  struct result r = run("--max-cycles", "10", "--top", "3", path);
  assert_int_equal(r.rc, 0);
  assert_non_null(strstr(r.out, "ranked by least-taken edge (3 of 10+)\n"
                                "warning: the cycle search stopped after 10 "
                                "cycles; there may be more (see "
                                "--max-cycles)\n"));
  assert_non_null(strstr(r.out, "\ncycle 3: "));
  assert_null(strstr(r.out, "\ncycle 4: "));
  result_free(&r);
  r = run("--top", "0", path); /* all 84, no warning */
  assert_non_null(strstr(r.out, "(84 of 84)\n"));
  assert_non_null(strstr(r.out, "\ncycle 84: "));
  assert_null(strstr(r.out, "warning: the cycle search"));
  result_free(&r);
  free(path);
}

static void lock_order_errors(void **state) {
  (void)state;
  expect_error(1,
               "lockinstr: order-bad-site.json: error: "
               "lock_order.edges[0].to_site: no site with id 9 in this "
               "profile\n",
               run("order-bad-site.json"));
  expect_tmp_error("lo-array.json", HEAD "\"sites\": [], \"lock_order\": []}",
                   "", 0, "",
                   ": error: lock_order: expected an object, got an array");
  expect_tmp_error("lo-missing.json",
                   HEAD "\"sites\": [" SITE "}], \"lock_order\": "
                        "{\"edges\": [{\"to_site\": 1}]}}",
                   "", 0, "",
                   ": error: lock_order.edges[0].from_site: missing");
  char want[256];
  snprintf(want, sizeof want,
           "lockinstr: error: --max-cycles needs a number of at least 1, "
           "not '0'\n(see 'lockinstr report --help')\n");
  expect_error(2, want, run("--max-cycles", "0", "order-ring.json"));
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s DATADIR COMMAND...\n", argv[0]);
    return 2;
  }
  if (chdir(argv[1]) != 0 || mkdtemp(tmpdir) == NULL) {
    perror(argv[1]);
    return 1;
  }
  cmd = argv + 2;
  ncmd = argc - 2;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(text_table_golden),
      cmocka_unit_test(top_and_min_wait),
      cmocka_unit_test(text_fits_width),
      cmocka_unit_test(bad_input_messages),
      cmocka_unit_test(other_program),
      cmocka_unit_test(usage_errors),
      cmocka_unit_test(output_file_atomic),
      cmocka_unit_test(json_reads_back),
      cmocka_unit_test(stdin_input),
      cmocka_unit_test(hostile_names_inert),
      cmocka_unit_test(lock_order_cycles),
      cmocka_unit_test(lock_order_read_mode),
      cmocka_unit_test(lock_order_no_cycle),
      cmocka_unit_test(lock_order_nesting),
      cmocka_unit_test(lock_order_merge),
      cmocka_unit_test(hostile_profiles),
      cmocka_unit_test(dropped_warnings),
      cmocka_unit_test(rate_history_header),
      cmocka_unit_test(lock_order_html),
      cmocka_unit_test(html_columns),
      cmocka_unit_test(lock_order_cap),
      cmocka_unit_test(lock_order_errors),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  char rm[300];
  snprintf(rm, sizeof rm, "rm -rf '%s'", tmpdir);
  if (system(rm) != 0)
    fprintf(stderr, "could not remove %s\n", tmpdir);
  return rc;
}
