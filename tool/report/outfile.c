/*
 * outfile.c — atomic output files (see outfile.h).
 *
 * The temporary file is created with mkstemp (O_EXCL: never follows or
 * reuses an existing name) and given the permissions a plain fopen would
 * have given the destination (0666 minus the umask).
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int li_rep_out_open(struct li_out *o, const char *path, struct li_err *err) {
  memset(o, 0, sizeof *o);
  if (path == NULL || strcmp(path, "-") == 0) {
    o->f = stdout;
    return 0;
  }
  size_t len = strlen(path) + sizeof ".tmp.XXXXXX";
  o->tmp = malloc(len);
  if (o->tmp == NULL) {
    snprintf(err->msg, sizeof err->msg, "%s: error: out of memory", path);
    return -1;
  }
  snprintf(o->tmp, len, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    snprintf(err->msg, sizeof err->msg, "%s: error: cannot create: %s", path,
             strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return -1;
  }
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask);
  o->f = fdopen(fd, "w");
  if (o->f == NULL) {
    close(fd);
    li_rep_out_abort(o);
    snprintf(err->msg, sizeof err->msg, "%s: error: out of memory", path);
    return -1;
  }
  o->path = path;
  return 0;
}

int li_rep_out_commit(struct li_out *o, struct li_err *err) {
  const char *name = o->path ? o->path : "<stdout>";
  int bad = ferror(o->f) || fflush(o->f) != 0;
  int saved = errno;
  if (o->path == NULL) {
    if (bad)
      snprintf(err->msg, sizeof err->msg, "%s: error: write failed: %s", name,
               strerror(saved));
    return bad ? -1 : 0;
  }
  bad = bad || fsync(fileno(o->f)) != 0;
  saved = bad ? errno : 0;
  bad = fclose(o->f) != 0 || bad;
  o->f = NULL;
  if (!bad && rename(o->tmp, o->path) != 0) {
    bad = 1;
    saved = errno;
  }
  if (bad) {
    snprintf(err->msg, sizeof err->msg, "%s: error: write failed: %s", name,
             strerror(saved ? saved : errno));
    li_rep_out_abort(o);
    return -1;
  }
  free(o->tmp);
  o->tmp = NULL;
  return 0;
}

void li_rep_out_abort(struct li_out *o) {
  if (o->f != NULL && o->f != stdout)
    fclose(o->f);
  o->f = NULL;
  if (o->tmp != NULL)
    unlink(o->tmp);
  free(o->tmp);
  o->tmp = NULL;
}
