/*
 * custom.c — see custom.h.
 *
 * The wrapper bodies mirror the runtime's built-in ones (lockinstr.h): a
 * site is described on first use (track_describe), an uncontended
 * acquisition is reported after it succeeded and a release after the real
 * call succeeded, both through the built-in wrappers' inline fast path
 * (li_custom_acquired_ / li_custom_released_); a contended acquisition
 * with its wait (track_acquire), a failure (track_failed), a condition
 * wait (track_cond_enter/leave around the timed call) and init/destroy
 * (li_forget: the address may be reused) go out of line.
 */
#include "custom.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apis.h"
#include "text.h"
#include "lockinstr_api.h"

static char *cx_str(CXString s) {
  const char *c = clang_getCString(s);
  char *r = li_xstrdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

void li_custom_init(struct li_custom_state *st, const struct li_config *cfg) {
  st->cfg = cfg && cfg->napis ? cfg : NULL;
  st->use = NULL;
  if (!st->cfg)
    return;
  st->use = calloc(cfg->napis, sizeof *st->use);
  st->view = calloc(cfg->napis, sizeof *st->view);
  if (!st->use || !st->view)
    abort();
  for (size_t i = 0; i < cfg->napis; i++) {
    const struct li_custom_api *a = &cfg->apis[i];
    st->use[i].try_nargs = -1;
    st->view[i] = (struct li_api){a->name,
                                  a->kind,
                                  a->mode,
                                  a->lock_arg,
                                  a->success,
                                  -1,
                                  a->try_fn ? a->try_fn : a->name,
                                  "",
                                  "",
                                  0};
  }
}

const struct li_api *li_custom_view(const struct li_custom_state *st, int i) {
  assert(st->cfg && i >= 0 && (size_t)i < st->cfg->napis);
  return &st->view[i];
}

int li_custom_used(const struct li_custom_state *st) {
  for (size_t i = 0; st->cfg && i < st->cfg->napis; i++)
    if (st->use[i].used)
      return 1;
  return 0;
}

static void sig_free(struct li_custom_sig *s) {
  free(s->ret);
  for (int k = 0; k < s->nparams; k++)
    free(s->params[k]);
  free(s->params);
  memset(s, 0, sizeof *s);
}

void li_custom_free(struct li_custom_state *st) {
  for (size_t i = 0; st->cfg && i < st->cfg->napis; i++)
    sig_free(&st->use[i].sig);
  free(st->use);
  free(st->view);
  st->use = NULL;
  st->view = NULL;
}

void li_custom_seen_decl(struct li_custom_state *st, CXCursor decl) {
  if (!st->cfg || clang_getCursorKind(decl) != CXCursor_FunctionDecl)
    return;
  char *name = cx_str(clang_getCursorSpelling(decl));
  CXType t = clang_getCursorType(decl);
  for (size_t i = 0; i < st->cfg->napis; i++) {
    const char *tf = st->cfg->apis[i].try_fn;
    if (tf && strcmp(tf, name) == 0 && t.kind == CXType_FunctionProto)
      st->use[i].try_nargs = clang_getNumArgTypes(t);
  }
  free(name);
}

int li_custom_lookup(const struct li_custom_state *st, CXCursor decl) {
  if (!st->cfg || clang_getCursorKind(decl) != CXCursor_FunctionDecl)
    return -1;
  char *name = cx_str(clang_getCursorSpelling(decl));
  int i = li_config_find_api(st->cfg, name);
  free(name);
  return i;
}

/* ---- the signature ----------------------------------------------------- */

/* Returns a type's spelling usable before a declarator name: as it is,
 * or __typeof__(T) for a function pointer or array type. NULL if the type
 * has no name that can be written (an unnamed struct). */
static char *type_spec(CXType t) {
  char *s = cx_str(clang_getTypeSpelling(t));
  if (strstr(s, "(unnamed") || strstr(s, "(anonymous")) {
    free(s);
    return NULL;
  }
  if (strpbrk(s, "([")) {
    char *w = li_xasprintf("__typeof__(%s)", s);
    free(s);
    return w;
  }
  return s;
}

static int is_integer(CXType t) {
  enum CXTypeKind k = clang_getCanonicalType(t).kind;
  return (k >= CXType_Bool && k <= CXType_Int128) || k == CXType_Enum;
}

static int is_pointer(CXType t) {
  enum CXTypeKind k = clang_getCanonicalType(t).kind;
  return k == CXType_Pointer || k == CXType_IncompleteArray ||
         k == CXType_ConstantArray;
}

/* Fills s->params from function type t. Returns NULL or a reason. */
static char *sig_params(CXType t, const struct li_custom_api *a,
                        struct li_custom_sig *s) {
  int n = clang_getNumArgTypes(t);
  s->params = li_xmalloc(((size_t)n + 1) * sizeof *s->params);
  for (int k = 0; k < n; k++) {
    s->params[k] = type_spec(clang_getArgType(t, (unsigned)k));
    s->nparams = k + 1;
    if (!s->params[k])
      return li_xasprintf("parameter %d of %s has an unnamed type", k + 1,
                          a->name);
  }
  CXType lt = clang_getArgType(t, (unsigned)a->lock_arg);
  s->lock_is_int = is_integer(lt);
  if (!s->lock_is_int && !is_pointer(lt))
    return li_xasprintf("the lock argument of %s (argument %d) is neither a "
                        "pointer nor an integer",
                        a->name, a->lock_arg + 1);
  return NULL;
}

/* Fills *s from declaration decl of API a. Returns NULL or a reason. */
static char *sig_of(CXCursor decl, const struct li_custom_api *a, int try_n,
                    struct li_custom_sig *s) {
  CXType t = clang_getCursorType(decl);
  if (t.kind != CXType_FunctionProto)
    return li_xasprintf("%s is declared without a prototype", a->name);
  if (clang_getCursorKind(clang_getCursorLexicalParent(decl)) !=
      CXCursor_TranslationUnit) /* a block-scope declaration */
    return li_xasprintf("%s is declared inside a function: the wrapper, "
                        "at file scope, could not call it",
                        a->name);
  if (clang_isFunctionTypeVariadic(t))
    return li_xasprintf("%s is variadic", a->name);
  if (clang_getNumArgTypes(t) <= a->lock_arg)
    return li_xasprintf("%s has no argument %d (lock = %d in %s)", a->name,
                        a->lock_arg + 1, a->lock_arg + 1, a->origin);
  CXType rt = clang_getResultType(t);
  s->ret_void = clang_getCanonicalType(rt).kind == CXType_Void;
  s->success = a->success >= 0 ? a->success
               : s->ret_void   ? LI_CS_VOID
                               : LI_CS_ZERO;
  if (s->ret_void && s->success != LI_CS_VOID)
    return li_xasprintf("%s returns void, but %s gives a success convention",
                        a->name, a->origin);
  if (s->success == LI_CS_VOID &&
      (a->kind == LOCKINSTR_KIND_TRY || a->kind == LOCKINSTR_KIND_TIMED))
    return li_xasprintf("%s returns void: a %s call must return its outcome",
                        a->name,
                        a->kind == LOCKINSTR_KIND_TRY ? "try" : "timed");
  if (!s->ret_void && s->success == LI_CS_VOID && a->try_fn)
    return li_xasprintf("%s returns a value, but %s says success = void",
                        a->name, a->origin);
  s->ret = type_spec(rt);
  if (!s->ret)
    return li_xasprintf("%s returns an unnamed type", a->name);
  if (a->try_fn && try_n < 0)
    return li_xasprintf("its try function %s is not declared before the call",
                        a->try_fn);
  if (a->try_fn && try_n != 1 && try_n != clang_getNumArgTypes(t))
    return li_xasprintf("its try function %s takes %d arguments: it must take "
                        "the lock alone or the same arguments as %s",
                        a->try_fn, try_n, a->name);
  s->try_all_args = a->try_fn && try_n == clang_getNumArgTypes(t);
  return sig_params(t, a, s);
}

/* Fills *s for a call of custom API i whose callee is decl (see
 * li_custom_prepare). Returns NULL, or the reason (caller frees; *s is
 * then empty). */
static char *check(const struct li_custom_state *st, int i, CXCursor decl,
                   struct li_custom_sig *s) {
  assert(st->cfg && i >= 0 && (size_t)i < st->cfg->napis);
  memset(s, 0, sizeof *s);
  char *why = sig_of(decl, &st->cfg->apis[i], st->use[i].try_nargs, s);
  if (why)
    sig_free(s);
  return why;
}

char *li_custom_prepare(struct li_custom_state *st, int i, CXCursor decl,
                        size_t decl_off) {
  struct li_custom_use *u = &st->use[i];
  if (u->used)
    return NULL;
  char *why = check(st, i, decl, &u->sig);
  if (why)
    return why;
  u->used = 1;
  u->decl_off = decl_off;
  return NULL;
}

/* ---- text -------------------------------------------------------------- */

/* Appends "RET lockinstr_custom_NAME(struct lockinstr_site *site, T1 a1..)". */
static void head(struct li_buf *b, const struct li_custom_api *a,
                 const struct li_custom_sig *s) {
  li_buf_printf(b,
                "static inline %s lockinstr_custom_%s(struct lockinstr_site "
                "*site",
                s->ret, a->name);
  for (int k = 0; k < s->nparams; k++)
    li_buf_printf(b, ", %s%sa%d", s->params[k],
                  s->params[k][strlen(s->params[k]) - 1] == '*' ? "" : " ",
                  k + 1);
  li_buf_puts(b, ")");
}

/* Returns the wrapper declaration of API a with signature s (see
 * li_custom_decl). */
static char *decl_of(const struct li_custom_api *a,
                     const struct li_custom_sig *s) {
  struct li_buf b = {0};
  head(&b, a, s);
  li_buf_puts(&b, "; ");
  return li_buf_take(&b);
}

char *li_custom_decl(const struct li_custom_state *st, int i) {
  return decl_of(&st->cfg->apis[i], &st->use[i].sig);
}

/* Appends the argument list "a1, a2" (all) or "aK" (the lock only). */
static void args(struct li_buf *b, const struct li_custom_api *a,
                 const struct li_custom_sig *s, int all) {
  if (!all) {
    li_buf_printf(b, "a%d", a->lock_arg + 1);
    return;
  }
  for (int k = 0; k < s->nparams; k++)
    li_buf_printf(b, "%sa%d", k ? ", " : "", k + 1);
}

/* The test that return value v means success under convention c. */
static const char *succ_test(int c) {
  switch (c) {
  case LI_CS_ZERO:
    return " == 0";
  case LI_CS_NONZERO:
    return " != 0";
  default:
    return " == thrd_success";
  }
}

static const char *mode_name(int mode) {
  return mode == LOCKINSTR_MODE_READ    ? "LOCKINSTR_MODE_READ"
         : mode == LOCKINSTR_MODE_WRITE ? "LOCKINSTR_MODE_WRITE"
                                        : "LOCKINSTR_MODE_EXCL";
}

/* The text of the wrapper being written. */
struct gen {
  struct li_buf *b;
  const struct li_custom_api *a;
  const struct li_custom_sig *s;
  const char *eol;
  char lock[64]; /* the lock argument as void * */
};

/* Appends one line to g's buffer: printf-style text, then the file's
 * end of line (a macro: li_buf_printf checks the format). */
#define line(g, ...)                                                           \
  do {                                                                         \
    li_buf_printf((g)->b, __VA_ARGS__);                                        \
    li_buf_puts((g)->b, (g)->eol);                                             \
  } while (0)

/* "li_rc = NAME(args);" or "NAME(args);" for a void function. */
static void real_call(struct gen *g, const char *indent, const char *assign) {
  struct li_buf c = {0};
  args(&c, g->a, g->s, 1);
  line(g, "%s%s%s(%s);", indent, g->s->ret_void ? "" : assign, g->a->name,
       c.s ? c.s : "");
  li_buf_free(&c);
}

/* The LOCKINSTR_OUTCOME_* of a failed call (li_rc did not mean success):
 * C11 codes say which failure it was; for the other conventions it
 * follows from the kind (a try was busy, a timed call timed out). */
static const char *fail_outcome(const struct gen *g) {
  int k = g->a->kind;
  if (g->s->success == LI_CS_THRD)
    return "li_rc == thrd_busy ? LOCKINSTR_OUTCOME_BUSY : li_rc == "
           "thrd_timedout ? LOCKINSTR_OUTCOME_TIMEDOUT : "
           "LOCKINSTR_OUTCOME_ERROR";
  if (k == LOCKINSTR_KIND_TRY)
    return "LOCKINSTR_OUTCOME_BUSY";
  if (k == LOCKINSTR_KIND_TIMED || k == LOCKINSTR_KIND_CONDTIMEDWAIT)
    return "LOCKINSTR_OUTCOME_TIMEDOUT";
  return "LOCKINSTR_OUTCOME_ERROR";
}

/* Appends `what` when the call succeeded, and track_failed otherwise
 * (a void call always succeeds). */
static void on_outcome(struct gen *g, const char *what) {
  if (g->s->success == LI_CS_VOID) {
    line(g, "  %s;", what);
    return;
  }
  line(g, "  if (li_rc%s)", succ_test(g->s->success));
  line(g, "    %s;", what);
  line(g, "  else");
  line(g, "    track_failed(site, %s);", fail_outcome(g));
}

static void ret_rc(struct gen *g) {
  if (!g->s->ret_void)
    line(g, "  return li_rc;");
}

static void decl_rc(struct gen *g) {
  if (!g->s->ret_void)
    line(g, "  %s li_rc;", g->s->ret);
}

/* The site's description for the profile (its API's name, kind and mode),
 * given on its first use: a registered site has a non-zero id. */
static void describe(struct gen *g) {
  static const char *const kinds[] = {
#define LI_X_(k, word) "LOCKINSTR_KIND_" #k,
      LOCKINSTR_KINDS(LI_X_)
#undef LI_X_
  };
  line(g, "  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))");
  line(g, "    track_describe(site, \"%s\", %s, %s);", g->a->name,
       kinds[g->a->kind], mode_name(g->a->mode));
}

/* ACQUIRE or TIMED with a try function: try first, time only a busy lock. */
static void body_probe(struct gen *g) {
  struct li_buf t = {0};
  args(&t, g->a, g->s, g->s->try_all_args);
  const char *mode = mode_name(g->a->mode);
  char what[160];
  decl_rc(g);
  line(g, "  unsigned long long li_t0;");
  line(g, "  if (!li_recording_()) {");
  real_call(g, "    ", "li_rc = ");
  line(g, "    %s", g->s->ret_void ? "return;" : "return li_rc;");
  line(g, "  }");
  describe(g);
  line(g, "  if (%s(%s)%s) {", g->a->try_fn, t.s, succ_test(g->a->try_success));
  line(g, "    li_custom_acquired_(site, %s, 1);", g->lock);
  line(g, "    return%s;",
       g->s->ret_void                ? ""
       : g->s->success == LI_CS_THRD ? " thrd_success"
                                     : " 0");
  line(g, "  }");
  line(g, "  li_t0 = lockinstr_now_ns();");
  real_call(g, "  ", "li_rc = ");
  snprintf(what, sizeof what,
           "track_acquire(site, %s, %s, 1, lockinstr_now_ns() - li_t0)",
           g->lock, mode);
  on_outcome(g, what);
  ret_rc(g);
  li_buf_free(&t);
}

/* A condition wait: the hold ends, the wait is timed, the hold restarts. */
static void body_cond(struct gen *g) {
  decl_rc(g);
  line(g, "  int li_in;");
  line(g, "  unsigned long long li_t0;");
  describe(g);
  line(g, "  li_in = track_cond_enter(site, %s);", g->lock);
  line(g, "  li_t0 = lockinstr_now_ns();");
  real_call(g, "  ", "li_rc = ");
  if (g->s->success == LI_CS_VOID)
    line(g,
         "  track_cond_leave(site, %s, li_in, LOCKINSTR_OUTCOME_OK, "
         "lockinstr_now_ns() - li_t0);",
         g->lock);
  else
    line(g,
         "  track_cond_leave(site, %s, li_in, li_rc%s ? LOCKINSTR_OUTCOME_OK "
         ": %s, lockinstr_now_ns() - li_t0);",
         g->lock, succ_test(g->s->success), fail_outcome(g));
  ret_rc(g);
}

/* init or destroy: the real call, then the runtime forgets the address
 * (its memory may hold another lock next); a failure counts as an error. */
static void body_forget(struct gen *g) {
  decl_rc(g);
  describe(g);
  real_call(g, "  ", "li_rc = ");
  line(g, "  if (li_recording_())");
  if (g->s->success == LI_CS_VOID)
    line(g, "    li_forget(site, %s, 1);", g->lock);
  else
    line(g, "    li_forget(site, %s, (li_rc%s) ? 1 : 0);", g->lock,
         succ_test(g->s->success));
  ret_rc(g);
}

/* Any other kind: the real call, then what it did. */
static void body_plain(struct gen *g) {
  int k = g->a->kind;
  char what[160];
  if (k == LOCKINSTR_KIND_CONDWAIT || k == LOCKINSTR_KIND_CONDTIMEDWAIT) {
    body_cond(g);
    return;
  }
  if (k == LOCKINSTR_KIND_INIT || k == LOCKINSTR_KIND_DESTROY) {
    body_forget(g);
    return;
  }
  decl_rc(g);
  describe(g);
  real_call(g, "  ", "li_rc = ");
  if (k == LOCKINSTR_KIND_RELEASE)
    snprintf(what, sizeof what, "li_custom_released_(site, %s)", g->lock);
  else
    snprintf(what, sizeof what, "li_custom_acquired_(site, %s, %d)", g->lock,
             k != LOCKINSTR_KIND_TRY);
  on_outcome(g, what);
  ret_rc(g);
}

/* Appends the definition of API a's wrapper, with signature s, inside
 * its own include guard. */
static void define(const struct li_custom_api *a, const struct li_custom_sig *s,
                   struct li_buf *b, const char *eol) {
  struct gen g = {b, a, s, eol, {0}};
  /* An integer lock (a handle) becomes an even key: the held stack's
   * sentinel (all ones) must never equal a lock, and -1 is a handle. */
  if (s->lock_is_int)
    snprintf(g.lock, sizeof g.lock, "(void *)((__UINTPTR_TYPE__)a%d << 1)",
             a->lock_arg + 1);
  else
    snprintf(g.lock, sizeof g.lock, "(void *)a%d", a->lock_arg + 1);
  line(&g, "#ifndef LOCKINSTR_CUSTOM_%s_DEFINED", a->name);
  line(&g, "#define LOCKINSTR_CUSTOM_%s_DEFINED 1", a->name);
  head(b, a, s);
  line(&g, " {");
  line(&g, "#if defined(LOCKINSTR_DISABLE)");
  line(&g, "  (void)site;");
  real_call(&g, "  ", "return ");
  line(&g, "#else");
  if (a->try_fn)
    body_probe(&g);
  else
    body_plain(&g);
  line(&g, "#endif");
  line(&g, "}");
  line(&g, "#endif");
}

/* Appends the [runtime] defaults constructor. */
static void defaults(const struct li_config *cfg, struct li_buf *b,
                     const char *eol) {
  struct gen g = {b, NULL, NULL, eol, {0}};
  line(&g, "#if !defined(LOCKINSTR_CONFIG_DEFAULTS_DEFINED) && "
           "!defined(LOCKINSTR_DISABLE)");
  line(&g, "#define LOCKINSTR_CONFIG_DEFAULTS_DEFINED 1");
  line(&g, "#include <stdlib.h>");
  line(&g, "#include <lockinstr.h>");
  line(&g, "/* [runtime] of the configuration: the environment still wins */");
  line(&g, "__attribute__((constructor)) static void "
           "lockinstr_config_defaults(void) {");
  if (cfg->sample_rate >= 0) {
    line(&g, "  if (!getenv(\"LOCKINSTR_SAMPLE_RATE\"))");
    line(&g, "    lockinstr_set_sample_rate(%ldul);", cfg->sample_rate);
  }
  if (cfg->rt_output) { /* the runtime itself lets LOCKINSTR_OUTPUT win */
    li_buf_puts(b, "  (void)lockinstr_set_default_output(\"");
    li_buf_cstr(b, cfg->rt_output, strlen(cfg->rt_output));
    li_buf_printf(b, "\");%s", eol);
  }
  if (cfg->rt_quiet >= 0) /* and LOCKINSTR_QUIET */
    line(&g, "  lockinstr_set_default_quiet(%d);", cfg->rt_quiet);
  line(&g, "}");
  line(&g, "#endif");
}

/* Returns 1 if the wrapper of a (signature s) compares with thrd_success
 * or thrd_busy: the file must include <threads.h> before it. */
static int needs_threads(const struct li_custom_api *a,
                         const struct li_custom_sig *s) {
  return s->success == LI_CS_THRD ||
         (a->try_fn && a->try_success == LI_CS_THRD);
}

char *li_custom_wrapper(const struct li_custom_state *st, int i, CXCursor decl,
                        struct li_custom_wrapper *w) {
  struct li_custom_sig s;
  memset(w, 0, sizeof *w);
  char *why = check(st, i, decl, &s);
  if (why)
    return why;
  const struct li_custom_api *a = &st->cfg->apis[i];
  struct li_buf def = {0};
  define(a, &s, &def, "\n");
  w->name = li_xstrdup(a->name);
  w->kind = a->kind;
  w->decl = decl_of(a, &s);
  w->def = li_buf_take(&def);
  w->threads = needs_threads(a, &s);
  sig_free(&s);
  return NULL;
}

void li_custom_wrapper_free(struct li_custom_wrapper *w) {
  free(w->name);
  free(w->decl);
  free(w->def);
  memset(w, 0, sizeof *w);
}

void li_custom_epilogue(const struct li_custom_state *st,
                        const struct li_config *defaults_of, struct li_buf *b,
                        const char *eol) {
  int thrd = 0;
  for (size_t i = 0; st->cfg && i < st->cfg->napis; i++)
    if (st->use[i].used)
      thrd |= needs_threads(&st->cfg->apis[i], &st->use[i].sig);
  if (thrd)
    li_buf_printf(b, "#include <threads.h>%s", eol);
  for (size_t i = 0; st->cfg && i < st->cfg->napis; i++)
    if (st->use[i].used)
      define(&st->cfg->apis[i], &st->use[i].sig, b, eol);
  if (li_custom_has_defaults(defaults_of))
    defaults(defaults_of, b, eol);
}

int li_custom_has_defaults(const struct li_config *cfg) {
  return cfg && (cfg->sample_rate >= 0 || cfg->rt_output || cfg->rt_quiet >= 0);
}

const char *li_site_api_name(const struct li_config *cfg, int api) {
  if (api < LOCKINSTR_API_COUNT)
    return li_apis[api].name;
  return cfg->apis[api - LOCKINSTR_API_COUNT].name;
}

int li_site_api_kind(const struct li_config *cfg, int api) {
  if (api < LOCKINSTR_API_COUNT)
    return li_apis[api].kind;
  return cfg->apis[api - LOCKINSTR_API_COUNT].kind;
}
