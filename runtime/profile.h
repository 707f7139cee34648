/*
 * profile.h — writing a snapshot as a profile in the JSON format of
 * docs/profile-format.md (version 2).
 */
#ifndef LI_PROFILE_H
#define LI_PROFILE_H

#include <stdio.h>

#include "snapshot.h"

#define LI_PROFILE_VERSION 2

/* Writes the profile to f. Returns 0, or -EIO if the stream failed. */
int li_profile_write(FILE *f, const struct li_snapshot *s);

/* Names of a site's api, kind and mode as the profile spells them
 * ("custom"/"acquire"/"any" for hand-annotated sites). */
const char *li_api_name(const struct li_snap_site *s);
const char *li_kind_name(const struct li_snap_site *s);
const char *li_mode_name(const struct li_snap_site *s);

#endif
