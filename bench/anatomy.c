/*
 * anatomy.c — what each part of the unsampled fast path costs in time.
 *
 * bench_overhead measures the real wrappers; instructions.sh counts their
 * instructions. Neither says what a part of the fast path costs in time,
 * which is what deciding whether to keep it needs. This benchmark runs a
 * model of the fast path (the same data layout and code shape as
 * li_fast_acquire_ / li_fast_release_ in include/lockinstr.h: per-thread
 * state reached through initial-exec TLS, a site id read from a site
 * table, the sampling countdown run to -1, unlocked counter increments, a
 * held-stack push and pop) around a spinlock pair, once with every part
 * and once without each part in turn, alternating inside every round.
 * The difference is that part's cost. It is a model — the "all parts"
 * row should come out near bench_overhead's spin figure, and the parts
 * need not add up exactly (they overlap with each other and with the
 * atomic). Multi-threaded process, like the judged figures.
 *
 * usage: bench_anatomy [--rounds R] [--quick]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"

/* The parts of the fast path, as bits of a variant's mask. */
enum {
  P_CONTROL = 1, /* the control word: load, test, branch */
  P_ID = 2,      /* site id loads and bounds checks (both sides) */
  P_COUNTDOWN = 4,
  P_ACQ = 8,    /* acq[id] increment */
  P_REL = 16,   /* rel[id] increment */
  P_STACK = 32, /* held-stack push, and the pop with its address compare */
  P_ALL = 63
};

struct held {
  void *lock;
  unsigned int site, weight;
  unsigned long long t0, pend;
};
struct thr {
  struct held *top, *end;
  unsigned long long *acq, *rel;
  unsigned int ncounts;
  int countdown;
  struct held *held;
};
struct site {
  unsigned int id;
  unsigned short api, flags;
  unsigned int line, column;
  const char *strings[5];
};

static __thread struct thr tls __attribute__((tls_model("initial-exec")));
static struct site sites[8]
    __attribute__((aligned(64))) = {{.id = 1}, {.id = 2}};
static unsigned long control __attribute__((aligned(64)));
static volatile unsigned long sink;
static volatile unsigned long slow_calls;

/* Stands in for the out-of-line slow paths (never called here). */
__attribute__((noinline)) static void slow(const struct site *s, void *lock) {
  (void)s;
  (void)lock;
  slow_calls++;
}

static inline __attribute__((always_inline)) int
acquire(const struct site *s, void *lock, const unsigned parts) {
  struct thr *t = &tls;
  unsigned int id = __atomic_load_n(&s->id, __ATOMIC_RELAXED);
  struct held *top = t->top;
  if (__builtin_expect(((parts & P_ID) && id - 1u >= t->ncounts) ||
                           ((parts & P_STACK) && top != t->held),
                       0))
    return 0;
  if ((parts & P_COUNTDOWN) && __builtin_expect(--t->countdown < 0, 0))
    return 0;
  if (parts & P_ACQ)
    __asm__("addq $1, %0" : "+m"(t->acq[id]));
  if (parts & P_STACK) {
    top->lock = lock;
    top->site = id;
    t->top = top + 1;
  }
  return 1;
}

static inline __attribute__((always_inline)) int
release(const struct site *s, void *lock, const unsigned parts) {
  struct thr *t = &tls;
  unsigned int id = __atomic_load_n(&s->id, __ATOMIC_RELAXED);
  struct held *h = t->top - 1;
  if ((parts & P_ID) && __builtin_expect(id - 1u >= t->ncounts, 0))
    return 0;
  if ((parts & P_STACK) && __builtin_expect(h->lock != lock, 0))
    return 0;
  if (parts & P_REL)
    __asm__("addq $1, %0" : "+m"(t->rel[id]));
  if (parts & P_STACK)
    t->top = h;
  return 1;
}

/* The measured loop: try first (as the wrappers do), the parts in
 * `parts`, the release after the unlock. parts == 0 with try == 0 is the
 * plain loop. */
static inline __attribute__((always_inline)) void
loop(pthread_spinlock_t *l, long n, const int try, const unsigned parts) {
  for (long i = 0; i < n; i++) {
    if ((parts & P_CONTROL) &&
        __builtin_expect(__atomic_load_n(&control, __ATOMIC_RELAXED) & 1, 0))
      pthread_spin_lock(l);
    else if (!try || pthread_spin_trylock(l) != 0)
      pthread_spin_lock(l);
    else if (!acquire(&sites[0], (void *)l, parts))
      slow(&sites[0], (void *)l);
    sink++;
    if (pthread_spin_unlock(l) == 0 && parts &&
        !release(&sites[1], (void *)l, parts))
      slow(&sites[1], (void *)l);
  }
}

#define VARIANT(name, try, parts)                                              \
  __attribute__((noinline)) static void name(pthread_spinlock_t *l, long n) {  \
    loop(l, n, try, parts);                                                    \
  }
VARIANT(v_plain, 0, 0)
VARIANT(v_try, 1, 0)
VARIANT(v_all, 1, P_ALL)
VARIANT(v_no_control, 1, P_ALL & ~P_CONTROL)
VARIANT(v_no_id, 1, P_ALL & ~P_ID)
VARIANT(v_no_countdown, 1, P_ALL & ~P_COUNTDOWN)
VARIANT(v_no_acq, 1, P_ALL & ~P_ACQ)
VARIANT(v_no_rel, 1, P_ALL & ~P_REL)
VARIANT(v_no_stack, 1, P_ALL & ~P_STACK)

static const struct {
  const char *name;
  void (*run)(pthread_spinlock_t *, long);
} variants[] = {
    {"plain", v_plain},
    {"plain, try first", v_try},
    {"model: all parts", v_all},
    {"  without the control word test", v_no_control},
    {"  without the site id checks", v_no_id},
    {"  without the sampling countdown", v_no_countdown},
    {"  without the acq[id] increment", v_no_acq},
    {"  without the rel[id] increment", v_no_rel},
    {"  without the held-stack push/pop", v_no_stack},
};
#define NVAR (sizeof variants / sizeof *variants)

static void *idle(void *arg) {
  return arg;
}

int main(int argc, char **argv) {
  int rounds = 11;
  long n = 2000000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
      rounds = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--quick")) {
      n /= 10;
    } else {
      fprintf(stderr, "usage: bench_anatomy [--rounds R] [--quick]\n");
      return 2;
    }
  }
  if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
    fprintf(stderr, "bench_anatomy: --rounds must be 1..%d\n",
            BENCH_MAX_ROUNDS);
    return 2;
  }
  pthread_t t; /* multi-threaded process, as the judged figures */
  pthread_create(&t, NULL, idle, NULL);
  pthread_join(t, NULL);
  static struct held stack[17];
  static unsigned long long acq[16], rel[16];
  tls.held = tls.top = stack + 1;
  tls.end = stack + 17;
  tls.acq = acq;
  tls.rel = rel;
  tls.ncounts = 15;
  tls.countdown = 2147483647; /* never reaches -1 here */
  pthread_spinlock_t l;
  pthread_spin_init(&l, PTHREAD_PROCESS_PRIVATE);

  static double ns[NVAR][BENCH_MAX_ROUNDS], delta[NVAR][BENCH_MAX_ROUNDS];
  for (int r = 0; r < rounds; r++) {
    for (size_t v = 0; v < NVAR; v++) {
      double t0 = now_s();
      variants[v].run(&l, n);
      ns[v][r] = (now_s() - t0) * 1e9 / (double)n;
    }
    for (size_t v = 0; v < NVAR; v++)
      delta[v][r] = ns[2][r] - ns[v][r];
  }
  printf("== anatomy of the unsampled fast path: model around a spinlock "
         "pair, multi-threaded process (%ld pairs x %d rounds) ==\n",
         n, rounds);
  double all = median(ns[2], rounds);
  for (size_t v = 0; v < NVAR; v++) {
    double m = median(ns[v], rounds);
    if (v < 3)
      printf("  %-36s %6.2f ns\n", variants[v].name, m);
    else
      printf("  %-36s %6.2f ns   the part costs %+5.2f ns\n", variants[v].name,
             m, median(delta[v], rounds));
  }
  printf("  all parts over plain, try first: %+.2f ns\n",
         all - median(ns[1], rounds));
  if (slow_calls || acq[1] != (unsigned long long)rounds * (unsigned long)n *
                                  6 /* variants that count acq */) {
    fprintf(stderr, "bench_anatomy: the model left its fast path\n");
    return 1;
  }
  return 0;
}
