/*
 * bank — tellers moving money between accounts: one mutex per account and a
 * global ledger lock.
 *
 * T teller threads each perform K transfers between two accounts chosen from
 * the teller's own random stream (a fixed seed per teller, so the set of
 * transfers is the same on every run). A transfer locks the source account,
 * then the destination account — in ARGUMENT order, not address order, so two
 * tellers moving money in opposite directions take the same two locks in
 * opposite orders. That is the classic deadlock; here it cannot happen
 * because the second lock is taken with a deadline and the teller backs off
 * (releases the first lock and retries) when the deadline passes. While both
 * account locks are held the transfer is appended to the ledger under
 * g_ledger_lock, so the ledger lists the transfers in the order the balances
 * changed.
 *
 * Lock order: account.lock (from) -> account.lock (to) -> g_ledger_lock.
 * Nothing takes an account lock while holding g_ledger_lock.
 *
 * Before the transfers start, teller 0 audits the ledger: it takes
 * g_ledger_lock, lets the other tellers start, and holds the lock for
 * --hold-us microseconds. The other tellers' first transfers then block on
 * the ledger, so this run always has ledger contention and one hold of a
 * known length (what the end-to-end tests check).
 *
 * Checks printed at exit (all deterministic): the total balance is conserved,
 * every balance equals what the tellers' random streams say it must be, and
 * replaying the ledger from the initial balances gives the final balances.
 * The `stats:` line carries the counts an instrumented run must report.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BANK_INITIAL_BALANCE
#define BANK_INITIAL_BALANCE 1000000L /* every account starts with this */
#endif
#ifndef BANK_MAX_AMOUNT
#define BANK_MAX_AMOUNT 500 /* a transfer moves 1..BANK_MAX_AMOUNT */
#endif
#ifndef BANK_SECOND_LOCK_NS
#define BANK_SECOND_LOCK_NS                                                    \
  1000000L /* wait this long for the second account                            \
            */
#endif

struct account {
  pthread_mutex_t lock; /* guards balance */
  long balance;
  unsigned id;
};

/* One ledger line: `amount` moved from account `from` to account `to`. */
struct entry {
  uint32_t from, to;
  uint32_t amount;
  uint32_t teller;
};

struct config {
  long tellers;   /* threads */
  long accounts;  /* number of accounts */
  long transfers; /* transfers per teller */
  long hold_us;   /* how long the audit holds g_ledger_lock */
  long seed;      /* base of the tellers' seeds */
};

struct teller {
  pthread_t thread;
  unsigned id;
  uint64_t rng;    /* the teller's transfers: the same on every run */
  uint64_t jitter; /* back-off pauses: kept apart from rng so retries do
                      not change which transfers are made */
  long backoffs;   /* second-lock deadlines missed (each one is a retry) */
  long hold_ns;    /* teller 0: how long the audit held the ledger */
};

static struct config g_cfg = {4, 64, 500000, 20000, 1};
static struct account *g_accounts;
static pthread_barrier_t g_start; /* all tellers running */
static pthread_barrier_t g_audit; /* teller 0 holds the ledger lock */

/* The ledger. Every field below is guarded by g_ledger_lock. */
static pthread_mutex_t g_ledger_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *g_ledger;
static size_t g_ledger_len, g_ledger_cap;
static size_t g_ledger_checkpoint; /* ledger length seen by the audit */

/* The ledger is always taken through these, as real code tends to. */
#define LOCK_LEDGER() pthread_mutex_lock(&g_ledger_lock)
#define UNLOCK_LEDGER() pthread_mutex_unlock(&g_ledger_lock)

/* Prints a message and exits: the examples have no way to recover. */
static void die(const char *what, int err) {
  fprintf(stderr, "bank: %s: %s\n", what, strerror(err));
  exit(1);
}

/* xorshift64*: a small, fast, deterministic random stream. */
static uint64_t next_random(uint64_t *state) {
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

/* The seed of teller `id`: distinct, never zero. */
static uint64_t teller_seed(unsigned id) {
  return ((uint64_t)g_cfg.seed << 32) ^ (0x9E3779B97F4A7C15ULL * (id + 1));
}

/* Draws the next transfer from a teller's stream: two distinct accounts and
 * an amount. The same stream gives the same transfers on every run. */
static void draw_transfer(uint64_t *rng, uint32_t *from, uint32_t *to,
                          uint32_t *amount) {
  uint32_t n = (uint32_t)g_cfg.accounts;
  *from = (uint32_t)(next_random(rng) % n);
  *to = (*from + 1 + (uint32_t)(next_random(rng) % (n - 1))) % n;
  *amount = 1 + (uint32_t)(next_random(rng) % BANK_MAX_AMOUNT);
}

/* Nanoseconds from *a to *b (b later). */
static long elapsed_ns(const struct timespec *a, const struct timespec *b) {
  return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

/* The absolute CLOCK_REALTIME deadline `ns` from now, for timedlock. */
static struct timespec deadline_after(long ns) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += ns;
  t.tv_sec += t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}

/* Sleeps ns nanoseconds, resuming after signals. */
static void sleep_ns(long ns) {
  struct timespec t = {ns / 1000000000L, ns % 1000000000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR)
    ;
}

/* Appends one line to the ledger, growing it as needed. Caller holds
 * g_ledger_lock. Exits on out-of-memory. */
static void ledger_append_locked(const struct entry *e) {
  if (g_ledger_len == g_ledger_cap) {
    size_t cap = g_ledger_cap ? 2 * g_ledger_cap : 4096;
    struct entry *grown = realloc(g_ledger, cap * sizeof *grown);
    if (!grown)
      die("ledger", ENOMEM);
    g_ledger = grown;
    g_ledger_cap = cap;
  }
  g_ledger[g_ledger_len++] = *e;
}

/* Records a transfer in the ledger. Takes g_ledger_lock; the caller holds
 * both account locks, so ledger order is the order balances changed. */
static void ledger_record(const struct entry *e) {
  LOCK_LEDGER();
  ledger_append_locked(e);
  UNLOCK_LEDGER();
}

/* Takes from->lock then to->lock, in that order. The second lock is waited
 * for at most BANK_SECOND_LOCK_NS; when that passes the first lock is dropped
 * and the teller tries again after a short random pause. Returns with both
 * locks held; counts the retries in t->backoffs. */
static void lock_pair(struct teller *t, struct account *from,
                      struct account *to) {
  for (;;) {
    pthread_mutex_lock(&from->lock);
    struct timespec deadline = deadline_after(BANK_SECOND_LOCK_NS);
    int rc = pthread_mutex_timedlock(&to->lock, &deadline);
    if (rc == 0)
      return;
    if (rc != ETIMEDOUT)
      die("pthread_mutex_timedlock", rc);
    pthread_mutex_unlock(&from->lock);
    t->backoffs++;
    sleep_ns(1000 + (long)(next_random(&t->jitter) % 50000));
  }
}

/* Moves `amount` from `from` to `to` and records it. Overdrafts are allowed
 * (the bank extends credit), so the final balances do not depend on the
 * order in which the tellers ran. */
static void transfer(struct teller *t, struct account *from, struct account *to,
                     uint32_t amount) {
  lock_pair(t, from, to);
  from->balance -= amount;
  to->balance += amount;
  struct entry e = {from->id, to->id, amount, t->id};
  ledger_record(&e);
  pthread_mutex_unlock(&to->lock);
  pthread_mutex_unlock(&from->lock);
}

/* Teller 0's audit: holds g_ledger_lock for g_cfg.hold_us while it writes a
 * checkpoint, after letting the other tellers start (so they queue up on the
 * ledger). Returns how long it held the lock, in nanoseconds. */
static long audit_ledger(void) {
  struct timespec t0, t1;
  pthread_mutex_lock(&g_ledger_lock);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pthread_barrier_wait(&g_audit);
  sleep_ns(g_cfg.hold_us * 1000L);
  g_ledger_checkpoint = g_ledger_len;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  pthread_mutex_unlock(&g_ledger_lock);
  return elapsed_ns(&t0, &t1);
}

/* A teller thread: waits for everyone, audits (teller 0) or waits for the
 * audit to hold the ledger (the others), then does its transfers. */
static void *teller_main(void *arg) {
  struct teller *t = arg;
  pthread_barrier_wait(&g_start);
  if (t->id == 0)
    t->hold_ns = audit_ledger();
  else
    pthread_barrier_wait(&g_audit);
  for (long i = 0; i < g_cfg.transfers; i++) {
    uint32_t from, to, amount;
    draw_transfer(&t->rng, &from, &to, &amount);
    transfer(t, &g_accounts[from], &g_accounts[to], amount);
  }
  return NULL;
}

/* The options: `--name N` or `--name=N` sets *value, within min..max. */
static const struct cli_option {
  const char *name;
  long *value;
  long min, max;
  const char *help;
} g_options[] = {
    {"tellers", &g_cfg.tellers, 1, 256, "teller threads"},
    {"accounts", &g_cfg.accounts, 2, 1000000, "accounts"},
    {"transfers", &g_cfg.transfers, 0, 100000000, "transfers per teller"},
    {"hold-us", &g_cfg.hold_us, 0, 10000000,
     "microseconds the audit holds the ledger lock"},
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
      fprintf(stderr, "bank: bad option or value: %s (see --help)\n", arg);
      return -1;
    }
    *o->value = v;
  }
  return 0;
}

/* Allocates g_cfg.accounts accounts with their mutexes and the initial
 * balance. Exits on failure. */
static void open_accounts(void) {
  g_accounts = calloc((size_t)g_cfg.accounts, sizeof *g_accounts);
  if (!g_accounts)
    die("accounts", ENOMEM);
  for (long i = 0; i < g_cfg.accounts; i++) {
    int rc = pthread_mutex_init(&g_accounts[i].lock, NULL);
    if (rc)
      die("pthread_mutex_init", rc);
    g_accounts[i].balance = BANK_INITIAL_BALANCE;
    g_accounts[i].id = (unsigned)i;
  }
}

/* Destroys the accounts' mutexes and frees them. No teller may run. */
static void close_accounts(void) {
  for (long i = 0; i < g_cfg.accounts; i++)
    pthread_mutex_destroy(&g_accounts[i].lock);
  free(g_accounts);
}

/* Runs the tellers to completion. Returns 0 or an errno value. */
static int run_tellers(struct teller *tellers) {
  unsigned n = (unsigned)g_cfg.tellers;
  if (pthread_barrier_init(&g_start, NULL, n) ||
      pthread_barrier_init(&g_audit, NULL, n))
    return EAGAIN;
  for (unsigned i = 0; i < n; i++) {
    tellers[i].id = i;
    tellers[i].rng = teller_seed(i);
    tellers[i].jitter = teller_seed(i) ^ 0xA5A5A5A5A5A5A5A5ULL;
    int rc = pthread_create(&tellers[i].thread, NULL, teller_main, &tellers[i]);
    if (rc)
      return rc;
  }
  for (unsigned i = 0; i < n; i++)
    pthread_join(tellers[i].thread, NULL);
  pthread_barrier_destroy(&g_start);
  pthread_barrier_destroy(&g_audit);
  return 0;
}

/* The balances the tellers' random streams imply, computed without threads.
 * Returns a malloc'd array of g_cfg.accounts balances. */
static long *expected_balances(void) {
  long *bal = malloc((size_t)g_cfg.accounts * sizeof *bal);
  if (!bal)
    die("expected balances", ENOMEM);
  for (long i = 0; i < g_cfg.accounts; i++)
    bal[i] = BANK_INITIAL_BALANCE;
  for (unsigned id = 0; id < (unsigned)g_cfg.tellers; id++) {
    uint64_t rng = teller_seed(id);
    for (long i = 0; i < g_cfg.transfers; i++) {
      uint32_t from, to, amount;
      draw_transfer(&rng, &from, &to, &amount);
      bal[from] -= amount;
      bal[to] += amount;
    }
  }
  return bal;
}

/* Replays the ledger: each teller's entries must be its random stream's
 * transfers in order, and applying them to the initial balances must give
 * the final balances. Returns the number of entries and accounts that
 * disagree (0 when the ledger is right). */
static long ledger_problems(void) {
  long *bal = malloc((size_t)g_cfg.accounts * sizeof *bal), bad = 0;
  uint64_t *rng = malloc((size_t)g_cfg.tellers * sizeof *rng);
  if (!bal || !rng)
    die("replay", ENOMEM);
  for (long i = 0; i < g_cfg.accounts; i++)
    bal[i] = BANK_INITIAL_BALANCE;
  for (long t = 0; t < g_cfg.tellers; t++)
    rng[t] = teller_seed((unsigned)t);
  for (size_t i = 0; i < g_ledger_len; i++) {
    const struct entry *e = &g_ledger[i];
    uint32_t from, to, amount;
    if (e->teller >= (uint32_t)g_cfg.tellers) {
      bad++;
      continue;
    }
    draw_transfer(&rng[e->teller], &from, &to, &amount);
    bad += from != e->from || to != e->to || amount != e->amount;
    bal[e->from] -= e->amount;
    bal[e->to] += e->amount;
  }
  for (long i = 0; i < g_cfg.accounts; i++)
    bad += bal[i] != g_accounts[i].balance;
  free(rng);
  free(bal);
  return bad;
}

/* Checks the final state; prints one line per check. Returns the number of
 * failed checks. */
static int check_books(void) {
  long total = 0, mismatched = 0, *want = expected_balances();
  for (long i = 0; i < g_cfg.accounts; i++) {
    total += g_accounts[i].balance;
    mismatched += g_accounts[i].balance != want[i];
  }
  free(want);
  long want_total = g_cfg.accounts * BANK_INITIAL_BALANCE;
  size_t want_len = (size_t)(g_cfg.tellers * g_cfg.transfers);
  long replay_bad = ledger_problems();
  int ledger_ok = g_ledger_len == want_len && replay_bad == 0;
  printf("bank: total balance %ld (expected %ld): %s\n", total, want_total,
         total == want_total ? "ok" : "FAILED");
  printf("bank: %ld of %ld balances differ from the expected ones: %s\n",
         mismatched, g_cfg.accounts, mismatched ? "FAILED" : "ok");
  printf("bank: ledger has %zu entries (expected %zu), %ld replay "
         "mismatches: %s\n",
         g_ledger_len, want_len, replay_bad, ledger_ok ? "ok" : "FAILED");
  printf("bank: audit saw %zu entries (expected 0): %s\n", g_ledger_checkpoint,
         g_ledger_checkpoint ? "FAILED" : "ok");
  return (total != want_total) + (mismatched != 0) + !ledger_ok +
         (g_ledger_checkpoint != 0);
}

/* One line of counts an instrumented run must reproduce exactly, plus the
 * audit's hold time as measured by the program itself. */
static void print_stats(const struct teller *tellers) {
  long backoffs = 0;
  for (long i = 0; i < g_cfg.tellers; i++)
    backoffs += tellers[i].backoffs;
  printf("stats: tellers=%ld transfers=%ld backoffs=%ld ledger_appends=%zu "
         "audits=1 accounts=%ld hold_us=%ld audit_hold_ns=%ld\n",
         g_cfg.tellers, g_cfg.tellers * g_cfg.transfers, backoffs, g_ledger_len,
         g_cfg.accounts, g_cfg.hold_us, tellers[0].hold_ns);
}

/* Runs the tellers, then checks the books. Exits 0 when every check
 * passes, 1 when one fails, 2 on a bad option. */
int main(int argc, char **argv) {
  int args = parse_args(argc, argv);
  if (args != 0)
    return args > 0 ? 0 : 2;
  printf("bank: %ld tellers, %ld accounts, %ld transfers each, audit holds "
         "the ledger %ld us\n",
         g_cfg.tellers, g_cfg.accounts, g_cfg.transfers, g_cfg.hold_us);
  open_accounts();
  struct teller *tellers = calloc((size_t)g_cfg.tellers, sizeof *tellers);
  if (!tellers)
    die("tellers", ENOMEM);
  int rc = run_tellers(tellers);
  if (rc)
    die("starting tellers", rc);
  int failed = check_books();
  print_stats(tellers);
  close_accounts();
  free(tellers);
  free(g_ledger);
  return failed ? 1 : 0;
}
