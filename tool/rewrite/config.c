/*
 * config.c — see config.h.
 *
 * The parser reads one line at a time: blank lines and `#` comments are
 * skipped, `[section]` switches the section, anything else must be
 * `key = value` (a ` #` after the value starts a comment). Each key is
 * checked against its section's table of keys as it is read; an [api]
 * section is checked as a whole when the next section starts or the file
 * ends (it needs a kind, and some keys only make sense with some kinds).
 * Every error is reported, with its line, before the caller gives up.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apis.h"
#include "text.h"
#include "lockinstr_api.h"
#include "paths.h"

enum section { S_NONE, S_EXCLUDE, S_RUNTIME, S_API, S_BAD };

/* The parser's state. */
struct parser {
  const char *path, *dir;
  struct li_config *cfg;
  struct li_buf *err;
  int errors;
  unsigned line;
  enum section sec;
  struct li_custom_api *api; /* the [api] being read, or NULL */
  unsigned api_line;
  unsigned seen[8]; /* line of each [api] key seen (0 = not seen) */
  unsigned rt_seen[3];
};

/* Appends `lockinstr: PATH:LINE: error: MSG` to the error buffer; frees
 * msg (made with li_xasprintf by the caller). */
static void cfg_error(struct parser *p, char *msg) {
  li_buf_printf(p->err, "lockinstr: %s:%u: error: %s\n", p->path, p->line, msg);
  free(msg);
  p->errors++;
}

/* ---- words ------------------------------------------------------------- */

static int is_ident(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return 0;
  for (s++; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

/* An identifier that may hold the glob characters * ? [ ] !. */
static int is_ident_glob(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!strchr("*?[]!_", *s) &&
        !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

/* Returns the index of word in the NULL-terminated list, or -1. */
static int word_index(const char *const *list, const char *word) {
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], word) == 0)
      return i;
  return -1;
}

/* The words of lockinstr_api.h's kinds and modes (a configured API's mode
 * is never ANY: its runtime needs a mode it can record). */
static const char *const kind_words[] = {LOCKINSTR_KINDS(LOCKINSTR_WORD) NULL};
static const char *const mode_words[] = {LOCKINSTR_MODES(LOCKINSTR_WORD) NULL};
/* enum li_csuccess, then "nonnull": a pointer's non-zero */
static const char *const success_words[] = {"zero", "nonzero", "void",
                                            "thrd", "nonnull", NULL};
#define LI_CS_NONNULL_ 4 /* the index of "nonnull" in success_words */
static const char *const api_keys[] = {"kind", "lock",        "success", "mode",
                                       "try",  "try_success", "class",   NULL};
static const char *const rt_keys[] = {"sample_rate", "output", "quiet", NULL};

/* The first n words of list, ", "-separated (for messages; owned by the
 * caller). */
static char *word_list(const char *const *list, int n) {
  struct li_buf b = {0};
  for (int i = 0; i < n; i++)
    li_buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
  return li_buf_take(&b);
}

/* Parses a boolean as the runtime's environment does; -1 if not one. */
static int parse_bool(const char *v) {
  static const char *const yes[] = {"1", "yes", "true", "on", NULL};
  static const char *const no[] = {"0", "no", "false", "off", NULL};
  return word_index(yes, v) >= 0 ? 1 : word_index(no, v) >= 0 ? 0 : -1;
}

/* Parses a whole decimal number in [lo, hi]; -1 if it is not one. */
static long parse_num(const char *v, long lo, long hi) {
  char *end;
  if (*v < '0' || *v > '9')
    return -1;
  errno = 0;
  long n = strtol(v, &end, 10);
  return *end || errno || n < lo || n > hi ? -1 : n;
}

/* ---- [exclude] and [runtime] ------------------------------------------ */

static char *origin(struct parser *p) {
  return li_xasprintf("%s:%u", p->path, p->line);
}

/* Returns 1 if path glob g has a `..` component. */
static int has_dotdot(const char *g) {
  for (const char *s = g; (s = strstr(s, "..")) != NULL; s += 2)
    if ((s == g || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
      return 1;
  return 0;
}

/* Warns (not an error of the file) when path glob G can match nothing:
 * its leading literal components name nothing in the configuration file's
 * directory (the usual cause: a --config file outside the source tree). */
static void warn_unmatched(const struct parser *p, const char *g) {
  size_t k = strcspn(g, "*?[");
  while (k > 0 && g[k] && g[k - 1] != '/')
    k--; /* only whole components: "src/a*" looks for "src/" */
  if (k == 0)
    return;
  char *lit =
      li_xasprintf("%s/%.*s", strcmp(p->dir, "/") ? p->dir : "", (int)k, g);
  struct stat st;
  if (stat(lit, &st) != 0)
    fprintf(stderr,
            "lockinstr: %s:%u: warning: [exclude] path '%s' matches nothing: "
            "globs are relative to the configuration file's directory, and "
            "%s does not exist\n",
            p->path, p->line, g, lit);
  free(lit);
}

static void exclude_key(struct parser *p, const char *key, const char *v) {
  char *o = origin(p);
  if (strcmp(key, "path") == 0) {
    if (has_dotdot(v))
      cfg_error(
          p, li_xasprintf(
                 "path glob '%s' has a '..' component: globs are relative to "
                 "the directory of the configuration file",
                 v));
    else
      li_config_add_exclude(p->cfg, 0, v, p->dir, o), warn_unmatched(p, v);
  } else if (strcmp(key, "function") == 0) {
    if (!is_ident_glob(v))
      cfg_error(p,
                li_xasprintf(
                    "function '%s' is not a function name (letters, digits, _ "
                    "and the glob characters * ? [ ])",
                    v));
    else
      li_config_add_exclude(p->cfg, 1, v, NULL, o);
  } else {
    cfg_error(
        p, li_xasprintf("unknown key '%s' in [exclude] (keys: path, function)",
                        key));
  }
  free(o);
}

static void runtime_key(struct parser *p, const char *key, const char *v) {
  int k = word_index(rt_keys, key);
  if (k < 0) {
    cfg_error(
        p,
        li_xasprintf(
            "unknown key '%s' in [runtime] (keys: sample_rate, output, quiet)",
            key));
    return;
  }
  if (p->rt_seen[k]) {
    cfg_error(p,
              li_xasprintf("'%s' is set twice in [runtime] (first at line %u)",
                           key, p->rt_seen[k]));
    return;
  }
  p->rt_seen[k] = p->line;
  struct li_config *c = p->cfg;
  if (k == 0 && (c->sample_rate = parse_num(v, 0, 1000000000L)) < 0)
    cfg_error(p, li_xasprintf(
                     "sample_rate '%s' is not a whole number from 0 (off) to "
                     "1000000000",
                     v));
  if (k == 1 && strlen(v) >= LI_CONFIG_OUTPUT_MAX)
    cfg_error(p, li_xasprintf("output is longer than %d bytes",
                              LI_CONFIG_OUTPUT_MAX - 1));
  else if (k == 1)
    c->rt_output = li_xstrdup(v);
  if (k == 2 && (c->rt_quiet = parse_bool(v)) < 0)
    cfg_error(
        p, li_xasprintf(
               "quiet '%s' is not a boolean (1/0, yes/no, true/false, on/off)",
               v));
}

/* ---- [api NAME] -------------------------------------------------------- */

/* Starts [api NAME]. */
static void api_begin(struct parser *p, const char *name) {
  struct li_config *c = p->cfg;
  p->sec = S_BAD; /* unless it is good */
  if (!is_ident(name)) {
    cfg_error(p, li_xasprintf("'%s' is not a function name", name));
    return;
  }
  if (li_api_find(name, strlen(name)) >= 0) {
    cfg_error(
        p, li_xasprintf("'%s' is a built-in lock API; it cannot be redefined",
                        name));
    return;
  }
  int i = li_config_find_api(c, name);
  if (i >= 0) {
    cfg_error(p, li_xasprintf("[api %s] is defined twice (first at %s)", name,
                              c->apis[i].origin));
    return;
  }
  c->apis = li_xrealloc(c->apis, (c->napis + 1) * sizeof *c->apis);
  p->api = &c->apis[c->napis++];
  *p->api = (struct li_custom_api){.name = li_xstrdup(name),
                                   .kind = -1,
                                   .mode = LOCKINSTR_MODE_EXCL,
                                   .success = -1,
                                   .try_success = -1,
                                   .origin = origin(p)};
  memset(p->seen, 0, sizeof p->seen);
  p->api_line = p->line;
  p->sec = S_API;
}

/* Reports "unknown <what> '<v>' (<intro><the first n words of list>)".
 * Returns -1. */
static int bad_word(struct parser *p, const char *what, const char *v,
                    const char *intro, const char *const *list, int n) {
  char *words = word_list(list, n);
  cfg_error(p, li_xasprintf("unknown %s '%s' (%s%s)", what, v, intro, words));
  free(words);
  return -1;
}

/* Sets `lock` of API a: an argument number, `none`, `return` or
 * `global NAME`. Returns 0, or -1 after an error. */
static int lock_value(struct parser *p, struct li_custom_api *a,
                      const char *v) {
  int i;
  if (strcmp(v, "none") == 0 || strcmp(v, "return") == 0) {
    a->lock_from = *v == 'n' ? LI_LOCK_NONE : LI_LOCK_RETURN;
    return 0;
  }
  if (strncmp(v, "global", 6) == 0 && (v[6] == ' ' || v[6] == '\t')) {
    const char *name = v + 7;
    while (*name == ' ' || *name == '\t')
      name++;
    if (is_ident(name)) {
      a->lock_from = LI_LOCK_GLOBAL;
      a->global = li_xstrdup(name);
      return 0;
    }
  } else if ((i = (int)parse_num(v, 1, 16)) > 0) {
    a->lock_arg = i - 1;
    a->lock_from = LI_LOCK_ARG;
    return 0;
  }
  cfg_error(p, li_xasprintf("lock '%s' is not an argument number from 1 to "
                            "16, none, return or global NAME",
                            v));
  return -1;
}

/* Sets `class` of API a: a class name as the profile shows it, letters,
 * digits, _ . [ ] (`item_locks[]`, `struct conn.lock`). Returns 0 or -1. */
static int class_value(struct parser *p, struct li_custom_api *a,
                       const char *v) {
  for (const char *s = v; *s; s++)
    if (!strchr("_.[] ", *s) &&
        !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9'))) {
      cfg_error(p, li_xasprintf("class '%s' is not a lock class name "
                                "(letters, digits, _ . [ ] and blanks)",
                                v));
      return -1;
    }
  a->lock_class = li_xstrdup(v);
  return 0;
}

/* Sets one key of the current [api]. Returns 0, or -1 after an error. */
static int api_value(struct parser *p, int k, const char *v) {
  struct li_custom_api *a = p->api;
  int i;
  switch (k) {
  case 0:
    if ((a->kind = word_index(kind_words, v)) >= 0)
      return 0;
    return bad_word(p, "kind", v, "kinds: ", kind_words, LOCKINSTR_KIND_COUNT);
  case 1:
    return lock_value(p, a, v);
  case 2:
  case 5:
    if ((i = word_index(success_words, v)) < 0) {
      cfg_error(p, li_xasprintf("unknown success convention '%s' (zero, "
                                "nonzero, void, thrd, nonnull)",
                                v));
      return -1;
    }
    *(k == 2 ? &a->success : &a->try_success) =
        i == LI_CS_NONNULL_ ? LI_CS_NONZERO : i;
    return 0;
  case 6:
    return class_value(p, a, v);
  case 3:
    a->mode = word_index(mode_words, v);
    if (a->mode >= 0 && a->mode != LOCKINSTR_MODE_ANY)
      return 0;
    return bad_word(p, "mode", v, "", mode_words, LOCKINSTR_MODE_ANY);
  default:
    if (is_ident(v) && strcmp(v, a->name) != 0) {
      a->try_fn = li_xstrdup(v);
      return 0;
    }
    cfg_error(p, li_xasprintf(
                     "try function '%s' is not a function name other than %s",
                     v, a->name));
    return -1;
  }
}

static void api_key(struct parser *p, const char *key, const char *v) {
  int k = word_index(api_keys, key);
  if (k < 0) {
    cfg_error(
        p, li_xasprintf(
               "unknown key '%s' in [api %s] (keys: kind, lock, success, mode, "
               "try, try_success, class)",
               key, p->api->name));
    return;
  }
  if (p->seen[k]) {
    cfg_error(p,
              li_xasprintf("'%s' is set twice in [api %s] (first at line %u)",
                           key, p->api->name, p->seen[k]));
    return;
  }
  p->seen[k] = p->line;
  api_value(p, k, v);
}

static void no_kind(struct parser *p, const char *api) {
  char *words = word_list(kind_words, LOCKINSTR_KIND_COUNT);
  cfg_error(p, li_xasprintf("[api %s] has no kind (%s)", api, words));
  free(words);
}

/* Checks API a's `lock` against its kind and `try`. */
static void lock_end(struct parser *p, struct li_custom_api *a) {
  int k = a->kind, from = a->lock_from;
  int takes = k == LOCKINSTR_KIND_ACQUIRE || k == LOCKINSTR_KIND_TIMED ||
              k == LOCKINSTR_KIND_TRY;
  if (from == LI_LOCK_RETURN && !takes && k != LOCKINSTR_KIND_INIT)
    cfg_error(p, li_xasprintf("[api %s]: 'lock = return' is only for kind "
                              "acquire, timed, try or init",
                              a->name));
  else if ((from == LI_LOCK_NONE || from == LI_LOCK_GLOBAL) && !takes &&
           k != LOCKINSTR_KIND_RELEASE)
    cfg_error(p, li_xasprintf("[api %s]: a lock that is no argument is only "
                              "for kind acquire, timed, try or release",
                              a->name));
  else if (a->try_fn && (from == LI_LOCK_RETURN || from == LI_LOCK_NONE))
    cfg_error(p, li_xasprintf("[api %s]: 'try' needs the lock before the "
                              "call: a lock argument or 'lock = global NAME'",
                              a->name));
  else if (from == LI_LOCK_RETURN && a->success < 0)
    a->success = LI_CS_NONZERO; /* a pointer: NULL is the failure */
}

/* Checks the [api] just read as a whole (errors at its [api] line). */
static void api_end(struct parser *p) {
  struct li_custom_api *a = p->api;
  if (!a)
    return;
  p->api = NULL;
  unsigned save = p->line;
  p->line = p->api_line;
  int k = a->kind;
  int probe = k == LOCKINSTR_KIND_ACQUIRE || k == LOCKINSTR_KIND_TIMED ||
              k == LOCKINSTR_KIND_SEMWAIT;
  if (!p->seen[0])
    no_kind(p, a->name);
  else if (k < 0)
    ; /* reported */
  else if (a->success == LI_CS_VOID &&
           (k == LOCKINSTR_KIND_TRY || k == LOCKINSTR_KIND_TIMED ||
            k == LOCKINSTR_KIND_SEMTRY))
    cfg_error(
        p, li_xasprintf(
               "[api %s]: a %s call must return its outcome (success = zero, "
               "nonzero or thrd)",
               a->name, kind_words[k]));
  else if (p->seen[4] && !probe)
    cfg_error(p, li_xasprintf("[api %s]: 'try' is only for kind acquire, timed "
                              "or semwait",
                              a->name));
  else if (p->seen[4] && a->success == LI_CS_NONZERO)
    cfg_error(p,
              li_xasprintf(
                  "[api %s]: 'try' needs an acquire that returns void, zero or "
                  "thrd_success on success",
                  a->name));
  else if (p->seen[5] && !p->seen[4])
    cfg_error(p,
              li_xasprintf("[api %s]: 'try_success' without 'try'", a->name));
  else if (p->seen[5] && a->try_success == LI_CS_VOID)
    cfg_error(p,
              li_xasprintf("[api %s]: a try function must return its outcome "
                           "(try_success = zero, nonzero or thrd)",
                           a->name));
  else
    lock_end(p, a);
  if (a->try_fn && a->try_success < 0)
    a->try_success =
        a->success < 0 || a->success == LI_CS_VOID ? LI_CS_ZERO : a->success;
  p->line = save;
}

/* ---- lines ------------------------------------------------------------- */

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Cuts a ` #` comment off a value. */
static void cut_comment(char *v) {
  for (char *s = v; *s; s++)
    if (*s == '#' && s > v && (s[-1] == ' ' || s[-1] == '\t')) {
      *s = '\0';
      break;
    }
}

static void section_line(struct parser *p, char *s) {
  api_end(p);
  char *close = strchr(s, ']');
  if (!close || *trim(close + 1)) {
    cfg_error(p, li_xasprintf("expected '[section]'"));
    p->sec = S_BAD;
    return;
  }
  *close = '\0';
  char *name = trim(s + 1);
  if (strcmp(name, "exclude") == 0)
    p->sec = S_EXCLUDE;
  else if (strcmp(name, "runtime") == 0)
    p->sec = S_RUNTIME;
  else if (strncmp(name, "api", 3) == 0 && (name[3] == ' ' || name[3] == '\t'))
    api_begin(p, trim(name + 3));
  else {
    cfg_error(
        p, li_xasprintf("unknown section [%s] (sections: [exclude], [runtime], "
                        "[api NAME])",
                        name));
    p->sec = S_BAD;
  }
}

static void key_line(struct parser *p, char *s) {
  char *eq = strchr(s, '=');
  if (!eq) {
    cfg_error(p, li_xasprintf("expected 'key = value'"));
    return;
  }
  *eq = '\0';
  char *key = trim(s), *v = eq + 1;
  cut_comment(v);
  v = trim(v);
  if (!*key) {
    cfg_error(p, li_xasprintf("expected 'key = value'"));
    return;
  }
  if (!*v) {
    cfg_error(p, li_xasprintf("'%s' needs a value", key));
    return;
  }
  switch (p->sec) {
  case S_NONE:
    cfg_error(
        p, li_xasprintf(
               "'%s' is outside a section ([exclude], [runtime], [api NAME])",
               key));
    break;
  case S_EXCLUDE:
    exclude_key(p, key, v);
    break;
  case S_RUNTIME:
    runtime_key(p, key, v);
    break;
  case S_API:
    api_key(p, key, v);
    break;
  case S_BAD: /* the section's header was already reported */
    break;
  }
}

static void parse_line(struct parser *p, char *s) {
  s = trim(s);
  if (!*s || *s == '#')
    return;
  if (*s == '[')
    section_line(p, s);
  else
    key_line(p, s);
}

int li_config_parse(const char *path, const char *dir, const char *text,
                    size_t len, struct li_config *cfg, struct li_buf *err) {
  memset(cfg, 0, sizeof *cfg);
  cfg->path = li_xstrdup(path);
  cfg->sample_rate = -1;
  cfg->rt_quiet = -1;
  struct parser p = {path, dir, cfg, err, 0, 0, S_NONE, NULL, 0, {0}, {0}};
  for (size_t at = 0; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) : len;
    p.line++;
    char *line = li_xstrndup(text + at, end - at);
    if (strlen(line) != end - at)
      cfg_error(&p, li_xasprintf("NUL byte in the line"));
    else
      parse_line(&p, line);
    free(line);
    at = end + 1;
  }
  api_end(&p);
  return p.errors;
}

int li_config_load(const char *path, const char *abs, struct li_config *cfg,
                   struct li_buf *err) {
  memset(cfg, 0, sizeof *cfg);
  FILE *f = fopen(abs, "rb");
  struct li_buf b = {0};
  char chunk[4096];
  size_t n;
  if (!f) {
    li_buf_printf(err,
                  "lockinstr: %s: error: cannot read the configuration: "
                  "%s\n",
                  path, strerror(errno));
    return 1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    li_buf_add(&b, chunk, n);
  fclose(f);
  char *dir = li_path_dir(abs);
  int rc = li_config_parse(path, dir, b.s ? b.s : "", b.n, cfg, err);
  free(dir);
  li_buf_free(&b);
  return rc;
}

/* ---- discovery --------------------------------------------------------- */

char *li_config_find(const char *dir) {
  static const char *const names[] = {LI_CONFIG_NAME, NULL};
  char *d = li_path_find_up(dir, names, 0, ".git");
  char *r =
      d ? li_xasprintf("%s/%s", strcmp(d, "/") ? d : "", LI_CONFIG_NAME) : NULL;
  free(d);
  return r;
}

/* ---- the object -------------------------------------------------------- */

void li_config_add_exclude(struct li_config *cfg, int functions,
                           const char *glob, const char *base,
                           const char *origin) {
  struct li_exclude **v = functions ? &cfg->functions : &cfg->paths;
  size_t *n = functions ? &cfg->nfunctions : &cfg->npaths;
  *v = li_xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = (struct li_exclude){
      li_xstrdup(glob), base ? li_xstrdup(base) : NULL, li_xstrdup(origin)};
}

static char *dup_or_null(const char *s) {
  return s ? li_xstrdup(s) : NULL;
}

static void copy_excludes(struct li_config *out, const struct li_config *c) {
  for (size_t i = 0; i < c->npaths; i++)
    li_config_add_exclude(out, 0, c->paths[i].glob, c->paths[i].base,
                          c->paths[i].origin);
  for (size_t i = 0; i < c->nfunctions; i++)
    li_config_add_exclude(out, 1, c->functions[i].glob, NULL,
                          c->functions[i].origin);
}

void li_config_merge(const struct li_config *a, const struct li_config *b,
                     struct li_config *out) {
  memset(out, 0, sizeof *out);
  out->sample_rate = -1;
  out->rt_quiet = -1;
  if (a) {
    out->path = dup_or_null(a->path);
    copy_excludes(out, a);
    out->apis = li_xmalloc((a->napis + 1) * sizeof *out->apis);
    for (size_t i = 0; i < a->napis; i++) {
      out->apis[i] = a->apis[i];
      out->apis[i].name = li_xstrdup(a->apis[i].name);
      out->apis[i].try_fn = dup_or_null(a->apis[i].try_fn);
      out->apis[i].global = dup_or_null(a->apis[i].global);
      out->apis[i].lock_class = dup_or_null(a->apis[i].lock_class);
      out->apis[i].origin = li_xstrdup(a->apis[i].origin);
    }
    out->napis = a->napis;
    out->sample_rate = a->sample_rate;
    out->rt_output = dup_or_null(a->rt_output);
    out->rt_quiet = a->rt_quiet;
  }
  if (b)
    copy_excludes(out, b);
}

static void free_excludes(struct li_exclude *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].glob);
    free(v[i].base);
    free(v[i].origin);
  }
  free(v);
}

void li_config_free(struct li_config *cfg) {
  free(cfg->path);
  free_excludes(cfg->paths, cfg->npaths);
  free_excludes(cfg->functions, cfg->nfunctions);
  for (size_t i = 0; i < cfg->napis; i++) {
    free(cfg->apis[i].name);
    free(cfg->apis[i].try_fn);
    free(cfg->apis[i].global);
    free(cfg->apis[i].lock_class);
    free(cfg->apis[i].origin);
  }
  free(cfg->apis);
  free(cfg->rt_output);
  memset(cfg, 0, sizeof *cfg);
}

/* ---- matching ---------------------------------------------------------- */

/* `*` then rest: any run of characters but '/'. */
static int match(const char *g, const char *s);
static int match_star(const char *rest, const char *s) {
  for (const char *t = s;; t++) {
    if (match(rest, t))
      return 1;
    if (!*t || *t == '/')
      return 0;
  }
}

/* `**` then rest: any run of characters; when rest starts with a slash,
 * it may also match nothing (`**` then slash matches zero directories). */
static int match_any(const char *rest, const char *s) {
  if (*rest == '/' && match(rest + 1, s))
    return 1;
  for (const char *t = s;; t++) {
    if (match(rest, t))
      return 1;
    if (!*t)
      return 0;
  }
}

/* A bracket class g[0..end] (end at its ']') against one character. */
static int match_class(const char *g, const char *end, char c) {
  char cls[256], ch[2] = {c, 0};
  size_t n = (size_t)(end - g) + 1;
  if (c == '/' || n >= sizeof cls)
    return 0;
  memcpy(cls, g, n);
  cls[n] = '\0';
  return fnmatch(cls, ch, 0) == 0;
}

/* Matches glob g against s: `*` and `?` never match '/', `**` matches
 * anything, and a `**` followed by '/' may also match nothing. */
static int match(const char *g, const char *s) {
  for (;; g++, s++) {
    if (!*g)
      return !*s;
    if (g[0] == '*' && g[1] == '*')
      return match_any(g + 2, s);
    if (*g == '*')
      return match_star(g + 1, s);
    if (!*s)
      return 0;
    const char *end = *g == '[' ? strchr(g + 2, ']') : NULL;
    if (end) {
      if (!match_class(g, end, *s))
        return 0;
      g = end;
    } else if (*g == '?' ? *s == '/' : *g != *s) {
      return 0;
    }
  }
}

int li_glob_match_path(const char *glob, const char *rel) {
  char *g = li_xstrdup(glob);
  size_t n = strlen(g);
  while (n > 1 && g[n - 1] == '/')
    g[--n] = '\0';
  int anchored = strchr(g, '/') != NULL;
  const char *pat = g[0] == '/' ? g + 1 : g;
  int hit = 0;
  char *r = li_xstrdup(rel);
  for (char *cut = r + strlen(r); !hit;) {
    /* r[0..cut) is rel or one of its directories */
    char save = *cut;
    *cut = '\0';
    const char *last = strrchr(r, '/');
    hit = match(pat, anchored ? r : last ? last + 1 : r);
    *cut = save;
    while (cut > r && *--cut != '/')
      ;
    if (cut == r)
      break;
  }
  free(r);
  free(g);
  return hit;
}

const struct li_exclude *li_config_excluded_path(const struct li_config *cfg,
                                                 const char *abs) {
  for (size_t i = 0; i < cfg->npaths; i++) {
    const struct li_exclude *e = &cfg->paths[i];
    if (!li_path_under(abs, e->base) || strcmp(abs, e->base) == 0)
      continue;
    char *rel = li_path_rel(e->base, abs);
    int hit = li_glob_match_path(e->glob, rel);
    free(rel);
    if (hit)
      return e;
  }
  return NULL;
}

const struct li_exclude *
li_config_excluded_function(const struct li_config *cfg, const char *fn) {
  for (size_t i = 0; *fn && i < cfg->nfunctions; i++)
    if (fnmatch(cfg->functions[i].glob, fn, 0) == 0)
      return &cfg->functions[i];
  return NULL;
}

int li_config_find_api(const struct li_config *cfg, const char *name) {
  for (size_t i = 0; cfg && i < cfg->napis; i++)
    if (strcmp(cfg->apis[i].name, name) == 0)
      return (int)i;
  return -1;
}

int li_config_is_lock_impl(const struct li_config *cfg, const char *fn) {
  for (size_t i = 0; cfg && *fn && i < cfg->napis; i++)
    if (strcmp(cfg->apis[i].name, fn) == 0 ||
        (cfg->apis[i].try_fn && strcmp(cfg->apis[i].try_fn, fn) == 0))
      return 1;
  return 0;
}
