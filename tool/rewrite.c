/*
 * rewrite.c — see rewrite.h.
 *
 * One parse per file. The AST is walked once (declarations from system
 * headers are skipped whole); every call whose callee is a DeclRefExpr to a
 * table function declared in a system header becomes a "call" record. Calls
 * are then grouped by the offset of their callee name in the input: a call
 * written in the file once yields one site; a call written in the body of a
 * macro defined in the file yields one site per expansion, and the site
 * index in the macro body is selected by __LINE__ (see macro_index_text).
 * The edits (rename + site argument, quoted-include paths) go through the
 * plain-C edit engine; the prologue and epilogue are added around the result.
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
#include "edit.h"
#include "lockclass.h"
#include "lockinstr_site.h"
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
  struct li_macro *macros; /* the input's #defines (scanned on first need) */
  size_t nmacros;
  int macros_scanned;
  struct expansion *exps; /* calls seen so far per macro expansion */
  size_t nexps;
};

/* How many calls to one API a macro expansion produced so far: the k-th
 * call in the AST is the k-th call of the macro's (flattened) body. */
struct expansion {
  unsigned off; /* offset of the macro's use in the input */
  int api;
  size_t count;
};

/* The walk's position: the enclosing function and the callee just seen. */
struct walk {
  struct ctx *cx;
  const char *fn;  /* enclosing function, "" at file scope */
  CXCursor callee; /* callee DeclRefExpr of the last matched call */
  int has_callee;
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
  char *r;
  if (!name || strcmp(name, cx->job->abs) == 0)
    r = li_xstrdup(cx->job->path);
  else
    r = li_path_display(name);
  clang_disposeString(f);
  return r;
}

static CXSourceLocation main_loc(struct ctx *cx, size_t off) {
  return clang_getLocationForOffset(cx->tu, cx->main, (unsigned)off);
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
      *fn ? li_xasprintf("%s in function '%s' of header %s, which is not an "
                         "input",
                         what, fn, h)
          : li_xasprintf("%s in header %s, which is not an input", what, h);
  free(h);
  note_at(cx, loc, reason);
}

/* Returns the text of argument number k of the call whose '(' is at
 * paren in the input. */
static char *nth_arg(struct ctx *cx, size_t paren, int k) {
  size_t at = paren + 1;
  for (;;) {
    at = li_skip_space(cx->buf, cx->len, at);
    size_t end = li_arg_end(cx->buf, cx->len, at);
    if (k-- == 0 || end >= cx->len)
      return li_xstrndup(cx->buf + at, end - at);
    at = end;
    while (at < cx->len && cx->buf[at] != ',' && cx->buf[at] != ')')
      at++;
    if (at >= cx->len || cx->buf[at] == ')')
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
static char *arg_text(struct ctx *cx, CXCursor arg, const struct li_api *a,
                      size_t paren, int in_macro, unsigned exp_off,
                      const struct li_macro *outer) {
  CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(arg));
  CXFile f;
  unsigned off;
  clang_getFileLocation(start, &f, NULL, NULL, &off);
  if (in_macro && (!f || off == exp_off)) {
    char *body = nth_arg(cx, paren, a->lock_arg);
    char *sub =
        outer ? li_macro_subst(cx->buf, cx->len, outer, exp_off, body) : NULL;
    if (!sub)
      return body;
    free(body);
    return sub;
  }
  if (!f || !clang_File_isEqual(f, cx->main) || off >= cx->len)
    return nth_arg(cx, paren, a->lock_arg);
  size_t end = li_arg_end(cx->buf, cx->len, off);
  return li_xstrndup(cx->buf + off, end - off);
}

/* Records a rewritable call (see struct li_site). */
static void add_call(struct walk *w, CXCursor call, CXCursor callee, int api,
                     size_t name_off, size_t paren, char *macro,
                     unsigned exp_off, const struct li_macro *outer) {
  struct ctx *cx = w->cx;
  struct li_site s = {0};
  s.api = api;
  s.name_off = name_off;
  s.paren_off = paren;
  s.macro = macro ? macro : li_xstrdup("");
  s.flags = macro ? LOCKINSTR_SITE_IN_MACRO : 0;
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  s.file = presumed(cx, macro ? nloc : main_loc(cx, name_off), &s.line, &s.col);
  if (macro) { /* clang's __LINE__ in a macro: the expansion's last line */
    CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(callee));
    clang_getPresumedLocation(end, NULL, &s.exp_line, NULL);
  } else {
    s.exp_line = s.line;
  }
  s.function = li_xstrdup(w->fn);
  const struct li_api *a = &li_apis[api];
  CXCursor arg = clang_Cursor_getArgument(call, (unsigned)a->lock_arg);
  s.expr = arg_text(cx, arg, a, paren, macro != NULL, exp_off, outer);
  struct li_class_ctx cc = {cx->main, cx->job->path, s.expr, s.file, s.line};
  s.lock_class = li_lock_class(arg, &cc);
  cx->calls = li_xrealloc(cx->calls, (cx->ncalls + 1) * sizeof *cx->calls);
  cx->calls[cx->ncalls++] = s;
}

struct find_def {
  const char *name;
  size_t len;
  CXTranslationUnit tu;
  CXFile found;
};

static void find_def_visit(CXFile f, CXSourceLocation *stack, unsigned n,
                           CXClientData d) {
  (void)stack;
  (void)n;
  struct find_def *fd = d;
  size_t size;
  const char *text = fd->found ? NULL : clang_getFileContents(fd->tu, f, &size);
  if (!text)
    return;
  struct li_macro *ms;
  size_t nm = li_scan_defines(text, size, &ms);
  if (li_find_macro(text, ms, nm, fd->name, fd->len, size) != (size_t)-1)
    fd->found = f;
  free(ms);
}

/* Notes a call produced by macro `name` that is not defined in the input:
 * says which header defines it, if one of the included files does. */
static void note_foreign_macro(struct ctx *cx, CXSourceLocation loc,
                               const char *api, const char *name, size_t n) {
  struct find_def fd = {name, n, cx->tu, NULL};
  clang_getInclusions(cx->tu, find_def_visit, &fd);
  char *where = NULL;
  if (fd.found) {
    char *fname = cx_take(clang_getFileName(fd.found));
    char *h = li_path_display(fname);
    int sys = clang_Location_isInSystemHeader(
        clang_getLocation(cx->tu, fd.found, 1, 1));
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
 * offset exp_off (k counts the calls seen so far). */
static size_t expansion_index(struct ctx *cx, unsigned exp_off, int api) {
  for (size_t i = 0; i < cx->nexps; i++)
    if (cx->exps[i].off == exp_off && cx->exps[i].api == api)
      return cx->exps[i].count++;
  cx->exps = li_xrealloc(cx->exps, (cx->nexps + 1) * sizeof *cx->exps);
  cx->exps[cx->nexps++] = (struct expansion){exp_off, api, 1};
  return 0;
}

/* Handles a call whose callee name comes from a macro used at offset use
 * (file location of the name): finds the call in the body of a macro of
 * the input, or notes why it cannot be rewritten. */
static void on_macro_call(struct walk *w, CXCursor call, CXCursor callee,
                          int api, unsigned use, unsigned exp_off) {
  struct ctx *cx = w->cx;
  const char *name = li_apis[api].name;
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  if (!cx->macros_scanned) {
    cx->nmacros = li_scan_defines(cx->buf, cx->len, &cx->macros);
    cx->macros_scanned = 1;
  }
  size_t ml = li_ident_len(cx->buf, cx->len, use);
  size_t m =
      li_find_macro(cx->buf, cx->macros, cx->nmacros, cx->buf + use, ml, use);
  if (ml == 0 || m == (size_t)-1) {
    note_foreign_macro(cx, nloc, name, cx->buf + use, ml);
    return;
  }
  struct li_body_call *bc;
  size_t n = li_body_calls(cx->buf, cx->len, cx->macros, cx->nmacros, m, name,
                           use, &bc);
  size_t k = expansion_index(cx, exp_off, api);
  if (k >= n) {
    const struct li_macro *mac = &cx->macros[m];
    int named = 0; /* does the body hold the name itself (without '(')? */
    for (size_t i = mac->body; i + strlen(name) <= mac->end && !named; i++)
      named = li_ident_len(cx->buf, mac->end, i) == strlen(name) &&
              memcmp(cx->buf + i, name, strlen(name)) == 0;
    note_at(cx, nloc,
            named ? li_xasprintf("callee name %s comes from macro '%.*s'", name,
                                 (int)ml, cx->buf + use)
                  : li_xasprintf("call to %s comes from a macro that '%.*s' "
                                 "uses and that is defined in another file",
                                 name, (int)ml, cx->buf + use));
  } else {
    const struct li_macro *mac = &cx->macros[bc[k].macro];
    add_call(w, call, callee, api, bc[k].name_off, bc[k].paren_off,
             li_xstrndup(cx->buf + mac->name, mac->name_len), exp_off,
             bc[k].macro == m ? mac : NULL);
  }
  free(bc);
}

/* Handles a call expression: records it, notes why it cannot be
 * rewritten, or ignores it (not a lock API, or inside a system header). */
static void on_call(struct walk *w, CXCursor call) {
  struct ctx *cx = w->cx;
  CXCursor callee = callee_ref(call);
  if (clang_Cursor_isNull(callee))
    return;
  int api = lock_api_of(clang_getCursorReferenced(callee));
  if (api < 0 || clang_Cursor_getNumArguments(call) <= li_apis[api].lock_arg)
    return;
  w->callee = callee;
  w->has_callee = 1;
  const char *name = li_apis[api].name;
  size_t nl = strlen(name);
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  CXFile ef, ff;
  unsigned eoff, foff;
  clang_getExpansionLocation(nloc, &ef, NULL, NULL, &eoff);
  clang_getFileLocation(nloc, &ff, NULL, NULL, &foff);
  if (!ef)
    return;
  if (!clang_File_isEqual(ef, cx->main)) {
    char *what = li_xasprintf("call to %s", name);
    note_header(cx, nloc, ef, what, w->fn);
    free(what);
    return;
  }
  if (!ff || !clang_File_isEqual(ff, cx->main) || foff >= cx->len) {
    note_at(cx, nloc,
            li_xasprintf("call to %s whose name is made by a "
                         "macro",
                         name));
    return;
  }
  if (li_ident_len(cx->buf, cx->len, foff) != nl ||
      memcmp(cx->buf + foff, name, nl) != 0) {
    on_macro_call(w, call, callee, api, foff, eoff);
    return;
  }
  size_t paren = find_paren(cx->buf, cx->len, foff + nl);
  if (paren == (size_t)-1) {
    note_at(cx, nloc,
            li_xasprintf("callee name %s is passed as a macro argument", name));
    return;
  }
  add_call(w, call, callee, api, foff, paren, NULL, eoff, NULL);
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
  int api = lock_api_of(clang_getCursorReferenced(ref));
  if (api < 0)
    return;
  struct ctx *cx = w->cx;
  CXSourceLocation loc = clang_getCursorLocation(ref);
  CXFile ef;
  clang_getExpansionLocation(loc, &ef, NULL, NULL, NULL);
  char *what = li_xasprintf("address of %s taken (calls through a function "
                            "pointer are not instrumented)",
                            li_apis[api].name);
  if (ef && clang_File_isEqual(ef, cx->main))
    note_at(cx, loc, what);
  else if (ef) {
    note_header(cx, loc, ef, what, w->fn);
    free(what);
  } else
    free(what);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent,
                                     CXClientData data) {
  (void)parent;
  struct walk *w = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (clang_isDeclaration(k) &&
      clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
    return CXChildVisit_Continue;
  if (k == CXCursor_FunctionDecl) {
    struct walk inner = *w;
    char *fn = cx_take(clang_getCursorSpelling(c));
    inner.fn = fn;
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

static int call_cmp(const void *pa, const void *pb) {
  const struct li_site *a = pa, *b = pb;
  if (a->name_off != b->name_off)
    return a->name_off < b->name_off ? -1 : 1;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

static void site_free(struct li_site *s) {
  free(s->file);
  free(s->function);
  free(s->expr);
  free(s->lock_class);
  free(s->macro);
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
        site_free(c);
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
    if (ng && cx->calls[gs[ng - 1].first].name_off == cx->calls[i].name_off)
      gs[ng - 1].n++;
    else
      gs[ng++] = (struct group){i, 1};
  }
  char **args = li_xmalloc(ng * sizeof *args);
  size_t *name_off = li_xmalloc(ng * sizeof *name_off);
  size_t *paren_off = li_xmalloc(ng * sizeof *paren_off);
  for (size_t g = 0; g < ng; g++) {
    name_off[g] = cx->calls[gs[g].first].name_off;
    paren_off[g] = cx->calls[gs[g].first].paren_off;
  }
  make_sites(cx, gs, ng, args, array);
  for (size_t g = 0; g < ng; g++) {
    int rc = li_edits_add(ed, name_off[g], 0, "lockinstr_");
    rc |= li_edits_add(ed, paren_off[g] + 1, 0, args[g]);
    assert(rc == 0);
    (void)rc; /* the edits cannot overlap: one call, two offsets */
    free(args[g]);
  }
  free(args);
  free(name_off);
  free(paren_off);
  free(gs);
}

/* Adds edits re-pointing each `#include "x.h"` that resolves through the
 * input's own directory at the header's path relative to the output. */
static void include_edits(struct ctx *cx, struct li_edits *ed) {
  const struct li_job *job = cx->job;
  if (!job->out_abs)
    return;
  char *in_dir = li_path_dir(job->abs);
  char *out_dir = li_path_dir(job->out_abs);
  const char *s = cx->buf;
  for (size_t at = 0; at < cx->len;) {
    size_t eol = at;
    while (eol < cx->len && s[eol] != '\n')
      eol++;
    size_t i = at;
    while (i < eol && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i < eol && s[i] == '#') {
      i++;
      while (i < eol && (s[i] == ' ' || s[i] == '\t'))
        i++;
      if (eol - i > 7 && strncmp(s + i, "include", 7) == 0) {
        i += 7;
        while (i < eol && (s[i] == ' ' || s[i] == '\t'))
          i++;
        const char *q =
            i < eol && s[i] == '"' ? memchr(s + i + 1, '"', eol - i - 1) : NULL;
        if (q) {
          char *spelled = li_xstrndup(s + i + 1, (size_t)(q - s) - i - 1);
          char *hdr = li_path_abs(spelled, in_dir);
          struct stat st;
          if (stat(hdr, &st) == 0 && S_ISREG(st.st_mode)) {
            char *target = job->include_target
                               ? job->include_target(hdr, job->include_arg)
                               : li_xstrdup(hdr);
            /* relative, unless the two trees share nothing but "/" */
            char *rel =
                strchr(target + 1, '/') &&
                        strncmp(out_dir, target,
                                (size_t)(strchr(target + 1, '/') - target) +
                                    1) == 0
                    ? li_path_rel(out_dir, target)
                    : li_xstrdup(target);
            if (strcmp(rel, spelled) != 0 && !strpbrk(rel, "\"\n"))
              li_edits_add(ed, i + 1, strlen(spelled), rel);
            free(rel);
            free(target);
          }
          free(hdr);
          free(spelled);
        }
      }
    }
    at = eol + 1;
  }
  free(in_dir);
  free(out_dir);
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

/* Appends a declaration of each wrapper the file calls. Only a header
 * needs them: the file including it may have included lockinstr_site.h
 * already, declaring another API group only. */
static void declare_used(const struct li_result *r, struct li_buf *b,
                         const char *eol) {
  char used[LOCKINSTR_API_COUNT] = {0};
  for (size_t i = 0; i < r->nsites; i++)
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
  li_buf_printf(b, "#include <lockinstr_site.h>%s", eol);
  int guard = strcmp(array, "LI_SITE") != 0; /* a header: included twice */
  if (guard)
    declare_used(r, b, eol);
  if (guard)
    li_buf_printf(b, "#ifndef %s_DEFINED%s#define %s_DEFINED 1%s", array, eol,
                  array, eol);
  li_buf_printf(b, "static struct lockinstr_site %s[%zu] = {%s", array,
                r->nsites, eol);
  for (size_t i = 0; i < r->nsites; i++) {
    const struct li_site *s = &r->sites[i];
    li_buf_printf(
        b, "  LOCKINSTR_SITE_INIT(%s, %s, %u, %u, ", li_apis[s->api].name,
        s->flags & LOCKINSTR_SITE_IN_MACRO ? "LOCKINSTR_SITE_IN_MACRO" : "0",
        s->line, s->col);
    const char *strs[] = {s->file, s->function, s->expr, s->lock_class,
                          s->macro};
    for (int k = 0; k < 5; k++) {
      add_str(b, strs[k]);
      li_buf_puts(b, k < 4 ? ", " : "),");
    }
    li_buf_puts(b, eol);
  }
  li_buf_printf(b, "};%s", eol);
  if (guard)
    li_buf_printf(b, "#endif%s", eol);
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
  args[n++] = "-working-directory";
  args[n++] = job->workdir;
  struct CXUnsavedFile unsaved = {job->abs, cx->buf, (unsigned long)cx->len};
  enum CXErrorCode rc =
      clang_parseTranslationUnit2(index, job->abs, args, n, &unsaved, 1,
                                  CXTranslationUnit_KeepGoing, &cx->tu);
  free(args);
  if (rc != CXError_Success || !cx->tu) {
    li_buf_printf(&cx->res->diag,
                  "lockinstr: %s: error: libclang could not "
                  "parse the file (error %d)\n",
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

/* Reads a whole file; returns 0 or -errno. */
static int read_file(const char *path, char **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno ? -errno : -EIO;
  struct li_buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    li_buf_add(&b, chunk, n);
  int err = ferror(f) ? -EIO : 0;
  fclose(f);
  if (err) {
    li_buf_free(&b);
    return err;
  }
  *len = b.n;
  *buf = li_buf_take(&b);
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

/* Instruments cx->buf (parsed) into cx->res. */
static void instrument(struct ctx *cx) {
  struct walk w = {cx, "", clang_getNullCursor(), 0};
  clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), visit, &w);
  struct li_edits ed;
  li_edits_init(&ed);
  char *array = array_name(cx->job->path);
  call_edits(cx, &ed, array);
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

void li_rewrite_file(CXIndex index, const struct li_job *job,
                     struct li_result *res) {
  memset(res, 0, sizeof *res);
  struct ctx cx = {0};
  cx.job = job;
  cx.res = res;
  char *buf;
  size_t len;
  int rc = read_file(job->abs, &buf, &len);
  if (rc != 0) {
    li_buf_printf(&res->diag, "lockinstr: %s: error: cannot read: %s\n",
                  job->path, strerror(-rc));
    res->status = LI_FAILED;
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
  if (parse(index, &cx) != 0) {
    res->status = LI_FAILED;
  } else {
    instrument(&cx);
  }
  if (cx.tu)
    clang_disposeTranslationUnit(cx.tu);
  free(cx.macros);
  free(cx.exps);
  free(buf);
}

void li_result_free(struct li_result *res) {
  for (size_t i = 0; i < res->nsites; i++)
    site_free(&res->sites[i]);
  free(res->sites);
  for (size_t i = 0; i < res->nnotes; i++) {
    free(res->notes[i].file);
    free(res->notes[i].reason);
  }
  free(res->notes);
  li_buf_free(&res->diag);
  free(res->output);
  memset(res, 0, sizeof *res);
}
