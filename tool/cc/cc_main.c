/*
 * cc_main.c — lockinstr-cc, a compiler launcher that instruments C sources
 * on their way to the compiler.
 *
 *   lockinstr-cc [--strict] COMPILER [ARGS...]
 *
 * Used as CC="lockinstr-cc gcc", make CC="lockinstr-cc cc", or
 * CMAKE_C_COMPILER_LAUNCHER / CMAKE_C_LINKER_LAUNCHER=lockinstr-cc. For a
 * compile (-c, or a compile-and-link) of C sources it runs `lockinstr` on
 * each source with that exact command's flags, into a private temporary
 * directory, then runs the compiler on the rewritten copies plus
 * `-isystem <lockinstr include dir>` (the rewriter's #line keeps
 * diagnostics and debug info on the original file), and finally makes the
 * dependency file name the original sources. A link gets the runtime
 * (liblockinstr.a, -lpthread, -lm). The project's own headers are
 * instrumented into the same temporary directory: the rewriter gets a root
 * and header directories (cc_paths.h) and prints the include flags that
 * put the copies first, which the compile gets ahead of the command's own
 * -I flags. Everything else (see cc_args.c) is handed
 * to the compiler untouched with execvp, so exit codes and signals are the
 * compiler's own.
 *
 * Instrumentation never breaks a build: when the rewriter fails on a file,
 * that file is compiled as it is and one warning says so (only if the
 * compile then succeeds: a file with a syntax error gets the compiler's
 * diagnostics alone). When the rewritten file is what the compiler rejects,
 * the original command is run instead, the same way; the instrumented
 * compile's stderr is captured for that and replayed when it succeeds.
 * --strict or LOCKINSTR_STRICT=1 makes a rewrite failure fatal.
 *
 * Where things are: the rewriter is $LOCKINSTR_TOOL, else $LOCKINSTR_PREFIX/
 * bin/lockinstr, else `lockinstr` beside this program, else the build tree's
 * (baked in at configure time), else `lockinstr` on PATH. Headers and the
 * runtime come from $LOCKINSTR_PREFIX, else relative to this program's
 * installed location (bin/../include, bin/../lib), else the build tree.
 */
#define _GNU_SOURCE 1 /* mkdtemp, nftw, readlink in strict C11 mode */
#include "cc_args.h"
#include "cc_config.h"
#include "cc_deps.h"
#include "cc_paths.h"
#include "paths.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define LI_CC_ME "lockinstr-cc"

/* The child being waited for, and a signal received meanwhile. */
static volatile pid_t li_cc_child = -1;
static volatile sig_atomic_t li_cc_signal = 0;

/* Where the rewriter, headers and runtime were found. */
struct li_cc_env {
  char *self_dir;   /* directory of this executable, or NULL */
  char *tool;       /* the lockinstr command */
  char *include;    /* directory holding lockinstr_site.h, or NULL */
  char *static_lib; /* liblockinstr.a, or NULL */
  char *shared_lib; /* liblockinstr.so, or NULL */
  int strict;       /* a rewrite failure is an error */
  int verbose;      /* print what is run (LOCKINSTR_CC_VERBOSE) */
  int keep;         /* keep the temporary directory (LOCKINSTR_CC_KEEP) */
  int gnu;          /* gcc or clang: takes -fdebug-prefix-map and
                       -fdiagnostics-color */
  char *config;     /* --config / $LOCKINSTR_CONFIG (absolute), or NULL */
  char *cwd;        /* the compile's working directory (normalised) */
  char *root_env;   /* $LOCKINSTR_CC_ROOT (normalised absolute), or NULL */
};

/* One instrumented input. */
struct li_cc_input {
  int arg;         /* index in cmd.argv */
  char *root;      /* the rewriter's --root (see cc_paths.h) */
  char *qdir;      /* the original's directory as written ("." if none) */
  char *outdir;    /* TMP/<k> */
  char *out;       /* TMP/<k>/<source relative to root>: the rewritten copy */
  char *map;       /* -fdebug-prefix-map=TMP/<k>=<root>: debug info names the
                      original's directory, not the temporary one */
  char *absmap;    /* -fdebug-prefix-map=TMP/<k>/_abs=: header copies from a
                      --header-dir outside the root, named by absolute path */
  char **incflags; /* --print-include-flags: the instrumented headers'
                      directories, put before the command's own -I */
  int ok;          /* 1 if the rewrite succeeded */
  char *reason;    /* first line of the rewriter's error, if it failed */
};

/* Prints a fatal error and exits 1 (the launcher's own failures only). */
_Noreturn static void li_cc_die(const char *what) {
  fprintf(stderr, LI_CC_ME ": error: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* malloc'd concatenation of up to four strings (NULLs skipped). */
static char *li_cc_cat(const char *a, const char *b, const char *c,
                       const char *d) {
  const char *parts[4] = {a, b, c, d};
  size_t len = 1, off = 0;
  char *s;
  int i;
  for (i = 0; i < 4; i++)
    len += parts[i] ? strlen(parts[i]) : 0;
  s = malloc(len);
  if (!s)
    li_cc_die("out of memory");
  for (i = 0; i < 4; i++)
    if (parts[i]) {
      memcpy(s + off, parts[i], strlen(parts[i]));
      off += strlen(parts[i]);
    }
  s[off] = '\0';
  return s;
}

/* Returns 1 if PATH exists (and, if EXEC, is executable). */
static int li_cc_exists(const char *path, int exec) {
  return path && path[0] && access(path, exec ? X_OK : F_OK) == 0;
}

/* Returns 1 if the environment variable NAME is set, non-empty and not 0. */
static int li_cc_env_on(const char *name) {
  const char *v = getenv(name);
  return v && v[0] && strcmp(v, "0") != 0;
}

/* Returns the directory of this executable (malloc'd), or NULL. */
static char *li_cc_self_dir(void) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  char *slash;
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  slash = strrchr(buf, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  return li_cc_cat(buf, NULL, NULL, NULL);
}

/* Returns DIR/REL/NAME (DIR/NAME if REL is NULL) if it exists, else NULL
 * (malloc'd). */
static char *li_cc_probe(const char *dir, const char *rel, const char *name,
                         int exec) {
  char *p;
  if (!dir || !dir[0])
    return NULL;
  p = rel ? li_cc_cat(dir, "/", rel, "/") : li_cc_cat(dir, "/", NULL, NULL);
  if (name) {
    char *q = li_cc_cat(p, name, NULL, NULL);
    free(p);
    p = q;
  }
  if (li_cc_exists(p, exec)) {
    char *real = realpath(p, NULL); /* bin/../include -> include */
    if (real) {
      free(p);
      p = real;
    }
    return p;
  }
  free(p);
  return NULL;
}

/* Returns the first existing FILE among DIR/<each of RELS> (malloc'd). */
static char *li_cc_probe_rels(const char *dir, const char *const *rels,
                              const char *file) {
  char *p = NULL;
  for (; *rels && !p; rels++)
    p = li_cc_probe(dir, *rels, file, 0);
  return p;
}

/* Strips "/lockinstr_site.h" off a probe result, leaving the directory. */
static char *li_cc_dir_of(char *file) {
  if (file)
    *strrchr(file, '/') = '\0';
  return file;
}

/* Fills ENV->tool, ->include, ->static_lib, ->shared_lib (see the top). */
static void li_cc_locate(struct li_cc_env *env) {
  const char *prefix = getenv("LOCKINSTR_PREFIX");
  const char *const inc_rels[] = {LI_CC_PREFIX_TO_INCLUDE, "include", NULL};
  const char *const lib_rels[] = {LI_CC_PREFIX_TO_LIB, "lib", "lib64", NULL};
  const char *const bin_inc[] = {LI_CC_BIN_TO_INCLUDE, NULL};
  const char *const bin_lib[] = {LI_CC_BIN_TO_LIB, NULL};
  const char *tool = getenv("LOCKINSTR_TOOL");
  if (prefix && !prefix[0])
    prefix = NULL;
  env->tool = tool && tool[0] ? li_cc_cat(tool, NULL, NULL, NULL) : NULL;
  if (!env->tool && prefix)
    env->tool = li_cc_probe(prefix, "bin", "lockinstr", 1);
  if (!env->tool)
    env->tool = li_cc_probe(env->self_dir, NULL, "lockinstr", 1);
  if (!env->tool && li_cc_exists(LI_CC_BUILD_TOOL, 1))
    env->tool = li_cc_cat(LI_CC_BUILD_TOOL, NULL, NULL, NULL);
  if (!env->tool)
    env->tool = li_cc_cat("lockinstr", NULL, NULL, NULL);

  if (prefix) {
    env->include =
        li_cc_dir_of(li_cc_probe_rels(prefix, inc_rels, "lockinstr_site.h"));
    env->static_lib = li_cc_probe_rels(prefix, lib_rels, "liblockinstr.a");
    env->shared_lib = li_cc_probe_rels(prefix, lib_rels, "liblockinstr.so");
    return; /* an explicit prefix is never mixed with another install */
  }
  env->include = li_cc_dir_of(
      li_cc_probe_rels(env->self_dir, bin_inc, "lockinstr_site.h"));
  env->static_lib = li_cc_probe_rels(env->self_dir, bin_lib, "liblockinstr.a");
  env->shared_lib = li_cc_probe_rels(env->self_dir, bin_lib, "liblockinstr.so");
  if (!env->include &&
      li_cc_exists(LI_CC_BUILD_INCLUDE "/lockinstr_site.h", 0)) {
    env->include = li_cc_cat(LI_CC_BUILD_INCLUDE, NULL, NULL, NULL);
    if (li_cc_exists(LI_CC_BUILD_STATIC, 0))
      env->static_lib = li_cc_cat(LI_CC_BUILD_STATIC, NULL, NULL, NULL);
    if (li_cc_exists(LI_CC_BUILD_SHARED, 0))
      env->shared_lib = li_cc_cat(LI_CC_BUILD_SHARED, NULL, NULL, NULL);
  }
}

/* Forwards a signal to the running child and remembers it. */
static void li_cc_on_signal(int sig) {
  li_cc_signal = sig;
  if (li_cc_child > 0)
    kill(li_cc_child, sig);
}

/* Catches the signals that end a build (^C, make killing its jobs). */
static void li_cc_catch_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  struct sigaction sa;
  size_t i;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = li_cc_on_signal;
  sigemptyset(&sa.sa_mask);
  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    sigaction(sigs[i], &sa, NULL);
}

/* Prints ARGV as one line (LOCKINSTR_CC_VERBOSE). */
static void li_cc_trace(const char *what, char *const *argv) {
  fprintf(stderr, LI_CC_ME ": %s:", what);
  for (; *argv; argv++)
    fprintf(stderr, " %s", *argv);
  fputc('\n', stderr);
}

/*
 * Checks that the rewriter TOOL can be run (a path, or a name searched on
 * PATH as execvp would). Returns NULL if so, else the reason (malloc'd),
 * worded for the warning or strict-mode error that quotes it.
 */
static char *li_cc_tool_problem(const char *tool) {
  const char *path = getenv("PATH");
  char why[512], *tail, *msg;
  if (strchr(tool, '/')) {
    if (access(tool, X_OK) == 0)
      return NULL;
    snprintf(why, sizeof why, "%s", strerror(errno));
  } else {
    while (path && *path) {
      size_t len = strcspn(path, ":");
      char *dir = li_cc_cat(len ? path : ".", NULL, NULL, NULL);
      char *cand;
      dir[len ? len : 1] = '\0';
      cand = li_cc_cat(dir, "/", tool, NULL);
      free(dir);
      if (li_cc_exists(cand, 1)) {
        free(cand);
        return NULL;
      }
      free(cand);
      path += len + (path[len] == ':');
    }
    snprintf(why, sizeof why, "not found on PATH");
  }
  tail = li_cc_cat(why, "; set LOCKINSTR_TOOL or LOCKINSTR_PREFIX", NULL, NULL);
  msg = li_cc_cat("cannot run the rewriter ", tool, ": ", tail);
  free(tail);
  return msg;
}

/*
 * Runs ARGV (searching PATH) and waits for it. OUT_FD / ERR_FD, when >= 0,
 * become the child's stdout / stderr. Returns the wait status; a child
 * that could not be started exits 127 with the reason on its stderr.
 */
static int li_cc_run(char *const *argv, int out_fd, int err_fd) {
  int status = 0;
  pid_t pid = fork();
  if (pid < 0)
    li_cc_die("fork");
  if (pid == 0) {
    if (out_fd >= 0)
      dup2(out_fd, 1);
    if (err_fd >= 0)
      dup2(err_fd, 2);
    execvp(argv[0], argv);
    fprintf(stderr, LI_CC_ME ": error: cannot run %s: %s\n", argv[0],
            strerror(errno));
    _exit(127);
  }
  li_cc_child = pid;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      li_cc_die("waitpid");
  li_cc_child = -1;
  return status;
}

/* nftw callback: removes one entry of the temporary tree. */
static int li_cc_rm_one(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

/* Removes the temporary directory TMP (unless kept). */
static void li_cc_cleanup(const struct li_cc_env *env, const char *tmp) {
  if (!tmp)
    return;
  if (env->keep)
    fprintf(stderr, LI_CC_ME ": kept %s\n", tmp);
  else
    nftw(tmp, li_cc_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Exits the way the child with wait STATUS did (or a caught signal). */
_Noreturn static void li_cc_exit_like(const struct li_cc_env *env,
                                      const char *tmp, int status) {
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : (int)li_cc_signal;
  li_cc_cleanup(env, tmp);
  if (sig) {
    signal(sig, SIG_DFL);
    raise(sig);
    /* cppcheck-suppress unreachableCode ; raise() returns if sig is blocked */
    exit(128 + sig);
  }
  exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

static const char *li_cc_base(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Returns the first "error" line of the rewriter log LOG (malloc'd). */
static char *li_cc_log_reason(const char *log) {
  FILE *f = fopen(log, "r");
  char first[1024] = "";
  if (f) {
    char line[1024];
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\r\n")] = '\0';
      if (!first[0] && line[0])
        snprintf(first, sizeof first, "%s", line);
      if (strstr(line, "error")) {
        snprintf(first, sizeof first, "%s", line);
        break;
      }
    }
    fclose(f);
  }
  return li_cc_cat(first[0] ? first : "lockinstr failed without a message",
                   NULL, NULL, NULL);
}

/* Copies the file LOG to stderr (a rewriter log, captured diagnostics). */
static void li_cc_dump_log(const char *log) {
  FILE *f = fopen(log, "r");
  char buf[4096];
  size_t n;
  if (!f)
    return;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    fwrite(buf, 1, n, stderr);
  fclose(f);
}

/* Creates the private temporary directory. Returns its path (malloc'd),
 * or NULL with errno set. */
static char *li_cc_mktemp(void) {
  const char *base = getenv("LOCKINSTR_CC_TMPDIR");
  char *tmpl;
  if (!base || !base[0])
    base = getenv("TMPDIR");
  if (!base || !base[0])
    base = "/tmp";
  tmpl = li_cc_cat(base, "/lockinstr-cc.XXXXXX", NULL, NULL);
  if (!mkdtemp(tmpl)) {
    free(tmpl);
    return NULL;
  }
  return tmpl;
}

/* Reads the whole first line of FILE (malloc'd; "" if none). */
static char *li_cc_read_line(const char *file) {
  FILE *f = fopen(file, "r");
  char *line = NULL;
  size_t cap = 0;
  if (!f || getline(&line, &cap, f) < 0) {
    free(line);
    line = li_cc_cat("", NULL, NULL, NULL);
  }
  if (f)
    fclose(f);
  return line;
}

/* Returns the nearest directory at or above DIR (normalised absolute)
 * that holds CMakeCache.txt: the top of a CMake build tree, whose
 * Makefile generator compiles from a subdirectory (malloc'd, or NULL). */
static char *li_cc_cmake_top(const char *dir) {
  char *d = li_cc_cat(dir, NULL, NULL, NULL);
  for (;;) {
    char *cache = li_cc_cat(d, "/CMakeCache.txt", NULL, NULL);
    int found = li_cc_exists(cache, 0);
    char *slash;
    free(cache);
    if (found)
      return d;
    slash = strrchr(d, '/');
    if (!slash || slash == d) {
      free(d);
      return NULL;
    }
    *slash = '\0';
  }
}

/*
 * Collects the --header-dir arguments for source SRC_ABS compiled with
 * CMD from ROOT (see cc_paths.h): the command's own include directories
 * outside the root (unless $LOCKINSTR_CC_ROOT fixed the project), and
 * $LOCKINSTR_CC_HEADER_DIRS (colon-separated). Returns a vector for
 * li_cc_free_vec.
 */
static char **li_cc_collect_header_dirs(const struct li_cc_env *env,
                                        const struct li_cc_cmd *cmd,
                                        const char *src_abs, const char *root) {
  char **dirs = NULL, *top = NULL;
  const char *skip[4];
  const char *extra = getenv("LOCKINSTR_CC_HEADER_DIRS");
  int n = 0, k = 0;
  if (env->include)
    skip[k++] = env->include;
  if (!li_path_under(src_abs, env->cwd)) {
    /* an out-of-tree build: the working directory is (in) the build tree,
     * whose generated headers are not the project's own */
    skip[k++] = env->cwd;
    top = li_cc_cmake_top(env->cwd);
    if (top)
      skip[k++] = top;
  }
  skip[k] = NULL;
  if (!env->root_env)
    n = li_cc_header_dirs(cmd->argc, cmd->argv, env->cwd, root, skip, &dirs);
  else
    dirs = calloc(1, sizeof *dirs);
  if (n < 0 || !dirs)
    li_cc_die("out of memory");
  while (extra && *extra) {
    size_t len = strcspn(extra, ":");
    char **nd = realloc(dirs, (size_t)(n + 2) * sizeof *dirs);
    char *one = strndup(extra, len);
    if (!nd || !one)
      li_cc_die("out of memory");
    dirs = nd;
    if (len) {
      dirs[n++] = li_path_abs(one, env->cwd);
      if (!dirs[n - 1])
        li_cc_die("out of memory");
    }
    dirs[n] = NULL;
    free(one);
    extra += len + (extra[len] == ':');
  }
  free(top);
  return dirs;
}

/*
 * Runs the rewriter on input IN (cmd->argv[in->arg]) with the command's
 * own flags into IN->outdir, with the root and header directories of
 * cc_paths.h, so that the project's headers are instrumented into
 * IN->outdir too. Sets IN->ok and IN->incflags (the include flags the
 * rewriter printed for the compile), or IN->reason on failure.
 */
static void li_cc_rewrite_one(const struct li_cc_env *env,
                              const struct li_cc_cmd *cmd, const char *tmp,
                              int k, struct li_cc_input *in) {
  const char *src = cmd->argv[in->arg];
  char num[16], *log, *flags_file, *src_abs, *line, **hdirs, *why;
  char **rv;
  int n = 0, i, fd, ffd, status, nh = 0;
  snprintf(num, sizeof num, "%d", k);
  src_abs = li_path_abs(src, env->cwd);
  if (!src_abs)
    li_cc_die("out of memory");
  in->root = li_cc_pick_root(env->root_env, env->cwd, src_abs);
  if (!in->root)
    li_cc_die("out of memory");
  hdirs = li_cc_collect_header_dirs(env, cmd, src_abs, in->root);
  while (hdirs[nh])
    nh++;
  rv = calloc((size_t)cmd->argc + 16 + 2 * (size_t)nh, sizeof *rv);
  if (!rv)
    li_cc_die("out of memory");
  in->qdir = li_cc_cat(src, NULL, NULL, NULL);
  if (strrchr(in->qdir, '/') == in->qdir)
    in->qdir[1] = '\0'; /* "/x.c" -> "/" */
  else if (strrchr(in->qdir, '/'))
    *strrchr(in->qdir, '/') = '\0';
  else
    memcpy(in->qdir, ".", 2); /* src has at least one character */
  in->outdir = li_cc_cat(tmp, "/", num, NULL);
  /* the rewriter writes OUTDIR/<source relative to the root> */
  in->out = li_cc_cat(in->outdir, "/",
                      src_abs + strlen(in->root) + (strcmp(in->root, "/") != 0),
                      NULL);
  in->map = li_cc_cat("-fdebug-prefix-map=", in->outdir, "=", in->root);
  in->absmap = li_cc_cat("-fdebug-prefix-map=", in->outdir, "/_abs=", NULL);
  log = li_cc_cat(in->outdir, ".log", NULL, NULL);
  flags_file = li_cc_cat(in->outdir, ".flags", NULL, NULL);
  rv[n++] = env->tool;
  rv[n++] = env->verbose ? "--verbose" : "--quiet";
  rv[n++] = "--print-include-flags";
  if (env->config) {
    rv[n++] = "--config";
    rv[n++] = env->config;
  }
  rv[n++] = "--root";
  rv[n++] = in->root;
  for (i = 0; i < nh; i++) {
    rv[n++] = "--header-dir";
    rv[n++] = hdirs[i];
  }
  rv[n++] = "-o";
  rv[n++] = in->outdir;
  rv[n++] = (char *)src;
  rv[n++] = "--";
  for (i = 0; i < cmd->argc; i++)
    if (!cmd->driver[i])
      rv[n++] = cmd->argv[i];
  rv[n] = NULL;
  if (env->verbose)
    li_cc_trace("rewrite", rv);
  fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    li_cc_die(log);
  ffd = open(flags_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (ffd < 0)
    li_cc_die(flags_file);
  why = li_cc_tool_problem(env->tool);
  status = why ? 0 : li_cc_run(rv, ffd, fd);
  close(fd);
  close(ffd);
  in->ok = !why && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           li_cc_exists(in->out, 0);
  if (in->ok) {
    line = li_cc_read_line(flags_file);
    if (li_cc_split_words(line, &in->incflags) < 0)
      li_cc_die("out of memory");
    free(line);
  } else {
    in->reason = why ? why : li_cc_log_reason(log);
  }
  if (!why && (env->verbose || (!in->ok && env->strict)))
    li_cc_dump_log(log); /* verbose: also the calls left uninstrumented */
  li_cc_free_vec(hdirs);
  free(src_abs);
  free(flags_file);
  free(log);
  free(rv);
}

/* An argument vector under construction. */
struct li_cc_argv {
  char **v;
  int n;
};

static void li_cc_push(struct li_cc_argv *a, char *s) {
  a->v[a->n++] = s;
}

/* Appends what a link needs for the runtime (LOCKINSTR_CC_LINK). */
static void li_cc_add_runtime(const struct li_cc_env *env,
                              struct li_cc_argv *a) {
  const char *how = getenv("LOCKINSTR_CC_LINK");
  if (how && strcmp(how, "none") == 0)
    return;
  if (how && strcmp(how, "shared") == 0 && env->shared_lib) {
    char *dir = li_cc_cat(env->shared_lib, NULL, NULL, NULL);
    *strrchr(dir, '/') = '\0';
    li_cc_push(a, li_cc_cat("-L", dir, NULL, NULL));
    li_cc_push(a, li_cc_cat("-Wl,-rpath,", dir, NULL, NULL));
    li_cc_push(a, "-llockinstr");
  } else if (env->static_lib) {
    li_cc_push(a, env->static_lib);
  } else {
    fprintf(stderr,
            LI_CC_ME ": warning: liblockinstr not found (set "
                     "LOCKINSTR_PREFIX); linking without the runtime\n");
    return;
  }
  li_cc_push(a, "-lpthread");
  li_cc_push(a, "-lm");
}

/*
 * Builds the compile command: the compiler command CC[0..ncc), the include
 * flags the rewriter printed for each instrumented source, -iquote for
 * each instrumented source's own directory as written (quoted includes
 * resolve as from the original, and dependency files list them the same
 * way) and, for gcc/clang, -fdebug-prefix-map from its temporary directory
 * to the original's, the arguments with each instrumented source replaced by
 * its rewritten copy, -isystem <lockinstr include>, and the runtime for a
 * link; COLOR adds -fdiagnostics-color=always (the compiler's stderr is
 * captured, but the user's is a terminal). Returns a NULL-terminated vector
 * (malloc'd; strings borrowed).
 */
static char **li_cc_build(const struct li_cc_env *env, char **cc, int ncc,
                          const struct li_cc_cmd *cmd,
                          const struct li_cc_input *in, int nin, int color) {
  struct li_cc_argv a;
  int i, j, any = 0, nflags = 0;
  char **f;
  for (j = 0; j < nin; j++)
    for (f = in[j].ok ? in[j].incflags : NULL; f && *f; f++)
      nflags++;
  a.v = calloc((size_t)(ncc + cmd->argc + 4 * nin + nflags + 16), sizeof *a.v);
  a.n = 0;
  if (!a.v)
    li_cc_die("out of memory");
  for (i = 0; i < ncc; i++)
    li_cc_push(&a, cc[i]);
  if (color)
    li_cc_push(&a, "-fdiagnostics-color=always");
  /* the instrumented headers' directories first: their copies must win
   * over the originals found through the command's own -I */
  for (j = 0; j < nin; j++)
    for (f = in[j].ok ? in[j].incflags : NULL; f && *f; f++)
      li_cc_push(&a, *f);
  for (j = 0; j < nin; j++)
    if (in[j].ok) {
      li_cc_push(&a, "-iquote");
      li_cc_push(&a, in[j].qdir);
      if (env->gnu) { /* gcc: the last matching map wins; clang: the longest */
        li_cc_push(&a, in[j].map);
        li_cc_push(&a, in[j].absmap);
      }
      any = 1;
    }
  for (i = 0; i < cmd->argc; i++) {
    char *arg = cmd->argv[i];
    for (j = 0; j < nin; j++)
      if (in[j].ok && in[j].arg == i)
        arg = in[j].out;
    li_cc_push(&a, arg);
  }
  if (any) {
    li_cc_push(&a, "-isystem");
    li_cc_push(&a, env->include);
  }
  if (cmd->mode == LI_CC_LINK && !cmd->no_runtime)
    li_cc_add_runtime(env, &a);
  a.v[a.n] = NULL;
  return a.v;
}

/* Strips the suffix (after the last '.' of the basename) off PATH. */
static char *li_cc_strip_ext(const char *path) {
  char *s = li_cc_cat(path, NULL, NULL, NULL);
  char *dot = strrchr(s, '.');
  if (dot && dot > s + (li_cc_base(s) - s))
    *dot = '\0';
  return s;
}

/* Fixes one candidate dependency file (see li_cc_fix_deps). */
static void li_cc_fix_one(char *path, const struct li_cc_map *maps, int n) {
  if (li_cc_fix_depfile(path, maps, n) < 0)
    fprintf(stderr, LI_CC_ME ": warning: %s: cannot fix dependency file: %s\n",
            path, strerror(errno));
  free(path);
}

/*
 * Makes the dependency file(s) the compiler wrote name the original
 * sources. The file is -MF's, else (gcc's and clang's rule for -MD) the -o
 * path with its suffix replaced by .d, else each input's basename + .d;
 * gcc 11+ names a compile-and-link's files OUTPUT-INPUT.d. Every candidate
 * that exists is fixed; one without our paths is left untouched.
 */
static void li_cc_fix_deps(const struct li_cc_cmd *cmd,
                           const struct li_cc_input *in, int nin,
                           const char *env_cwd) {
  struct li_cc_map *maps = calloc((size_t)nin * 3 + 1, sizeof *maps);
  char **tofree = calloc((size_t)nin + 1, sizeof *tofree);
  char **tofree2 = calloc((size_t)nin + 1, sizeof *tofree2);
  int n = 0, j;
  if (!maps || !tofree || !tofree2)
    li_cc_die("out of memory");
  for (j = 0; j < nin; j++) {
    if (!in[j].ok)
      continue;
    maps[n++] = (struct li_cc_map){in[j].out, cmd->argv[in[j].arg], 0};
    /* header copies from a --header-dir outside the root: first, since a
     * prefix map applies in order */
    tofree2[j] = li_cc_cat(in[j].outdir, "/_abs/", NULL, NULL);
    maps[n++] =
        (struct li_cc_map){tofree2[j], li_cc_cat("/", NULL, NULL, NULL), 1};
    tofree[j] = li_cc_cat(in[j].outdir, "/", NULL, NULL);
    /* relative when the root is the working directory, as the compiler
     * would have named the originals */
    maps[n++] = (struct li_cc_map){tofree[j],
                                   strcmp(in[j].root, env_cwd) == 0
                                       ? li_cc_cat("", NULL, NULL, NULL)
                                       : li_cc_cat(in[j].root, "/", NULL, NULL),
                                   1};
  }
  if (cmd->depfile) {
    li_cc_fix_one(li_cc_cat(cmd->depfile, NULL, NULL, NULL), maps, n);
  } else if (cmd->output) {
    char *stem = li_cc_strip_ext(cmd->output);
    li_cc_fix_one(li_cc_cat(stem, ".d", NULL, NULL), maps, n);
    for (j = 0; j < nin && cmd->mode == LI_CC_LINK; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(cmd->output, "-", ist, ".d"), maps, n);
      free(ist);
    }
    free(stem);
  } else {
    for (j = 0; j < nin; j++) {
      char *ist = li_cc_strip_ext(li_cc_base(cmd->argv[in[j].arg]));
      li_cc_fix_one(li_cc_cat(ist, ".d", NULL, NULL), maps, n);
      free(ist);
    }
  }
  for (j = 0; j < n; j++)
    if (maps[j].prefix)
      free((char *)maps[j].to);
  for (j = 0; j < nin; j++) {
    free(tofree[j]);
    free(tofree2[j]);
  }
  free(tofree);
  free(tofree2);
  free(maps);
}

/* Prints one warning per source that was compiled without instrumentation. */
static void li_cc_warn_failed(const struct li_cc_cmd *cmd,
                              const struct li_cc_input *in, int nin) {
  int j;
  for (j = 0; j < nin; j++)
    if (!in[j].ok)
      fprintf(stderr,
              LI_CC_ME ": warning: %s: not instrumented, compiled unchanged "
                       "(%s)\n",
              cmd->argv[in[j].arg], in[j].reason);
}

/* In strict mode: reports the sources that failed and exits 1. */
static void li_cc_strict_fail(const struct li_cc_env *env,
                              const struct li_cc_cmd *cmd,
                              const struct li_cc_input *in, int nin,
                              const char *tmp) {
  int j, failed = 0;
  for (j = 0; j < nin; j++)
    if (!in[j].ok) {
      fprintf(stderr,
              LI_CC_ME ": error: %s: could not be instrumented (strict "
                       "mode): %s\n",
              cmd->argv[in[j].arg], in[j].reason);
      failed = 1;
    }
  if (failed) {
    li_cc_cleanup(env, tmp);
    exit(1);
  }
}

/* Replaces the process with ARGV (the compiler, untouched). */
_Noreturn static void li_cc_exec(const struct li_cc_env *env, char **argv) {
  if (env->verbose)
    li_cc_trace("exec", argv);
  execvp(argv[0], argv);
  fprintf(stderr, LI_CC_ME ": error: cannot run %s: %s\n", argv[0],
          strerror(errno));
  exit(127);
}

/* Returns 1 if wait STATUS is a normal exit with status 0. */
static int li_cc_success(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Rewrites every C input of CMD into TMP (or marks them all failed with
 * REASON when TMP could not be made). Returns 1 if any input succeeded. */
static int li_cc_rewrite_all(const struct li_cc_env *env,
                             const struct li_cc_cmd *cmd, const char *tmp,
                             struct li_cc_input *in) {
  int j, ok = 0;
  for (j = 0; j < cmd->n_c_inputs && !li_cc_signal; j++) {
    in[j].arg = cmd->c_inputs[j];
    if (!tmp) {
      in[j].reason = li_cc_cat(
          "cannot create a temporary directory: ", strerror(errno), NULL, NULL);
      continue;
    }
    li_cc_rewrite_one(env, cmd, tmp, j, &in[j]);
    if (in[j].ok && !env->include) {
      in[j].ok = 0;
      in[j].reason = li_cc_cat("lockinstr headers not found; set "
                               "LOCKINSTR_PREFIX",
                               NULL, NULL, NULL);
    }
    ok |= in[j].ok;
  }
  return ok;
}

/* Returns 1 unless the command already says how to colour diagnostics. */
static int li_cc_color_free(const struct li_cc_cmd *cmd) {
  int i;
  for (i = 0; i < cmd->argc; i++)
    if (strstr(cmd->argv[i], "diagnostics-color") ||
        strstr(cmd->argv[i], "color-diagnostics"))
      return 0; /* the user decided */
  return 1;
}

/*
 * Runs the instrumented compile ARGV with its stderr captured in TMP, so
 * that if it fails (a rewriter bug the original does not have) the user
 * does not see diagnostics for code they never wrote. On success the
 * captured warnings are replayed. Returns the wait status.
 */
static int li_cc_run_captured(const struct li_cc_env *env, char **argv,
                              const char *tmp, char **err_path) {
  int fd, status;
  *err_path = li_cc_cat(tmp, "/compile.err", NULL, NULL);
  fd = open(*err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return li_cc_run(argv, -1, -1);
  if (env->verbose)
    li_cc_trace("compile", argv);
  status = li_cc_run(argv, -1, fd);
  close(fd);
  if (li_cc_success(status) || WIFSIGNALED(status))
    li_cc_dump_log(*err_path);
  return status;
}

/*
 * The instrumented compile failed: compiles the original command instead.
 * If that succeeds, the rewriter produced something the compiler rejects:
 * one warning per instrumented file with the first error. If it fails
 * too, the compiler's own diagnostics (of the original) are what the user
 * sees. Returns the wait status of the original compile.
 */
static int li_cc_retry_original(const struct li_cc_env *env, char **cc, int ncc,
                                const struct li_cc_cmd *cmd,
                                struct li_cc_input *in, const char *err_path) {
  char **argv;
  int j, status;
  char *reason = li_cc_log_reason(err_path);
  for (j = 0; j < cmd->n_c_inputs; j++)
    if (in[j].ok) {
      in[j].ok = 0;
      in[j].reason = li_cc_cat(
          "the instrumented file did not compile: ", reason, NULL, NULL);
    }
  free(reason);
  argv = li_cc_build(env, cc, ncc, cmd, in, cmd->n_c_inputs, 0);
  if (env->verbose)
    li_cc_trace("retry unchanged", argv);
  status = li_cc_run(argv, -1, -1);
  free(argv);
  return status;
}

/*
 * Instruments the C inputs of CMD, compiles (and links), fixes the
 * dependency files, and exits like the compiler did. Never returns.
 */
_Noreturn static void li_cc_instrumented(struct li_cc_env *env, char **cc,
                                         int ncc, struct li_cc_cmd *cmd) {
  struct li_cc_input *in = calloc((size_t)cmd->n_c_inputs + 1, sizeof *in);
  char *tmp, **argv, *err_path = NULL;
  int status, ok, color;
  if (!in)
    li_cc_die("out of memory");
  li_cc_locate(env);
  li_cc_catch_signals();
  tmp = li_cc_mktemp();
  ok = li_cc_rewrite_all(env, cmd, tmp, in);
  if (li_cc_signal)
    li_cc_exit_like(env, tmp, 0);
  if (env->strict)
    li_cc_strict_fail(env, cmd, in, cmd->n_c_inputs, tmp);
  color = ok && !env->strict && env->gnu && isatty(2) && li_cc_color_free(cmd);
  argv = li_cc_build(env, cc, ncc, cmd, in, cmd->n_c_inputs, color);
  if (ok && !env->strict) {
    status = li_cc_run_captured(env, argv, tmp, &err_path);
    if (!li_cc_success(status) && !WIFSIGNALED(status) && !li_cc_signal) {
      status = li_cc_retry_original(env, cc, ncc, cmd, in, err_path);
      ok = 0;
    }
  } else {
    if (env->verbose)
      li_cc_trace("compile", argv);
    status = li_cc_run(argv, -1, -1);
  }
  if (li_cc_success(status)) {
    if (ok && (cmd->depgen || cmd->depfile))
      li_cc_fix_deps(cmd, in, cmd->n_c_inputs, env->cwd);
    li_cc_warn_failed(cmd, in, cmd->n_c_inputs);
  }
  free(argv);
  free(err_path);
  li_cc_exit_like(env, tmp, status);
}

static void li_cc_usage(FILE *out) {
  fputs("lockinstr-cc " LI_CC_VERSION "\n"
        "usage: lockinstr-cc [--strict] [--config FILE] COMPILER [ARGS...]\n"
        "Compiles C sources instrumented by lockinstr and links the "
        "lockinstr runtime.\n"
        "  --strict       a source that cannot be instrumented is an error "
        "(also LOCKINSTR_STRICT=1)\n"
        "  --config FILE  the lockinstr configuration file for every source "
        "(also LOCKINSTR_CONFIG;\n"
        "                 default: the nearest .lockinstr above each "
        "source)\n"
        "Environment: LOCKINSTR_TOOL, LOCKINSTR_PREFIX, LOCKINSTR_STRICT, "
        "LOCKINSTR_CONFIG,\n"
        "  LOCKINSTR_CC_ROOT, LOCKINSTR_CC_HEADER_DIRS, "
        "LOCKINSTR_CC_LINK=static|shared|none,\n"
        "  LOCKINSTR_CC_VERBOSE, LOCKINSTR_CC_KEEP, LOCKINSTR_CC_TMPDIR. "
        "See docs/build-integration.md.\n",
        out);
}

/* Sets ENV->config to FILE made absolute, so that it means the same file
 * whatever directory a recursive make compiles from. */
static void li_cc_set_config(struct li_cc_env *env, const char *file) {
  free(env->config);
  env->config = file[0] ? li_path_abs(file, env->cwd) : NULL;
  if (file[0] && !env->config)
    li_cc_die("out of memory");
}

/* Sets ENV->cwd, ->root_env (from LOCKINSTR_CC_ROOT, with symbolic links
 * resolved like getcwd's) and ->config (from LOCKINSTR_CONFIG). */
static void li_cc_init_paths(struct li_cc_env *env) {
  char cwd[4096];
  const char *root = getenv("LOCKINSTR_CC_ROOT");
  const char *config = getenv("LOCKINSTR_CONFIG");
  if (!getcwd(cwd, sizeof cwd))
    li_cc_die("getcwd");
  env->cwd = li_path_abs(cwd, NULL);
  if (!env->cwd)
    li_cc_die("out of memory");
  if (root && root[0]) {
    char *abs = li_path_abs(root, env->cwd), *real;
    if (!abs)
      li_cc_die("out of memory");
    real = realpath(abs, NULL);
    env->root_env = real ? li_path_abs(real, NULL) : abs;
    if (real) {
      free(real);
      free(abs);
    }
  }
  if (config && config[0])
    li_cc_set_config(env, config);
}

/* Returns 1 if NAME's basename is a compiler wrapper that takes the
 * compiler as its first argument (ccache gcc ...). */
static int li_cc_is_wrapper(const char *name) {
  const char *b = li_cc_base(name);
  return strcmp(b, "ccache") == 0 || strcmp(b, "sccache") == 0 ||
         strcmp(b, "distcc") == 0 || strcmp(b, "icecc") == 0;
}

/* Returns 1 if the driver NAME is gcc or clang (cc is gcc on Debian). */
static int li_cc_is_gnu(const char *name) {
  const char *b = li_cc_base(name);
  return strstr(b, "gcc") || strstr(b, "clang") || strcmp(b, "cc") == 0;
}

/* Returns 1 if the driver NAME compiles .c files as C++ (g++, clang++). */
static int li_cc_is_cxx(const char *name) {
  const char *b = li_cc_base(name);
  return strstr(b, "++") != NULL;
}

int main(int argc, char **argv) {
  struct li_cc_env env;
  struct li_cc_cmd cmd;
  char *cc[3];
  int first = 1, ncc = 0, nargs;
  char **all;
  memset(&env, 0, sizeof env);
  li_cc_init_paths(&env);
  for (;;) { /* the launcher's own options, before the compiler */
    if (argc > first && strcmp(argv[first], "--strict") == 0) {
      env.strict = 1;
      first++;
    } else if (argc > first + 1 && strcmp(argv[first], "--config") == 0) {
      li_cc_set_config(&env, argv[first + 1]);
      first += 2;
    } else if (argc > first && strncmp(argv[first], "--config=", 9) == 0) {
      li_cc_set_config(&env, argv[first] + 9);
      first++;
    } else {
      break;
    }
  }
  if (argc > first && strcmp(argv[first], "--help") == 0) {
    li_cc_usage(stdout);
    return 0;
  }
  env.strict |= li_cc_env_on("LOCKINSTR_STRICT");
  env.verbose = li_cc_env_on("LOCKINSTR_CC_VERBOSE");
  env.keep = li_cc_env_on("LOCKINSTR_CC_KEEP");
  env.self_dir = li_cc_self_dir();
  while (argc > first && strcmp(li_cc_base(argv[first]), LI_CC_ME) == 0)
    first++; /* lockinstr-cc lockinstr-cc gcc: once is enough */
  if (argc <= first || argv[first][0] == '-') {
    const char *dflt = getenv("LOCKINSTR_CC");
    cc[ncc++] = (char *)(dflt && dflt[0] ? dflt : "cc");
  } else {
    cc[ncc++] = argv[first++];
    if (li_cc_is_wrapper(cc[0]) && argc > first && argv[first][0] != '-')
      cc[ncc++] = argv[first++];
  }
  env.gnu = li_cc_is_gnu(cc[ncc - 1]);
  nargs = argc - first;
  all = calloc((size_t)(ncc + nargs + 1), sizeof *all);
  if (!all)
    li_cc_die("out of memory");
  memcpy(all, cc, (size_t)ncc * sizeof *all);
  memcpy(all + ncc, argv + first, (size_t)nargs * sizeof *all);
  if (li_cc_classify(nargs, argv + first, &cmd) != 0)
    li_cc_die("out of memory");
  if (li_cc_is_cxx(cc[ncc - 1]))
    cmd.n_c_inputs = 0; /* g++ compiles a .c file as C++: not ours */
  if (cmd.mode == LI_CC_PASS ||
      (cmd.mode == LI_CC_COMPILE && cmd.n_c_inputs == 0)) {
    if (env.verbose && cmd.why_pass)
      fprintf(stderr, LI_CC_ME ": passing through (%s)\n", cmd.why_pass);
    li_cc_exec(&env, all);
  }
  if (cmd.n_c_inputs == 0) { /* a link of objects: add the runtime */
    li_cc_locate(&env);
    li_cc_exec(&env, li_cc_build(&env, cc, ncc, &cmd, NULL, 0, 0));
  }
  free(all); /* only the pass-through paths above use it */
  li_cc_instrumented(&env, cc, ncc, &cmd);
}
