/*
 * diff.h — `lockinstr diff BASE NEW`: what changed in lock behaviour
 * between two runs, and a gate that fails a CI job when it got worse.
 *
 * Each side is read and merged exactly as `report` merges profiles, then
 * made into rows (rows.h: by site or by class, the same numbers the report
 * shows). Rows are matched by identity, not by line (diff_rows.c): a site
 * is its file (with the build system's spelling removed: "./", "../" and
 * an absolute prefix that the other side's relative path ends with), its
 * function, lock expression, API and kind, and its order of appearance
 * among the sites with that identity; a class is its name. Unmatched rows
 * are "added" or "removed". Totals (wait, contentions, hold,
 * acquisitions) are compared per run as recorded, or per second of run,
 * or (but acquisitions) per acquisition of the row, as --per says; the
 * header says which. Usage, output and exit codes: docs/ci.md and
 * docs/report.md.
 */
#ifndef LI_REPORT_DIFF_H
#define LI_REPORT_DIFF_H

#include <stdio.h>

#include "rows.h"

/* The compared numbers of one row on one side, normalised (diff_rows.c). */
enum li_metric {
  LI_M_WAIT,      /* total contended wait, ns */
  LI_M_WAIT_P99,  /* ns */
  LI_M_WAIT_MAX,  /* ns */
  LI_M_CONT,      /* contentions */
  LI_M_CONT_RATE, /* contentions per acquisition, in millionths */
  LI_M_HOLD,      /* estimated total hold (clamped as the report does), ns */
  LI_M_HOLD_P99,  /* ns */
  LI_M_ACQ,       /* acquisitions */
  LI_M_COUNT
};

/* What kind of quantity a metric is: the unit of an absolute threshold
 * and the noise floor that applies to it. */
enum li_metric_unit { LI_U_NS, LI_U_COUNT, LI_U_PPM };

struct li_metric_info {
  const char *name; /* as in --fail-if and --sort */
  enum li_metric_unit unit;
  int total; /* 1 = a total that normalisation per second divides */
};
extern const struct li_metric_info li_metrics[LI_M_COUNT];

/* Looks a metric up by name; returns LI_M_COUNT if unknown. */
enum li_metric li_metric_find(const char *name);

enum li_diff_status { LI_DIFF_CHANGED, LI_DIFF_ADDED, LI_DIFF_REMOVED };

struct li_diff_row {
  const struct li_row *base, *next; /* NULL on the side it is missing */
  enum li_diff_status status;
  double b[LI_M_COUNT], n[LI_M_COUNT]; /* base and new, normalised */
};

struct li_diff_side {
  struct li_profile p;
  struct li_rows rows;
  size_t nfiles; /* profiles read */
};

/* What totals are compared per (--per). */
enum li_diff_per { LI_PER_RUN, LI_PER_SECOND, LI_PER_ACQ };

struct li_diff_file; /* diff_rows.c: file names and their canonical names */

struct li_diff {
  struct li_diff_side base, next;
  struct li_diff_file *files;
  enum li_by by;
  enum li_diff_per per;
  struct li_diff_row *v;
  size_t n;
  size_t counts[3]; /* rows by status */
};

/* Builds d->v from the two sides' rows (both built already): matches,
 * normalises, sorts by the absolute change of `sort`, largest first.
 * Returns 0, or -1 out of memory. */
int li_diff_match(struct li_diff *d, enum li_metric sort);

/* Frees what li_diff_match added to d for file names. */
void li_diff_free_files(struct li_diff *d);

/* The location a diff row is shown by ("queue.c:60 queue_pop", or the
 * class name by class), into buf of size n. */
const char *li_diff_where(const struct li_diff *d, const struct li_diff_row *r,
                          char *buf, size_t n);

/* The outputs; 0, or -1 (out of memory, write error). */
int li_diff_write_text(FILE *f, const struct li_diff *d, enum li_metric sort,
                       size_t top);
int li_diff_write_json(FILE *f, const struct li_diff *d);

#endif /* LI_REPORT_DIFF_H */
