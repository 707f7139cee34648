/*
 * quiet.c — a program whose output is its behaviour: with --version it
 * prints a version and takes no lock; otherwise two threads take a lock
 * 1000 times each and it prints the total on stdout and a note on stderr.
 * The e2e test "quiet" compares both streams of the instrumented build
 * with the plain one's, byte for byte.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void *work(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 1000; i++) {
    pthread_mutex_lock(&mu);
    total++;
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t a, b;
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    puts("quiet 1.0");
    return 0;
  }
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("total %ld\n", total);
  fputs("quiet: done\n", stderr);
  return 0;
}
