/*
 * rwcache — a read-mostly cache behind a pthread_rwlock_t.
 *
 * The cache is a chained hash table of K entries, built once at start; its
 * set of keys never changes. R reader threads each do L lookups of keys from
 * their own random stream (fixed seed per reader), half of them keys the
 * cache does not hold, under the read lock. One writer refreshes the cache
 * until the readers are done: every --refresh-us microseconds it takes the
 * write lock and recomputes --batch entries (a new version of each value).
 * Readers hardly ever wait for each other; they wait for the writer, and the
 * writer waits for the readers to drain — which is what the profile shows.
 *
 * Every value is a function of its key and version, so a reader can check
 * each hit for a torn update. Readers count hits and misses locally and add
 * them to global statistics guarded by a C11 mtx_t (g_stats_lock) every
 * STATS_BATCH lookups.
 *
 * Checks printed at exit (deterministic): hits and misses equal what the
 * readers' random streams imply, and no reader saw a torn entry. The
 * `stats:` line carries the counts an instrumented run must report.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#ifndef STATS_BATCH
#define STATS_BATCH 1024 /* lookups between two flushes of a reader's stats */
#endif
#ifndef VALUE_WORDS
#define VALUE_WORDS 8 /* a value is this many 64-bit words */
#endif

struct entry {
  struct entry *next; /* hash chain */
  uint64_t key;
  uint64_t version;            /* bumped by every refresh */
  uint64_t value[VALUE_WORDS]; /* value_word(key, version, i) */
};

struct cache {
  pthread_rwlock_t lock; /* guards every entry's version and value */
  struct entry **buckets;
  struct entry *entries; /* the K entries, one allocation */
  size_t nbuckets;       /* a power of two */
};

/* Readers take the cache through these, as real code tends to. */
#define CACHE_READ_LOCK(c) pthread_rwlock_rdlock(&(c)->lock)
#define CACHE_UNLOCK(c) pthread_rwlock_unlock(&(c)->lock)

struct config {
  long readers;
  long entries;    /* K: keys 0, 2, 4, ... 2K-2 are cached */
  long lookups;    /* per reader */
  long refresh_us; /* pause between two refreshes */
  long batch;      /* entries recomputed per refresh */
  long seed;
};

struct reader {
  pthread_t thread;
  unsigned id;
  uint64_t hits, misses, torn; /* not yet flushed into g_stats */
  uint64_t flushes;            /* mtx_lock(&g_stats_lock) calls */
};

/* Lookup statistics of all readers; guarded by g_stats_lock. */
struct stats {
  uint64_t hits, misses, torn;
};

static struct config g_cfg = {4, 4096, 2000000, 200, 256, 1};
static struct cache g_cache;
static mtx_t g_stats_lock;
static struct stats g_stats;
static atomic_int g_readers_left; /* the writer stops when this reaches 0 */

/* Prints a message and exits: the examples have no way to recover. */
static void die(const char *what, int err) {
  fprintf(stderr, "rwcache: %s: %s\n", what, strerror(err));
  exit(1);
}

/* splitmix64: random streams, hashing and values. */
static uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/* Word i of the value of `key` at `version`. */
static uint64_t value_word(uint64_t key, uint64_t version, unsigned i) {
  return mix(key * 0x100000001B3ULL ^ (version << 8) ^ i);
}

/* Lookup `seq` of reader `id`: a key in [0, 2K), so about half are misses
 * (only even keys are cached). */
static uint64_t lookup_key(unsigned id, uint64_t seq) {
  uint64_t r = mix(((uint64_t)g_cfg.seed << 40) ^ ((uint64_t)id << 32) ^ seq);
  return r % (2 * (uint64_t)g_cfg.entries);
}

/* Whether the cache holds `key` (its key set never changes). */
static bool key_is_cached(uint64_t key) {
  return key % 2 == 0;
}

/* The hash bucket of `key`. */
static size_t bucket_of(const struct cache *c, uint64_t key) {
  return (size_t)(mix(key) & (c->nbuckets - 1));
}

/* Fills entry e with version `version` of its value. Caller holds the
 * write lock, or is the only thread. */
static void fill_entry(struct entry *e, uint64_t version) {
  e->version = version;
  for (unsigned i = 0; i < VALUE_WORDS; i++)
    e->value[i] = value_word(e->key, version, i);
}

/* Builds the cache with keys 0, 2, ..., 2K-2 at version 0. Returns 0 or an
 * errno value. Not thread-safe. */
static int cache_init(struct cache *c, size_t k) {
  c->nbuckets = 1;
  while (c->nbuckets < k)
    c->nbuckets *= 2;
  c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
  c->entries = calloc(k, sizeof *c->entries);
  if (!c->buckets || !c->entries)
    return ENOMEM;
  for (size_t i = 0; i < k; i++) {
    struct entry *e = &c->entries[i];
    e->key = 2 * (uint64_t)i;
    fill_entry(e, 0);
    size_t b = bucket_of(c, e->key);
    e->next = c->buckets[b];
    c->buckets[b] = e;
  }
  return pthread_rwlock_init(&c->lock, NULL);
}

/* Frees the cache. No thread may be using it. */
static void cache_destroy(struct cache *c) {
  pthread_rwlock_destroy(&c->lock);
  free(c->buckets);
  free(c->entries);
}

/* Looks `key` up under the read lock. Returns 1 for a hit, 0 for a miss,
 * -1 for a hit whose value does not match its version (a torn update: the
 * locking is broken). Thread-safe. */
static int cache_lookup(struct cache *c, uint64_t key) {
  int found = 0;
  CACHE_READ_LOCK(c);
  for (struct entry *e = c->buckets[bucket_of(c, key)]; e; e = e->next) {
    if (e->key != key)
      continue;
    found = 1;
    for (unsigned i = 0; i < VALUE_WORDS; i++)
      if (e->value[i] != value_word(key, e->version, i))
        found = -1;
    break;
  }
  CACHE_UNLOCK(c);
  return found;
}

/* Recomputes `batch` entries starting at entry `first` (wrapping), under the
 * write lock. Thread-safe. */
static void cache_refresh(struct cache *c, size_t first, size_t batch,
                          size_t k) {
  pthread_rwlock_wrlock(&c->lock);
  for (size_t i = 0; i < batch; i++) {
    struct entry *e = &c->entries[(first + i) % k];
    fill_entry(e, e->version + 1);
  }
  pthread_rwlock_unlock(&c->lock);
}

/* Adds a reader's unflushed counts into g_stats. */
static void flush_stats(struct reader *r) {
  if (mtx_lock(&g_stats_lock) != thrd_success)
    die("mtx_lock", EINVAL);
  g_stats.hits += r->hits;
  g_stats.misses += r->misses;
  g_stats.torn += r->torn;
  mtx_unlock(&g_stats_lock);
  r->flushes++;
  r->hits = r->misses = r->torn = 0;
}

/* A reader thread: does its g_cfg.lookups lookups, counting hits, misses
 * and torn reads, flushing the counts every STATS_BATCH lookups. */
static void *reader_main(void *arg) {
  struct reader *r = arg;
  for (uint64_t seq = 0; seq < (uint64_t)g_cfg.lookups; seq++) {
    int found = cache_lookup(&g_cache, lookup_key(r->id, seq));
    r->hits += found != 0;
    r->misses += found == 0;
    r->torn += found < 0;
    if ((seq + 1) % STATS_BATCH == 0)
      flush_stats(r);
  }
  flush_stats(r);
  atomic_fetch_sub(&g_readers_left, 1);
  return NULL;
}

/* The writer: refreshes the cache every refresh_us until the readers are
 * done, and always at least once. Returns the number of refreshes through
 * its argument. */
static void *writer_main(void *arg) {
  uint64_t *refreshes = arg;
  size_t k = (size_t)g_cfg.entries, batch = (size_t)g_cfg.batch, next = 0;
  struct timespec pause = {g_cfg.refresh_us / 1000000,
                           (g_cfg.refresh_us % 1000000) * 1000};
  do {
    cache_refresh(&g_cache, next, batch, k);
    next = (next + batch) % k;
    ++*refreshes;
    nanosleep(&pause, NULL);
  } while (atomic_load(&g_readers_left) > 0);
  return NULL;
}

/* The options: `--name N` or `--name=N` sets *value, within min..max. */
static const struct cli_option {
  const char *name;
  long *value;
  long min, max;
  const char *help;
} g_options[] = {
    {"readers", &g_cfg.readers, 1, 256, "reader threads"},
    {"entries", &g_cfg.entries, 1, 10000000, "cached entries"},
    {"lookups", &g_cfg.lookups, 0, 1000000000, "lookups per reader"},
    {"refresh-us", &g_cfg.refresh_us, 0, 10000000,
     "microseconds between refreshes"},
    {"batch", &g_cfg.batch, 1, 10000000, "entries per refresh"},
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
      fprintf(stderr, "rwcache: bad option or value: %s (see --help)\n", arg);
      return -1;
    }
    *o->value = v;
  }
  return 0;
}

/* Runs the readers and the writer to completion. Returns 0 or an errno. */
static int run(struct reader *readers, uint64_t *refreshes) {
  pthread_t writer;
  atomic_store(&g_readers_left, (int)g_cfg.readers);
  int rc = pthread_create(&writer, NULL, writer_main, refreshes);
  for (long i = 0; i < g_cfg.readers && !rc; i++) {
    readers[i].id = (unsigned)i;
    rc = pthread_create(&readers[i].thread, NULL, reader_main, &readers[i]);
  }
  if (rc)
    return rc;
  for (long i = 0; i < g_cfg.readers; i++)
    pthread_join(readers[i].thread, NULL);
  pthread_join(writer, NULL);
  return 0;
}

/* Prints the checks; returns the number that failed. */
static int check(void) {
  uint64_t want_hits = 0, want_misses = 0;
  for (unsigned id = 0; id < (unsigned)g_cfg.readers; id++)
    for (uint64_t seq = 0; seq < (uint64_t)g_cfg.lookups; seq++) {
      bool hit = key_is_cached(lookup_key(id, seq));
      want_hits += hit;
      want_misses += !hit;
    }
  int bad = g_stats.hits != want_hits || g_stats.misses != want_misses;
  printf("rwcache: %" PRIu64 " hits, %" PRIu64 " misses (expected %" PRIu64
         ", %" PRIu64 "): %s\n",
         g_stats.hits, g_stats.misses, want_hits, want_misses,
         bad ? "FAILED" : "ok");
  printf("rwcache: %" PRIu64 " torn reads (expected 0): %s\n", g_stats.torn,
         g_stats.torn ? "FAILED" : "ok");
  return bad + (g_stats.torn != 0);
}

/* Prints the counts an instrumented run must reproduce exactly. */
static void print_stats(const struct reader *readers, uint64_t refreshes) {
  uint64_t flushes = 0;
  for (long i = 0; i < g_cfg.readers; i++)
    flushes += readers[i].flushes;
  printf("stats: readers=%ld lookups=%" PRIu64 " refreshes=%" PRIu64
         " stats_flushes=%" PRIu64 "\n",
         g_cfg.readers, (uint64_t)(g_cfg.readers * g_cfg.lookups), refreshes,
         flushes);
}

/* Builds the cache, runs readers and writer, then checks the lookups.
 * Exits 0 when every check passes, 1 when one fails, 2 on a bad option. */
int main(int argc, char **argv) {
  int args = parse_args(argc, argv);
  if (args != 0)
    return args > 0 ? 0 : 2;
  printf("rwcache: %ld readers x %ld lookups, %ld entries, refresh of %ld "
         "entries every %ld us\n",
         g_cfg.readers, g_cfg.lookups, g_cfg.entries, g_cfg.batch,
         g_cfg.refresh_us);
  int rc = cache_init(&g_cache, (size_t)g_cfg.entries);
  if (rc)
    die("cache_init", rc);
  if (mtx_init(&g_stats_lock, mtx_plain) != thrd_success)
    die("mtx_init", EINVAL);
  struct reader *readers = calloc((size_t)g_cfg.readers, sizeof *readers);
  if (!readers)
    die("readers", ENOMEM);
  uint64_t refreshes = 0;
  rc = run(readers, &refreshes);
  if (rc)
    die("pthread_create", rc);
  int failed = check();
  print_stats(readers, refreshes);
  mtx_destroy(&g_stats_lock);
  cache_destroy(&g_cache);
  free(readers);
  return failed ? 1 : 0;
}
