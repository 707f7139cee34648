/*
 * lockinstr_off.h — the public API of lockinstr.h as no-ops, for a build
 * with -DLOCKINSTR_DISABLE (included by lockinstr.h, never directly).
 *
 * With the wrappers compiled to the plain calls, a program built this way
 * need not link liblockinstr at all; its own calls to the control API
 * (lockinstr_dump(), lockinstr_get_sample_rate(), ...) and hand
 * annotations (track_*) must then not need it either. Each function is
 * defined here as a static inline that does nothing; lockinstr.h's
 * declarations, which follow, refer to these definitions (a declaration
 * without `static` after a static definition keeps internal linkage). The
 * values returned say "nothing is recorded": sample rate 0, recording off,
 * a dump that has nothing to write succeeds (0), lockinstr_now_ns() 0.
 */
#ifndef LOCKINSTR_OFF_H
#define LOCKINSTR_OFF_H

#include "lockinstr_site.h"

#define LOCKINSTR_EXPORT /* nothing is exported: there is no library */

static LOCKINSTR_INLINE_ unsigned long
lockinstr_set_sample_rate(unsigned long n) {
  (void)n;
  return 0;
}
static LOCKINSTR_INLINE_ unsigned long lockinstr_get_sample_rate(void) {
  return 0;
}
static LOCKINSTR_INLINE_ int lockinstr_dump(const char *path) {
  (void)path;
  return 0;
}
static LOCKINSTR_INLINE_ void lockinstr_reset(void) {}
static LOCKINSTR_INLINE_ void lockinstr_enable(int on) {
  (void)on;
}
static LOCKINSTR_INLINE_ int lockinstr_enabled(void) {
  return 0;
}
static LOCKINSTR_INLINE_ int lockinstr_set_default_output(const char *pattern) {
  (void)pattern;
  return 0;
}
static LOCKINSTR_INLINE_ void lockinstr_set_default_quiet(int quiet) {
  (void)quiet;
}
static LOCKINSTR_INLINE_ const char *lockinstr_strerror(int err) {
  (void)err;
  return "lockinstr is compiled out (-DLOCKINSTR_DISABLE)";
}
__extension__ static LOCKINSTR_INLINE_ unsigned long long
lockinstr_now_ns(void) {
  return 0;
}

__extension__ static LOCKINSTR_INLINE_ void
track_acquire(struct lockinstr_site *site, void *lock, int mode, int contended,
              unsigned long long wait_ns) {
  (void)site, (void)lock, (void)mode, (void)contended, (void)wait_ns;
}
static LOCKINSTR_INLINE_ void track_release(struct lockinstr_site *site,
                                            void *lock) {
  (void)site, (void)lock;
}
static LOCKINSTR_INLINE_ void track_failed(struct lockinstr_site *site,
                                           int outcome) {
  (void)site, (void)outcome;
}
static LOCKINSTR_INLINE_ int track_cond_enter(struct lockinstr_site *site,
                                              void *lock) {
  (void)site, (void)lock;
  return 0;
}
__extension__ static LOCKINSTR_INLINE_ void
track_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                 int outcome, unsigned long long wait_ns) {
  (void)site, (void)lock, (void)entered, (void)outcome, (void)wait_ns;
}
static LOCKINSTR_INLINE_ void track_describe(struct lockinstr_site *site,
                                             const char *api, int kind,
                                             int mode) {
  (void)site, (void)api, (void)kind, (void)mode;
}

#endif
