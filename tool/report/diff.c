/*
 * diff.c — the `lockinstr diff` command line: reading the two sides, the
 * --fail-if gate, and the choice of output (see diff.h, docs/ci.md).
 *
 *   lockinstr diff [options] BASE NEW
 *
 * BASE and NEW are each a profile, or a directory whose *.json files are
 * all read and merged (a CI job's profiles, one per process). Exit status:
 * 0 no --fail-if threshold crossed, 1 one was (each crossing printed as
 * "lockinstr: regression: ..."), 2 usage or input error.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diff.h"
#include "escape.h"
#include "outfile.h"
#include "report.h"
#include "suggest.h"

#ifndef LI_VERSION
#define LI_VERSION "0.0.0"
#endif

#define LI_DIFF_MAX_GATES 32

/* One --fail-if METRIC>+N% or METRIC>+VALUE. */
struct gate {
  enum li_metric metric;
  int relative; /* N is a percentage of the base value */
  double limit; /* N, or VALUE in the metric's unit */
  const char *spec;
};

struct diff_opts {
  enum li_by by;
  enum li_diff_per per;
  enum li_metric sort;
  int json;
  size_t top;
  const char *output;
  uint64_t min_wait, min_count;
  struct li_load_opts load;
  struct gate gates[LI_DIFF_MAX_GATES];
  size_t ngates;
  const char *paths[2];
  size_t npaths;
  int help, version;
};

static const char usage_text[] =
    "usage: lockinstr diff [options] BASE NEW\n"
    "\n"
    "Compares the lock behaviour of two runs, site by site (matched by\n"
    "file, function, lock expression and API, not by line) or class by\n"
    "class, and fails when a threshold is crossed. BASE and NEW are each a\n"
    "profile, or a directory whose *.json profiles are merged.\n"
    "\n"
    "  --by site|class        compare call sites (default) or lock classes\n"
    "  --sort METRIC          order by the change in METRIC (default wait)\n"
    "  --top N                rows shown in the text table (default 20, 0 = "
    "all)\n"
    "  --per run|second|acquisition\n"
    "                         compare totals per run (default), per second\n"
    "                         of run, or per acquisition\n"
    "  --format text|json     the table (default) or JSON\n"
    "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
    "  --fail-if SPEC         exit 1 when SPEC holds for a site or class;\n"
    "                         SPEC is METRIC>+N% or METRIC>+VALUE "
    "(repeatable)\n"
    "  --min-wait DURATION    noise floor of time metrics (default 1ms)\n"
    "  --min-count N          noise floor of counts and rates (default 100)\n"
    "  --merge-any            merge profiles of different programs\n"
    "  -h, --help             this text\n"
    "  --version              the version\n"
    "\n"
    "METRIC: wait, wait-p99, wait-max, contentions, contention-rate, hold,\n"
    "hold-p99, acquisitions. VALUE: a duration (5ms) for times, a number for\n"
    "counts, percentage points (0.5pp) for contention-rate.\n"
    "Exit status: 0 within thresholds, 1 a threshold crossed, 2 usage or\n"
    "input error. See docs/ci.md.\n";

static int usage_error(const char *fmt, const char *arg, const char *near) {
  char *clean = li_rep_sanitize(arg ? arg : "");
  fputs("lockinstr: error: ", stderr);
  fprintf(stderr, fmt, clean ? clean : "?");
  if (near)
    fprintf(stderr, "; did you mean '%s'?", near);
  fputs("\n(see 'lockinstr diff --help')\n", stderr);
  free(clean);
  return 2;
}

/* Parses METRIC>+N% or METRIC>+VALUE into g. Returns 0 or -1. */
static int parse_gate(const char *spec, struct gate *g) {
  const char *gt = strchr(spec, '>');
  char name[32], *end;
  if (gt == NULL || (size_t)(gt - spec) >= sizeof name || gt[1] != '+')
    return -1;
  memcpy(name, spec, (size_t)(gt - spec));
  name[gt - spec] = '\0';
  g->metric = li_metric_find(name);
  g->spec = spec;
  if (g->metric == LI_M_COUNT)
    return -1;
  const char *v = gt + 2;
  size_t len = strlen(v);
  enum li_metric_unit u = li_metrics[g->metric].unit;
  g->relative = len > 1 && v[len - 1] == '%';
  if (g->relative ||
      (u == LI_U_PPM && len > 2 && strcmp(v + len - 2, "pp") == 0)) {
    g->limit = strtod(v, &end);
    if (end != v + len - (g->relative ? 1 : 2) || !(g->limit >= 0))
      return -1;
    if (!g->relative)
      g->limit *= 1e4; /* percentage points -> millionths */
    return 0;
  }
  uint64_t x;
  if (u == LI_U_NS ? li_rep_parse_duration(v, &x) : li_rep_parse_count(v, &x))
    return -1;
  if (u == LI_U_PPM)
    return -1; /* a rate's absolute limit needs "pp" */
  g->limit = (double)x;
  return 0;
}

static const char *const all_options[] = {
    "--by",        "--per", "--sort",    "--top",      "--format",
    "--output",    "-o",    "--fail-if", "--min-wait", "--min-count",
    "--merge-any", "-h",    "--help",    "--version",  NULL};

/* Applies option opt with value val. Returns 0 or 2. */
static int apply(struct diff_opts *o, const char *opt, const char *val) {
  uint64_t n;
  if (strcmp(opt, "--by") == 0) {
    if (strcmp(val, "site") != 0 && strcmp(val, "class") != 0)
      return usage_error("--by must be site or class, not '%s'", val, NULL);
    o->by = val[0] == 'c' ? LI_BY_CLASS : LI_BY_SITE;
  } else if (strcmp(opt, "--sort") == 0) {
    o->sort = li_metric_find(val);
    if (o->sort == LI_M_COUNT)
      return usage_error("--sort needs a metric (wait, hold, contentions, "
                         "...), not '%s'",
                         val, NULL);
  } else if (strcmp(opt, "--per") == 0) {
    static const char *const pers[] = {"run", "second", "acquisition", NULL};
    int k = 0;
    while (pers[k] && strcmp(val, pers[k]) != 0)
      k++;
    if (pers[k] == NULL)
      return usage_error("--per must be run, second or acquisition, not '%s'",
                         val, NULL);
    o->per = (enum li_diff_per)k;
  } else if (strcmp(opt, "--format") == 0) {
    if (strcmp(val, "text") != 0 && strcmp(val, "json") != 0)
      return usage_error("--format must be text or json, not '%s'", val, NULL);
    o->json = val[0] == 'j';
  } else if (strcmp(opt, "--top") == 0 || strcmp(opt, "--min-count") == 0) {
    if (li_rep_parse_count(val, &n) != 0 || n > SIZE_MAX)
      return usage_error("%s needs a number", opt, NULL);
    if (opt[2] == 't')
      o->top = (size_t)n;
    else
      o->min_count = n;
  } else if (strcmp(opt, "--min-wait") == 0) {
    if (li_rep_parse_duration(val, &o->min_wait) != 0)
      return usage_error("--min-wait needs a duration with a unit (e.g. 1ms), "
                         "not '%s'",
                         val, NULL);
  } else if (strcmp(opt, "--fail-if") == 0) {
    if (o->ngates == LI_DIFF_MAX_GATES ||
        parse_gate(val, &o->gates[o->ngates]) != 0)
      return usage_error("--fail-if needs METRIC>+N%% or METRIC>+VALUE (e.g. "
                         "'wait>+20%%'), not '%s'",
                         val, NULL);
    o->ngates++;
  } else {
    o->output = val; /* -o, --output */
  }
  return 0;
}

/* Parses argv[*i] (an option; may take the next argument). 0 or 2. */
static int parse_option(struct diff_opts *o, int argc, char **argv, int *i) {
  const char *arg = argv[*i], *eq = strchr(arg, '=');
  char opt[32];
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
    return o->help = 1, 0;
  if (strcmp(arg, "--version") == 0)
    return o->version = 1, 0;
  if (strcmp(arg, "--merge-any") == 0)
    return o->load.merge_any = 1, 0;
  size_t len = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
  int known = 0;
  if (len < sizeof opt) {
    memcpy(opt, arg, len);
    opt[len] = '\0';
    for (size_t k = 0; all_options[k] && !known; k++)
      known = strcmp(opt, all_options[k]) == 0;
  }
  if (!known)
    return usage_error("unknown option '%s'", arg,
                       li_suggest(arg, all_options));
  if (eq && arg[1] == '-')
    return apply(o, opt, eq + 1);
  if (*i + 1 >= argc)
    return usage_error("option '%s' needs a value", arg, NULL);
  return apply(o, opt, argv[++*i]);
}

static int parse_args(struct diff_opts *o, int argc, char **argv) {
  int only_files = 0;
  for (int i = 1; i < argc; i++) {
    int rc = 0;
    if (!only_files && strcmp(argv[i], "--") == 0)
      only_files = 1;
    else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0')
      rc = parse_option(o, argc, argv, &i);
    else if (o->npaths < 2)
      o->paths[o->npaths++] = argv[i];
    else
      rc = usage_error("one BASE and one NEW, not '%s' too (a directory "
                       "holds several profiles)",
                       argv[i], NULL);
    if (rc != 0)
      return rc;
  }
  if (!o->help && !o->version && o->npaths != 2)
    return usage_error("needs BASE and NEW%s", "", NULL);
  return 0;
}

static int json_name(const struct dirent *e) {
  size_t l = strlen(e->d_name);
  return e->d_name[0] != '.' && l > 5 &&
         strcmp(e->d_name + l - 5, ".json") == 0;
}

/* Reads one profile into side s. 0, or 2 after printing why. */
static int read_one(struct li_diff_side *s, const char *path,
                    const struct li_load_opts *load) {
  struct li_err err;
  if (li_rep_profile_add_file(&s->p, path, load, &err) != 0) {
    char *clean = li_rep_sanitize(err.msg);
    fprintf(stderr, "lockinstr: %s\n", clean ? clean : err.msg);
    free(clean);
    return 2;
  }
  s->nfiles++;
  return 0;
}

/* Reads a side: a profile, or every *.json profile of a directory, in
 * name order. 0, or 2 after printing why. */
static int read_side(struct li_diff_side *s, const char *path,
                     const struct li_load_opts *load) {
  struct stat st;
  struct dirent **names;
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
    return read_one(s, path, load);
  int n = scandir(path, &names, json_name, alphasort), rc = 0;
  if (n <= 0) {
    if (n == 0)
      free(names);
    return usage_error("no profile (*.json) in the directory '%s'", path, NULL);
  }
  for (int i = 0; i < n; i++) {
    size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
    char *file = malloc(len);
    if (file != NULL && rc == 0) {
      snprintf(file, len, "%s/%s", path, names[i]->d_name);
      rc = read_one(s, file, load);
    }
    free(file);
    free(names[i]);
  }
  free(names);
  return rc;
}

/* A value of metric m for a message. */
static const char *shown(char *buf, enum li_metric m, double v) {
  if (li_metrics[m].unit == LI_U_NS)
    return li_rep_fmt_duration(buf, v <= 0 ? 0 : (uint64_t)(v + 0.5));
  if (li_metrics[m].unit == LI_U_PPM)
    snprintf(buf, LI_FMT_MAX, "%.2f%%", v / 1e4);
  else
    snprintf(buf, LI_FMT_MAX, "%.0f", v);
  return buf;
}

/* Whether the change of r in g's metric is above the noise floor: a time
 * metric needs min_wait on either side, a count min_count, a rate
 * min_count acquisitions in the new run. */
static int above_floor(const struct diff_opts *o, const struct li_diff_row *r,
                       enum li_metric m) {
  double big = r->b[m] > r->n[m] ? r->b[m] : r->n[m];
  switch (li_metrics[m].unit) {
  case LI_U_NS:
    return big >= (double)o->min_wait;
  case LI_U_COUNT:
    return big >= (double)o->min_count;
  case LI_U_PPM:
    break;
  }
  return r->next && r->next->acquisitions >= o->min_count;
}

/* Checks one row against one gate; prints a crossing. Returns 1 if the
 * threshold is crossed. */
static int check(const struct li_diff *d, const struct diff_opts *o,
                 const struct li_diff_row *r, const struct gate *g) {
  enum li_metric m = g->metric;
  double b = r->b[m], n = r->n[m];
  char where[512], vb[LI_FMT_MAX], vn[LI_FMT_MAX], ch[LI_FMT_MAX];
  if (r->status == LI_DIFF_REMOVED || n <= b || !above_floor(o, r, m))
    return 0;
  if (g->relative ? b > 0 && 100 * (n - b) / b <= g->limit : n - b <= g->limit)
    return 0;
  if (b > 0)
    snprintf(ch, sizeof ch, "%+.0f%%", 100 * (n - b) / b);
  else
    snprintf(ch, sizeof ch, "+inf");
  char *clean = li_rep_sanitize(li_diff_where(d, r, where, sizeof where));
  fprintf(stderr, "lockinstr: regression: %s: %s %s (%s -> %s), over %s\n",
          clean ? clean : "?", li_metrics[m].name, ch, shown(vb, m, b),
          shown(vn, m, n), g->spec);
  free(clean);
  return 1;
}

/* Applies every gate to every row. Returns the number of crossings. */
static size_t gate(const struct li_diff *d, const struct diff_opts *o) {
  size_t crossed = 0;
  for (size_t i = 0; i < d->n; i++)
    for (size_t k = 0; k < o->ngates; k++)
      crossed += (size_t)check(d, o, &d->v[i], &o->gates[k]);
  return crossed;
}

/* Builds the rows of both sides and matches them. 0, or 2. */
static int compare(struct li_diff *d, const struct diff_opts *o) {
  struct li_view v = {o->by, LI_SORT_WAIT, 0, 0};
  if (li_rep_rows_build(&d->base.p, LI_SEC_LOCK, &v, &d->base.rows) != 0 ||
      li_rep_rows_build(&d->next.p, LI_SEC_LOCK, &v, &d->next.rows) != 0 ||
      li_diff_match(d, o->sort) != 0) {
    fputs("lockinstr: error: out of memory\n", stderr);
    return 2;
  }
  return 0;
}

/* Writes the chosen output. 0, or 2. */
static int render(const struct li_diff *d, const struct diff_opts *o) {
  struct li_out out;
  struct li_err err;
  if (li_rep_out_open(&out, o->output, &err) != 0) {
    fprintf(stderr, "lockinstr: %s\n", err.msg);
    return 2;
  }
  int rc = o->json ? li_diff_write_json(out.f, d)
                   : li_diff_write_text(out.f, d, o->sort, o->top);
  if (rc != 0) {
    li_rep_out_abort(&out);
    fputs("lockinstr: error: cannot write the output\n", stderr);
    return 2;
  }
  if (li_rep_out_commit(&out, &err) != 0) {
    fprintf(stderr, "lockinstr: %s\n", err.msg);
    return 2;
  }
  return 0;
}

static void diff_free(struct li_diff *d) {
  li_rep_rows_free(&d->base.rows);
  li_rep_rows_free(&d->next.rows);
  li_rep_profile_free(&d->base.p);
  li_rep_profile_free(&d->next.p);
  free(d->v);
  li_diff_free_files(d);
}

int li_diff_main(int argc, char **argv) {
  struct diff_opts o = {
      .sort = LI_M_WAIT, .top = 20, .min_wait = 1000000, .min_count = 100};
  struct li_diff d;
  o.load.max_bytes = LI_MAX_INPUT_BYTES;
  int rc = parse_args(&o, argc, argv);
  if (rc != 0 || o.help || o.version) {
    if (rc == 0)
      fputs(o.help ? usage_text : "lockinstr diff " LI_VERSION "\n", stdout);
    return rc;
  }
  memset(&d, 0, sizeof d);
  d.by = o.by;
  d.per = o.per;
  if (li_rep_profile_init(&d.base.p) != 0 ||
      li_rep_profile_init(&d.next.p) != 0) {
    fputs("lockinstr: error: out of memory\n", stderr);
    return 2;
  }
  rc = read_side(&d.base, o.paths[0], &o.load);
  rc = rc ? rc : read_side(&d.next, o.paths[1], &o.load);
  rc = rc ? rc : compare(&d, &o);
  rc = rc ? rc : render(&d, &o);
  if (rc == 0 && gate(&d, &o) > 0)
    rc = 1;
  diff_free(&d);
  return rc;
}
