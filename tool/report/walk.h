/*
 * walk.h — validated reading of one parsed JSON value of a profile, with a
 * "key path" for messages.
 *
 * The profile reader (profile.c) parses each site, edge and header value
 * alone with jansson; the getters here read its fields with their types
 * checked, and name a wrong one by its path in the document
 * ("sites[3].wait.hist[2]: expected a non-negative integer, got a string").
 * The path grows as the reader descends (li_rep_push_key/_index return the
 * old length, which the caller restores by writing a NUL there).
 */
#ifndef LI_REPORT_WALK_H
#define LI_REPORT_WALK_H

#include "profile.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Where we are in the document, for messages. */
struct li_rep_walk {
  const char *file;   /* the input's name */
  struct li_err *err; /* where a message goes */
  char path[256];     /* key path, "" at the top */
  int wide; /* negative integers in the current value stand for 2^63 and
               up (li_rep_js_wide_ints) */
};

/* Formats "file: error: <path>: msg" into w->err. Returns -1. */
int li_rep_fail(struct li_rep_walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "an object", "a string", ... for messages. */
const char *li_rep_type_name(const json_t *v);

/* Appends ".key" (or "key" at the top) to the path; returns the old length
 * so the caller can restore it. */
size_t li_rep_push_key(struct li_rep_walk *w, const char *key);

/* Appends "[i]" to the path; returns the old length. */
size_t li_rep_push_index(struct li_rep_walk *w, size_t i);

/* Reads obj[key] as a non-negative integer into *out. A missing key gives 0
 * unless required. Returns 0 or -1 (message set). */
int li_rep_get_u64(struct li_rep_walk *w, const json_t *obj, const char *key,
                   int required, uint64_t *out);

/* Reads obj[key] as a string, stored as a new copy in *out ("" if missing
 * and not required). Returns 0 or -1 (message set, *out NULL). */
int li_rep_get_str(struct li_rep_walk *w, const json_t *obj, const char *key,
                   int required, char **out);

/* Reads a histogram object obj[key] into *h (zeroed first; its buckets are
 * h's to free). hold selects the hold object's key names. A missing object
 * is an empty histogram. Returns 0 or -1 (message set). */
int li_rep_get_hist(struct li_rep_walk *w, const json_t *obj, const char *key,
                    int hold, struct li_shist *h);

#endif /* LI_REPORT_WALK_H */
