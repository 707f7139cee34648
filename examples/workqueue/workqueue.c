/*
 * workqueue — P producers and C consumers sharing one bounded queue.
 *
 * Each producer makes N items from its own random stream (fixed seed per
 * producer) and pushes them; each consumer pops items and does a little work
 * on each (a chain of --work hash rounds) outside the lock. The queue is
 * small, so producers and consumers meet on its mutex all the time: the
 * queue lock is the contended lock of this program, and its two condition
 * variables show how long each side waited for the other.
 *
 * Consumers add their results into totals guarded by a C11 mtx_t
 * (g_totals_lock), flushing every TOTALS_BATCH items so that lock is taken
 * rarely — a lock a profile should show as cheap.
 *
 * Checks printed at exit (deterministic): every item was consumed exactly
 * once and the sum of the results equals the sum computed without threads.
 * The `stats:` line carries the counts an instrumented run must report.
 */
#define _POSIX_C_SOURCE 200809L

#include "queue.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#ifndef TOTALS_BATCH
#define TOTALS_BATCH 256 /* items a consumer processes between flushes */
#endif

struct config {
  long producers;
  long consumers;
  long items;    /* per producer */
  long capacity; /* queue slots */
  long work;     /* hash rounds per item */
  long seed;
};

struct producer {
  pthread_t thread;
  unsigned id;
};

struct consumer {
  pthread_t thread;
  uint64_t items, sum; /* not yet flushed into g_totals */
  uint64_t flushes;    /* mtx_lock(&g_totals_lock) calls */
};

static struct config g_cfg = {2, 2, 200000, 64, 200, 1};
static struct queue g_queue;

/* Results of all consumers; guarded by g_totals_lock. */
static mtx_t g_totals_lock;
static uint64_t g_total_items, g_total_sum;

/* Prints a message and exits: the examples have no way to recover. */
static void die(const char *what, int err) {
  fprintf(stderr, "workqueue: %s: %s\n", what, strerror(err));
  exit(1);
}

/* splitmix64: the producers' random stream and the work's hash round. */
static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/* The payload of item `seq` of producer `id`: fixed by the seed. */
static uint64_t payload(unsigned id, uint64_t seq) {
  return mix(((uint64_t)g_cfg.seed << 40) ^ ((uint64_t)id << 32) ^ seq);
}

/* The work done on one item: --work rounds of hashing. */
static uint64_t process(const struct item *it) {
  uint64_t h = it->payload ^ it->id;
  for (long i = 0; i < g_cfg.work; i++)
    h = mix(h);
  return h;
}

/* A producer thread: pushes its g_cfg.items items, in order. */
static void *producer_main(void *arg) {
  struct producer *p = arg;
  for (uint64_t seq = 0; seq < (uint64_t)g_cfg.items; seq++) {
    struct item it = {((uint64_t)p->id << 48) | seq, payload(p->id, seq)};
    queue_push(&g_queue, &it);
  }
  return NULL;
}

/* Adds a consumer's unflushed results into the totals. */
static void flush_totals(struct consumer *c) {
  if (mtx_lock(&g_totals_lock) != thrd_success)
    die("mtx_lock", EINVAL);
  g_total_items += c->items;
  g_total_sum += c->sum;
  mtx_unlock(&g_totals_lock);
  c->flushes++;
  c->items = c->sum = 0;
}

/* A consumer thread: pops and processes items until the queue is closed
 * and drained, flushing its results every TOTALS_BATCH items. */
static void *consumer_main(void *arg) {
  struct consumer *c = arg;
  struct item it;
  while (queue_pop(&g_queue, &it)) {
    c->sum += process(&it);
    if (++c->items == TOTALS_BATCH)
      flush_totals(c);
  }
  flush_totals(c);
  return NULL;
}

/* The options: `--name N` or `--name=N` sets *value, within min..max. */
static const struct cli_option {
  const char *name;
  long *value;
  long min, max;
  const char *help;
} g_options[] = {
    {"producers", &g_cfg.producers, 1, 256, "producer threads"},
    {"consumers", &g_cfg.consumers, 1, 256, "consumer threads"},
    {"items", &g_cfg.items, 0, 100000000, "items per producer"},
    {"capacity", &g_cfg.capacity, 1, 1000000, "queue slots"},
    {"work", &g_cfg.work, 0, 1000000, "hash rounds per item"},
    {"seed", &g_cfg.seed, 0, 1000000, "random seed"},
};
#define NOPTIONS (sizeof g_options / sizeof g_options[0])

/* Prints the options with their current values (the defaults, before any
 * option is parsed). */
static void usage(FILE *f, const char *prog) {
  fprintf(f, "usage: %s [options]\n", prog);
  for (size_t k = 0; k < NOPTIONS; k++)
    fprintf(f, "  --%-10s N  %s (%ld..%ld, default %ld)\n", g_options[k].name,
            g_options[k].help, g_options[k].min, g_options[k].max,
            *g_options[k].value);
}

/* The option argv[*i] names, or NULL. Sets *val to its value, taken from
 * `--name=V` or from the next argument (advancing *i); NULL if missing. */
static const struct cli_option *find_option(int argc, char **argv, int *i,
                                            const char **val) {
  const char *arg = argv[*i];
  *val = NULL;
  if (strncmp(arg, "--", 2) != 0)
    return NULL;
  for (size_t k = 0; k < NOPTIONS; k++) {
    size_t len = strlen(g_options[k].name);
    if (strncmp(arg + 2, g_options[k].name, len) != 0)
      continue;
    if (arg[2 + len] == '=')
      *val = arg + 3 + len;
    else if (arg[2 + len] != '\0')
      continue;
    else if (*i + 1 < argc)
      *val = argv[++*i];
    return &g_options[k];
  }
  return NULL;
}

/* Parses the options into g_cfg. Returns 0 to run, 1 after printing the
 * usage for --help, -1 after printing what is wrong. */
static int parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      usage(stdout, argv[0]);
      return 1;
    }
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i], *val;
    const struct cli_option *o = find_option(argc, argv, &i, &val);
    char *end = NULL;
    long v = val ? strtol(val, &end, 10) : 0;
    if (!o || !val || *end || v < o->min || v > o->max) {
      fprintf(stderr, "workqueue: bad option or value: %s (see --help)\n", arg);
      return -1;
    }
    *o->value = v;
  }
  return 0;
}

/* Starts the threads, waits for the producers, closes the queue and waits
 * for the consumers to drain it. Returns 0 or an errno value. */
static int run(struct producer *prod, struct consumer *cons) {
  int rc = 0;
  for (long i = 0; i < g_cfg.consumers && !rc; i++)
    rc = pthread_create(&cons[i].thread, NULL, consumer_main, &cons[i]);
  for (long i = 0; i < g_cfg.producers && !rc; i++) {
    prod[i].id = (unsigned)i;
    rc = pthread_create(&prod[i].thread, NULL, producer_main, &prod[i]);
  }
  if (rc)
    return rc;
  for (long i = 0; i < g_cfg.producers; i++)
    pthread_join(prod[i].thread, NULL);
  queue_close(&g_queue);
  for (long i = 0; i < g_cfg.consumers; i++)
    pthread_join(cons[i].thread, NULL);
  return 0;
}

/* The sum of the results, computed without threads. */
static uint64_t expected_sum(void) {
  uint64_t sum = 0;
  for (unsigned id = 0; id < (unsigned)g_cfg.producers; id++)
    for (uint64_t seq = 0; seq < (uint64_t)g_cfg.items; seq++) {
      struct item it = {((uint64_t)id << 48) | seq, payload(id, seq)};
      sum += process(&it);
    }
  return sum;
}

/* Prints the checks; returns the number that failed. */
static int check(void) {
  uint64_t want_items = (uint64_t)(g_cfg.producers * g_cfg.items);
  uint64_t want_sum = expected_sum();
  int bad_items = g_total_items != want_items;
  int bad_sum = g_total_sum != want_sum;
  printf("workqueue: consumed %" PRIu64 " items (expected %" PRIu64 "): %s\n",
         g_total_items, want_items, bad_items ? "FAILED" : "ok");
  printf("workqueue: result sum %016" PRIx64 " (expected %016" PRIx64 "): %s\n",
         g_total_sum, want_sum, bad_sum ? "FAILED" : "ok");
  return bad_items + bad_sum;
}

/* Prints the counts an instrumented run must reproduce exactly. */
static void print_stats(const struct consumer *cons) {
  struct queue_stats s = queue_stats(&g_queue);
  uint64_t flushes = 0;
  for (long i = 0; i < g_cfg.consumers; i++)
    flushes += cons[i].flushes;
  printf("stats: producers=%ld consumers=%ld pushed=%" PRIu64 " popped=%" PRIu64
         " queue_lock_calls=%" PRIu64 " full_waits=%" PRIu64
         " empty_waits=%" PRIu64 " totals_flushes=%" PRIu64 "\n",
         g_cfg.producers, g_cfg.consumers, s.pushed, s.popped, s.lock_calls,
         s.full_waits, s.empty_waits, flushes);
}

/* Runs producers and consumers, then checks the results. Exits 0 when
 * every check passes, 1 when one fails, 2 on a bad option. */
int main(int argc, char **argv) {
  int args = parse_args(argc, argv);
  if (args != 0)
    return args > 0 ? 0 : 2;
  printf("workqueue: %ld producers x %ld items, %ld consumers, %ld slots, "
         "%ld rounds of work per item\n",
         g_cfg.producers, g_cfg.items, g_cfg.consumers, g_cfg.capacity,
         g_cfg.work);
  int rc = queue_init(&g_queue, (size_t)g_cfg.capacity);
  if (rc)
    die("queue_init", rc);
  if (mtx_init(&g_totals_lock, mtx_plain) != thrd_success)
    die("mtx_init", EINVAL);
  struct producer *prod = calloc((size_t)g_cfg.producers, sizeof *prod);
  struct consumer *cons = calloc((size_t)g_cfg.consumers, sizeof *cons);
  if (!prod || !cons)
    die("threads", ENOMEM);
  rc = run(prod, cons);
  if (rc)
    die("pthread_create", rc);
  int failed = check();
  print_stats(cons);
  mtx_destroy(&g_totals_lock);
  queue_destroy(&g_queue);
  free(prod);
  free(cons);
  return failed ? 1 : 0;
}
