/* A project header whose lock macros are defined in two #if branches,
 * the active one first (see cond_header.c). */
#ifndef COND_LOCK_H
#define COND_LOCK_H
#include <pthread.h>

#if !defined(NO_THREADS)
#define CL_LOCK(m) pthread_mutex_lock((m))
#define CL_UNLOCK(m) pthread_mutex_unlock((m))
#else
#define CL_LOCK(m) ((void)(m))
#define CL_UNLOCK(m) ((void)(m))
#endif

#ifndef CL_RWLOCK
#define CL_RD(l) pthread_mutex_lock(l)
#else
#define CL_RD(l) pthread_rwlock_rdlock(l)
#endif

#endif
