/*
 * lockinstr_counters.h — the one table of per-site counters.
 *
 * Every exact counter a site carries is declared once, below, in the manner
 * of jemalloc's mutex_prof counters: the runtime's per-thread cold counters
 * (struct li_cold), its per-site sums (struct li_counts), the folding of a
 * thread's counters into its sites, the snapshot, the profile writer, the
 * report's reader, merger and JSON writer, and the table of counters in
 * docs/profile-format.md (checked by the test unit.counter_docs) are all
 * generated from or checked against LOCKINSTR_SITE_COUNTERS. Adding a
 * counter is one row here, its doc row, and the call that counts it.
 *
 * Like lockinstr_api.h, this header includes nothing and declares nothing:
 * it is only macros.
 *
 * Columns of X(name, field, where, merge, doc):
 *   name   the key in the profile's site object (and the report's field)
 *   field  the runtime's field, in struct li_counts and per thread
 *   where  HOT: a per-thread array of its own in struct li_thread, which
 *          the inline wrappers count (a new HOT counter also needs its
 *          array in struct li_thread and li_thread_ext, and in thread.c's
 *          grow_counts, free_ext and fork handling: thread.c checks the
 *          number of HOT rows); COLD: a field of struct li_cold, counted on
 *          the slow paths (what a new counter should be)
 *   merge  SUM (threads, profiles and classes add up) or MAX (they take
 *          the largest; a MAX counter is not restarted by lockinstr_reset,
 *          which works by subtracting a baseline)
 *   doc    its meaning, as docs/profile-format.md's site table says it
 *
 * The rows are in the order the profile writes the keys.
 */
#ifndef LOCKINSTR_COUNTERS_H
#define LOCKINSTR_COUNTERS_H

/* clang-format off */
#define LOCKINSTR_SITE_COUNTERS(X) \
  X(acquisitions, acq,     HOT,  SUM, "successful acquisitions (exact)") \
  X(contentions,  cont,    COLD, SUM, "acquisitions that found the lock busy and had to wait (exact)") \
  X(try_failures, tryfail, COLD, SUM, "trylock calls that returned busy (not acquisitions)") \
  X(timeouts,     timeout, COLD, SUM, "timed acquisitions or timed condition waits that timed out") \
  X(errors,       err,     COLD, SUM, "calls that returned an error other than busy/timeout (`EINVAL`, `EDEADLK`, ...)") \
  X(releases,     rel,     HOT,  SUM, "successful releases (release sites only)")
/* clang-format on */

#endif /* LOCKINSTR_COUNTERS_H */
