/*
 * report.h — `lockinstr report`: read, merge and show lock profiles.
 *
 * The lockinstr command dispatches `lockinstr report ARGS...` and
 * `lockinstr diff ARGS...` here. Usage,
 * options, columns, formats and exit codes are documented in
 * docs/report.md.
 */
#ifndef LOCKINSTR_REPORT_H
#define LOCKINSTR_REPORT_H

/* Exit codes of li_report_main. */
#define LI_REPORT_OK 0 /* output written */
#define LI_REPORT_BAD_INPUT                                                    \
  1                       /* a profile is unreadable or invalid, profiles      \
                             cannot be merged, or output failed */
#define LI_REPORT_USAGE 2 /* bad command line */

/*
 * Runs the report command. argv[0] is "report"; the rest are options and
 * profile paths. Writes the output (stdout or -o FILE, atomically) and
 * messages to stderr. Returns an LI_REPORT_* exit code; never calls exit().
 * Not thread-safe (uses process-wide stdio and a sort context).
 */
int li_report_main(int argc, char **argv);

/* Runs `lockinstr diff` (diff.h); argv[0] is "diff". Exit status: 0 no
 * --fail-if threshold crossed, 1 one was, 2 usage or input error. */
int li_diff_main(int argc, char **argv);

#endif /* LOCKINSTR_REPORT_H */
