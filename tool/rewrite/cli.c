/*
 * cli.c — the rewriter's command line: getopt_long over the options (files
 * and options may be mixed; everything after `--` is the compiler's), the
 * usage text, and the checks of options that depend on each other.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apis.h"
#include "paths.h"
#include "run.h"
#include "suggest.h"
#include "text.h"

void li_usage(FILE *f) {
  fputs(
      "usage: lockinstr [options] FILE... -o OUTDIR [-- COMPILER FLAGS]\n"
      "       lockinstr [options] -p BUILDDIR -o OUTDIR   (every C file)\n"
      "       lockinstr report [options] PROFILE...\n"
      "\n"
      "Rewrites the lock calls of C files so that they go through lockinstr's\n"
      "instrumented wrappers; each FILE is written to OUTDIR at its path\n"
      "relative to the root. Compile the output with -I<lockinstr>/include\n"
      "and link it with liblockinstr.\n"
      "\n"
      "options:\n"
      "  -o OUTDIR        where to write the instrumented files\n"
      "  --root DIR       inputs are mirrored by their path relative to DIR\n"
      "                   (default: the current directory)\n"
      "  -p BUILDDIR      take each file's flags from "
      "BUILDDIR/compile_commands.json\n"
      "  -j N             rewrite N files at a time (default: all cores)\n"
      "  --header-dir DIR\n"
      "                   headers under DIR are the project's too (besides\n"
      "                   those under the root): instrumented into OUTDIR\n"
      "  --print-include-flags\n"
      "                   print, per input, the -I flags that put the\n"
      "                   instrumented headers first\n"
      "  --config FILE    use this configuration file for every input\n"
      "                   (default: the nearest " LI_CONFIG_NAME " above each "
      "input)\n"
      "  --no-config      use no configuration file\n"
      "  --exclude GLOB   copy matching files unchanged (relative to the "
      "root)\n"
      "  --exclude-function NAME\n"
      "                   leave the lock calls in these functions alone\n"
      "  --depfile FILE   also write a Make-syntax dependency file (like gcc\n"
      "                   -MD -MF FILE): the output depends on the input, its\n"
      "                   configuration file and every header it includes;\n"
      "                   one input file only\n"
      "  --depfile-target NAME\n"
      "                   the rule's target in the dependency file\n"
      "                   (default: the output file's absolute path)\n"
      "  --list-sites     print the sites as JSON on stdout\n"
      "  --list-apis      print the supported lock APIs (markdown) and exit\n"
      "  --verbose        list every call not instrumented, and each file\n"
      "  --quiet          print errors only\n"
      "  -h, --help       this text\n"
      "  --version        the version\n"
      "\n"
      "See docs/rewriter.md. Exit status: 0 ok, 1 a file failed, 2 usage.\n",
      f);
}

/* Records --exclude / --exclude-function. */
static void add_exclude(struct li_options *o, const char *glob, int fn) {
  o->excludes =
      li_xrealloc(o->excludes, (o->nexcludes + 1) * sizeof *o->excludes);
  o->exclude_fn =
      li_xrealloc(o->exclude_fn, (o->nexcludes + 1) * sizeof *o->exclude_fn);
  o->excludes[o->nexcludes] = (char *)glob;
  o->exclude_fn[o->nexcludes++] = fn;
}

enum {
  O_ROOT = 256,
  O_LIST_SITES,
  O_LIST_APIS,
  O_VERBOSE,
  O_QUIET,
  O_HELP,
  O_VERSION,
  O_HEADER_DIR,
  O_PRINT_INCLUDE_FLAGS,
  O_CONFIG,
  O_NO_CONFIG,
  O_EXCLUDE,
  O_EXCLUDE_FN,
  O_DEPFILE,
  O_DEPFILE_TARGET
};

static const struct option longs[] = {
    {"root", required_argument, NULL, O_ROOT},
    {"list-sites", no_argument, NULL, O_LIST_SITES},
    {"list-apis", no_argument, NULL, O_LIST_APIS},
    {"verbose", no_argument, NULL, O_VERBOSE},
    {"quiet", no_argument, NULL, O_QUIET},
    {"help", no_argument, NULL, O_HELP},
    {"version", no_argument, NULL, O_VERSION},
    {"header-dir", required_argument, NULL, O_HEADER_DIR},
    {"print-include-flags", no_argument, NULL, O_PRINT_INCLUDE_FLAGS},
    {"config", required_argument, NULL, O_CONFIG},
    {"no-config", no_argument, NULL, O_NO_CONFIG},
    {"exclude", required_argument, NULL, O_EXCLUDE},
    {"exclude-function", required_argument, NULL, O_EXCLUDE_FN},
    {"depfile", required_argument, NULL, O_DEPFILE},
    {"depfile-target", required_argument, NULL, O_DEPFILE_TARGET},
    {NULL, 0, NULL, 0}};

/* Prints a usage error in one line (fmt: one %s, for arg), the nearest
 * option when a suggestion is given, then where the usage is. Returns
 * EXIT_USAGE. */
static int usage_error(const char *fmt, const char *arg,
                       const char *suggestion) {
  fputs("lockinstr: error: ", stderr);
  fprintf(stderr, fmt, arg ? arg : "");
  if (suggestion)
    fprintf(stderr, "; did you mean '%s'?", suggestion);
  fputs("\n(see 'lockinstr --help')\n", stderr);
  return EXIT_USAGE;
}

/* An unknown option (or one missing its value): one line, with the
 * nearest option when it is a likely typo. */
static int bad_option(const char *arg) {
  static const char *names[sizeof longs / sizeof longs[0] + 4];
  static char spelled[sizeof longs / sizeof longs[0]][32];
  size_t n = 0;
  for (size_t i = 0; longs[i].name; i++) {
    snprintf(spelled[i], sizeof spelled[i], "--%s", longs[i].name);
    names[n++] = spelled[i];
  }
  names[n++] = "-o";
  names[n++] = "-p";
  names[n++] = "-j";
  names[n] = NULL;
  int known = arg[0] == '-' && li_suggest(arg, names) != NULL &&
              strcmp(li_suggest(arg, names), arg) == 0;
  return usage_error(known ? "option '%s' needs a value"
                           : "unknown option '%s'",
                     arg, known ? NULL : li_suggest(arg, names));
}

/* Applies the options that print something and stop, or a bad one (c,
 * with its argument in optarg). Returns the exit status. */
static int final_option(int c, char **argv) {
  switch (c) {
  case O_LIST_APIS:
    li_api_print_markdown(stdout);
    return 0;
  case 'h':
  case O_HELP:
    li_usage(stdout);
    return 0;
  case O_VERSION:
    printf("lockinstr " LI_VERSION "\n");
    return 0;
  case 'j':
    return usage_error("-j needs a positive number, not '%s'", optarg, NULL);
  default:
    return bad_option(argv[optind - 1]);
  }
}

/* Applies option c (its argument in optarg) to o. Returns -1 to go on, or
 * an exit status (final_option). */
static int apply_option(int c, char **argv, struct li_options *o) {
  switch (c) {
  case 'o':
    o->outdir = optarg;
    break;
  case 'p':
    o->builddir = optarg;
    break;
  case 'j':
    o->jobs = atoi(optarg);
    return o->jobs < 1 ? final_option(c, argv) : -1;
  case O_ROOT:
    o->root = optarg;
    break;
  case O_LIST_SITES:
    o->list_sites = 1;
    break;
  case O_VERBOSE:
    o->verbose = 1;
    break;
  case O_QUIET:
    o->quiet = 1;
    break;
  case O_HEADER_DIR:
    o->header_dirs = li_xrealloc(o->header_dirs, (o->nheader_dirs + 1) *
                                                     sizeof *o->header_dirs);
    o->header_dirs[o->nheader_dirs++] = li_path_abs(optarg, NULL);
    break;
  case O_PRINT_INCLUDE_FLAGS:
    o->print_include_flags = 1;
    break;
  case O_CONFIG:
    o->config = optarg;
    break;
  case O_NO_CONFIG:
    o->no_config = 1;
    break;
  case O_EXCLUDE:
  case O_EXCLUDE_FN:
    add_exclude(o, optarg, c == O_EXCLUDE_FN);
    break;
  case O_DEPFILE:
    o->depfile = optarg;
    break;
  case O_DEPFILE_TARGET:
    o->depfile_target = optarg;
    break;
  default:
    return final_option(c, argv);
  }
  return -1;
}

int li_parse_options(int argc, char **argv, struct li_options *o) {
  for (int i = 1; i < argc; i++) /* everything after -- is the compiler's */
    if (strcmp(argv[i], "--") == 0) {
      o->cc_flags = argv + i + 1;
      o->ncc_flags = (size_t)(argc - i - 1);
      argc = i;
      break;
    }
  int c, rc = -1;
  opterr = 0; /* our own messages */
  while (rc < 0 &&
         ((c = getopt_long(argc, argv, "+o:p:j:h", longs, NULL)) != -1 ||
          optind < argc)) {
    if (c == -1) { /* a file; options may follow it */
      o->files = li_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
      o->files[o->nfiles++] = argv[optind++];
      continue;
    }
    rc = apply_option(c, argv, o);
  }
  return rc;
}

/* Checks the --depfile options against the rest of the command line.
 * Returns 0, or EXIT_USAGE after printing why. */
static int li_check_depfile_usage(const struct li_options *o) {
  const char *err = NULL;
  if (o->depfile_target && !o->depfile)
    err = "--depfile-target needs --depfile";
  else if (!o->depfile)
    return 0;
  else if (!*o->depfile || (o->depfile_target && !*o->depfile_target))
    err = "--depfile and --depfile-target need a non-empty name";
  else if (o->nfiles != 1)
    err = "--depfile needs exactly one input file (a dependency file has "
          "one target)";
  else if (!o->outdir)
    err = "--depfile needs an output file (-o OUTDIR)";
  if (!err)
    return 0;
  return usage_error("%s", err, NULL);
}

int li_check_options(const struct li_options *o) {
  if ((o->nfiles == 0 && !o->builddir) || (!o->outdir && !o->list_sites))
    return usage_error("%s",
                       o->nfiles || o->builddir
                           ? "no output directory (-o OUTDIR)"
                           : "no input files",
                       NULL);
  return li_check_depfile_usage(o);
}

void li_options_free(struct li_options *o) {
  for (size_t i = 0; i < o->nheader_dirs; i++)
    free(o->header_dirs[i]);
  free(o->header_dirs);
  free(o->files);
  free(o->excludes);
  free(o->exclude_fn);
}
