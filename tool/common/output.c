/*
 * output.c — see output.h.
 *
 * Temporary files are registered in a fixed table of slots that the signal
 * handler scans: a slot's path is complete before its flag is set, and the
 * signals are blocked in the calling thread while a temporary file is
 * created and registered, and while it is renamed and unregistered, so the
 * handler never sees a half-made entry. The handler holds the slot lock
 * while it scans, so another thread cannot register a new file behind it.
 */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "text.h"

#ifndef LI_TMP_SLOTS
#define LI_TMP_SLOTS 256 /* at most this many files in flight at once */
#endif

static char tmp_path[LI_TMP_SLOTS][PATH_MAX];
static volatile sig_atomic_t tmp_used[LI_TMP_SLOTS];
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static mode_t file_mode = 0644; /* 0666 & ~umask, set once by read_umask */
static pthread_once_t mode_once = PTHREAD_ONCE_INIT;

/* Records the permissions of a new file. umask can only be read by setting
 * it, so this runs once (li_output_init, before any thread starts). */
static void read_umask(void) {
  mode_t um = umask(022);
  umask(um);
  file_mode = 0666 & ~um;
}

/* Removes every registered temporary file and dies of sig. It takes
 * slot_lock and never gives it back, so that no other thread (-j) can
 * create and register a temporary file after the scan -- one would be left
 * behind. That cannot deadlock: every thread blocks these signals while it
 * holds slot_lock, so the handler never interrupts its own thread's
 * critical section, and the three signals are blocked during the handler
 * (sa_mask), so it does not interrupt itself. */
static void on_signal(int sig) {
  pthread_mutex_lock(&slot_lock);
  for (int i = 0; i < LI_TMP_SLOTS; i++)
    if (tmp_used[i])
      unlink(tmp_path[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

void li_output_init(void) {
  pthread_once(&mode_once, read_umask);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t j = 0; j < sizeof sigs / sizeof *sigs; j++)
      sigaddset(&sa.sa_mask, sigs[j]);
    sigaction(sigs[i], &sa, NULL);
  }
}

static void block_signals(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Returns the directory of path, "." for a bare name (new string). */
static char *dir_of(const char *path) {
  return strchr(path, '/') ? li_path_dir(path) : li_xstrdup(".");
}

/* Creates and registers a temporary file next to path; returns its fd and
 * slot, or -errno. */
static int tmp_create(const char *path, int *slot) {
  char *dir = dir_of(path);
  sigset_t old;
  block_signals(&old);
  pthread_mutex_lock(&slot_lock);
  int s = 0;
  while (s < LI_TMP_SLOTS && tmp_used[s])
    s++;
  int fd = -ENOSPC;
  if (s < LI_TMP_SLOTS &&
      (size_t)snprintf(tmp_path[s], PATH_MAX, "%s/.lockinstr-tmp.XXXXXX", dir) <
          PATH_MAX) {
    fd = mkstemp(tmp_path[s]);
    if (fd < 0)
      fd = -errno;
    else
      tmp_used[s] = 1;
  }
  pthread_mutex_unlock(&slot_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  free(dir);
  *slot = s;
  return fd;
}

/* Renames (ok) or removes (!ok) the temporary file of slot, unregisters it;
 * returns 0 or -errno. */
static int tmp_finish(int slot, const char *path, int ok) {
  sigset_t old;
  block_signals(&old);
  int rc = 0;
  if (ok && rename(tmp_path[slot], path) != 0)
    rc = -errno;
  if (!ok || rc)
    unlink(tmp_path[slot]);
  pthread_mutex_lock(&slot_lock);
  tmp_used[slot] = 0;
  pthread_mutex_unlock(&slot_lock);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

int li_atomic_open(struct li_atomic *a, const char *path, int flags) {
  pthread_once(&mode_once, read_umask);
  memset(a, 0, sizeof *a);
  a->slot = -1; /* set by tmp_create when it succeeds */
  int fd = tmp_create(path, &a->slot);
  if (fd < 0)
    return fd;
  a->f = fdopen(fd, "wb");
  if (a->f == NULL) {
    int rc = -errno;
    close(fd);
    tmp_finish(a->slot, path, 0);
    return rc;
  }
  a->path = path;
  a->flags = flags;
  return 0;
}

int li_atomic_commit(struct li_atomic *a) {
  int rc = ferror(a->f) ? -EIO : 0;
  if (rc == 0 && fflush(a->f) != 0)
    rc = -errno;
  if (rc == 0 && (a->flags & LI_ATOMIC_FSYNC) && fsync(fileno(a->f)) != 0)
    rc = -errno;
  if (rc == 0 && fchmod(fileno(a->f), file_mode) != 0)
    rc = -errno;
  if (fclose(a->f) != 0 && rc == 0)
    rc = -errno;
  a->f = NULL;
  int frc = tmp_finish(a->slot, a->path, rc == 0);
  return rc ? rc : frc;
}

void li_atomic_abort(struct li_atomic *a) {
  if (a->f != NULL)
    fclose(a->f);
  a->f = NULL;
  tmp_finish(a->slot, a->path, 0);
}

int li_write_atomic(const char *path, const char *data, size_t len) {
  char *dir = dir_of(path);
  int rc = li_mkdir_p(dir);
  free(dir);
  struct li_atomic a;
  if (rc == 0)
    rc = li_atomic_open(&a, path, 0);
  if (rc)
    return rc;
  errno = 0;
  if (fwrite(data, 1, len, a.f) != len) {
    rc = errno ? -errno : -EIO;
    li_atomic_abort(&a);
    return rc;
  }
  return li_atomic_commit(&a);
}
