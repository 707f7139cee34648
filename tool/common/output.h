/*
 * output.h — the tool side's one way of writing a file atomically (the
 * rewriter's outputs and --depfile, the report's -o, the launcher's
 * dependency-file fix-up).
 *
 * Each file is written to a temporary file `.lockinstr-tmp.XXXXXX` in its
 * target directory (created exclusively by mkstemp) and renamed over the
 * target, so a reader (or a build) sees the old file or the whole new one,
 * never part of it, and a failed write leaves the target as it was. The
 * file gets the permissions a plain fopen would have given it (0666 minus
 * the umask). Temporary files still in flight are removed if the process is
 * stopped by SIGINT, SIGTERM or SIGHUP, once li_output_init has installed
 * the handlers.
 *
 * The runtime (runtime/dump.c) keeps its own writer: it cannot link tool
 * code, and it writes from inside the host program (signals, fork), where
 * these handlers have no business.
 */
#ifndef LI_OUTPUT_H
#define LI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

/* Flags of li_atomic_open. */
enum {
  LI_ATOMIC_FSYNC = 1 /* fsync before the rename (the report's -o) */
};

/* A file being written atomically. */
struct li_atomic {
  FILE *f;          /* write here, between open and commit/abort */
  const char *path; /* the destination (borrowed) */
  int slot;         /* the temporary file's registration, see output.c */
  int flags;        /* LI_ATOMIC_* */
};

/* Installs the signal handlers that remove temporary files, and records
 * the umask. Call once, before any thread starts. Not needed by a program
 * that handles those signals itself (the launcher). */
void li_output_init(void);

/* Opens a temporary file next to path (whose directory must exist) for
 * writing. Thread-safe. Returns 0, or -errno with nothing created. */
int li_atomic_open(struct li_atomic *a, const char *path, int flags);

/* Flushes and closes a->f and renames the temporary file over a->path.
 * Thread-safe. Returns 0, or -errno (a write error on a->f, or the
 * rename's) with the temporary file removed and the destination untouched.
 */
int li_atomic_commit(struct li_atomic *a);

/* Closes a->f and removes the temporary file; the destination is untouched.
 */
void li_atomic_abort(struct li_atomic *a);

/* Writes data[0..len) to path, creating its directories, through
 * li_atomic_open/commit. Thread-safe. Returns 0, or -errno with nothing
 * left behind. */
int li_write_atomic(const char *path, const char *data, size_t len);

#endif /* LI_OUTPUT_H */
