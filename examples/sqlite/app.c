/*
 * app.c — a small multi-threaded SQLite program for examples/sqlite/run.sh:
 * four threads insert 2,000 rows each through one connection opened in
 * serialized mode (SQLite's own mutexes make that safe), then main counts
 * the rows. It prints what it computed so that the instrumented build can
 * be checked against the plain one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

#define THREADS 4
#define ROWS 2000

static sqlite3 *db;

static void *inserter(void *arg) {
  long id = (long)arg;
  char sql[96];
  for (int i = 0; i < ROWS; i++) {
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES(%ld, %d);", id, i);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
      fprintf(stderr, "app: insert: %s\n", sqlite3_errmsg(db));
      exit(1);
    }
  }
  return NULL;
}

static int first_column(void *out, int n, char **values, char **names) {
  (void)n;
  (void)names;
  *(long *)out = atol(values[0]);
  return 0;
}

int main(void) {
  pthread_t t[THREADS];
  long rows = 0;
  if (sqlite3_open_v2(":memory:", &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                      NULL) != SQLITE_OK ||
      sqlite3_exec(db, "CREATE TABLE t(a INT, b INT);", NULL, NULL, NULL))
    return 1;
  for (long i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, inserter, (void *)i);
  for (int i = 0; i < THREADS; i++)
    pthread_join(t[i], NULL);
  sqlite3_exec(db, "SELECT count(*) FROM t;", first_column, &rows, NULL);
  printf("rows=%ld\n", rows);
  sqlite3_close(db);
  return rows == THREADS * ROWS ? 0 : 1;
}
