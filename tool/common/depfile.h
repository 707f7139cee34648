/*
 * depfile.h — Make-syntax dependency files (`lockinstr --depfile FILE`),
 * the rewriter's counterpart of `gcc -MD -MF FILE`: one rule whose target
 * is the instrumented output and whose prerequisites are every file the
 * rewrite read (the input, its configuration file, every header the
 * translation unit included, system headers too), so that a build tool
 * (ninja, make, CMake's DEPFILE) re-runs the rewrite when any of them
 * changes. Paths are escaped the way gcc escapes them, which is what make,
 * ninja and CMake's depfile reader undo. Pure text: no libclang, no I/O.
 */
#ifndef LI_DEPFILE_H
#define LI_DEPFILE_H

#include <stddef.h>

#include "text.h"

/* Appends path to b escaped for a Make rule exactly as gcc does (mkdeps.c):
 * a blank (space or tab) gets a backslash, and the backslashes right
 * before it are doubled; '$' becomes "$$"; '#' becomes "\#"; everything
 * else is copied. Returns 0, or -EINVAL (nothing appended) if path is
 * empty or holds a newline or carriage return, which a Make rule cannot
 * express. */
int li_depfile_escape(struct li_buf *b, const char *path);

/* Builds the dependency file's text into *out (NUL-terminated, caller
 * frees; *len its length):
 *
 *   TARGET: DEP \
 *     DEP \
 *     DEP
 *
 * one prerequisite per line, deps[0..n) in their order, each path once
 * (the first occurrence is kept: a header entered twice is listed once).
 * Returns 0, or -EINVAL with *bad pointing at the first path that cannot
 * be written (see li_depfile_escape) and *out NULL. */
int li_depfile_text(const char *target, const char *const *deps, size_t n,
                    char **out, size_t *len, const char **bad);

/* Adds the prerequisite DEP to the dependency file TEXT[0..len) (a
 * compiler's, as gcc -MD writes it) into OUT: at the end of its first
 * rule, and, if PHONY (the compile had -MP), as an empty rule of its own
 * at the end, so that make does not stop when the file is deleted. A DEP
 * already among the first rule's prerequisites, or TEXT without a rule,
 * is copied unchanged. Returns 1 if DEP was added, 0 if not, -EINVAL (OUT
 * untouched) if DEP cannot be written (see li_depfile_escape). */
int li_depfile_add(const char *text, size_t len, const char *dep, int phony,
                   struct li_buf *out);

#endif /* LI_DEPFILE_H */
