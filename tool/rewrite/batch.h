/*
 * batch.h — what the driver needs for batches and project headers: which
 * headers belong to the project, the include flags that put their copies
 * first, the inputs of a whole compile database, merging and writing the
 * header copies, and the progress line.
 */
#ifndef LI_BATCH_H
#define LI_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "flags.h"
#include "headers.h"
#include "rewrite.h"

/* Where the project is: a header is the project's if it lies under root or
 * one of dirs, and not under outdir (absolute, normalised; outdir NULL
 * when nothing is written), and is not one of lockinstr's own headers. */
struct li_project {
  const char *root;
  char **dirs; /* --header-dir */
  size_t ndirs;
  const char *outdir;
};

/* Returns the name of project header abs (its path relative to the root;
 * "_abs/<absolute path>" for one under a --header-dir outside the root),
 * or NULL if it is not a project header. Caller frees. */
char *li_project_name(const struct li_project *p, const char *abs);

/* Appends to out the flags that make the copies of the project's headers
 * found through the -I / -iquote directories of flags[0..n) (relative to
 * workdir) win over the originals: -I<outdir>/<name> for each such
 * directory whose copy exists, in the flags' order. */
void li_include_flags(const struct li_project *p, char *const *flags, size_t n,
                      const char *workdir, struct li_argv *out);

/* Lists the C files of db (entries whose file ends in .c), each once, in
 * the database's order, into *files (absolute; caller frees each and the
 * array). A file listed again with other flags is instrumented with its
 * first entry's: a note says so on f unless quiet. Returns their number. */
size_t li_compdb_c_files(const struct li_compdb *db, char ***files, FILE *f,
                         int quiet);

/* The project headers of a run. */
struct li_headers {
  struct li_header *v;
  size_t n;
};

/* Adds the headers and header sites one rewritten file saw. */
void li_headers_add(struct li_headers *hs, const struct li_project *p,
                    const struct li_result *res);

/* Builds and writes (if p->outdir) every header copy; the quoted includes
 * of a copy point at target(header). A copy already holding the same
 * bytes is not rewritten (its mtime stays, so its includers are not
 * rebuilt). Returns the number that failed (their error is set). */
size_t li_headers_write(struct li_headers *hs,
                        char *(*target)(const char *abs, void *arg), void *arg);

void li_headers_free(struct li_headers *hs);

/* The progress line of a batch (docs/rewriter.md, "Progress"). */
struct li_progress {
  FILE *f;
  int tty;      /* redraw one line with \r */
  int quiet;    /* print nothing */
  size_t total; /* files */
  size_t done, sites;
};

#ifndef LI_PROGRESS_EVERY
#define LI_PROGRESS_EVERY 100 /* files between two lines when not a tty */
#endif

void li_progress_init(struct li_progress *pr, FILE *f, size_t total, int quiet);
/* Counts one more file done with `sites` sites, and shows it. Not
 * thread-safe: call under the driver's lock. */
void li_progress_step(struct li_progress *pr, size_t sites);
/* Clears the terminal's progress line (before the summary). */
void li_progress_end(struct li_progress *pr);

#endif /* LI_BATCH_H */
