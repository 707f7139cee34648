/*
 * dump.h — writing profiles to files, atomically, and reporting failures.
 *
 * A profile is written to a temporary file in the destination directory
 * (created with O_EXCL | O_NOFOLLOW) and renamed over the destination, so
 * readers never see half a profile. Dumps are serialised by a dump mutex,
 * which is taken before li_lock, never while holding it.
 */
#ifndef LI_DUMP_H
#define LI_DUMP_H

#include <stddef.h>

/* Writes a profile for `reason` to path (NULL = the configured output).
 * Returns 0 or a negative errno. Thread-safe. */
int li_dump(const char *path, const char *reason);

/* An automatic dump (interval): on failure, one message on stderr per
 * process. Does nothing once the exit dump has begun, or while the process
 * has recorded nothing (li_snapshot_take). */
void li_dump_auto(const char *reason);

/* The exit dump: profile, then the summary if asked for (LOCKINSTR_SUMMARY,
 * LOCKINSTR_QUIET=0, or stderr a terminal); nothing at all when the process
 * recorded nothing (took no instrumented lock); in a secure-execution
 * process only when the program set its default output
 * (lockinstr_set_default_output), env.h. */
void li_dump_exit(void);

/* Expands %p (pid), %e (program name) and %% in pattern into buf.
 * Returns 0, or -ENAMETOOLONG. */
int li_expand_path(char *buf, size_t n, const char *pattern);

/* The file a profile for `pattern` goes to, into buf: the pattern expanded
 * (li_expand_path), and, when that names a directory (it ends in '/', or
 * is an existing directory), LI_DIR_OUTPUT expanded inside it. Returns 0,
 * or -ENAMETOOLONG. */
int li_output_path(char *buf, size_t n, const char *pattern);

/* The dump mutex, for the fork handlers. */
void li_dump_lock(void);
void li_dump_unlock(void);
void li_dump_reinit(void);

#endif
