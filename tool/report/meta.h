/*
 * meta.h — a profile's top-level values other than its sites and edges:
 * checked and merged into the accumulator.
 *
 * The profile reader (profile.c) keeps these small values as one jansson
 * object while it streams the document, and hands it here at the end.
 */
#ifndef LI_REPORT_META_H
#define LI_REPORT_META_H

#include "profile.h"
#include "walk.h"

/* Checks that hdr has "format": "lockinstr-profile" and "version": 1.
 * Returns 0, or -1 with a message in w. */
int li_rep_meta_check_version(struct li_rep_walk *w, const json_t *hdr);

/* Checks the format and version of hdr, then validates its values and
 * merges them into p (the rules in meta.c; a different program is refused
 * unless o->merge_any). Returns 0, or -1 with a message in w (p may then
 * hold part of them and must only be freed). */
int li_rep_meta_read(struct li_rep_walk *w, struct li_profile *p,
                     const json_t *hdr, const struct li_load_opts *o);

#endif /* LI_REPORT_META_H */
