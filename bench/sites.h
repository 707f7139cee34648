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

#endif
