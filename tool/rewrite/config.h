/*
 * config.h — the lockinstr configuration file (.lockinstr) and the command
 * line's exclusion options.
 *
 * A configuration is read from `--config FILE`, or found from each input's
 * directory upward (the nearest `.lockinstr`, stopping at a directory that
 * holds `.git` or at `/`). It is an INI-like text file parsed here by hand
 * (see docs/configuration.md):
 *
 *   [exclude]             path = GLOB, function = NAME-GLOB
 *   [runtime]             sample_rate, output, quiet
 *   [api NAME]            a custom lock API: kind, lock (a number, none,
 *                         return, global NAME), success, mode, try,
 *                         try_success, class
 *
 * Everything is validated while parsing: a bad file gives compiler-style
 * errors (`lockinstr: FILE:LINE: error: ...`) and the run writes nothing.
 * The command line's --exclude / --exclude-function are merged into every
 * file's configuration (li_config_merge), so the rewriter sees one object.
 * No libclang here: the parser and the glob matcher are unit-tested alone.
 */
#ifndef LI_CONFIG_H
#define LI_CONFIG_H

#include <stddef.h>

struct li_buf; /* text.h */

/* The file name looked for in each directory. */
#ifndef LI_CONFIG_NAME
#define LI_CONFIG_NAME ".lockinstr"
#endif

/* [runtime] output must be shorter than this: the runtime's limit for a
 * pattern (lockinstr_set_default_output refuses longer ones). */
#define LI_CONFIG_OUTPUT_MAX 4096

/* How a custom API signals success (the built-in table's ZERO/THRD/NONE
 * plus NONZERO for a bool-returning trylock). */
enum li_csuccess {
  LI_CS_ZERO,    /* returns 0 on success */
  LI_CS_NONZERO, /* returns non-zero (true) on success */
  LI_CS_VOID,    /* returns nothing: always succeeds */
  LI_CS_THRD,    /* returns thrd_success on success */
};

/* Where a custom API's lock comes from (`lock = ...`). */
enum li_lock_from {
  LI_LOCK_DEFAULT, /* not given: argument 1, or none for a function
                      without parameters */
  LI_LOCK_ARG,     /* lock = N: argument lock_arg */
  LI_LOCK_NONE,    /* lock = none: the built-in lock its body takes */
  LI_LOCK_RETURN,  /* lock = return: the pointer the call returns */
  LI_LOCK_GLOBAL,  /* lock = global NAME: one lock of that name */
};

/* A lock API declared in a configuration file: [api NAME]. */
struct li_custom_api {
  char *name;      /* the function */
  int kind;        /* enum lockinstr_kind */
  int mode;        /* enum lockinstr_mode: EXCL, READ or WRITE */
  int lock_arg;    /* 0-based index of the lock argument */
  int lock_from;   /* enum li_lock_from */
  char *global;    /* LI_LOCK_GLOBAL: the lock's name */
  char *lock_class; /* class = NAME: the sites' lock class, or NULL */
  int success;     /* enum li_csuccess; -1: from the return type (void:
                      VOID, else ZERO) */
  char *try_fn;    /* ACQUIRE/TIMED: the try call probed first, or NULL */
  int try_success; /* enum li_csuccess of try_fn */
  char *origin;    /* "FILE:LINE" of its [api] line, for messages */
};

/* An exclusion: a path glob, or a function-name glob. */
struct li_exclude {
  char *glob;
  char *base;   /* paths: absolute directory the glob is relative to */
  char *origin; /* "FILE:LINE", or "--exclude" / "--exclude-function" */
};

struct li_config {
  char *path; /* the file as it is displayed, or NULL (command line only) */
  struct li_exclude *paths;
  size_t npaths;
  struct li_exclude *functions;
  size_t nfunctions;
  struct li_custom_api *apis;
  size_t napis;
  long sample_rate; /* [runtime] sample_rate, or -1 when not set */
  char *rt_output;  /* [runtime] output pattern, or NULL when not set */
  int rt_quiet;     /* [runtime] quiet: 0/1, or -1 when not set */
};

/* Parses text[0..len) read from file `path` (displayed as given) whose
 * directory is `dir` (absolute) into *cfg. Returns 0; or the number of
 * errors, each appended to *err as a full line, *cfg then holds what was
 * parsed and must still be freed. */
int li_config_parse(const char *path, const char *dir, const char *text,
                    size_t len, struct li_config *cfg, struct li_buf *err);

/* Reads and parses file `path` (absolute `abs`). Returns 0 or the number of
 * errors (appended to *err). */
int li_config_load(const char *path, const char *abs, struct li_config *cfg,
                   struct li_buf *err);

/* Returns the absolute path of the configuration that applies to the file
 * whose absolute directory is `dir`: the nearest regular file named
 * LI_CONFIG_NAME in dir or above, not above a directory holding `.git`;
 * NULL if none. Caller frees. */
char *li_config_find(const char *dir);

/* Adds an exclusion to cfg (functions != 0: a function glob). */
void li_config_add_exclude(struct li_config *cfg, int functions,
                           const char *glob, const char *base,
                           const char *origin);

/* Makes *out a deep copy of a (may be NULL: empty) with the exclusions of
 * b appended. */
void li_config_merge(const struct li_config *a, const struct li_config *b,
                     struct li_config *out);

void li_config_free(struct li_config *cfg);

/* Returns the exclusion matching absolute normalised path `abs`, or NULL. */
const struct li_exclude *li_config_excluded_path(const struct li_config *cfg,
                                                 const char *abs);

/* Returns the exclusion matching function name `fn`, or NULL. */
const struct li_exclude *
li_config_excluded_function(const struct li_config *cfg, const char *fn);

/* Returns the index of the custom API named name, or -1. */
int li_config_find_api(const struct li_config *cfg, const char *name);

/* Returns 1 if fn is a custom API of cfg or the try function of one: the
 * calls inside its definition are the lock's own implementation. */
int li_config_is_lock_impl(const struct li_config *cfg, const char *fn);

/* Matches a path glob against a relative path: `*` and `?` stay within
 * one path component, `[...]` is a class, `**` matches any number of
 * components; a glob without `/` matches the last component at any depth;
 * a glob matching a directory matches everything under it. */
int li_glob_match_path(const char *glob, const char *rel);

#endif /* LI_CONFIG_H */
