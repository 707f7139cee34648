/*
 * lockinstr_pthread.h — definitions of the <pthread.h> wrappers.
 *
 * An instrumented file includes this in its epilogue, after its last
 * original line (so the user's feature-test macros have taken effect long
 * before). It defines, as static inline functions, every wrapper of the
 * PTHREAD group of LOCKINSTR_LOCK_APIS with the signature lockinstr_site.h
 * declares; they are generated from the table, dispatching on its kind
 * column (the bodies are in lockinstr.h). Each returns exactly what the real
 * call returns and leaves errno as the real call left it.
 *
 * Compiled with -DLOCKINSTR_DISABLE, every wrapper is the plain call.
 */
#ifndef LOCKINSTR_PTHREAD_H
#define LOCKINSTR_PTHREAD_H

#include <errno.h>
#include <pthread.h>

#include "lockinstr.h"

#define LI_WANT_PTHREAD_(x) x
#define LI_WANT_THREADS_(x)

#include "lockinstr_group.h"
#undef LI_WANT_PTHREAD_
#undef LI_WANT_THREADS_

#endif /* LOCKINSTR_PTHREAD_H */
