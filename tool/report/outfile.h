/*
 * outfile.h — writing an output file atomically.
 *
 * li_rep_out_open creates a temporary file next to the destination (same
 * directory, so rename is atomic), li_rep_out_commit flushes, fsyncs and
 * renames it into place, li_rep_out_abort removes it. A reader of the
 * destination sees the old file or the complete new one, never half. With
 * no path the output is stdout, written directly.
 */
#ifndef LI_REPORT_OUTFILE_H
#define LI_REPORT_OUTFILE_H

#include <stdio.h>

#include "profile.h"

struct li_out {
  FILE *f;
  const char *path; /* destination, or NULL for stdout */
  char *tmp;        /* the temporary file's name */
};

/* Opens the output (path NULL or "-" = stdout). Returns 0, or -1 with a
 * message in err. */
int li_rep_out_open(struct li_out *o, const char *path, struct li_err *err);

/* Finishes the output: checks for write errors, renames into place.
 * Returns 0, or -1 with a message (the temporary file is removed). */
int li_rep_out_commit(struct li_out *o, struct li_err *err);

/* Drops the output: the temporary file is removed, the destination is left
 * as it was. */
void li_rep_out_abort(struct li_out *o);

#endif /* LI_REPORT_OUTFILE_H */
