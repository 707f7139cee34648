/*
 * outputs.h — the output formats of `lockinstr report`.
 *
 * Each writer renders the merged profile to an open stream and returns 0,
 * or -1 with a message in err (out of memory, a library failure). Write
 * errors on the stream are caught by li_rep_out_commit. Writers never see raw
 * names: text and HTML pass every string through escape.h first.
 */
#ifndef LI_REPORT_OUTPUTS_H
#define LI_REPORT_OUTPUTS_H

#include <stdio.h>

#include "profile.h"
#include "rows.h"

/* Everything a writer needs. */
struct li_report {
  const struct li_profile *p;
  struct li_view view;
  int verbose;       /* -v: timeouts/errors columns and release/init sites */
  size_t max_cycles; /* --max-cycles: cycles the lock-order search keeps */
  int wide;          /* --wide: every text column, names uncut */
};

int li_rep_write_text(FILE *f, const struct li_report *r, struct li_err *err);
int li_rep_write_json(FILE *f, const struct li_report *r, struct li_err *err);
int li_rep_write_pprof(FILE *f, const struct li_report *r, struct li_err *err);
int li_rep_write_html(FILE *f, const struct li_report *r, struct li_err *err);
int li_rep_write_dot(FILE *f, const struct li_report *r, struct li_err *err);

#ifndef LI_LO_PAIRS_SHOWN
#define LI_LO_PAIRS_SHOWN 5 /* site pairs listed per class edge */
#endif

/* The cycle's classes: "A -> B -> A" (arrow as given), sanitized;
 * malloc'd or NULL. */
char *li_rep_cycle_path(const struct li_lo_graph *g, const struct li_cycle *c,
                        const char *arrow);

/* A one-line description of the run: "program bank, 2 profiles, ...";
 * malloc'd, sanitized for a terminal (not HTML-escaped), NULL if out of
 * memory. Shared by the text and HTML headers. */
char *li_rep_summary_line(const struct li_profile *p);

/* The "file:line function" of a site, sanitized; malloc'd or NULL. */
char *li_rep_site_location(const struct li_site *s);

/* Cuts a sanitized name s (malloc'd; consumed) to cols code points, the
 * cut marked "…" at the end, or in the middle when middle (keeping both
 * ends of a location). Returns s itself when it fits, else a new string;
 * NULL when s is NULL or out of memory. */
char *li_rep_shorten(char *s, size_t cols, int middle);

#endif /* LI_REPORT_OUTPUTS_H */
