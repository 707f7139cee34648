/*
 * lockinstr_threads.h — definitions of the C11 <threads.h> wrappers.
 *
 * Included in an instrumented file's epilogue, after its last original
 * line. Defines, as static inline functions generated from the THREADS group
 * of LOCKINSTR_LOCK_APIS, every mtx_* / cnd_* wrapper with the signature
 * lockinstr_site.h declares (bodies in lockinstr.h). Each returns what the
 * real call returns (thrd_success, thrd_busy, thrd_timedout, thrd_error)
 * and leaves errno as the real call left it.
 *
 * Compiled with -DLOCKINSTR_DISABLE, every wrapper is the plain call.
 */
#ifndef LOCKINSTR_THREADS_H
#define LOCKINSTR_THREADS_H

#include <threads.h>

#include "lockinstr.h"

#define LI_WANT_PTHREAD_(x)
#define LI_WANT_THREADS_(x) x

#include "lockinstr_group.h"
#undef LI_WANT_PTHREAD_
#undef LI_WANT_THREADS_

#endif /* LOCKINSTR_THREADS_H */
