/*
 * report_main.c — the `lockinstr report` command line.
 *
 * Parses the options by hand (getopt would print its own messages under
 * the name "report" and keeps global state), reads every profile into one
 * accumulator, then renders the chosen format into an atomic output file.
 * Exit codes: 0 ok, 1 bad input or failed output, 2 usage (report.h).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "outfile.h"
#include "outputs.h"
#include "profile.h"
#include "suggest.h"

enum format { FMT_TEXT, FMT_JSON, FMT_PPROF, FMT_HTML, FMT_DOT };

struct options {
  struct li_view view;
  struct li_load_opts load;
  enum format format;
  const char *output; /* NULL = stdout */
  size_t max_cycles;
  int verbose;
  int wide;
  int help;
  int version;
  char **inputs;
  size_t ninputs;
};

static const char usage_text[] =
    "usage: lockinstr report [options] PROFILE...\n"
    "\n"
    "Reads lockinstr profiles (several runs of one program add up) and shows\n"
    "where threads wait for locks and how long they hold them.\n"
    "\n"
    "  --by site|class        one row per call site (default) or lock class\n"
    "  --sort KEY             wait (default), hold, contentions, acquisitions\n"
    "  --top N                rows per section (default 20, 0 = all)\n"
    "  --min-wait DURATION    hide rows with less total wait (e.g. 10us, 1ms)\n"
    "  --format FORMAT        text (default), json, pprof, html, dot\n"
    "  -o, --output FILE      write to FILE (atomically) instead of stdout\n"
    "  --merge-any            merge profiles of different programs\n"
    "  --max-input SIZE       largest profile read (default 64M; K, M, G)\n"
    "  --max-cycles N         lock-order cycles to find at most (default "
    "1000)\n"
    "  -v, --verbose          timeouts and errors columns, release sites\n"
    "  --wide                 every text column, names uncut (default: 120\n"
    "                         columns)\n"
    "  -h, --help             this text\n"
    "  --version              the version\n"
    "\n"
    "Exit status: 0 ok, 1 bad input or output error, 2 usage error.\n";

/* Prints a usage error; returns LI_REPORT_USAGE. */
static int usage_error(const char *fmt, const char *arg) {
  char *clean = li_rep_sanitize(arg ? arg : "");
  fputs("lockinstr: error: ", stderr);
  fprintf(stderr, fmt, clean ? clean : "?");
  fputs("\n(see 'lockinstr report --help')\n", stderr);
  free(clean);
  return LI_REPORT_USAGE;
}

/* Parses "64M"-style sizes (bytes; K, M, G are powers of 1024). */
static int parse_size(const char *s, size_t *out) {
  size_t len = strlen(s);
  int shift = 0;
  char num[32];
  if (len == 0 || len >= sizeof num)
    return -1;
  memcpy(num, s, len + 1);
  char *last = &num[len - 1];
  if (*last == 'K' || *last == 'M' || *last == 'G') {
    shift = *last == 'K' ? 10 : *last == 'M' ? 20 : 30;
    *last = '\0';
  }
  uint64_t v;
  if (li_rep_parse_count(num, &v) != 0 || v == 0 || v > (SIZE_MAX >> shift))
    return -1;
  *out = (size_t)v << shift;
  return 0;
}

/* Looks s up in a NULL-terminated list; returns its index or -1. */
static int choose(const char *s, const char *const *names) {
  for (int i = 0; names[i]; i++)
    if (strcmp(s, names[i]) == 0)
      return i;
  return -1;
}

/* Applies one option that takes a value. Returns 0 or an exit code. */
static int apply(struct options *o, const char *opt, const char *val) {
  static const char *const bys[] = {"site", "class", NULL};
  static const char *const sorts[] = {"wait", "hold", "contentions",
                                      "acquisitions", NULL};
  static const char *const formats[] = {"text", "json", "pprof",
                                        "html", "dot",  NULL};
  uint64_t n;
  int i;
  if (strcmp(opt, "--by") == 0) {
    i = choose(val, bys);
    if (i < 0)
      return usage_error("--by must be site or class, not '%s'", val);
    o->view.by = (enum li_by)i;
  } else if (strcmp(opt, "--sort") == 0) {
    i = choose(val, sorts);
    if (i < 0)
      return usage_error("--sort must be wait, hold, contentions or "
                         "acquisitions, not '%s'",
                         val);
    o->view.sort = (enum li_sort)i;
  } else if (strcmp(opt, "--format") == 0) {
    i = choose(val, formats);
    if (i < 0)
      return usage_error("--format must be text, json, pprof, html or dot, "
                         "not '%s'",
                         val);
    o->format = (enum format)i;
  } else if (strcmp(opt, "--top") == 0) {
    if (li_rep_parse_count(val, &n) != 0 || n > SIZE_MAX)
      return usage_error("--top needs a number (0 = all), not '%s'", val);
    o->view.top = (size_t)n;
  } else if (strcmp(opt, "--min-wait") == 0) {
    if (li_rep_parse_duration(val, &o->view.min_wait) != 0)
      return usage_error("--min-wait needs a duration with a unit (ns, us, "
                         "ms, s), e.g. 10us, not '%s'",
                         val);
  } else if (strcmp(opt, "--max-cycles") == 0) {
    if (li_rep_parse_count(val, &n) != 0 || n == 0 || n > SIZE_MAX / 2)
      return usage_error("--max-cycles needs a number of at least 1, not "
                         "'%s'",
                         val);
    o->max_cycles = (size_t)n;
  } else if (strcmp(opt, "--max-input") == 0) {
    if (parse_size(val, &o->load.max_bytes) != 0)
      return usage_error("--max-input needs a size such as 64M, not '%s'", val);
  } else {
    o->output = val; /* -o, --output */
  }
  return 0;
}

/* Every option, for "did you mean". */
static const char *const all_options[] = {
    "--by",        "--sort",       "--format",  "--top",
    "--min-wait",  "--output",     "-o",        "--merge-any",
    "--max-input", "--max-cycles", "-v",        "--verbose",
    "-h",          "--help",       "--version", NULL};

/* An unknown option: one line, with the nearest known option when it is
 * a likely typo. Returns LI_REPORT_USAGE. */
static int unknown_option(const char *arg) {
  const char *near = li_suggest(arg, all_options);
  char *clean = li_rep_sanitize(arg);
  fprintf(stderr, "lockinstr: error: unknown option '%s'", clean ? clean : "?");
  if (near)
    fprintf(stderr, "; did you mean '%s'?", near);
  fputs("\n(see 'lockinstr report --help')\n", stderr);
  free(clean);
  return LI_REPORT_USAGE;
}

static int takes_value(const char *opt) {
  static const char *const with[] = {
      "--by",        "--sort",       "--format", "--top", "--min-wait",
      "--max-input", "--max-cycles", "--output", "-o",    NULL};
  return choose(opt, with) >= 0;
}

/* Handles argv[*i], an option; may consume the next argument. */
static int parse_option(struct options *o, int argc, char **argv, int *i) {
  char opt[32];
  const char *arg = argv[*i], *eq = strchr(arg, '=');
  const char *val = NULL;
  if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
    return o->help = 1, 0;
  if (strcmp(arg, "--version") == 0)
    return o->version = 1, 0;
  if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0)
    return o->verbose = 1, 0;
  if (strcmp(arg, "--merge-any") == 0)
    return o->load.merge_any = 1, 0;
  if (strcmp(arg, "--wide") == 0)
    return o->wide = 1, 0;
  if (strncmp(arg, "-o", 2) == 0 && arg[2] != '\0')
    return apply(o, "-o", arg + 2);
  size_t len = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
  if (len >= sizeof opt)
    return unknown_option(arg);
  memcpy(opt, arg, len);
  opt[len] = '\0';
  if (!takes_value(opt))
    return unknown_option(arg);
  if (eq && arg[1] == '-')
    val = eq + 1;
  else if (*i + 1 < argc)
    val = argv[++*i];
  else
    return usage_error("option '%s' needs a value", arg);
  return apply(o, opt, val);
}

/* Parses argv into o. Returns 0 or an exit code. */
static int parse_args(struct options *o, int argc, char **argv) {
  int only_files = 0;
  o->inputs = calloc((size_t)argc + 1, sizeof *o->inputs);
  if (o->inputs == NULL)
    return usage_error("out of memory%s", "");
  for (int i = 1; i < argc; i++) {
    if (!only_files && strcmp(argv[i], "--") == 0) {
      only_files = 1;
    } else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0') {
      int rc = parse_option(o, argc, argv, &i);
      if (rc != 0)
        return rc;
    } else {
      o->inputs[o->ninputs++] = argv[i];
    }
  }
  if (!o->help && !o->version && o->ninputs == 0)
    return usage_error("no profile given%s", "");
  return 0;
}

/* Refuses an output file that is also an input (same file, whatever the
 * path's spelling): writing it would replace a profile with its own
 * report. Returns 0 or LI_REPORT_USAGE. */
static int check_output_not_input(const struct options *o) {
  struct stat out, in;
  if (o->output == NULL || strcmp(o->output, "-") == 0 ||
      stat(o->output, &out) != 0)
    return 0; /* stdout, or a new file */
  for (size_t i = 0; i < o->ninputs; i++)
    if (strcmp(o->inputs[i], "-") != 0 && stat(o->inputs[i], &in) == 0 &&
        in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      return usage_error("the output '%s' is also an input; refusing to "
                         "overwrite it",
                         o->output);
  return 0;
}

/* Prints "lockinstr: <msg>" with the message sanitized (it may quote the
 * input, which may hold control characters). */
static void report_error(const struct li_err *err) {
  char *clean = li_rep_sanitize(err->msg);
  fprintf(stderr, "lockinstr: %s\n", clean ? clean : err->msg);
  free(clean);
}

/* Reads every input into p. Returns 0 or LI_REPORT_BAD_INPUT. */
static int load_all(struct li_profile *p, const struct options *o) {
  struct li_err err;
  for (size_t i = 0; i < o->ninputs; i++) {
    if (li_rep_profile_add_file(p, o->inputs[i], &o->load, &err) != 0) {
      report_error(&err);
      return LI_REPORT_BAD_INPUT;
    }
  }
  return 0;
}

/* Renders p in the chosen format into the output. */
static int render(const struct li_profile *p, const struct options *o) {
  static int (*const writers[])(FILE *, const struct li_report *,
                                struct li_err *) = {
      li_rep_write_text, li_rep_write_json, li_rep_write_pprof,
      li_rep_write_html, li_rep_write_dot};
  struct li_report r = {p, o->view, o->verbose, o->max_cycles, o->wide};
  struct li_out out;
  struct li_err err;
  if (li_rep_out_open(&out, o->output, &err) != 0) {
    report_error(&err);
    return LI_REPORT_BAD_INPUT;
  }
  if (writers[o->format](out.f, &r, &err) != 0) {
    li_rep_out_abort(&out);
    report_error(&err);
    return LI_REPORT_BAD_INPUT;
  }
  if (li_rep_out_commit(&out, &err) != 0) {
    report_error(&err);
    return LI_REPORT_BAD_INPUT;
  }
  return LI_REPORT_OK;
}

int li_report_main(int argc, char **argv) {
  struct options o;
  struct li_profile p;
  memset(&o, 0, sizeof o);
  o.view.top = 20;
  o.load.max_bytes = LI_MAX_INPUT_BYTES;
  o.max_cycles = LI_LO_MAX_CYCLES;
  int rc = parse_args(&o, argc, argv);
  if (rc == 0 && !o.help && !o.version)
    rc = check_output_not_input(&o);
  if (rc == 0 && o.help)
    fputs(usage_text, stdout);
  else if (rc == 0 && o.version)
    fputs("lockinstr report " LI_VERSION "\n", stdout);
  o.help |= o.version; /* either: nothing else to do */
  if (rc == 0 && !o.help && o.format == FMT_PPROF && o.output == NULL &&
      isatty(STDOUT_FILENO))
    rc = usage_error("refusing to write binary pprof data to a terminal; "
                     "use -o FILE%s",
                     "");
  if (rc != 0 || o.help) {
    free(o.inputs);
    return rc;
  }
  if (li_rep_profile_init(&p) != 0) {
    free(o.inputs);
    fputs("lockinstr: error: out of memory\n", stderr);
    return LI_REPORT_BAD_INPUT;
  }
  rc = load_all(&p, &o);
  if (rc == 0)
    rc = render(&p, &o);
  li_rep_profile_free(&p);
  free(o.inputs);
  return rc;
}
