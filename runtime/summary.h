/*
 * summary.h — the short table printed on stderr at exit: the ten sites
 * where threads waited longest (then most contended, then longest held).
 */
#ifndef LI_SUMMARY_H
#define LI_SUMMARY_H

#include <stdio.h>

#include "snapshot.h"

#ifndef LI_SUMMARY_TOP
#define LI_SUMMARY_TOP 10
#endif

/* Prints the summary of s to f; `path` is where the profile went (or NULL
 * if it could not be written). Allocates a sort index; prints only the
 * header line if that fails. */
void li_summary_print(FILE *f, const struct li_snapshot *s, const char *path);

/* Formats ns as "812 ns", "3.4 us", "12.0 ms", "1.25 s" into buf. */
void li_summary_duration(char *buf, size_t n, unsigned long long ns);

#endif
