/*
 * cc_args.c — classifies a gcc/clang driver command line for lockinstr-cc.
 *
 * One pass over the arguments, as the driver reads them: options that take
 * their value in the next argument skip it; `-x LANG` changes the language
 * of the inputs that follow; anything that is not an option is an input.
 * The result says whether this is a compile (-c), a link, or a command to
 * pass through untouched, and which inputs are C sources to instrument.
 *
 * Passed through: -E, -S, -M/-MM (dependency output only), -fsyntax-only,
 * -###, --version, -dumpversion, -print-*, no input files, and autoconf's
 * conftest programs (their sources are never instrumented; see
 * docs/build-integration.md). Response files (@FILE) are expanded first,
 * with gcc's quoting rules, so that flags inside them are seen.
 */
#include "cc_args.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LI_CC_RSP_DEPTH
#define LI_CC_RSP_DEPTH 8 /* nested @file levels followed, like gcc */
#endif

/* Options whose value is the next argument when given alone. */
static const char *const li_cc_sep_opts[] = {"-o",
                                             "-x",
                                             "-I",
                                             "-D",
                                             "-U",
                                             "-include",
                                             "-imacros",
                                             "-isystem",
                                             "-idirafter",
                                             "-iquote",
                                             "-iprefix",
                                             "-iwithprefix",
                                             "-iwithprefixbefore",
                                             "-isysroot",
                                             "-imultilib",
                                             "-MF",
                                             "-MT",
                                             "-MQ",
                                             "-MJ",
                                             "-L",
                                             "-l",
                                             "-T",
                                             "-u",
                                             "-e",
                                             "-z",
                                             "-Xlinker",
                                             "-Xassembler",
                                             "-Xpreprocessor",
                                             "-Xclang",
                                             "-aux-info",
                                             "-A",
                                             "-B",
                                             "--sysroot",
                                             "-target",
                                             "--target",
                                             "-arch",
                                             "--param",
                                             "-dumpbase",
                                             "-dumpbase-ext",
                                             "-dumpdir",
                                             "-wrapper",
                                             "-specs",
                                             "-G",
                                             NULL};

/* Options after which the command is passed through untouched. */
static const char *const li_cc_pass_opts[] = {"-E",
                                              "-S",
                                              "-M",
                                              "-MM",
                                              "-fsyntax-only",
                                              "-###",
                                              "--version",
                                              "-dumpversion",
                                              "-dumpfullversion",
                                              "-dumpmachine",
                                              "-dumpspecs",
                                              "--help",
                                              "--target-help",
                                              "-fpreprocessed",
                                              NULL};

/* Linker-only options: the rewriter does not need them. */
static const char *const li_cc_link_opts[] = {
    "-shared",        "-static",        "-pie", "-no-pie",
    "-static-pie",    "-rdynamic",      "-s",   "-nostartfiles",
    "-nodefaultlibs", "-static-libgcc", NULL};

/* Returns 1 if S is one of the NULL-terminated LIST. */
static int li_cc_in(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0)
      return 1;
  return 0;
}

static int li_cc_starts(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

int li_cc_is_stream(const char *path) {
  return strcmp(path, "-") == 0 || li_cc_starts(path, "/dev/");
}

int li_cc_is_c_suffix(const char *path) {
  size_t n = strlen(path);
  return n > 2 && strcmp(path + n - 2, ".c") == 0;
}

/* Returns 1 for autoconf's test programs (conftest.c and friends). */
static int li_cc_is_conftest(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return li_cc_starts(base, "conftest.");
}

/* A growable argument vector. */
struct li_cc_vec {
  char **v;
  int n, cap;
};

/* Appends a copy of S (of length LEN). Returns 0, or -1 out of memory. */
static int li_cc_vec_push(struct li_cc_vec *vec, const char *s, size_t len) {
  if (vec->n + 1 >= vec->cap) {
    int cap = vec->cap ? vec->cap * 2 : 32;
    char **v = realloc(vec->v, (size_t)cap * sizeof *v);
    if (!v)
      return -1;
    vec->v = v;
    vec->cap = cap;
  }
  vec->v[vec->n] = malloc(len + 1);
  if (!vec->v[vec->n])
    return -1;
  memcpy(vec->v[vec->n], s, len);
  vec->v[vec->n][len] = '\0';
  vec->n++;
  return 0;
}

static int li_cc_add_arg(struct li_cc_vec *out, const char *arg, int depth,
                         int *unreadable);

/* Reads a whole file into a NUL-terminated buffer, or returns NULL. */
static char *li_cc_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0, got;
  if (!f)
    return NULL;
  do {
    if (cap - len < 4096) {
      char *nb = realloc(buf, cap + 8192);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
      cap += 8192;
    }
    got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
  } while (got > 0);
  fclose(f);
  buf[len] = '\0';
  return buf;
}

/*
 * Splits response-file text into arguments with gcc's rules (whitespace
 * separates, '…' and "…" quote, backslash escapes the next character) and
 * adds each one (expanding nested @files). Returns 0 or -1 out of memory.
 */
static int li_cc_split_rsp(struct li_cc_vec *out, const char *text, int depth,
                           int *unreadable) {
  size_t cap = strlen(text) + 1, n;
  char *tok = malloc(cap);
  const char *p = text;
  int rc = 0;
  if (!tok)
    return -1;
  while (*p && rc == 0) {
    char quote = 0;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (!*p)
      break;
    for (n = 0; *p && (quote || !strchr(" \t\n\r", *p)); p++) {
      if (*p == '\\' && p[1])
        tok[n++] = *++p;
      else if (quote && *p == quote)
        quote = 0;
      else if (!quote && (*p == '\'' || *p == '"'))
        quote = *p;
      else
        tok[n++] = *p;
    }
    tok[n] = '\0';
    rc = li_cc_add_arg(out, tok, depth + 1, unreadable);
  }
  free(tok);
  return rc;
}

/* Adds ARG to OUT, expanding it if it is a readable @FILE. */
static int li_cc_add_arg(struct li_cc_vec *out, const char *arg, int depth,
                         int *unreadable) {
  char *text;
  int rc;
  if (arg[0] != '@' || !arg[1] || depth > LI_CC_RSP_DEPTH)
    return li_cc_vec_push(out, arg, strlen(arg));
  text = li_cc_slurp(arg + 1);
  if (!text) {
    *unreadable = 1; /* the driver will report it; we do not guess */
    return li_cc_vec_push(out, arg, strlen(arg));
  }
  rc = li_cc_split_rsp(out, text, depth, unreadable);
  free(text);
  return rc;
}

/* Records input argv[i] (in language LANG, NULL = by suffix) in CMD. */
static void li_cc_note_input(struct li_cc_cmd *cmd, int i, const char *lang) {
  const char *a = cmd->argv[i];
  int is_c = lang ? strcmp(lang, "c") == 0 : li_cc_is_c_suffix(a);
  cmd->driver[i] = 1;
  if (li_cc_is_stream(a))
    cmd->n_streams++;
  else if (is_c && !li_cc_is_conftest(a))
    cmd->c_inputs[cmd->n_c_inputs++] = i;
}

/* State of one pass over the arguments. */
struct li_cc_scan {
  const char *lang; /* current -x language, NULL = by suffix */
  int inputs;       /* every input, C or not */
  int compile_only; /* -c seen */
};

/*
 * Handles option argv[*i] (which starts with '-'); advances *i past a
 * separate value. Returns the reason to pass the command through, or NULL.
 */
static const char *li_cc_option(struct li_cc_cmd *cmd, int *i,
                                struct li_cc_scan *s) {
  const char *a = cmd->argv[*i];
  int has_next = *i + 1 < cmd->argc;
  if (li_cc_in(a, li_cc_pass_opts) || li_cc_starts(a, "-print-"))
    return a;
  if (strcmp(a, "-c") == 0) {
    s->compile_only = 1;
    cmd->driver[*i] = 1;
  } else if (strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0) {
    cmd->depgen = 1;
    cmd->driver[*i] = 1;
  } else if (strcmp(a, "-MP") == 0 || strcmp(a, "-MG") == 0) {
    cmd->phony |= a[2] == 'P';
    cmd->driver[*i] = 1;
  } else if (li_cc_starts(a, "-Wp,-MD,") || li_cc_starts(a, "-Wp,-MMD,")) {
    cmd->depgen = 1;
    cmd->depfile = strchr(a + 4, ',') + 1;
    cmd->driver[*i] = 1;
  } else if (strcmp(a, "-nostdlib") == 0 || strcmp(a, "-r") == 0) {
    cmd->no_runtime = 1;
  } else if (li_cc_in(a, li_cc_link_opts) || li_cc_starts(a, "-Wl,") ||
             (li_cc_starts(a, "-l") && a[2]) ||
             (li_cc_starts(a, "-L") && a[2])) {
    cmd->driver[*i] = 1;
  } else if (li_cc_starts(a, "-x") && a[2]) {
    s->lang = strcmp(a + 2, "none") == 0 ? NULL : a + 2;
    cmd->driver[*i] = 1;
  } else if ((li_cc_starts(a, "-o") || li_cc_starts(a, "-MF")) &&
             a[a[1] == 'o' ? 2 : 3]) {
    if (a[1] == 'o')
      cmd->output = a + 2;
    else
      cmd->depfile = a + 3;
    cmd->driver[*i] = 1;
  } else if ((li_cc_starts(a, "-MT") || li_cc_starts(a, "-MQ")) && a[3]) {
    cmd->driver[*i] = 1;
  } else if (li_cc_in(a, li_cc_sep_opts) && has_next) {
    const char *v = cmd->argv[*i + 1];
    int drv = strcmp(a, "-o") == 0 || strcmp(a, "-x") == 0 ||
              li_cc_starts(a, "-M") || strcmp(a, "-L") == 0 ||
              strcmp(a, "-l") == 0 || strcmp(a, "-Xlinker") == 0 ||
              strcmp(a, "-T") == 0 || strcmp(a, "-z") == 0 ||
              strcmp(a, "-u") == 0 || strcmp(a, "-e") == 0;
    if (strcmp(a, "-o") == 0)
      cmd->output = v;
    else if (strcmp(a, "-MF") == 0)
      cmd->depfile = v;
    else if (strcmp(a, "-x") == 0)
      s->lang = strcmp(v, "none") == 0 ? NULL : v;
    cmd->driver[*i] = cmd->driver[*i + 1] = (unsigned char)drv;
    (*i)++;
  }
  return NULL;
}

/* Walks the expanded arguments and fills the classification of CMD. */
static void li_cc_scan_args(struct li_cc_cmd *cmd, int unreadable) {
  struct li_cc_scan s = {NULL, 0, 0};
  const char *why = unreadable ? "unreadable response file" : NULL;
  int i;
  for (i = 0; i < cmd->argc && !why; i++) {
    const char *a = cmd->argv[i];
    if (a[0] != '-' || strcmp(a, "-") == 0) {
      li_cc_note_input(cmd, i, s.lang);
      s.inputs++;
    } else {
      why = li_cc_option(cmd, &i, &s);
    }
  }
  if (!why && s.inputs == 0)
    why = "no input files";
  cmd->x_lang = s.lang;
  if (why) {
    cmd->mode = LI_CC_PASS;
    cmd->why_pass = why;
    cmd->n_c_inputs = 0;
  } else {
    cmd->mode = s.compile_only ? LI_CC_COMPILE : LI_CC_LINK;
  }
}

int li_cc_classify(int argc, char **argv, struct li_cc_cmd *cmd) {
  struct li_cc_vec vec = {NULL, 0, 0};
  int i, unreadable = 0;
  assert(argc >= 0);
  memset(cmd, 0, sizeof *cmd);
  for (i = 0; i < argc; i++)
    if (li_cc_add_arg(&vec, argv[i], 0, &unreadable) != 0)
      goto oom;
  if (!vec.v && !(vec.v = malloc(sizeof *vec.v)))
    goto oom;
  vec.v[vec.n] = NULL;
  cmd->argc = vec.n;
  cmd->argv = vec.v;
  cmd->c_inputs = calloc((size_t)vec.n + 1, sizeof *cmd->c_inputs);
  cmd->driver = calloc((size_t)vec.n + 1, 1);
  if (!cmd->c_inputs || !cmd->driver) {
    li_cc_cmd_free(cmd);
    return -1;
  }
  li_cc_scan_args(cmd, unreadable);
  return 0;
oom:
  cmd->argc = vec.n;
  cmd->argv = vec.v;
  li_cc_cmd_free(cmd);
  return -1;
}

void li_cc_cmd_free(struct li_cc_cmd *cmd) {
  int i;
  for (i = 0; cmd->argv && i < cmd->argc; i++)
    free(cmd->argv[i]);
  free(cmd->argv);
  free(cmd->c_inputs);
  free(cmd->driver);
  memset(cmd, 0, sizeof *cmd);
}
