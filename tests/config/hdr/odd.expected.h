#line 1 "odd.h"
/* Calls of a configured API in a project header that still cannot be
 * rewritten: each one is listed with --verbose (tests/config/hdr). */
#ifndef ODD_H
#define ODD_H
#include "spin.h"

#define LOCK_FN spin_lock /* the callee's name comes from a macro */

static inline void odd_lock(spinlock_t *l) { LOCK_FN(l); }

static inline void odd_va(spinlock_t *l) { va_lock(l, 1); } /* variadic */

static inline void (*odd_unlock_fn(void))(spinlock_t *) {
  return spin_unlock; /* its address is taken */
}
#endif
