/*
 * lockinstr_group.h — the wrappers of one API group of LOCKINSTR_LOCK_APIS.
 *
 * Not for direct use: lockinstr_pthread.h and lockinstr_threads.h include it
 * once each (so it has no include guard), after defining LI_WANT_PTHREAD_(x)
 * and LI_WANT_THREADS_(x) as x for their own group and as nothing for the
 * other. It declares the group's real functions and defines its wrappers
 * (LI_DECLARE_ROW_ / LI_DEFINE_ROW_ in lockinstr.h), with the warnings the
 * inline code may raise against the user's names (-Wshadow, -Wcast-qual)
 * turned off for that code only, as lockinstr.h does for its own.
 */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-qual"
#endif
LOCKINSTR_LOCK_APIS(LI_DECLARE_ROW_)
LOCKINSTR_LOCK_APIS(LI_DEFINE_ROW_)
LOCKINSTR_LOCK_APIS(LI_INNER_ROW_)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
