/*
 * sites.h — one site of a profile: read, merged, freed.
 *
 * Used by the profile reader (profile.c) for each element of "sites"; the
 * struct li_site itself is profile.h's, shared with the rest of the report.
 */
#ifndef LI_REPORT_SITES_H
#define LI_REPORT_SITES_H

#include "profile.h"
#include "walk.h"

/* Reads one site object (schema in docs/profile-format.md) into a new
 * li_site, its identity key built and its id not yet set. Returns it, or
 * NULL with a message in w (a wrong type, an unknown kind, out of memory). */
struct li_site *li_rep_site_read(struct li_rep_walk *w, const json_t *o);

/* Merges site s (owned) into p: added to the site of the same identity, or
 * inserted with the next id. Returns the merged site, or NULL out of
 * memory. s is freed when added to a twin, owned by p when inserted. */
struct li_site *li_rep_site_merge(struct li_profile *p, struct li_site *s);

/* Frees a site and everything it owns. */
void li_rep_site_free(struct li_site *s);

#endif /* LI_REPORT_SITES_H */
