/* lockinstr: instrumented from cond_lock.h; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#ifndef LI_FN_cond_lock_h_225
#define LI_FN_cond_lock_h_225(f) f
#define LI_ARG_cond_lock_h_225
#endif
#ifndef LI_FN_cond_lock_h_270
#define LI_FN_cond_lock_h_270(f) f
#define LI_ARG_cond_lock_h_270
#endif
#ifndef LI_FN_cond_lock_h_409
#define LI_FN_cond_lock_h_409(f) f
#define LI_ARG_cond_lock_h_409
#endif
#ifndef LI_FN_cond_lock_h_454
#define LI_FN_cond_lock_h_454(f) f
#define LI_ARG_cond_lock_h_454
#endif
#line 1 "cond_lock.h"
/* A project header whose lock macros are defined in two #if branches,
 * the active one first (see cond_header.c). */
#ifndef COND_LOCK_H
#define COND_LOCK_H
#include <pthread.h>

#if !defined(NO_THREADS)
#define CL_LOCK(m) LI_FN_cond_lock_h_225(pthread_mutex_lock)(LI_ARG_cond_lock_h_225 (m))
#define CL_UNLOCK(m) LI_FN_cond_lock_h_270(pthread_mutex_unlock)(LI_ARG_cond_lock_h_270 (m))
#else
#define CL_LOCK(m) ((void)(m))
#define CL_UNLOCK(m) ((void)(m))
#endif

#ifndef CL_RWLOCK
#define CL_RD(l) LI_FN_cond_lock_h_409(pthread_mutex_lock)(LI_ARG_cond_lock_h_409 l)
#else
#define CL_RD(l) LI_FN_cond_lock_h_454(pthread_rwlock_rdlock)(LI_ARG_cond_lock_h_454 l)
#endif

#endif
