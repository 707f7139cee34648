/*
 * rewrite.c — see rewrite.h.
 *
 * One parse per file. The AST is walked once (declarations from system
 * headers are skipped whole); every call whose callee is a DeclRefExpr to a
 * table function declared in a system header becomes a "call" record. Calls
 * are then grouped by the offset of their callee name in the input: a call
 * written in the file once yields one site; a call written in the body of a
 * macro defined in the file yields one site per expansion, and the site
 * index in the macro body is selected by __LINE__ (see make_sites).
 * The edits (rename + site argument, quoted-include paths) go through the
 * plain-C edit engine; the prologue and epilogue are added around the result.
 *
 * Project headers (headers.h): a call expanded in a project header is that
 * header's site (li_hsite, merged and written by the caller); a use in the
 * input of a call written in a project header's macro body is a site of
 * the input, grouped by the call's id, and selected by the LI_FN_/LI_ARG_
 * macros the prologue defines instead of by an edit. Macro bodies of any
 * file are read from its text (libclang 14 gives no spelling location).
 */
#include "rewrite.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apis.h"
#include "config.h"
#include "custom.h"
#include "edit.h"
#include "lockclass.h"
#include "lockinstr_site.h"
#include "headers.h"
#include "paths.h"

#ifndef LI_VERSION
#define LI_VERSION "0.0.0"
#endif

/* The state of one file's rewrite. */
struct ctx {
  const struct li_job *job;
  struct li_result *res;
  CXTranslationUnit tu;
  CXFile main;     /* the input, as libclang knows it */
  const char *buf; /* the input's bytes (what libclang parsed) */
  size_t len;
  struct li_site *calls; /* every rewritable call, one per expansion */
  size_t ncalls;
  struct file_macros *fms; /* #defines of the files used so far */
  size_t nfms;
  struct expansion *exps; /* calls seen so far per macro expansion */
  size_t nexps;
  struct li_custom_state custom; /* the configuration's lock APIs */
  struct def_file *defs;         /* macros looked up in the included files */
  size_t ndefs;
  CXFile *incl; /* every file of the translation unit, in inclusion order */
  size_t nincl;
  int incl_listed;
  char **point_ids;   /* header macro calls used here: LI_FN_/LI_ARG_ id */
  char **point_args;  /* ... and the site argument each one selects */
  char *point_custom; /* ... and whether it calls a custom API */
  size_t npoints;
};

/* Which included file defines a macro (NULL: none). */
struct def_file {
  char *name;
  CXFile file;
};

/* The #defines of one file (scanned on first need). */
struct file_macros {
  CXFile file;
  const char *text; /* as parsed (libclang's buffer, or the input's) */
  struct li_macro *v;
  size_t n;
};

/* The file a call is expanded in: the input, or a project header (whose
 * own site table the call's site then goes to). */
struct use {
  CXFile file;
  const char *buf; /* its text as parsed */
  size_t len;
  char *hdr_abs;  /* NULL for the input; the project header's path */
  char *hdr_name; /* ... and its name (see li_job.project_header) */
};

/* How many calls to one API a macro expansion produced so far: the k-th
 * call in the AST is the k-th call of the macro's (flattened) body. */
struct expansion {
  CXFile file;  /* the file holding the macro's use */
  unsigned off; /* offset of the macro's use in that file */
  int api;
  size_t count;
};

/* The walk's position: the enclosing function and the callee just seen. */
struct walk {
  struct ctx *cx;
  const char *fn;  /* enclosing function, "" at file scope */
  CXCursor callee; /* callee DeclRefExpr of the last matched call */
  int has_callee;
  size_t top_off;   /* start of the top-level declaration in the input,
                       or (size_t)-1 (see custom.h) */
  CXFile top_file;  /* the file where that declaration starts (any) */
  size_t top_foff;  /* ... and its offset there */
  const char *skip; /* calls here are left alone: "" (a lock's own
                       implementation) or the exclusion's origin */
};

/* ---- small helpers ---------------------------------------------------- */

static char *cx_take(CXString s) {
  const char *c = clang_getCString(s);
  char *r = li_xstrdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

/* Returns the presumed position of loc (file, line, column as a compiler
 * reports them, honouring #line); the input's own name maps to the path
 * given on the command line. */
static char *presumed(struct ctx *cx, CXSourceLocation loc, unsigned *line,
                      unsigned *col) {
  CXString f;
  clang_getPresumedLocation(loc, &f, line, col);
  const char *name = clang_getCString(f);
  char *abs = name ? li_path_abs(name, cx->job->workdir) : NULL;
  char *r;
  if (!abs || strcmp(abs, cx->job->abs) == 0)
    r = li_xstrdup(cx->job->path);
  else
    r = li_path_display(abs);
  free(abs);
  clang_disposeString(f);
  return r;
}

static void add_note(struct ctx *cx, char *file, unsigned line, unsigned col,
                     char *reason) {
  struct li_result *r = cx->res;
  r->notes = li_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
  r->notes[r->nnotes++] = (struct li_note){file, line, col, reason};
}

/* Adds a note at the presumed position of loc. */
static void note_at(struct ctx *cx, CXSourceLocation loc, char *reason) {
  unsigned line, col;
  char *file = presumed(cx, loc, &line, &col);
  add_note(cx, file, line, col, reason);
}

/* Returns 1 if the file's absolute path is an input of this run. */
static int file_is_input(struct ctx *cx, CXFile f) {
  if (!cx->job->is_input)
    return 0;
  char *name = cx_take(clang_getFileName(f));
  char *abs = li_path_abs(name, cx->job->workdir);
  int r = cx->job->is_input(abs, cx->job->include_arg);
  free(abs);
  free(name);
  return r;
}

/* Returns the absolute path of file f (new string). */
static char *file_abs(struct ctx *cx, CXFile f) {
  char *name = cx_take(clang_getFileName(f));
  char *abs = li_path_abs(name, cx->job->workdir);
  free(name);
  return abs;
}

/* Returns the project-header name of file f (see li_job.project_header),
 * or NULL if it is not one. Caller frees. */
static char *project_name(struct ctx *cx, CXFile f) {
  if (!cx->job->project_header || clang_File_isEqual(f, cx->main) ||
      file_is_input(cx, f) ||
      clang_Location_isInSystemHeader(clang_getLocation(cx->tu, f, 1, 1)))
    return NULL;
  char *abs = file_abs(cx, f);
  char *r = cx->job->project_header(abs, cx->job->include_arg);
  free(abs);
  return r;
}

/* Returns the text of file f as parsed (*len its length), or NULL. */
static const char *file_text(struct ctx *cx, CXFile f, size_t *len) {
  if (clang_File_isEqual(f, cx->main)) {
    *len = cx->len;
    return cx->buf;
  }
  const char *t = clang_getFileContents(cx->tu, f, len);
  if (!t)
    *len = 0;
  return t;
}

/* Returns the #defines of file f (text t of length n), scanned once. */
static const struct file_macros *macros_of(struct ctx *cx, CXFile f,
                                           const char *t, size_t n) {
  for (size_t i = 0; i < cx->nfms; i++)
    if (clang_File_isEqual(cx->fms[i].file, f))
      return &cx->fms[i];
  cx->fms = li_xrealloc(cx->fms, (cx->nfms + 1) * sizeof *cx->fms);
  struct file_macros *fm = &cx->fms[cx->nfms++];
  fm->file = f;
  fm->text = t;
  fm->n = li_scan_defines(t, n, &fm->v);
  return fm;
}

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
static int api_of(struct ctx *cx, CXCursor decl) {
  int api = lock_api_of(decl);
  if (api >= 0)
    return api;
  int i = li_custom_lookup(&cx->custom, decl);
  return i < 0 ? -1 : LOCKINSTR_API_COUNT + i;
}

/* Returns the table row of api number api (built-in or custom). */
static const struct li_api *api_info(struct ctx *cx, int api) {
  return api < LOCKINSTR_API_COUNT
             ? &li_apis[api]
             : li_custom_view(&cx->custom, api - LOCKINSTR_API_COUNT);
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
static void note_header(struct ctx *cx, CXSourceLocation loc, CXFile ef,
                        const char *what, const char *fn) {
  if (clang_Location_isInSystemHeader(loc) || file_is_input(cx, ef))
    return;
  char *name = cx_take(clang_getFileName(ef));
  char *h = li_path_display(name);
  free(name);
  char *reason =
      *fn ? li_xasprintf("%s in function '%s' of header %s, which is not a "
                         "project header",
                         what, fn, h)
          : li_xasprintf("%s in header %s, which is not a project header", what,
                         h);
  free(h);
  note_at(cx, loc, reason);
}

/* Where a call is written: its callee name and '(' in a file's text, and
 * for a call in a macro body, the macro (name, and its definition when the
 * macro is the one used, for parameter substitution). */
struct written {
  const char *buf; /* the text holding the call */
  size_t len;
  size_t name_off, paren;
  char *macro;                  /* owned; NULL if not in a macro body */
  const struct li_macro *outer; /* in buf, or NULL */
  char *point_hdr; /* owned; a project header's macro body: its name */
};

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
static char *arg_text(CXCursor arg, const struct li_api *a, const struct use *u,
                      const struct written *wr, unsigned exp_off) {
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
static char *custom_in_header(struct walk *w, const struct use *u,
                              CXCursor callee, int api,
                              struct li_custom_wrapper **wrap) {
  struct ctx *cx = w->cx;
  const char *name = api_info(cx, api)->name;
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
static int custom_ok(struct walk *w, const struct use *u, CXCursor callee,
                     int api, struct li_custom_wrapper **wrap) {
  *wrap = NULL;
  if (api < LOCKINSTR_API_COUNT)
    return 1;
  struct ctx *cx = w->cx;
  const char *name = api_info(cx, api)->name;
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
    note_at(cx, clang_getCursorLocation(callee), why);
  return why == NULL;
}

/* Records a rewritable call (see struct li_site) expanded in u and
 * written at wr (whose owned strings it takes): a site of the input, or of
 * the project header u is (k: the k-th call of its API by the macro use
 * at exp_off). */
static void add_call(struct walk *w, const struct use *u, CXCursor call,
                     CXCursor callee, int api, struct written *wr,
                     unsigned exp_off, size_t k) {
  struct ctx *cx = w->cx;
  struct li_custom_wrapper *wrap;
  if (!custom_ok(w, u, callee, api, &wrap)) {
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
  s.file = presumed(cx,
                    wr->macro ? nloc
                              : clang_getLocationForOffset(
                                    cx->tu, u->file, (unsigned)wr->name_off),
                    &s.line, &s.col);
  if (wr->macro) { /* clang's __LINE__ in a macro: the expansion's last line */
    CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(callee));
    clang_getPresumedLocation(end, NULL, &s.exp_line, NULL);
  } else {
    s.exp_line = s.line;
  }
  s.function = li_xstrdup(w->fn);
  const struct li_api *a = api_info(cx, api);
  CXCursor arg = clang_Cursor_getArgument(call, (unsigned)a->lock_arg);
  s.expr = arg_text(arg, a, u, wr, exp_off);
  struct li_class_ctx cc = {cx->main, cx->job->path, s.expr, s.file, s.line};
  s.lock_class = li_lock_class(arg, &cc);
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

static void list_file(CXFile f, CXSourceLocation *stack, unsigned n,
                      CXClientData d) {
  (void)stack;
  (void)n;
  struct ctx *cx = d;
  cx->incl = li_xrealloc(cx->incl, (cx->nincl + 1) * sizeof *cx->incl);
  cx->incl[cx->nincl++] = f;
}

/* Returns the first file of the translation unit (in inclusion order)
 * that defines macro name[0..n), or NULL (looked up once per name; each
 * file's #defines are scanned once). */
static CXFile defining_file(struct ctx *cx, const char *name, size_t n) {
  for (size_t i = 0; i < cx->ndefs; i++)
    if (strlen(cx->defs[i].name) == n && memcmp(cx->defs[i].name, name, n) == 0)
      return cx->defs[i].file;
  if (!cx->incl_listed) {
    clang_getInclusions(cx->tu, list_file, cx);
    cx->incl_listed = 1;
  }
  CXFile found = NULL;
  for (size_t i = 0; i < cx->nincl && !found; i++) {
    size_t len;
    const char *t = file_text(cx, cx->incl[i], &len);
    const struct file_macros *fm =
        t ? macros_of(cx, cx->incl[i], t, len) : NULL;
    if (fm && li_find_macro(t, fm->v, fm->n, name, n, len) != (size_t)-1)
      found = cx->incl[i];
  }
  cx->defs = li_xrealloc(cx->defs, (cx->ndefs + 1) * sizeof *cx->defs);
  cx->defs[cx->ndefs++] = (struct def_file){li_xstrndup(name, n), found};
  return found;
}

/* Notes a call produced by macro `name` that is not defined in the input:
 * says which header defines it, if one of the included files does. */
static void note_foreign_macro(struct ctx *cx, CXSourceLocation loc,
                               const char *api, const char *name, size_t n) {
  CXFile found = defining_file(cx, name, n);
  char *where = NULL;
  if (found) {
    char *fname = file_abs(cx, found);
    char *h = li_path_display(fname);
    int sys =
        clang_Location_isInSystemHeader(clang_getLocation(cx->tu, found, 1, 1));
    where = li_xasprintf("%sheader %s", sys ? "system " : "", h);
    free(h);
    free(fname);
  }
  note_at(cx, loc,
          li_xasprintf("call to %s in macro '%.*s' defined in %s", api, (int)n,
                       name, where ? where : "another file"));
  free(where);
}

/* Returns the k-th call of this API by the expansion of the macro used at
 * offset exp_off of file f (k counts the calls seen so far). */
static size_t expansion_index(struct ctx *cx, CXFile f, unsigned exp_off,
                              int api) {
  for (size_t i = 0; i < cx->nexps; i++)
    if (cx->exps[i].off == exp_off && cx->exps[i].api == api &&
        clang_File_isEqual(cx->exps[i].file, f))
      return cx->exps[i].count++;
  cx->exps = li_xrealloc(cx->exps, (cx->nexps + 1) * sizeof *cx->exps);
  cx->exps[cx->nexps++] = (struct expansion){f, exp_off, api, 1};
  return 0;
}

/* Notes a call that macro `mname` (used at u->buf + use) expands to, whose
 * text was not found in the body of macro number m of d. */
static void note_unfound(struct ctx *cx, CXSourceLocation nloc,
                         const char *name, const struct use *d,
                         const struct li_macro *mac, const char *mname,
                         size_t ml) {
  size_t nl = strlen(name);
  int named = 0; /* does the body hold the name itself (without '(')? */
  for (size_t i = mac->body; i + nl <= mac->end && !named; i++)
    named = li_ident_len(d->buf, mac->end, i) == nl &&
            memcmp(d->buf + i, name, nl) == 0;
  note_at(cx, nloc,
          named ? li_xasprintf("callee name %s comes from macro '%.*s'", name,
                               (int)ml, mname)
                : li_xasprintf("call to %s comes from a macro that '%.*s' "
                               "uses and that is defined in another file",
                               name, (int)ml, mname));
}

/* li_macro_lookup for li_body_calls_in: a macro defined in a project
 * header (the macros of the file being scanned come first). */
static size_t header_macro(const char *name, size_t n, void *arg,
                           struct li_macro_text *t) {
  struct ctx *cx = arg;
  CXFile df = defining_file(cx, name, n);
  char *pname = df ? project_name(cx, df) : NULL;
  if (!pname)
    return (size_t)-1;
  free(pname);
  t->s = file_text(cx, df, &t->len);
  if (!t->s)
    return (size_t)-1;
  const struct file_macros *fm = macros_of(cx, df, t->s, t->len);
  t->ms = fm->v;
  t->nm = fm->n;
  return li_find_macro(t->s, fm->v, fm->n, name, n, t->len);
}

/* Records a call that a macro of u reaches through a macro of a project
 * header (bc->text is that header's). */
static void add_foreign_call(struct walk *w, const struct use *u, CXCursor call,
                             CXCursor callee, int api,
                             const struct li_body_call *bc, unsigned exp_off,
                             size_t k) {
  struct ctx *cx = w->cx;
  const struct file_macros *fm = NULL;
  for (size_t i = 0; i < cx->nfms && !fm; i++)
    if (cx->fms[i].text == bc->text)
      fm = &cx->fms[i];
  if (!fm) /* cannot be: header_macro scanned it */
    return;
  size_t len;
  const char *text = file_text(cx, fm->file, &len);
  const struct li_macro *mac = &fm->v[bc->macro];
  struct written wr = {text,
                       len,
                       bc->name_off,
                       bc->paren_off,
                       li_xstrndup(text + mac->name, mac->name_len),
                       NULL,
                       project_name(cx, fm->file)};
  add_call(w, u, call, callee, api, &wr, exp_off, k);
}

/* Handles a call whose callee name comes from a macro used at offset use
 * of u (file location of the name): finds the call in the body of the
 * macro, defined in u itself or in a project header, or notes why it
 * cannot be rewritten. */
static void on_macro_call(struct walk *w, const struct use *u, CXCursor call,
                          CXCursor callee, int api, unsigned use,
                          unsigned exp_off) {
  struct ctx *cx = w->cx;
  const char *name = api_info(cx, api)->name;
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  size_t ml = li_ident_len(u->buf, u->len, use);
  const char *mname = u->buf + use;
  const struct file_macros *fm = macros_of(cx, u->file, u->buf, u->len);
  size_t m =
      ml ? li_find_macro(u->buf, fm->v, fm->n, mname, ml, use) : (size_t)-1;
  struct use d = *u; /* the file that defines the macro */
  char *dname = NULL;
  if (m == (size_t)-1 && ml) {
    CXFile df = defining_file(cx, mname, ml);
    dname = df ? project_name(cx, df) : NULL;
    if (dname) {
      d.file = df;
      d.buf = file_text(cx, df, &d.len);
      fm = macros_of(cx, df, d.buf, d.len);
      m = li_find_macro(d.buf, fm->v, fm->n, mname, ml, d.len);
    }
  }
  if (m == (size_t)-1 || !d.buf) {
    free(dname);
    note_foreign_macro(cx, nloc, name, mname, ml);
    return;
  }
  struct li_body_call *bc;
  struct li_macro_text t = {d.buf, d.len, fm->v, fm->n};
  size_t n =
      li_body_calls_in(&t, m, name, dname ? d.len : use, header_macro, cx, &bc);
  fm = macros_of(cx, d.file, d.buf, d.len); /* the lookup may move fms */
  size_t k = expansion_index(cx, u->file, exp_off, api);
  if (k >= n) {
    note_unfound(cx, nloc, name, &d, &fm->v[m], mname, ml);
    free(dname);
  } else if (bc[k].text != d.buf) { /* through a macro of a project header */
    free(dname);
    add_foreign_call(w, u, call, callee, api, &bc[k], exp_off, k);
  } else {
    const struct li_macro *mac = &fm->v[bc[k].macro];
    struct written wr = {d.buf,
                         d.len,
                         bc[k].name_off,
                         bc[k].paren_off,
                         li_xstrndup(d.buf + mac->name, mac->name_len),
                         bc[k].macro == m ? mac : NULL,
                         dname};
    if (!dname && u->hdr_name) /* a macro of the header using it */
      wr.point_hdr = li_xstrdup(u->hdr_name);
    add_call(w, u, call, callee, api, &wr, exp_off, k);
  }
  free(bc);
}

/* Handles a lock call expanded in u, whose name is at offset foff of u
 * (file location) and expanded at eoff. */
static void on_call_in(struct walk *w, const struct use *u, CXCursor call,
                       CXCursor callee, int api, CXFile ff, unsigned foff,
                       unsigned eoff) {
  struct ctx *cx = w->cx;
  const char *name = api_info(cx, api)->name;
  size_t nl = strlen(name);
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  if (!u->buf || !ff || !clang_File_isEqual(ff, u->file) || foff >= u->len) {
    note_at(cx, nloc,
            li_xasprintf("call to %s whose name is made by a "
                         "macro",
                         name));
    return;
  }
  if (li_ident_len(u->buf, u->len, foff) != nl ||
      memcmp(u->buf + foff, name, nl) != 0) {
    on_macro_call(w, u, call, callee, api, foff, eoff);
    return;
  }
  size_t paren = find_paren(u->buf, u->len, foff + nl);
  if (paren == (size_t)-1) {
    note_at(cx, nloc,
            li_xasprintf("callee name %s is passed as a macro argument", name));
    return;
  }
  struct written wr = {u->buf, u->len, foff, paren, NULL, NULL, NULL};
  add_call(w, u, call, callee, api, &wr, eoff, 0);
}

/* Returns why the calls in function fn are left alone: "" inside the
 * definition of a custom lock API (its own implementation), the origin of
 * an exclusion, or NULL when they are not. */
static const char *skip_reason(struct ctx *cx, const char *fn) {
  const struct li_config *c = cx->job->config;
  if (!c)
    return NULL;
  if (li_config_is_lock_impl(c, fn))
    return "";
  const struct li_exclude *e = li_config_excluded_function(c, fn);
  return e ? e->origin : NULL;
}

/* Notes a lock call that w->skip leaves alone. */
static void skipped(struct walk *w, CXCursor callee, int api) {
  const char *name = api_info(w->cx, api)->name;
  note_at(w->cx, clang_getCursorLocation(callee),
          *w->skip ? li_xasprintf("call to %s in function '%s', excluded by %s",
                                  name, w->fn, w->skip)
                   : li_xasprintf("call to %s in the definition of custom "
                                  "lock API %s (its own implementation)",
                                  name, w->fn));
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
static size_t top_offset(struct ctx *cx, CXCursor c) {
  CXFile f;
  unsigned off;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f,
                             NULL, NULL, &off);
  if (!f || !clang_File_isEqual(f, cx->main) || off > cx->len)
    return (size_t)-1;
  return off;
}

/* Handles a call expression: records it, notes why it cannot be
 * rewritten, or ignores it (not a lock API, or inside a system header). */
static void on_call(struct walk *w, CXCursor call) {
  struct ctx *cx = w->cx;
  CXCursor callee = callee_ref(call);
  if (clang_Cursor_isNull(callee))
    return;
  int api = api_of(cx, clang_getCursorReferenced(callee));
  if (api < 0)
    return;
  w->callee = callee; /* a callee, not an address taken */
  w->has_callee = 1;
  if (clang_Cursor_getNumArguments(call) <= api_info(cx, api)->lock_arg) {
    if (api >= LOCKINSTR_API_COUNT) /* a custom API's lock = N is wrong */
      note_at(cx, clang_getCursorLocation(callee),
              li_xasprintf("call to %s has no argument %d (its lock)",
                           api_info(cx, api)->name,
                           api_info(cx, api)->lock_arg + 1));
    return;
  }
  if (w->skip) {
    skipped(w, callee, api);
    return;
  }
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  CXFile ef, ff;
  unsigned eoff, foff;
  clang_getExpansionLocation(nloc, &ef, NULL, NULL, &eoff);
  clang_getFileLocation(nloc, &ff, NULL, NULL, &foff);
  if (!ef)
    return;
  struct use u = {ef, NULL, 0, NULL, NULL};
  if (!clang_File_isEqual(ef, cx->main)) {
    u.hdr_name = project_name(cx, ef);
    if (!u.hdr_name) {
      char *what = li_xasprintf("call to %s", api_info(cx, api)->name);
      note_header(cx, nloc, ef, what, w->fn);
      free(what);
      return;
    }
    u.hdr_abs = file_abs(cx, ef);
  }
  u.buf = file_text(cx, ef, &u.len);
  on_call_in(w, &u, call, callee, api, ff, foff, eoff);
  free(u.hdr_abs);
  free(u.hdr_name);
}

/* Handles a reference to a function: a lock API used other than as the
 * callee of a call (its address is taken) cannot be instrumented. */
static void on_ref(struct walk *w, CXCursor ref) {
  if (w->has_callee &&
      clang_equalLocations(clang_getCursorLocation(ref),
                           clang_getCursorLocation(w->callee))) {
    w->has_callee = 0;
    return;
  }
  struct ctx *cx = w->cx;
  int api = api_of(cx, clang_getCursorReferenced(ref));
  if (api < 0 || (w->skip && !*w->skip))
    return;
  CXSourceLocation loc = clang_getCursorLocation(ref);
  CXFile ef;
  clang_getExpansionLocation(loc, &ef, NULL, NULL, NULL);
  char *what = li_xasprintf("address of %s taken (calls through a function "
                            "pointer are not instrumented)",
                            api_info(cx, api)->name);
  char *pname =
      ef && !clang_File_isEqual(ef, cx->main) ? project_name(cx, ef) : NULL;
  if (ef && (pname || clang_File_isEqual(ef, cx->main)))
    note_at(cx, loc, what); /* the input, or a project header */
  else if (ef) {
    note_header(cx, loc, ef, what, w->fn);
    free(what);
  } else
    free(what);
  free(pname);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent,
                                     CXClientData data) {
  struct walk *w = data;
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
    struct walk inner = *w;
    char *fn = cx_take(clang_getCursorSpelling(c));
    inner.fn = fn;
    if (!inner.skip)
      inner.skip = skip_reason(w->cx, fn);
    clang_visitChildren(c, visit, &inner);
    free(fn);
    return CXChildVisit_Continue;
  }
  if (k == CXCursor_CallExpr)
    on_call(w, c);
  else if (k == CXCursor_DeclRefExpr)
    on_ref(w, c);
  return CXChildVisit_Recurse;
}

/* ---- from calls to sites and edits ------------------------------------ */

int li_site_group_cmp(const struct li_site *a, const struct li_site *b) {
  if (!a->point_hdr != !b->point_hdr)
    return a->point_hdr ? 1 : -1;
  int c = a->point_hdr ? strcmp(a->point_hdr, b->point_hdr) : 0;
  if (c)
    return c;
  size_t x = a->point_hdr ? a->point_off : a->name_off;
  size_t y = b->point_hdr ? b->point_off : b->name_off;
  return x < y ? -1 : x > y;
}

static int call_cmp(const void *pa, const void *pb) {
  const struct li_site *a = pa, *b = pb;
  int g = li_site_group_cmp(a, b);
  if (g)
    return g;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

void li_site_free(struct li_site *s) {
  free(s->file);
  free(s->function);
  free(s->expr);
  free(s->lock_class);
  free(s->macro);
  free(s->point_hdr);
}

/* A group of calls sharing one callee name in the text (one call written
 * once; a call in a macro body and its expansions). */
struct group {
  size_t first, n; /* cx->calls[first .. first+n) */
};

/* Returns 1 if line is one of the lines already mapped in keys[0..n). */
static int line_taken(const unsigned *keys, size_t n, unsigned line) {
  for (size_t i = 0; i < n; i++)
    if (keys[i] == line)
      return 1;
  return 0;
}

/* Moves the calls that become sites to res->sites, in text order of the
 * groups, and writes the site-argument text of each group into args[g].
 * An expansion gets its own site if one of its two possible __LINE__
 * values (gcc: the macro name's line; clang: the expansion's last line) is
 * not already taken by an earlier expansion of the same macro. */
static void make_sites(struct ctx *cx, struct group *gs, size_t ng, char **args,
                       const char *array) {
  struct li_result *r = cx->res;
  r->sites = li_xmalloc((cx->ncalls + 1) * sizeof *r->sites);
  unsigned *keys = li_xmalloc((2 * cx->ncalls + 1) * sizeof *keys);
  size_t *idx = li_xmalloc((2 * cx->ncalls + 1) * sizeof *idx);
  for (size_t g = 0; g < ng; g++) {
    size_t nk = 0;
    for (size_t i = gs[g].first; i < gs[g].first + gs[g].n; i++) {
      struct li_site *c = &cx->calls[i];
      int fresh =
          !line_taken(keys, nk, c->line) || !line_taken(keys, nk, c->exp_line);
      if (!fresh || (nk > 0 && !(c->flags & LOCKINSTR_SITE_IN_MACRO))) {
        li_site_free(c);
        continue;
      }
      size_t site = r->nsites++;
      r->sites[site] = *c;
      if (!line_taken(keys, nk, c->line)) {
        keys[nk] = c->line;
        idx[nk++] = site;
      }
      if (!line_taken(keys, nk, c->exp_line)) {
        keys[nk] = c->exp_line;
        idx[nk++] = site;
      }
    }
    struct li_buf b = {0};
    li_buf_printf(&b, "&%s[", array);
    for (size_t k = 0; k + 1 < nk; k++)
      if (idx[k] != idx[nk - 1])
        li_buf_printf(&b, "__LINE__ == %u ? %zu : ", keys[k], idx[k]);
    li_buf_printf(&b, "%zu], ", idx[nk - 1]);
    args[g] = li_buf_take(&b);
  }
  free(keys);
  free(idx);
  free(cx->calls);
  cx->calls = NULL;
  cx->ncalls = 0;
}

/* Groups the calls by callee-name offset and adds their edits. */
static void call_edits(struct ctx *cx, struct li_edits *ed, const char *array) {
  if (cx->ncalls == 0)
    return;
  qsort(cx->calls, cx->ncalls, sizeof *cx->calls, call_cmp);
  struct group *gs = li_xmalloc(cx->ncalls * sizeof *gs);
  size_t ng = 0;
  for (size_t i = 0; i < cx->ncalls; i++) {
    if (ng &&
        li_site_group_cmp(&cx->calls[gs[ng - 1].first], &cx->calls[i]) == 0)
      gs[ng - 1].n++;
    else
      gs[ng++] = (struct group){i, 1};
  }
  char **args = li_xmalloc(ng * sizeof *args);
  size_t *name_off = li_xmalloc(ng * sizeof *name_off);
  size_t *paren_off = li_xmalloc(ng * sizeof *paren_off);
  char **points = li_xmalloc(ng * sizeof *points);
  int *apis = li_xmalloc(ng * sizeof *apis);
  for (size_t g = 0; g < ng; g++) {
    const struct li_site *c = &cx->calls[gs[g].first];
    apis[g] = c->api;
    name_off[g] = c->name_off;
    paren_off[g] = c->paren_off;
    points[g] = c->point_hdr ? li_point_id(c->point_hdr, c->point_off) : NULL;
  }
  make_sites(cx, gs, ng, args, array);
  cx->point_ids = li_xmalloc((ng + 1) * sizeof *cx->point_ids);
  cx->point_args = li_xmalloc((ng + 1) * sizeof *cx->point_args);
  cx->point_custom = li_xmalloc(ng + 1);
  for (size_t g = 0; g < ng; g++) {
    if (points[g]) { /* selected by the header's macro body: no edit here */
      cx->point_ids[cx->npoints] = points[g];
      cx->point_custom[cx->npoints] = apis[g] >= LOCKINSTR_API_COUNT;
      cx->point_args[cx->npoints++] = args[g];
      continue;
    }
    int rc = li_edits_add(ed, name_off[g], 0,
                          apis[g] < LOCKINSTR_API_COUNT ? "lockinstr_"
                                                        : "lockinstr_custom_");
    rc |= li_edits_add(ed, paren_off[g] + 1, 0, args[g]);
    assert(rc == 0);
    (void)rc; /* the edits cannot overlap: one call, two offsets */
    free(args[g]);
  }
  free(args);
  free(name_off);
  free(paren_off);
  free(points);
  free(apis);
  free(gs);
}

/* Adds edits re-pointing each `#include "x.h"` that resolves through the
 * input's own directory at the header's path relative to the output. */
static void include_edits(struct ctx *cx, struct li_edits *ed) {
  const struct li_job *job = cx->job;
  if (job->out_abs)
    li_include_edits(cx->buf, cx->len, job->abs, job->out_abs,
                     job->include_target, job->include_arg, ed);
}

/* ---- output ------------------------------------------------------------ */

/* Returns the name of the file's site array: LI_SITE for a .c file, a name
 * made from the path for anything else (a header instrumented as an input,
 * included with other instrumented files into one translation unit). */
static char *array_name(const char *path) {
  size_t n = strlen(path);
  if (n > 2 && strcmp(path + n - 2, ".c") == 0)
    return li_xstrdup("LI_SITE");
  struct li_buf b = {0};
  li_buf_puts(&b, "LI_SITE_");
  for (const char *p = path; *p; p++) {
    char c = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                            (*p >= '0' && *p <= '9')
                        ? *p
                        : '_');
    li_buf_add(&b, &c, 1);
  }
  return li_buf_take(&b);
}

/* Appends a quoted C string literal. */
static void add_str(struct li_buf *b, const char *s) {
  li_buf_puts(b, "\"");
  li_buf_cstr(b, s, strlen(s));
  li_buf_puts(b, "\"");
}

void li_site_init_text(struct li_buf *b, const struct li_site *s) {
  li_buf_printf(b, "  LOCKINSTR_SITE_INIT(%s, %s, %u, %u, ",
                s->api < LOCKINSTR_API_COUNT ? li_apis[s->api].name : "CUSTOM",
                s->flags & LOCKINSTR_SITE_IN_MACRO ? "LOCKINSTR_SITE_IN_MACRO"
                                                   : "0",
                s->line, s->col);
  const char *strs[] = {s->file, s->function, s->expr, s->lock_class, s->macro};
  for (int k = 0; k < 5; k++) {
    add_str(b, strs[k]);
    li_buf_puts(b, k < 4 ? ", " : "),");
  }
}

/* Appends a declaration of each wrapper the file calls. Only a header
 * needs them: the file including it may have included lockinstr_site.h
 * already, declaring another API group only. */
static void declare_used(const struct li_result *r, struct li_buf *b,
                         const char *eol) {
  char used[LOCKINSTR_API_COUNT] = {0};
  for (size_t i = 0; i < r->nsites; i++)
    if (r->sites[i].api < LOCKINSTR_API_COUNT)
      used[r->sites[i].api] = 1;
  for (int a = 0; a < LOCKINSTR_API_COUNT; a++) {
    if (!used[a])
      continue;
    li_buf_printf(b,
                  "static inline %s lockinstr_%s(struct lockinstr_site *site, "
                  "%s);%s",
                  li_apis[a].ret, li_apis[a].name, li_apis[a].params, eol);
  }
}

/* Appends the prologue (see docs/rewriter.md, "Output"). */
static void prologue(struct ctx *cx, struct li_buf *b, const char *eol,
                     unsigned groups, const char *array) {
  const struct li_result *r = cx->res;
  struct li_buf name = {0};
  for (const char *p = cx->job->path; *p; p++) /* keep the comment closed */
    li_buf_puts(&name, p[0] == '*' && p[1] == '/' ? "*\\" : (char[2]){*p, 0});
  li_buf_printf(b,
                "/* lockinstr " LI_VERSION ": instrumented from %s; do not "
                "edit */%s#define LOCKINSTR_INSTRUMENTED 1%s",
                name.s, eol, eol);
  li_buf_free(&name);
  if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
    li_buf_printf(b, "#define LOCKINSTR_USES_PTHREAD 1%s", eol);
  if (groups & (1u << LOCKINSTR_HEADER_THREADS))
    li_buf_printf(b, "#define LOCKINSTR_USES_THREADS 1%s", eol);
  li_buf_printf(
      b, "#include <%s>%s",
      li_custom_used(&cx->custom) ? "lockinstr.h" : "lockinstr_site.h", eol);
  int guard = strcmp(array, "LI_SITE") != 0; /* a header: included twice */
  if (guard)
    declare_used(r, b, eol);
  if (guard)
    li_buf_printf(b, "#ifndef %s_DEFINED%s#define %s_DEFINED 1%s", array, eol,
                  array, eol);
  li_buf_printf(b,
                "static struct lockinstr_site %s[LOCKINSTR_SITES(%zu)] "
                "LOCKINSTR_SITE_TABLE = {%s",
                array, r->nsites, eol);
  for (size_t i = 0; i < r->nsites; i++) {
    li_site_init_text(b, &r->sites[i]);
    li_buf_puts(b, eol);
  }
  li_buf_printf(b, "};%s", eol);
  if (guard)
    li_buf_printf(b, "#endif%s", eol);
  for (size_t i = 0; i < cx->npoints; i++) /* args end with ", " */
    li_buf_printf(b,
                  "#define LI_FN_%s(f) lockinstr_%s##f%s"
                  "#define LI_ARG_%s %.*s%s",
                  cx->point_ids[i], cx->point_custom[i] ? "custom_" : "", eol,
                  cx->point_ids[i], (int)strlen(cx->point_args[i]) - 1,
                  cx->point_args[i], eol);
  li_buf_puts(b, "#line 1 ");
  add_str(b, cx->job->path);
  li_buf_puts(b, eol);
}

/* Builds res->output from the edited text. */
static void assemble(struct ctx *cx, const char *text, size_t n,
                     const char *array) {
  struct li_result *r = cx->res;
  if (r->nsites == 0) {
    r->output = li_xstrndup(text, n);
    r->output_len = n;
    return;
  }
  const char *nl = memchr(cx->buf, '\n', cx->len);
  const char *eol = nl && nl > cx->buf && nl[-1] == '\r' ? "\r\n" : "\n";
  unsigned groups = 0;
  for (size_t i = 0; i < r->nsites; i++)
    if (r->sites[i].api < LOCKINSTR_API_COUNT)
      groups |= 1u << li_apis[r->sites[i].api].header;
  struct li_buf b = {0};
  prologue(cx, &b, eol, groups, array);
  li_buf_add(&b, text, n);
  if (n > 0 && text[n - 1] != '\n')
    li_buf_puts(&b, eol);
  if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
    li_buf_printf(&b, "#include <lockinstr_pthread.h>%s", eol);
  if (groups & (1u << LOCKINSTR_HEADER_THREADS))
    li_buf_printf(&b, "#include <lockinstr_threads.h>%s", eol);
  li_custom_epilogue(&cx->custom, cx->job->config, &b, eol);
  r->output_len = b.n;
  r->output = li_buf_take(&b);
}

/* ---- parsing ----------------------------------------------------------- */

/* Collects the parse's errors into res->diag; returns their number.
 * Errors without a location come from the compiler driver (flags): they
 * are ignored, the allow-list keeps them out anyway. */
static int collect_errors(struct ctx *cx) {
  int errors = 0;
  unsigned n = clang_getNumDiagnostics(cx->tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(cx->tu, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
    CXSourceLocation loc = clang_getDiagnosticLocation(d);
    CXFile f;
    clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
    if (sev >= CXDiagnostic_Error && f) {
      unsigned line, col;
      char *file = presumed(cx, loc, &line, &col);
      char *msg = cx_take(clang_getDiagnosticSpelling(d));
      li_buf_printf(&cx->res->diag, "%s:%u:%u: %s: %s\n", file, line, col,
                    sev == CXDiagnostic_Fatal ? "fatal error" : "error", msg);
      free(file);
      free(msg);
      errors++;
    }
    clang_disposeDiagnostic(d);
  }
  return errors;
}

/* Parses the input; returns 0 or -1 (with res->diag filled). */
static int parse(CXIndex index, struct ctx *cx) {
  const struct li_job *job = cx->job;
  const char **args = li_xmalloc((job->nflags + 6) * sizeof *args);
  int n = 0;
  for (size_t i = 0; i < job->nflags; i++)
    args[n++] = job->flags[i];
  args[n++] = "-resource-dir";
  args[n++] = job->resource_dir;
  /* no -working-directory: libclang would chdir() the process (the
   * flags' paths are absolute instead, see li_absolute_flags) */
  struct CXUnsavedFile unsaved = {job->abs, cx->buf, (unsigned long)cx->len};
  enum CXErrorCode rc =
      clang_parseTranslationUnit2(index, job->abs, args, n, &unsaved, 1,
                                  CXTranslationUnit_KeepGoing, &cx->tu);
  free(args);
  if (rc != CXError_Success || !cx->tu) {
    li_buf_printf(&cx->res->diag,
                  "lockinstr: %s: error: libclang could not "
                  "parse the file (error %d; a compiler flag it does not "
                  "accept?)\n",
                  job->path, (int)rc);
    return -1;
  }
  cx->main = clang_getFile(cx->tu, job->abs);
  if (collect_errors(cx) > 0 || !cx->main) {
    li_buf_printf(&cx->res->diag,
                  "lockinstr: %s: error: file not "
                  "instrumented: it does not compile\n",
                  job->path);
    return -1;
  }
  return 0;
}

int li_is_instrumented(const char *buf, size_t len) {
  static const char mark[] = "#define LOCKINSTR_INSTRUMENTED";
  size_t lim = len < 4096 ? len : 4096;
  for (size_t at = 0; at + sizeof mark - 1 <= lim; at++)
    if ((at == 0 || buf[at - 1] == '\n') &&
        memcmp(buf + at, mark, sizeof mark - 1) == 0)
      return 1;
  return 0;
}

/* Tells project header abs (an LI_HSITE_NAMES record each) the names of
 * the configuration's lock APIs: its copy rewrites the calls to them in
 * its macro bodies whether or not this file uses those macros, so that
 * every run with the same configuration writes the same copy. */
static void name_apis(struct ctx *cx, const char *abs) {
  const struct li_config *c = cx->custom.cfg;
  struct li_result *r = cx->res;
  for (size_t i = 0; c && i < c->napis; i++) {
    struct li_custom_wrapper *w = li_xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->name = li_xstrdup(c->apis[i].name);
    r->hsites = li_xrealloc(r->hsites, (r->nhsites + 1) * sizeof *r->hsites);
    struct li_hsite *h = &r->hsites[r->nhsites++];
    memset(h, 0, sizeof *h);
    h->header = li_xstrdup(abs);
    h->site.api = LI_HSITE_NAMES;
    h->custom = w;
  }
}

static void header_visit(CXFile f, CXSourceLocation *stack, unsigned n,
                         CXClientData d) {
  (void)stack;
  (void)n;
  struct ctx *cx = d;
  char *name = project_name(cx, f);
  if (!name)
    return;
  free(name);
  struct li_result *r = cx->res;
  r->headers = li_xrealloc(r->headers, (r->nheaders + 1) * sizeof *r->headers);
  r->headers[r->nheaders++] = file_abs(cx, f);
  name_apis(cx, r->headers[r->nheaders - 1]);
}

static void dep_visit(CXFile f, CXSourceLocation *stack, unsigned n,
                      CXClientData d) {
  (void)stack;
  (void)n;
  struct ctx *cx = d;
  if (clang_File_isEqual(f, cx->main))
    return;
  struct li_result *r = cx->res;
  r->deps = li_xrealloc(r->deps, (r->ndeps + 1) * sizeof *r->deps);
  r->deps[r->ndeps++] = file_abs(cx, f);
}

/* Adds the declaration of each custom wrapper the file calls, in front of
 * the top-level declaration holding its first call (custom.h). */
static void custom_edits(struct ctx *cx, struct li_edits *ed) {
  for (size_t i = 0; cx->custom.cfg && i < cx->custom.cfg->napis; i++) {
    if (!cx->custom.use[i].used)
      continue;
    char *decl = li_custom_decl(&cx->custom, (int)i);
    int rc = li_edits_add(ed, cx->custom.use[i].decl_off, 0, decl);
    assert(rc == 0);
    (void)rc; /* a declaration has no newline */
    free(decl);
  }
}

/* An excluded input: its text as it is, but for quoted includes, which
 * are re-pointed at the original headers (never at instrumented copies)
 * so that the copy still compiles from the output directory. */
static void copy_excluded(struct ctx *cx) {
  struct li_edits ed;
  struct li_job plain = *cx->job;
  const struct li_job *job = cx->job;
  plain.include_target = NULL;
  li_edits_init(&ed);
  cx->job = &plain;
  include_edits(cx, &ed);
  cx->job = job;
  char *text;
  size_t n;
  if (li_edits_apply(&ed, cx->buf, cx->len, &text, &n) != 0) {
    text = li_xstrndup(cx->buf, cx->len);
    n = cx->len;
  }
  cx->res->output = text;
  cx->res->output_len = n;
  li_edits_free(&ed);
}

/* Instruments cx->buf (parsed) into cx->res. */
static void instrument(struct ctx *cx) {
  struct walk w = {cx, "", clang_getNullCursor(), 0, (size_t)-1, NULL, 0, NULL};
  clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), visit, &w);
  clang_getInclusions(cx->tu, header_visit, cx);
  struct li_edits ed;
  li_edits_init(&ed);
  char *array = array_name(cx->job->path);
  call_edits(cx, &ed, array);
  custom_edits(cx, &ed);
  include_edits(cx, &ed);
  if (cx->res->nsites && cx->len >= 3 && !memcmp(cx->buf, "\xEF\xBB\xBF", 3))
    li_edits_add(&ed, 0, 3, ""); /* the prologue goes first; drop the BOM */
  char *text;
  size_t n;
  int rc = li_edits_apply(&ed, cx->buf, cx->len, &text, &n);
  if (rc != 0) {
    li_buf_printf(&cx->res->diag,
                  "lockinstr: %s: error: internal: edits "
                  "conflict (%s)\n",
                  cx->job->path, strerror(-rc));
    cx->res->status = LI_FAILED;
  } else {
    assemble(cx, text, n, array);
    free(text);
  }
  li_edits_free(&ed);
  free(array);
}

/*
 * A C source never holds a NUL byte; an object file, an image or a
 * compressed file almost always does within its first bytes. Returns 1,
 * with an error naming the first NUL's line and column (bytes, from 1), if
 * BUF holds one, so the user gets one line instead of a screen of parse
 * errors.
 */
static int reject_binary(const struct li_job *job, const char *buf, size_t len,
                         struct li_result *res) {
  const char *nul = memchr(buf, '\0', len);
  if (!nul)
    return 0;
  unsigned line = 1;
  const char *bol = buf;
  for (const char *p = buf; p < nul; p++)
    if (*p == '\n') {
      line++;
      bol = p + 1;
    }
  li_buf_printf(&res->diag,
                "lockinstr: %s:%u:%u: error: not a C source file (binary "
                "data: a NUL byte)\n",
                job->path, line, (unsigned)(nul - bol) + 1);
  res->status = LI_FAILED;
  return 1;
}

void li_rewrite_file(CXIndex index, const struct li_job *job,
                     struct li_result *res) {
  memset(res, 0, sizeof *res);
  struct ctx cx = {0};
  cx.job = job;
  cx.res = res;
  char *buf;
  size_t len;
  int rc = li_read_file(job->abs, &buf, &len);
  if (rc != 0) {
    li_buf_printf(&res->diag, "lockinstr: %s: error: cannot read: %s\n",
                  job->path, strerror(-rc));
    res->status = LI_FAILED;
    return;
  }
  if (reject_binary(job, buf, len, res)) {
    free(buf);
    return;
  }
  cx.buf = buf;
  cx.len = len;
  if (li_is_instrumented(buf, len)) {
    res->already = 1;
    res->output = buf;
    res->output_len = len;
    return;
  }
  if (job->excluded) {
    copy_excluded(&cx);
    free(buf);
    return;
  }
  li_custom_init(&cx.custom, job->config);
  if (parse(index, &cx) != 0) {
    res->status = LI_FAILED;
  } else {
    instrument(&cx);
  }
  if (job->want_deps && res->status == LI_OK) /* for --depfile */
    clang_getInclusions(cx.tu, dep_visit, &cx);
  if (cx.tu)
    clang_disposeTranslationUnit(cx.tu);
  for (size_t i = 0; i < cx.nfms; i++)
    free(cx.fms[i].v);
  free(cx.fms);
  for (size_t i = 0; i < cx.ndefs; i++)
    free(cx.defs[i].name);
  free(cx.defs);
  free(cx.incl);
  for (size_t i = 0; i < cx.npoints; i++) {
    free(cx.point_ids[i]);
    free(cx.point_args[i]);
  }
  free(cx.point_ids);
  free(cx.point_args);
  free(cx.point_custom);
  free(cx.exps);
  li_custom_free(&cx.custom);
  free(buf);
}

void li_result_free(struct li_result *res) {
  for (size_t i = 0; i < res->nsites; i++)
    li_site_free(&res->sites[i]);
  free(res->sites);
  for (size_t i = 0; i < res->nnotes; i++) {
    free(res->notes[i].file);
    free(res->notes[i].reason);
  }
  free(res->notes);
  for (size_t i = 0; i < res->nhsites; i++) {
    free(res->hsites[i].header);
    li_site_free(&res->hsites[i].site);
    if (res->hsites[i].custom)
      li_custom_wrapper_free(res->hsites[i].custom);
    free(res->hsites[i].custom);
  }
  free(res->hsites);
  for (size_t i = 0; i < res->nheaders; i++)
    free(res->headers[i]);
  free(res->headers);
  for (size_t i = 0; i < res->ndeps; i++)
    free(res->deps[i]);
  free(res->deps);
  li_buf_free(&res->diag);
  free(res->output);
  memset(res, 0, sizeof *res);
}
