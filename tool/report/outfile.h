/*
 * outfile.h — the report's output: standard output, or a file written
 * atomically through the tool side's one writer (output.h) and synced
 * before the rename. These functions only choose between the two and word
 * the errors the way the report prints them.
 */
#ifndef LI_REPORT_OUTFILE_H
#define LI_REPORT_OUTFILE_H

#include <stdio.h>

#include "output.h"
#include "profile.h"

struct li_out {
  FILE *f;             /* write here */
  const char *path;    /* destination, or NULL for stdout */
  struct li_atomic at; /* the file being written, when path is set */
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
