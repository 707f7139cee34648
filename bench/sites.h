/*
 * sites.h — the generated many-sites loops (gen_sites.py), plain and
 * instrumented.
 */
#ifndef BENCH_SITES_H
#define BENCH_SITES_H

#include <pthread.h>

#ifndef BENCH_NSITES
#define BENCH_NSITES 10000
#endif

void plain_many_site_pairs(pthread_mutex_t *m, long n);
void plain_one_site_pairs(pthread_mutex_t *m, long n);
void inst_many_site_pairs(pthread_mutex_t *m, long n);
void inst_one_site_pairs(pthread_mutex_t *m, long n);
/* n pairs of generated function i (mod BENCH_NSITES): one lock site and
 * one unlock site. */
void plain_site_pairs_at(pthread_mutex_t *m, long i, long n);
void inst_site_pairs_at(pthread_mutex_t *m, long i, long n);

#endif
