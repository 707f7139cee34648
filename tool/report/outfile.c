/*
 * outfile.c — the report's output file (see outfile.h).
 */
#include "outfile.h"

#include <errno.h>
#include <string.h>

int li_rep_out_open(struct li_out *o, const char *path, struct li_err *err) {
  memset(o, 0, sizeof *o);
  if (path == NULL || strcmp(path, "-") == 0) {
    o->f = stdout;
    return 0;
  }
  int rc = li_atomic_open(&o->at, path, LI_ATOMIC_FSYNC);
  if (rc != 0) {
    snprintf(err->msg, sizeof err->msg, "%s: error: cannot create: %s", path,
             strerror(-rc));
    return -1;
  }
  o->f = o->at.f;
  o->path = path;
  return 0;
}

int li_rep_out_commit(struct li_out *o, struct li_err *err) {
  int rc = 0;
  if (o->path == NULL) {
    errno = 0;
    if (ferror(o->f) || fflush(o->f) != 0)
      rc = errno ? -errno : -EIO;
  } else {
    rc = li_atomic_commit(&o->at);
  }
  o->f = NULL;
  if (rc != 0)
    snprintf(err->msg, sizeof err->msg, "%s: error: write failed: %s",
             o->path ? o->path : "<stdout>", strerror(-rc));
  return rc ? -1 : 0;
}

void li_rep_out_abort(struct li_out *o) {
  if (o->path != NULL && o->f != NULL)
    li_atomic_abort(&o->at);
  o->f = NULL;
}
