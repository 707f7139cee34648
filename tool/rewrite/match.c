/*
 * match.c — finding the lock calls of one translation unit (see
 * rewrite_int.h).
 *
 * The AST is walked once (declarations from system headers are skipped
 * whole); every call whose callee is a DeclRefExpr to a table function
 * declared in a system header, or to a custom API of the configuration,
 * becomes a call record: where its name and '(' are written, its lock
 * argument's text and lock class, its enclosing function. A call expanded
 * in a project header is that header's site (li_hsite); a call whose name
 * comes from a macro is handed to macrocall.c. A reference to a lock API
 * that is not a call (its address taken) is noted.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lockclass.h"
#include "lockinstr_site.h"
#include "paths.h"
#include "rewrite_int.h"

/* Returns the table index of function declaration decl if it is a lock API
 * declared in a system header, else -1. */
static int lock_api_of(CXCursor decl) {
  if (clang_getCursorKind(decl) != CXCursor_FunctionDecl)
    return -1;
  CXString s = clang_getCursorSpelling(decl);
  const char *name = clang_getCString(s);
  int api = li_api_find(name, strlen(name));
  clang_disposeString(s);
  if (api < 0)
    return -1;
  CXCursor first = clang_getCanonicalCursor(decl);
  return clang_Location_isInSystemHeader(clang_getCursorLocation(first)) ? api
                                                                         : -1;
}

/* Returns the api number (see custom.h) of function declaration decl: a
 * table API declared in a system header, or a custom API of the file's
 * configuration declared anywhere; -1 if neither. */
static int api_of(struct li_rw *cx, CXCursor decl) {
  int api = lock_api_of(decl);
  if (api >= 0)
    return api;
  int i = li_custom_lookup(&cx->custom, decl);
  return i < 0 ? -1 : LOCKINSTR_API_COUNT + i;
}

static enum CXChildVisitResult first_kid(CXCursor c, CXCursor p,
                                         CXClientData d) {
  (void)p;
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

/* Returns the callee DeclRefExpr of call (through implicit casts and
 * parentheses only), or a null cursor. */
static CXCursor callee_ref(CXCursor call) {
  CXCursor c = clang_getNullCursor();
  clang_visitChildren(call, first_kid, &c);
  for (;;) {
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_DeclRefExpr)
      return c;
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
      return clang_getNullCursor();
    CXCursor inner = clang_getNullCursor();
    clang_visitChildren(c, first_kid, &inner);
    c = inner;
  }
}

/* Returns the offset of the '(' that opens the argument list after a callee
 * name ending at s[at] (skipping blanks, comments and closing parentheses of
 * a parenthesised callee), or (size_t)-1. */
static size_t find_paren(const char *s, size_t len, size_t at) {
  at = li_skip_space(s, len, at);
  while (at < len && s[at] == ')')
    at = li_skip_space(s, len, at + 1);
  return at < len && s[at] == '(' ? at : (size_t)-1;
}

/* ---- one call ---------------------------------------------------------- */

/* Notes a call or reference located in a header that is not an input. */
static void note_header(struct li_rw *cx, CXSourceLocation loc, CXFile ef,
                        const char *what, const char *fn) {
  if (clang_Location_isInSystemHeader(loc) || li_rw_is_input(cx, ef))
    return;
  char *name = li_rw_take(clang_getFileName(ef));
  char *h = li_path_display(name);
  free(name);
  char *reason =
      *fn ? li_xasprintf("%s in function '%s' of header %s, which is not a "
                         "project header",
                         what, fn, h)
          : li_xasprintf("%s in header %s, which is not a project header", what,
                         h);
  free(h);
  li_rw_note_at(cx, loc, reason);
}

/* Returns the text of argument number k of the call whose '(' is at
 * paren in buf[0..len). */
static char *nth_arg(const char *buf, size_t len, size_t paren, int k) {
  size_t at = paren + 1;
  for (;;) {
    at = li_skip_space(buf, len, at);
    size_t end = li_arg_end(buf, len, at);
    if (k-- == 0 || end >= len)
      return li_xstrndup(buf + at, end - at);
    at = end;
    while (at < len && buf[at] != ',' && buf[at] != ')')
      at++;
    if (at >= len || buf[at] == ')')
      return li_xstrdup("");
    at++;
  }
}

/* Returns the lock argument's text. For a call written in the file it is
 * the argument as written. For a call in a macro body: the text of the
 * macro argument at the macro's use if the lock argument starts with one
 * (`LOCK(&q->mu)` -> "&q->mu"), else the argument as written in the body.
 * exp_off is the offset of the macro's use, paren the call's '(' as
 * written. */
static char *arg_text(CXCursor arg, const struct li_api *a,
                      const struct li_rw_use *u, const struct li_rw_written *wr,
                      unsigned exp_off) {
  CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(arg));
  CXFile f;
  unsigned off;
  clang_getFileLocation(start, &f, NULL, NULL, &off);
  if (wr->macro && (!f || off == exp_off)) {
    char *body = nth_arg(wr->buf, wr->len, wr->paren, a->lock_arg);
    char *sub = wr->outer ? li_macro_subst_in(wr->buf, wr->len, wr->outer,
                                              u->buf, u->len, exp_off, body)
                          : NULL;
    if (!sub)
      return body;
    free(body);
    return sub;
  }
  if (!f || !clang_File_isEqual(f, u->file) || off >= u->len)
    return nth_arg(wr->buf, wr->len, wr->paren, a->lock_arg);
  size_t end = li_arg_end(u->buf, u->len, off);
  return li_xstrndup(u->buf + off, end - off);
}

/* Returns the reason a call to custom API api written in project header
 * u cannot be rewritten, or NULL with *wrap set to the wrapper the
 * header's copy needs (custom.h). */
static char *custom_in_header(struct li_rw_walk *w, const struct li_rw_use *u,
                              CXCursor callee, int api,
                              struct li_custom_wrapper **wrap) {
  struct li_rw *cx = w->cx;
  const char *name = li_rw_api(cx, api)->name;
  if (!w->top_file || !clang_File_isEqual(w->top_file, u->file))
    return li_xasprintf("call to %s in a declaration that does not start in "
                        "header %s",
                        name, u->hdr_name);
  struct li_custom_wrapper cw;
  char *r = li_custom_wrapper(&cx->custom, api - LOCKINSTR_API_COUNT,
                              clang_getCursorReferenced(callee), &cw);
  char *why = r ? li_xasprintf("call to %s: %s", name, r) : NULL;
  free(r);
  if (!why) {
    *wrap = li_xmalloc(sizeof **wrap);
    **wrap = cw;
  }
  return why;
}

/* Returns 1 if a call to api can be rewritten: a table API, or a custom
 * API whose wrapper can be written for this file (custom.h), or for the
 * project header u when the call is that header's site (then *wrap is
 * that wrapper); else notes why not and returns 0. */
static int custom_ok(struct li_rw_walk *w, const struct li_rw_use *u,
                     CXCursor callee, int api,
                     struct li_custom_wrapper **wrap) {
  *wrap = NULL;
  if (api < LOCKINSTR_API_COUNT)
    return 1;
  struct li_rw *cx = w->cx;
  const char *name = li_rw_api(cx, api)->name;
  char *why = NULL;
  if (u->hdr_abs)
    why = custom_in_header(w, u, callee, api, wrap);
  else if (w->top_off == (size_t)-1)
    why = li_xasprintf("call to %s in a declaration that does not start in "
                       "this file",
                       name);
  else {
    char *r = li_custom_prepare(&cx->custom, api - LOCKINSTR_API_COUNT,
                                clang_getCursorReferenced(callee), w->top_off);
    why = r ? li_xasprintf("call to %s: %s", name, r) : NULL;
    free(r);
  }
  if (why)
    li_rw_note_at(cx, clang_getCursorLocation(callee), why);
  return why == NULL;
}

/* Returns 1 (and notes it) if the call written at wr is in the body of a
 * macro of a project header that this file includes inside a declaration:
 * that header's copy is left unchanged (headers.h), so the macro's call
 * cannot be rewritten. */
static int in_inside_header(struct li_rw *cx, CXCursor callee, int api,
                            const struct li_rw_written *wr) {
  for (size_t i = 0; wr->point_hdr && i < cx->ninside; i++)
    if (strcmp(wr->point_hdr, cx->inside[i]) == 0) {
      li_rw_note_at(cx, clang_getCursorLocation(callee),
                    li_xasprintf("call to %s in macro '%s' of header %s, "
                                 "which is included inside a declaration "
                                 "(its copy is left unchanged)",
                                 li_rw_api(cx, api)->name, wr->macro,
                                 wr->point_hdr));
      return 1;
    }
  return 0;
}

/* The configuration of custom API number api (custom.h), or NULL for a
 * table API. */
static const struct li_custom_api *custom_of(struct li_rw *cx, int api) {
  return api < LOCKINSTR_API_COUNT
             ? NULL
             : &cx->custom.cfg->apis[api - LOCKINSTR_API_COUNT];
}

/* For a call of a custom API whose lock is no argument of the call (`lock
 * = none`, `return`, `global NAME`; docs/configuration.md), sets s->expr
 * and s->lock_class and returns 1: the expression says where the lock
 * comes from (`STATS_LOCK()`, `item_trylock(...)`, the global's name),
 * the class is the global's name or the API's. Else returns 0. */
static int custom_lock_text(struct li_rw *cx, struct li_site *s, int api,
                            CXCursor callee) {
  const struct li_custom_api *a = custom_of(cx, api);
  int from = a ? li_custom_lock_from(a, clang_getCursorReferenced(callee))
               : LI_LOCK_ARG;
  if (from == LI_LOCK_ARG)
    return 0;
  s->expr = from == LI_LOCK_GLOBAL   ? li_xstrdup(a->global)
            : from == LI_LOCK_RETURN ? li_xasprintf("%s(...)", a->name)
                                     : li_xasprintf("%s()", a->name);
  s->lock_class = li_xstrdup(from == LI_LOCK_GLOBAL ? a->global : a->name);
  return 1;
}

/* Gives s the class of its custom API's `class = NAME`, if any (a lock
 * family: `item_locks[]` for every call keyed by a hash). */
static void custom_class(struct li_rw *cx, struct li_site *s, int api) {
  const struct li_custom_api *a = custom_of(cx, api);
  if (!a || !a->lock_class)
    return;
  free(s->lock_class);
  s->lock_class = li_xstrdup(a->lock_class);
}

/* Records a rewritable call (see struct li_site) expanded in u and
 * written at wr (whose owned strings it takes): a site of the input, or of
 * the project header u is (k: the k-th call of its API by the macro use
 * at exp_off). */
void li_rw_add_call(struct li_rw_walk *w, const struct li_rw_use *u,
                    CXCursor call, CXCursor callee, int api,
                    struct li_rw_written *wr, unsigned exp_off, size_t k) {
  struct li_rw *cx = w->cx;
  struct li_custom_wrapper *wrap;
  if (in_inside_header(cx, callee, api, wr) ||
      !custom_ok(w, u, callee, api, &wrap)) {
    free(wr->macro);
    free(wr->point_hdr);
    return;
  }
  struct li_site s = {0};
  s.api = api;
  s.name_off = wr->name_off;
  s.paren_off = wr->paren;
  s.point_hdr = wr->point_hdr;
  s.point_off = wr->point_hdr ? wr->name_off : 0;
  s.macro = wr->macro ? wr->macro : li_xstrdup("");
  s.flags = wr->macro ? LOCKINSTR_SITE_IN_MACRO : 0;
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  if (wr->macro) { /* the use's position, and its two __LINE__ values */
    li_rw_use_lines(cx, u, exp_off, nloc, &s.file, &s.line, &s.col,
                    &s.exp_line);
  } else {
    s.file = li_rw_text_position(cx, u, wr->name_off, nloc, &s.line, &s.col);
    s.exp_line = s.line;
    li_rw_keep_spelling(cx, u, &s, exp_off);
  }
  s.function = li_xstrdup(w->fn);
  if (!custom_lock_text(cx, &s, api, callee)) {
    const struct li_api *a = li_rw_api(cx, api);
    CXCursor arg = clang_Cursor_getArgument(call, (unsigned)a->lock_arg);
    s.expr = arg_text(arg, a, u, wr, exp_off);
    struct li_class_ctx cc = {cx->main, cx->job->path, s.expr, s.file, s.line};
    s.lock_class = li_lock_class(arg, &cc);
  }
  custom_class(cx, &s, api);
  s.flags |= w->inner ? LOCKINSTR_SITE_INNER : 0;
  s.noargs = clang_Cursor_getNumArguments(call) == 0;
  if (u->hdr_abs) {
    struct li_result *r = cx->res;
    r->hsites = li_xrealloc(r->hsites, (r->nhsites + 1) * sizeof *r->hsites);
    r->hsites[r->nhsites++] = (struct li_hsite){
        li_xstrdup(u->hdr_abs), exp_off, k, s, wrap, w->top_foff};
    return;
  }
  cx->calls = li_xrealloc(cx->calls, (cx->ncalls + 1) * sizeof *cx->calls);
  cx->calls[cx->ncalls++] = s;
}

/* Handles a lock call expanded in u, whose name is at offset foff of u
 * (file location) and expanded at eoff. */
static void on_call_in(struct li_rw_walk *w, const struct li_rw_use *u,
                       CXCursor call, CXCursor callee, int api, CXFile ff,
                       unsigned foff, unsigned eoff) {
  struct li_rw *cx = w->cx;
  const char *name = li_rw_api(cx, api)->name;
  size_t nl = strlen(name);
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  if (!u->buf || !ff || !clang_File_isEqual(ff, u->file) || foff >= u->len) {
    li_rw_note_at(cx, nloc,
                  li_xasprintf("call to %s whose name is made by a "
                               "macro",
                               name));
    return;
  }
  size_t end = li_spliced_name_end(u->buf, u->len, foff, name, nl);
  if (end == (size_t)-1) {
    li_rw_on_macro_call(w, u, call, callee, api, foff, eoff);
    return;
  }
  size_t paren = find_paren(u->buf, u->len, end);
  if (paren == (size_t)-1) {
    li_rw_note_at(
        cx, nloc,
        li_xasprintf("callee name %s is passed as a macro argument", name));
    return;
  }
  struct li_rw_written wr = {u->buf, u->len, foff, paren, NULL, NULL, NULL};
  li_rw_add_call(w, u, call, callee, api, &wr, eoff, 0);
}

/* Returns why the calls in function fn are left alone: "" inside the
 * definition of a custom lock API (its own implementation), the origin of
 * an exclusion, or NULL when they are not. */
static const char *skip_reason(struct li_rw *cx, const char *fn) {
  const struct li_config *c = cx->job->config;
  if (!c)
    return NULL;
  if (li_config_is_lock_impl(c, fn))
    return "";
  const struct li_exclude *e = li_config_excluded_function(c, fn);
  return e ? e->origin : NULL;
}

/* Notes a lock call that w->skip leaves alone. */
static void skipped(struct li_rw_walk *w, CXCursor callee, int api) {
  const char *name = li_rw_api(w->cx, api)->name;
  li_rw_note_at(
      w->cx, clang_getCursorLocation(callee),
      *w->skip ? li_xasprintf("call to %s in function '%s', excluded by %s",
                              name, w->fn, w->skip)
               : li_xasprintf("call to %s in the definition of custom "
                              "lock API %s (its own implementation)",
                              name, w->fn));
}

/* Returns 1 if a call of api, whose name is expanded at ef:eoff and
 * written at ff:foff, inside the definition of a custom lock API, is one
 * lockinstr instruments as that API's inner lock (lockinstr_wrap.h): a
 * table API that takes, tries or releases its lock, written in the input
 * itself (not through a macro). */
static int is_inner(struct li_rw *cx, int api, CXFile ef, CXFile ff,
                    unsigned eoff, unsigned foff) {
  if (api >= LOCKINSTR_API_COUNT || !ef || !ff ||
      !clang_File_isEqual(ef, cx->main) || !clang_File_isEqual(ff, ef) ||
      eoff != foff || eoff >= cx->len)
    return 0;
  const char *name = li_apis[api].name;
  size_t nl = strlen(name); /* else a macro's name is written there */
  if (li_ident_len(cx->buf, cx->len, eoff) != nl ||
      memcmp(cx->buf + eoff, name, nl) != 0)
    return 0;
  int k = li_apis[api].kind;
  return k == LOCKINSTR_KIND_ACQUIRE || k == LOCKINSTR_KIND_TIMED ||
         k == LOCKINSTR_KIND_TRY || k == LOCKINSTR_KIND_RELEASE;
}

/* Sets *f and *off to where top-level declaration c starts (its
 * expansion location, in any file; *f NULL if none). */
static void top_start(CXCursor c, CXFile *f, size_t *off) {
  unsigned o;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), f,
                             NULL, NULL, &o);
  *off = o;
}

/* Returns the offset in the input where top-level declaration c starts,
 * or (size_t)-1 if it does not start in the input. */
static size_t top_offset(struct li_rw *cx, CXCursor c) {
  CXFile f;
  unsigned off;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f,
                             NULL, NULL, &off);
  if (!f || !clang_File_isEqual(f, cx->main) || off > cx->len)
    return (size_t)-1;
  return off;
}

/* Notes a call of callee (a reference to function decl, which is not a
 * lock API) if decl is the implicit declaration of a table API's name: a
 * call with no prototype in scope (the header not included; C89 allows
 * it, later compilers warn), which cannot be told from the project's own
 * function of that name. An implicit declaration is the one placed at
 * the call itself. */
static void note_implicit(struct li_rw *cx, CXCursor callee, CXCursor decl) {
  if (clang_getCursorKind(decl) != CXCursor_FunctionDecl)
    return;
  char *name = li_rw_take(clang_getCursorSpelling(decl));
  int api = li_api_find(name, strlen(name));
  CXSourceLocation at = clang_getCursorLocation(callee);
  if (api >= 0 &&
      clang_equalLocations(
          clang_getCursorLocation(clang_getCanonicalCursor(decl)), at))
    li_rw_note_at(cx, at,
                  li_xasprintf("call to %s without a declaration (implicitly "
                               "declared: %s is not included)",
                               name, li_api_header_name(li_apis[api].header)));
  free(name);
}

/* Handles a call expression: records it, notes why it cannot be
 * rewritten, or ignores it (not a lock API, or inside a system header). */
static void on_call(struct li_rw_walk *w, CXCursor call) {
  struct li_rw *cx = w->cx;
  CXCursor callee = callee_ref(call);
  if (clang_Cursor_isNull(callee))
    return;
  int api = api_of(cx, clang_getCursorReferenced(callee));
  if (api < 0) {
    note_implicit(cx, callee, clang_getCursorReferenced(callee));
    return;
  }
  w->callee = callee; /* a callee, not an address taken */
  w->has_callee = 1;
  const struct li_custom_api *ca = custom_of(cx, api);
  int from = ca ? li_custom_lock_from(ca, clang_getCursorReferenced(callee))
                : LI_LOCK_ARG;
  if (from == LI_LOCK_ARG &&
      clang_Cursor_getNumArguments(call) <= li_rw_api(cx, api)->lock_arg) {
    if (api >= LOCKINSTR_API_COUNT) /* a custom API's lock = N is wrong */
      li_rw_note_at(cx, clang_getCursorLocation(callee),
                    li_xasprintf("call to %s has no argument %d (its lock)",
                                 li_rw_api(cx, api)->name,
                                 li_rw_api(cx, api)->lock_arg + 1));
    return;
  }
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  CXFile ef, ff;
  unsigned eoff, foff;
  clang_getExpansionLocation(nloc, &ef, NULL, NULL, &eoff);
  clang_getFileLocation(nloc, &ff, NULL, NULL, &foff);
  struct li_rw_walk in = *w;
  in.inner = w->skip && !*w->skip && is_inner(cx, api, ef, ff, eoff, foff);
  if (w->skip && !in.inner) {
    skipped(w, callee, api);
    return;
  }
  w = &in;
  if (!ef)
    return;
  struct li_rw_use u = {ef, NULL, 0, NULL, NULL};
  if (!clang_File_isEqual(ef, cx->main)) {
    u.hdr_name = li_rw_project_name(cx, ef);
    if (!u.hdr_name) {
      char *what = li_xasprintf("call to %s", li_rw_api(cx, api)->name);
      note_header(cx, nloc, ef, what, w->fn);
      free(what);
      return;
    }
    u.hdr_abs = li_rw_file_abs(cx, ef);
  }
  u.buf = li_rw_file_text(cx, ef, &u.len);
  on_call_in(w, &u, call, callee, api, ff, foff, eoff);
  free(u.hdr_abs);
  free(u.hdr_name);
}

/* Handles a reference to a function: a lock API used other than as the
 * callee of a call (its address is taken) cannot be instrumented. */
static void on_ref(struct li_rw_walk *w, CXCursor ref) {
  if (w->has_callee &&
      clang_equalLocations(clang_getCursorLocation(ref),
                           clang_getCursorLocation(w->callee))) {
    w->has_callee = 0;
    return;
  }
  struct li_rw *cx = w->cx;
  int api = api_of(cx, clang_getCursorReferenced(ref));
  if (api < 0 || (w->skip && !*w->skip))
    return;
  CXSourceLocation loc = clang_getCursorLocation(ref);
  CXFile ef;
  clang_getExpansionLocation(loc, &ef, NULL, NULL, NULL);
  char *what = li_xasprintf("address of %s taken (calls through a function "
                            "pointer are not instrumented)",
                            li_rw_api(cx, api)->name);
  char *pname = ef && !clang_File_isEqual(ef, cx->main)
                    ? li_rw_project_name(cx, ef)
                    : NULL;
  if (ef && (pname || clang_File_isEqual(ef, cx->main)))
    li_rw_note_at(cx, loc, what); /* the input, or a project header */
  else if (ef) {
    note_header(cx, loc, ef, what, w->fn);
    free(what);
  } else
    free(what);
  free(pname);
}

enum CXChildVisitResult li_rw_visit(CXCursor c, CXCursor parent,
                                    CXClientData data) {
  struct li_rw_walk *w = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_FunctionDecl)
    li_custom_seen_decl(&w->cx->custom, c);
  if (clang_isDeclaration(k) &&
      clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
    return CXChildVisit_Continue;
  if (clang_getCursorKind(parent) == CXCursor_TranslationUnit) {
    w->top_off = top_offset(w->cx, c);
    top_start(c, &w->top_file, &w->top_foff);
  }
  if (k == CXCursor_FunctionDecl) {
    struct li_rw_walk inner = *w;
    char *fn = li_rw_take(clang_getCursorSpelling(c));
    inner.fn = fn;
    if (!inner.skip)
      inner.skip = skip_reason(w->cx, fn);
    clang_visitChildren(c, li_rw_visit, &inner);
    free(fn);
    return CXChildVisit_Continue;
  }
  if (k == CXCursor_CallExpr)
    on_call(w, c);
  else if (k == CXCursor_DeclRefExpr)
    on_ref(w, c);
  return CXChildVisit_Recurse;
}
