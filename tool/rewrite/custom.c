/*
 * custom.c — see custom.h.
 *
 * A wrapper's body is not written here: it is one expansion of
 * LI_WRAPPER_ (lockinstr.h), the macro every built-in wrapper expands
 * too, with this API's name, kind, mode, success convention, return type,
 * arguments, lock and try function as its arguments. What a wrapper does
 * (try first, fast paths, waits, failures, condition waits, init/destroy,
 * -DLOCKINSTR_DISABLE) is thus defined once, in lockinstr.h; this file
 * only types the wrapper from the function's declaration and maps the
 * configuration onto those arguments.
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

int li_custom_lock_from(const struct li_custom_api *a, CXCursor decl) {
  CXType t = clang_getCursorType(decl);
  if (a->lock_from != LI_LOCK_DEFAULT)
    return a->lock_from;
  return t.kind == CXType_FunctionProto && clang_getNumArgTypes(t) == 0
             ? LI_LOCK_NONE
             : LI_LOCK_ARG;
}

/* Checks the type of the lock s->lock_from says API a has: an argument's
 * or the returned value (return type rt). Returns NULL or a reason. */
static char *lock_type(CXType t, CXType rt, const struct li_custom_api *a,
                       struct li_custom_sig *s) {
  CXType lt = s->lock_from == LI_LOCK_RETURN
                  ? rt
                  : clang_getArgType(t, (unsigned)a->lock_arg);
  if (s->lock_from != LI_LOCK_ARG && s->lock_from != LI_LOCK_RETURN)
    return NULL;
  s->lock_is_int = is_integer(lt);
  if (s->lock_is_int || is_pointer(lt))
    return NULL;
  if (s->lock_from == LI_LOCK_RETURN)
    return li_xasprintf("%s returns neither a pointer nor an integer "
                        "(lock = return in %s)",
                        a->name, a->origin);
  return li_xasprintf("the lock argument of %s (argument %d) is neither a "
                      "pointer nor an integer",
                      a->name, a->lock_arg + 1);
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
  return lock_type(t, clang_getResultType(t), a, s);
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
  s->lock_from = li_custom_lock_from(a, decl);
  if (s->lock_from == LI_LOCK_ARG && clang_getNumArgTypes(t) <= a->lock_arg)
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
      (a->kind == LOCKINSTR_KIND_TRY || a->kind == LOCKINSTR_KIND_TIMED ||
       a->kind == LOCKINSTR_KIND_SEMTRY))
    return li_xasprintf("%s returns void: a %s call must return its outcome",
                        a->name,
                        a->kind == LOCKINSTR_KIND_TIMED ? "timed" : "try");
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
                "static LOCKINSTR_INLINE_ %s lockinstr_custom_%s(struct "
                "lockinstr_site *site",
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

/* The LI_S_* tag of success convention c (lockinstr.h): a configured
 * zero or non-zero code says nothing about which failure it was. */
static const char *succ_tag(int c) {
  switch (c) {
  case LI_CS_ZERO:
    return "LI_S_CFG_ZERO";
  case LI_CS_NONZERO:
    return "LI_S_CFG_NONZERO";
  case LI_CS_VOID:
    return "LI_S_NONE";
  default:
    return "LI_S_THRD";
  }
}

/* The body macro of lockinstr.h that does what API a's kind does. An
 * acquisition without a try function learns its contention from its own
 * body (LI_BODY_WRAP_, lockinstr_wrap.h); a release of the body's lock
 * learns the lock after the call. */
static const char *body_of(const struct li_custom_api *a,
                           const struct li_custom_sig *s) {
  switch (a->kind) {
  case LOCKINSTR_KIND_ACQUIRE:
  case LOCKINSTR_KIND_TIMED:
    return a->try_fn ? "LI_BODY_ACQUIRE_" : "LI_BODY_WRAP_";
  case LOCKINSTR_KIND_TRY:
    return "LI_BODY_WRAPTRY_";
  case LOCKINSTR_KIND_RELEASE:
    return s->lock_from == LI_LOCK_NONE ? "LI_BODY_UNWRAP_"
                                        : "LI_BODY_RELEASE_";
  case LOCKINSTR_KIND_CONDWAIT:
  case LOCKINSTR_KIND_CONDTIMEDWAIT:
    return "LI_BODY_CONDWAIT_";
  case LOCKINSTR_KIND_SEMWAIT:
    return a->try_fn ? "LI_BODY_SEMWAIT_" : "LI_BODY_SEMTAKE_";
  case LOCKINSTR_KIND_SEMTRY:
    return "LI_BODY_SEMTRY_";
  case LOCKINSTR_KIND_SEMPOST:
    return "LI_BODY_SEMPOST_";
  default: /* INIT, DESTROY */
    return "LI_BODY_FORGET_";
  }
}

/* The outcome of a failed call whose code cannot say which failure it
 * was: a try was busy, a timed call timed out, anything else an error. */
static const char *fail_of(int kind) {
  if (kind == LOCKINSTR_KIND_TRY || kind == LOCKINSTR_KIND_SEMTRY)
    return "LI_OUT_BUSY";
  if (kind == LOCKINSTR_KIND_TIMED || kind == LOCKINSTR_KIND_CONDTIMEDWAIT ||
      kind == LOCKINSTR_KIND_SEMWAIT) /* only a timed wait fails */
    return "LI_OUT_TIMEDOUT";
  return "LI_OUT_ERROR";
}

static const char *mode_name(int mode) {
  return mode == LOCKINSTR_MODE_READ    ? "LOCKINSTR_MODE_READ"
         : mode == LOCKINSTR_MODE_WRITE ? "LOCKINSTR_MODE_WRITE"
                                        : "LOCKINSTR_MODE_EXCL";
}

/* Appends the lock as void *: the lock argument, the returned value
 * (li_rc), the body's lock (LI_INNER_KEY_) or the named global's key. An
 * integer lock (a handle) becomes an even key: the held stack's sentinel
 * (all ones) must never equal a lock, and -1 is a handle. */
static void lock_arg(struct li_buf *b, const struct li_custom_api *a,
                     const struct li_custom_sig *s) {
  char *v = s->lock_from == LI_LOCK_RETURN
                ? li_xstrdup("li_rc")
                : li_xasprintf("a%d", a->lock_arg + 1);
  if (s->lock_from == LI_LOCK_NONE)
    li_buf_puts(b, "LI_INNER_KEY_");
  else if (s->lock_from == LI_LOCK_GLOBAL)
    li_buf_printf(b, "(void *)&lockinstr_global_%s", a->global);
  else if (s->lock_is_int)
    li_buf_printf(b, "(void *)((__UINTPTR_TYPE__)%s << 1)", v);
  else
    li_buf_printf(b, "(void *)%s", v);
  free(v);
}

/* Appends the try function's convention and call, "LI_S_THRD,
 * c11_trylock(a1)", or "LI_S_NONE, 0" without one (then unused). */
static void try_part(struct li_buf *b, const struct li_custom_api *a,
                     const struct li_custom_sig *s) {
  if (!a->try_fn) {
    li_buf_puts(b, "LI_S_NONE, 0");
    return;
  }
  li_buf_printf(b, "%s, %s(", succ_tag(a->try_success), a->try_fn);
  args(b, a, s, s->try_all_args);
  li_buf_puts(b, ")");
}

/* Appends the wrapper body of API a: one expansion of lockinstr.h's
 * LI_WRAPPER_, the macro the built-in wrappers expand too. */
static void body(struct li_buf *b, const struct li_custom_api *a,
                 const struct li_custom_sig *s) {
  static const char *const kinds[] = {
#define LI_X_(k, word) "LOCKINSTR_KIND_" #k,
      LOCKINSTR_KINDS(LI_X_)
#undef LI_X_
  };
  li_buf_printf(b, "  LI_WRAPPER_(%s, LI_CONFIG, %s, (%s, %s), %s, %s, %s, (",
                body_of(a, s), a->name, kinds[a->kind], mode_name(a->mode),
                succ_tag(s->success), fail_of(a->kind), s->ret);
  args(b, a, s, 1);
  li_buf_puts(b, "), ");
  lock_arg(b, a, s);
  li_buf_puts(b, ", ");
  try_part(b, a, s);
  li_buf_puts(b, ")");
}

/* Appends one line: text, then the file's end of line. */
static void line(struct li_buf *b, const char *eol, const char *text) {
  li_buf_puts(b, text);
  li_buf_puts(b, eol);
}

/* Appends the definition of API a's wrapper, with signature s, inside
 * its own include guard. */
static void define(const struct li_custom_api *a, const struct li_custom_sig *s,
                   struct li_buf *b, const char *eol) {
  li_buf_printf(b, "#ifndef LOCKINSTR_CUSTOM_%s_DEFINED%s", a->name, eol);
  li_buf_printf(b, "#define LOCKINSTR_CUSTOM_%s_DEFINED 1%s", a->name, eol);
  if (s->lock_from == LI_LOCK_GLOBAL) /* one object per program: its key */
    li_buf_printf(b,
                  "#ifndef LOCKINSTR_GLOBAL_%s_DEFINED%s"
                  "#define LOCKINSTR_GLOBAL_%s_DEFINED 1%s"
                  "__attribute__((weak)) char lockinstr_global_%s;%s"
                  "#endif%s",
                  a->global, eol, a->global, eol, a->global, eol, eol);
  head(b, a, s);
  line(b, eol, " {");
  body(b, a, s);
  line(b, eol, "");
  line(b, eol, "}");
  line(b, eol, "#endif");
}

/* Appends the [runtime] defaults constructor. */
static void defaults(const struct li_config *cfg, struct li_buf *b,
                     const char *eol) {
  line(b, eol,
       "#if !defined(LOCKINSTR_CONFIG_DEFAULTS_DEFINED) && "
       "!defined(LOCKINSTR_DISABLE)");
  line(b, eol, "#define LOCKINSTR_CONFIG_DEFAULTS_DEFINED 1");
  line(b, eol, "#include <stdlib.h>");
  line(b, eol, "#include <lockinstr.h>");
  line(b, eol,
       "/* [runtime] of the configuration: the environment still wins */");
  line(b, eol,
       "__attribute__((constructor)) static void "
       "lockinstr_config_defaults(void) {");
  if (cfg->sample_rate >= 0) {
    line(b, eol, "  if (!getenv(\"LOCKINSTR_SAMPLE_RATE\"))");
    li_buf_printf(b, "    lockinstr_set_sample_rate(%ldul);%s",
                  cfg->sample_rate, eol);
  }
  if (cfg->rt_output) { /* the runtime itself lets LOCKINSTR_OUTPUT win */
    li_buf_puts(b, "  (void)lockinstr_set_default_output(\"");
    li_buf_cstr(b, cfg->rt_output, strlen(cfg->rt_output));
    li_buf_printf(b, "\");%s", eol);
  }
  if (cfg->rt_quiet >= 0) /* and LOCKINSTR_QUIET */
    li_buf_printf(b, "  lockinstr_set_default_quiet(%d);%s", cfg->rt_quiet,
                  eol);
  line(b, eol, "}");
  line(b, eol, "#endif");
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
