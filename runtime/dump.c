/*
 * dump.c — profile files: path expansion, atomic write, exit and interval
 * dumps, lockinstr_dump() and lockinstr_strerror().
 *
 * The atomic write here is the runtime's own, not the tool side's one
 * writer (tool/common/output.c): the runtime cannot link tool code, and it
 * writes from inside the host program (on a dump signal, after fork, at exit),
 * so it uses plain libc calls, does not allocate, and never takes over the
 * program's SIGINT/SIGTERM handlers to clean up after itself.
 */
#include "dump.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lifecycle.h"
#include "profile.h"
#include "snapshot.h"
#include "summary.h"

#ifndef LI_PATH_MAX
#define LI_PATH_MAX 4096
#endif

static pthread_mutex_t dump_mutex = PTHREAD_MUTEX_INITIALIZER;
static int exiting;             /* the exit dump has begun; dump_mutex */
static int warned;              /* an automatic dump failed and said so */
static unsigned int tmp_serial; /* distinguishes temporary files */
static char *default_output;    /* lockinstr_set_default_output; dump_mutex */
static int default_quiet = -1;  /* lockinstr_set_default_quiet; -1 = unset */
/* The calling thread holds the dump mutex: a dump requested again on this
 * thread (from a signal handler that interrupted a dump) would deadlock on
 * it, and returns -EDEADLK instead. */
static __thread int in_dump __attribute__((tls_model("initial-exec")));

void li_dump_lock(void) {
  pthread_mutex_lock(&dump_mutex);
}
void li_dump_unlock(void) {
  pthread_mutex_unlock(&dump_mutex);
}
void li_dump_reinit(void) {
  pthread_mutex_init(&dump_mutex, NULL);
}

/* Appends s to buf at *len; -ENAMETOOLONG when it does not fit. */
static int append(char *buf, size_t n, size_t *len, const char *s) {
  size_t k = strlen(s);
  if (*len + k >= n)
    return -ENAMETOOLONG;
  memcpy(buf + *len, s, k + 1);
  *len += k;
  return 0;
}

int li_expand_path(char *buf, size_t n, const char *pattern) {
  size_t len = 0;
  char tmp[32], one[2] = {0, 0};
  const char *p;
  int rc = 0;
  buf[0] = '\0';
  for (p = pattern; *p && rc == 0; p++) {
    if (p[0] == '%' && p[1] == 'p') {
      snprintf(tmp, sizeof tmp, "%ld", (long)getpid());
      rc = append(buf, n, &len, tmp);
      p++;
    } else if (p[0] == '%' && p[1] == 'e') {
      rc = append(buf, n, &len, li_program());
      p++;
    } else if (p[0] == '%' && p[1] == '%') {
      rc = append(buf, n, &len, "%");
      p++;
    } else {
      one[0] = *p;
      rc = append(buf, n, &len, one);
    }
  }
  return rc;
}

#ifndef LI_TMP_TRIES
#define LI_TMP_TRIES 100 /* temporary names tried before giving up */
#endif

/* 0 when path may be replaced: it does not exist, or is a regular file or
 * a symbolic link (replaced, never followed). A directory gives -EISDIR; a
 * device, FIFO or socket -ENOTSUP: renaming over /dev/null (which root
 * could) would break the system. */
static int check_dest(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return 0; /* missing (or unreadable: open or rename will say) */
  if (S_ISDIR(st.st_mode))
    return -EISDIR;
  if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
    return -ENOTSUP;
  return 0;
}

/* Creates a new temporary file beside path, never through a symbolic link
 * (O_EXCL | O_NOFOLLOW): a name already taken, by anything, is skipped for
 * the next serial. Returns the descriptor (its name in tmp), or a negative
 * errno. */
static int open_temp(const char *path, char *tmp, size_t n) {
  const char *slash = strrchr(path, '/');
  int dirlen = slash ? (int)(slash - path + 1) : 0, fd = -EEXIST, i;
  for (i = 0; i < LI_TMP_TRIES && fd == -EEXIST; i++) {
    snprintf(tmp, n, "%.*s.%s.%ld.%u.tmp", dirlen, path, path + dirlen,
             (long)getpid(),
             __atomic_fetch_add(&tmp_serial, 1, __ATOMIC_RELAXED));
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
      fd = -errno;
  }
  return fd;
}

/* Writes the profile to fd and closes it. Returns 0 or a negative errno
 * (the write's own, e.g. -ENOSPC or -EFBIG, rather than a bare -EIO). */
static int write_fd(int fd, const struct li_snapshot *s) {
  FILE *f = fdopen(fd, "w");
  int rc;
  if (!f) {
    rc = -errno;
    close(fd);
    return rc;
  }
  errno = 0;
  rc = li_profile_write(f, s);
  if (rc != 0 && errno != 0)
    rc = -errno;
  if (fflush(f) != 0 && rc == 0)
    rc = errno ? -errno : -EIO;
  if (fclose(f) != 0 && rc == 0)
    rc = errno ? -errno : -EIO;
  return rc;
}

/* Writes s to a new temporary file beside path and renames it into
 * place. Returns 0 or a negative errno; leaves no temporary file.
 * SIGXFSZ (a write past RLIMIT_FSIZE, whose default action kills the
 * process) is blocked meanwhile, and one raised by this write discarded:
 * the write fails with -EFBIG instead. */
static int write_atomic(const char *path, const struct li_snapshot *s) {
  char tmp[LI_PATH_MAX + 64];
  sigset_t xfsz, old, pending;
  int fd, rc = check_dest(path), was_pending;
  if (rc != 0)
    return rc;
  sigemptyset(&xfsz);
  sigaddset(&xfsz, SIGXFSZ);
  pthread_sigmask(SIG_BLOCK, &xfsz, &old);
  sigpending(&pending);
  was_pending = sigismember(&pending, SIGXFSZ) == 1;
  fd = open_temp(path, tmp, sizeof tmp);
  rc = fd < 0 ? fd : write_fd(fd, s);
  if (rc == 0 && rename(tmp, path) != 0)
    rc = -errno;
  if (rc != 0 && fd >= 0)
    unlink(tmp);
  if (!was_pending) {
    static const struct timespec zero = {0, 0};
    while (sigtimedwait(&xfsz, NULL, &zero) == SIGXFSZ)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

/* The pattern of automatic profiles: LOCKINSTR_OUTPUT, else the default
 * set by lockinstr_set_default_output, else the built-in one. dump_mutex
 * held. */
static const char *output_pattern(void) {
  const struct li_config *c = li_config();
  if (c->output_set || !default_output)
    return c->output;
  return default_output;
}

/* Whether the exit summary is printed (docs/runtime.md, "Quiet by
 * default"): LOCKINSTR_SUMMARY, else LOCKINSTR_QUIET (0 asks for it), else
 * the default set by lockinstr_set_default_quiet, else whether stderr is a
 * terminal. A program's stderr that is a file or a pipe is part of its
 * behaviour (a test suite compares it), so it gets nothing unasked. */
static int summary_wanted(void) {
  const struct li_config *c = li_config();
  int d = __atomic_load_n(&default_quiet, __ATOMIC_RELAXED);
  if (c->summary_set)
    return c->summary;
  if (c->quiet_set)
    return !c->quiet;
  if (d >= 0)
    return !d;
  return isatty(STDERR_FILENO);
}

int lockinstr_set_default_output(const char *pattern) {
  char *copy, *old;
  int cancel;
  if (!pattern || !*pattern)
    return -EINVAL;
  if (strlen(pattern) >= LI_PATH_MAX)
    return -ENAMETOOLONG;
  copy = strdup(pattern);
  if (!copy)
    return -ENOMEM;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
  li_dump_lock();
  old = default_output;
  default_output = copy;
  li_dump_unlock();
  pthread_setcancelstate(cancel, NULL);
  free(old);
  return 0;
}

void lockinstr_set_default_quiet(int q) {
  __atomic_store_n(&default_quiet, q != 0, __ATOMIC_RELAXED);
}

int li_output_path(char *buf, size_t n, const char *pattern) {
  struct stat st;
  size_t len;
  int rc = li_expand_path(buf, n, pattern);
  if (rc != 0)
    return rc;
  len = strlen(buf);
  if (len && buf[len - 1] != '/' &&
      (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)))
    return 0;
  if (len && buf[len - 1] != '/' && len + 1 < n) /* an existing directory */
    buf[len++] = '/';
  return li_expand_path(buf + len, n - len, LI_DIR_OUTPUT);
}

/* What dump_locked does besides writing. */
enum {
  LI_DUMP_SUMMARY = 1, /* print the summary on stderr */
  LI_DUMP_IF_USED = 2  /* write nothing when no lock was recorded */
};

/* Takes a snapshot, expands the path into out and writes it, then prints
 * the summary if asked (flags: LI_DUMP_*). Returns 0 or a negative errno;
 * 0 and nothing written with LI_DUMP_IF_USED when the process recorded
 * nothing (li_snapshot_used). dump_mutex held. */
static int dump_locked(const char *path, const char *reason, char *out,
                       size_t outn, int flags) {
  struct li_snapshot s;
  int rc;
  const char *pattern = path ? path : output_pattern();
  rc = li_snapshot_take(&s, reason, !(flags & LI_DUMP_IF_USED));
  if (rc == -ENODATA)
    return 0;
  if (rc != 0) { /* out names the file for the caller's message */
    li_expand_path(out, outn, pattern);
    return rc;
  }
  rc = li_output_path(out, outn, pattern);
  if (rc == 0)
    rc = write_atomic(out, &s);
  else
    flags &= ~LI_DUMP_SUMMARY;
  if (flags & LI_DUMP_SUMMARY)
    li_summary_print(stderr, &s, rc == 0 ? out : NULL);
  li_snapshot_free(&s);
  return rc;
}

int li_dump(const char *path, const char *reason) {
  char out[LI_PATH_MAX];
  int rc, cancel;
  li_init();
  if (in_dump)
    return -EDEADLK;
  /* writing a file has cancellation points: a cancelled caller must not
   * leave the dump mutex locked */
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
  li_dump_lock();
  in_dump = 1;
  rc = dump_locked(path, reason, out, sizeof out, 0);
  in_dump = 0;
  li_dump_unlock();
  pthread_setcancelstate(cancel, NULL);
  return rc;
}

/* Says once per process that an automatic dump failed. */
static void warn_once(const char *path, int rc) {
  if (warned)
    return;
  warned = 1;
  fprintf(stderr, "lockinstr: error: cannot write the profile %s: %s\n", path,
          lockinstr_strerror(rc));
}

void li_dump_auto(const char *reason) {
  char out[LI_PATH_MAX];
  int rc;
  li_dump_lock();
  in_dump = 1;
  if (!exiting) {
    rc = dump_locked(NULL, reason, out, sizeof out, LI_DUMP_IF_USED);
    if (rc != 0)
      warn_once(out, rc);
  }
  in_dump = 0;
  li_dump_unlock();
}

void li_dump_exit(void) {
  char out[LI_PATH_MAX];
  int rc, cancel;
  if (in_dump) /* exit() from a signal handler that interrupted a dump */
    return;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
  li_dump_lock();
  in_dump = 1;
  exiting = 1;
  /* secure execution: only to an output the program chose itself, not to
   * the built-in one in a working directory its user chose (env.h) */
  if (!li_config()->secure || default_output) {
    rc =
        dump_locked(NULL, "exit", out, sizeof out,
                    LI_DUMP_IF_USED | (summary_wanted() ? LI_DUMP_SUMMARY : 0));
    if (rc != 0)
      warn_once(out, rc);
  }
  in_dump = 0;
  li_dump_unlock();
  pthread_setcancelstate(cancel, NULL);
}

int lockinstr_dump(const char *path) {
  return li_dump(path, "request");
}

const char *lockinstr_strerror(int err) {
  switch (-err) {
  case 0:
    return "success";
  case ENOMEM:
    return "out of memory";
  case EACCES:
    return "permission denied";
  case EPERM:
    return "operation not permitted";
  case ENOENT:
    return "no such file or directory";
  case ENOTDIR:
    return "a path component is not a directory";
  case EISDIR:
    return "is a directory";
  case EROFS:
    return "read-only file system";
  case ENOSPC:
    return "no space left on device";
  case EDQUOT:
    return "disk quota exceeded";
  case EEXIST:
    return "file exists";
  case ELOOP:
    return "too many symbolic links (or a symbolic link where none is "
           "allowed)";
  case ENAMETOOLONG:
    return "file name too long";
  case EIO:
    return "input/output error";
  case EINVAL:
    return "invalid argument";
  case EMFILE:
  case ENFILE:
    return "too many open files";
  case EBUSY:
    return "resource busy";
  case EXDEV:
    return "cross-device rename";
  case EFBIG:
    return "file too large (RLIMIT_FSIZE)";
  case ENOTSUP:
    return "not a regular file (a device, FIFO or socket is never replaced)";
  case EDEADLK:
    return "a dump is already in progress on this thread (lockinstr_dump "
           "called from a signal handler?)";
  default:
    return "unknown error";
  }
}
