#!/usr/bin/env python3
"""gen_corpus.py DIR [FILES] [LINES]: a deterministic C corpus for the
rewriter throughput benchmark (bench/rewriter.sh).

Each file is about LINES lines: a shared project header with lock macros
and a static inline helper, a per-file header, structs with lock fields, and
many small functions taking and releasing locks through direct calls, same-
file macros, rwlocks, condition waits and trylocks. Generated at benchmark
time, never committed. The same arguments always give the same files.
"""
import os
import random
import sys

HEADER = """#ifndef CORPUS_COMMON_H
#define CORPUS_COMMON_H
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
struct stats { pthread_mutex_t mu; unsigned long hits, misses; };
#define STATS_HIT(s) do { pthread_mutex_lock(&(s)->mu); (s)->hits++; pthread_mutex_unlock(&(s)->mu); } while (0)
static inline void stats_miss(struct stats *s) {
  pthread_mutex_lock(&s->mu);
  s->misses++;
  pthread_mutex_unlock(&s->mu);
}
#endif
"""


def function(rng, f, i):
    kind = rng.randrange(5)
    name = f"f{f}_{i}"
    if kind == 0:
        body = [f"  pthread_mutex_lock(&q->mu);",
                f"  q->count += {rng.randrange(1, 9)};",
                f"  if (q->count > {rng.randrange(100, 999)})",
                f"    q->count = 0;",
                f"  pthread_mutex_unlock(&q->mu);"]
    elif kind == 1:
        body = [f"  LOCKQ(q);",
                f"  q->items[q->count % 16] = {rng.randrange(1000)};",
                f"  UNLOCKQ(q);"]
    elif kind == 2:
        body = [f"  pthread_rwlock_rdlock(&g_table_lock);",
                f"  long v = g_table[{rng.randrange(64)}];",
                f"  pthread_rwlock_unlock(&g_table_lock);",
                f"  q->count += (int)v;"]
    elif kind == 3:
        body = [f"  pthread_mutex_lock(&q->mu);",
                f"  while (q->count == 0)",
                f"    pthread_cond_wait(&q->nonempty, &q->mu);",
                f"  q->count--;",
                f"  pthread_mutex_unlock(&q->mu);"]
    else:
        body = [f"  if (pthread_mutex_trylock(&q->mu) == 0) {{",
                f"    q->count++;",
                f"    pthread_mutex_unlock(&q->mu);",
                f"  }} else {{",
                f"    STATS_HIT(&g_stats);",
                f"  }}",
                f"  stats_miss(&g_stats);"]
    return [f"void {name}(struct queue *q) {{"] + body + ["}", ""]


def write_file(d, f, lines, rng):
    out = [f"/* corpus file {f} */", '#include "common.h"',
           f'#include "local{f}.h"', "",
           "struct queue { pthread_mutex_t mu; pthread_cond_t nonempty;",
           "               int count; int items[16]; };",
           "#define LOCKQ(q) pthread_mutex_lock(&(q)->mu)",
           "#define UNLOCKQ(q) pthread_mutex_unlock(&(q)->mu)",
           "static pthread_rwlock_t g_table_lock = PTHREAD_RWLOCK_INITIALIZER;",
           "static long g_table[64];",
           "static struct stats g_stats = { PTHREAD_MUTEX_INITIALIZER, 0, 0 };",
           ""]
    i = 0
    while len(out) < lines:
        out += [f"void f{f}_{i}(struct queue *q);"]
        out += function(rng, f, i)
        i += 1
    out += [f"long local{f}_total(void) {{ return LOCAL{f}_BASE + g_table[0]; }}"]
    with open(os.path.join(d, f"file{f}.c"), "w") as fh:
        fh.write("\n".join(out) + "\n")
    with open(os.path.join(d, f"local{f}.h"), "w") as fh:
        fh.write(f"#define LOCAL{f}_BASE {f}L\n")


def main():
    d = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    lines = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "common.h"), "w") as fh:
        fh.write(HEADER)
    rng = random.Random(20261121)
    for f in range(files):
        write_file(d, f, lines, rng)


if __name__ == "__main__":
    main()
