/*
 * rewrite.c — see rewrite.h.
 *
 * One parse per file. The walk (match.c, macrocall.c) records every
 * rewritable call, one per expansion. Calls are then grouped by their edit
 * point, the offset of their callee name in the input: a call written in
 * the file once yields one site; a call written in the body of a macro
 * yields one site per expansion, selected by __LINE__ (li_emit_select). A
 * use in the input of a call written in a project header's macro body is a
 * site of the input too, grouped by the call's id, and selected by the
 * LI_FN_/LI_ARG_ macros the prologue defines instead of by an edit. The
 * edits (rename + site argument, custom wrapper declarations, quoted
 * includes) go through the plain-C edit engine; the prologue and epilogue
 * around the result are written by emit.c.
 */
#include "rewrite.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "edit.h"
#include "includes.h"
#include "lockinstr_site.h"
#include "paths.h"
#include "rewrite_int.h"

/* ---- small helpers ---------------------------------------------------- */

char *li_rw_take(CXString s) {
  const char *c = clang_getCString(s);
  char *r = li_xstrdup(c ? c : "");
  clang_disposeString(s);
  return r;
}

/* Returns the presumed position of loc (file, line, column as a compiler
 * reports them, honouring #line); the input's own name maps to the path
 * given on the command line. */
char *li_rw_presumed(struct li_rw *cx, CXSourceLocation loc, unsigned *line,
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

static void add_note(struct li_rw *cx, char *file, unsigned line, unsigned col,
                     char *reason) {
  struct li_result *r = cx->res;
  r->notes = li_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
  r->notes[r->nnotes++] = (struct li_note){file, line, col, reason};
}

/* Adds a note at the presumed position of loc. */
void li_rw_note_at(struct li_rw *cx, CXSourceLocation loc, char *reason) {
  unsigned line, col;
  char *file = li_rw_presumed(cx, loc, &line, &col);
  add_note(cx, file, line, col, reason);
}

size_t li_rw_cmdline_macro_in(struct li_rw *cx, const char *s, size_t from,
                              size_t end, size_t *at) {
  for (size_t i = from; i < end; i++) {
    size_t n = li_ident_len(s, end, i);
    if (n && li_rw_cmdline_macro(cx, s + i, n)) {
      *at = i;
      return n;
    }
    i += n ? n - 1 : 0;
  }
  return 0;
}

int li_rw_cmdline_macro(struct li_rw *cx, const char *name, size_t n) {
  const struct li_job *j = cx->job;
  for (size_t i = 0; i < j->nflags; i++) {
    const char *f = j->flags[i];
    if (strncmp(f, "-D", 2) != 0)
      continue;
    f = f[2] ? f + 2 : (i + 1 < j->nflags ? j->flags[i + 1] : "");
    if (strncmp(f, name, n) == 0 && li_ident_len(f, strlen(f), 0) == n)
      return 1;
  }
  return 0;
}

/* Returns 1 if the file's absolute path is an input of this run. */
int li_rw_is_input(struct li_rw *cx, CXFile f) {
  if (!cx->job->is_input)
    return 0;
  char *name = li_rw_take(clang_getFileName(f));
  char *abs = li_path_abs(name, cx->job->workdir);
  int r = cx->job->is_input(abs, cx->job->include_arg);
  free(abs);
  free(name);
  return r;
}

/* Returns the absolute path of file f (new string). */
char *li_rw_file_abs(struct li_rw *cx, CXFile f) {
  char *name = li_rw_take(clang_getFileName(f));
  char *abs = li_path_abs(name, cx->job->workdir);
  free(name);
  return abs;
}

/* Returns the project-header name of file f (see li_job.project_header),
 * or NULL if it is not one. Caller frees. */
char *li_rw_project_name(struct li_rw *cx, CXFile f) {
  if (!cx->job->project_header || clang_File_isEqual(f, cx->main) ||
      li_rw_is_input(cx, f) ||
      clang_Location_isInSystemHeader(clang_getLocation(cx->tu, f, 1, 1)))
    return NULL;
  char *abs = li_rw_file_abs(cx, f);
  char *r = cx->job->project_header(abs, cx->job->include_arg);
  free(abs);
  return r;
}

/* Returns the text of file f as parsed (*len its length), or NULL. */
const char *li_rw_file_text(struct li_rw *cx, CXFile f, size_t *len) {
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
const struct li_rw_macros *li_rw_macros_of(struct li_rw *cx, CXFile f,
                                           const char *t, size_t n) {
  for (size_t i = 0; i < cx->nfms; i++)
    if (clang_File_isEqual(cx->fms[i].file, f))
      return &cx->fms[i];
  cx->fms = li_xrealloc(cx->fms, (cx->nfms + 1) * sizeof *cx->fms);
  struct li_rw_macros *fm = &cx->fms[cx->nfms++];
  fm->file = f;
  fm->text = t;
  fm->n = li_scan_defines(t, n, &fm->v);
  return fm;
}

/* li_macro_live for the files of cx: a #define is live if the
 * preprocessing record holds its definition (CXCursor_MacroDefinition at
 * its name), i.e. some inclusion of the file read it. */
static int macro_live(const char *text, size_t name, void *arg) {
  struct li_rw *cx = arg;
  for (size_t i = 0; i < cx->nfms; i++)
    if (cx->fms[i].text == text) {
      CXSourceLocation loc =
          clang_getLocationForOffset(cx->tu, cx->fms[i].file, (unsigned)name);
      return clang_getCursorKind(clang_getCursor(cx->tu, loc)) ==
             CXCursor_MacroDefinition;
    }
  return 1; /* not a file of cx: cannot be */
}

struct li_macro_text li_rw_macro_text(struct li_rw *cx, CXFile f, const char *t,
                                      size_t n) {
  const struct li_rw_macros *fm = li_rw_macros_of(cx, f, t, n);
  return (struct li_macro_text){t, n, fm->v, fm->n, macro_live, cx};
}

/* Returns the table row of api number api (built-in or custom). */
const struct li_api *li_rw_api(struct li_rw *cx, int api) {
  return api < LOCKINSTR_API_COUNT
             ? &li_apis[api]
             : li_custom_view(&cx->custom, api - LOCKINSTR_API_COUNT);
}

/* ---- from calls to sites and edits ------------------------------------ */

static int call_cmp(const void *pa, const void *pb) {
  const struct li_site *a = pa, *b = pb;
  int g = li_site_group_cmp(a, b);
  if (g)
    return g;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  return a->col < b->col ? -1 : a->col > b->col;
}

/* If call s keeps its spelling (li_rw_keep_spelling), is the first call
 * of its API in its macro use (a second one is rewritten in place: one use
 * pops one definition of a name) and the file is a .c file (a header given
 * as an input may be included twice: its prologue would push twice), adds
 * the edits around the use and the prologue's part (li_emit_spell) with
 * site argument arg of table array, and returns 1; else returns 0. */
static int keep_spelling(struct li_rw *cx, struct li_edits *ed,
                         const char *array, const struct li_site *s,
                         const char *arg) {
  const char *name = li_rw_api(cx, s->api)->name;
  if (!s->keep_spelling || li_emit_table_guarded(array))
    return 0;
  for (size_t i = 0; i < cx->nspells; i++)
    if (cx->spells[i].use == s->spell_use &&
        strcmp(cx->spells[i].name, name) == 0)
      return 0;
  size_t nargs;
  li_rw_args_end(cx->buf, cx->len, s->paren_off, &nargs);
  struct li_emit_spell sp = {li_xstrdup(name), li_xstrdup(arg),
                             s->api >= LOCKINSTR_API_COUNT, nargs,
                             s->spell_use};
  li_emit_add_spell(&cx->spells, &cx->nspells, &sp);
  int rc = li_emit_spelling_edits(ed, name, s->spell_use, s->spell_end);
  assert(rc == 0);
  (void)rc; /* insertions without a newline */
  return 1;
}

/* Moves the calls g[0..n) of one edit point (one call written once; a
 * call in a macro body and its expansions) that get a table entry to
 * res->sites (li_emit_select), then a macro's unattributed site, frees
 * the others, and adds the group's
 * edits: the call rewritten in place, or, for a call written in a project
 * header's macro body, an LI_FN_/LI_ARG_ definition (cx->uses). */
static void group_edits(struct li_rw *cx, struct li_edits *ed,
                        const char *array, struct li_site *g, size_t n) {
  struct li_result *r = cx->res;
  const struct li_site **c = li_xmalloc(n * sizeof *c);
  char *keep = li_xmalloc(n);
  for (size_t i = 0; i < n; i++)
    c[i] = &g[i];
  char *index = li_emit_select(c, n, r->nsites, keep);
  char *arg = li_emit_site_arg(array, index, g[0].noargs);
  int custom = g[0].flags & LOCKINSTR_SITE_INNER
                   ? 2 /* lockinstr_inner_ */
                   : g[0].api >= LOCKINSTR_API_COUNT;
  if (g[0].point_hdr) { /* selected by the header's macro body: no edit */
    li_emit_add_use(&cx->uses, &cx->nuses,
                    li_emit_point_id(g[0].point_hdr, g[0].point_off), arg,
                    custom);
  } else if (keep_spelling(cx, ed, array, &g[0], arg)) {
    free(arg);
  } else {
    int rc = li_emit_call_edits(ed, g[0].name_off, g[0].paren_off, custom, arg);
    assert(rc == 0);
    (void)rc; /* the edits cannot overlap: one call, two offsets */
    free(arg);
  }
  struct li_site fallback;
  int has_fallback = li_emit_has_fallback(&g[0]);
  if (has_fallback)
    li_emit_unattributed(&g[0], &fallback);
  for (size_t i = 0; i < n; i++)
    if (keep[i])
      r->sites[r->nsites++] = g[i];
    else
      li_site_free(&g[i]);
  if (has_fallback)
    r->sites[r->nsites++] = fallback;
  free(index);
  free(keep);
  free(c);
}

/* Groups the calls by edit point (li_site_group_cmp), turns them into
 * res->sites in group order and adds their edits. */
static void call_edits(struct li_rw *cx, struct li_edits *ed,
                       const char *array) {
  if (cx->ncalls == 0)
    return;
  qsort(cx->calls, cx->ncalls, sizeof *cx->calls, call_cmp);
  struct li_result *r = cx->res;
  r->sites = /* at most: each call, and one fallback per group */
      li_xmalloc((2 * cx->ncalls + 1) * sizeof *r->sites);
  for (size_t i = 0, n; i < cx->ncalls; i += n) {
    n = 1;
    while (i + n < cx->ncalls &&
           li_site_group_cmp(&cx->calls[i], &cx->calls[i + n]) == 0)
      n++;
    group_edits(cx, ed, array, cx->calls + i, n);
  }
  free(cx->calls);
  cx->calls = NULL;
  cx->ncalls = 0;
}

/* Adds edits re-pointing each `#include "x.h"` that resolves through the
 * input's own directory at the header's path relative to the output. */
static void include_edits(struct li_rw *cx, struct li_edits *ed) {
  const struct li_job *job = cx->job;
  if (job->out_abs)
    li_include_edits(cx->buf, cx->len, job->abs, job->out_abs,
                     job->include_target, job->include_arg, ed);
}

/* ---- output ------------------------------------------------------------ */

/* Builds res->output from the edited text: after its #line when the file
 * has no site, else inside its prologue and epilogue (emit.h). */
static void assemble(struct li_rw *cx, const char *text, size_t n,
                     const char *array) {
  struct li_result *r = cx->res;
  if (r->nsites == 0) {
    r->output = li_emit_plain(cx->job->path, text, n, &r->output_len);
    return;
  }
  const char *eol = li_emit_eol(cx->buf, cx->len);
  const struct li_site **sites = li_xmalloc(r->nsites * sizeof *sites);
  for (size_t i = 0; i < r->nsites; i++)
    sites[i] = &r->sites[i];
  struct li_buf tail = {0};
  li_custom_epilogue(&cx->custom, cx->job->config, &tail, eol);
  struct li_emit_file f = {
      .path = cx->job->path,
      .eol = eol,
      .array = array,
      .table = li_emit_table_guarded(array) ? LI_EMIT_GUARDED : LI_EMIT_STATIC,
      .sites = sites,
      .nsites = r->nsites,
      .full = li_custom_used(&cx->custom),
      .uses = cx->uses,
      .nuses = cx->nuses,
      .spells = cx->spells,
      .nspells = cx->nspells,
      .tail = tail.s};
  r->output = li_emit_wrap(&f, text, n, &r->output_len);
  li_buf_free(&tail);
  free(sites);
}

/* ---- parsing ----------------------------------------------------------- */

/* Collects the parse's errors into res->diag; returns their number.
 * Errors without a location come from the compiler driver (flags): they
 * are ignored, the allow-list keeps them out anyway. */
static int collect_errors(struct li_rw *cx) {
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
      char *file = li_rw_presumed(cx, loc, &line, &col);
      char *msg = li_rw_take(clang_getDiagnosticSpelling(d));
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

/* Parses the input; returns 0 or -1 (with res->diag filled). The
 * detailed preprocessing record tells which #define a macro use expands
 * (macrocall.c) and which #defines lie in skipped #if branches. */
static int parse(CXIndex index, struct li_rw *cx) {
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
  enum CXErrorCode rc = clang_parseTranslationUnit2(
      index, job->abs, args, n, &unsaved, 1,
      CXTranslationUnit_KeepGoing |
          CXTranslationUnit_DetailedPreprocessingRecord,
      &cx->tu);
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

/* Tells project header abs (an LI_HSITE_NAMES record each) the names of
 * the configuration's lock APIs: its copy rewrites the calls to them in
 * its macro bodies whether or not this file uses those macros, so that
 * every run with the same configuration writes the same copy. */
static void name_apis(struct li_rw *cx, const char *abs) {
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

/* Is an offset of a file inside a top-level declaration? */
struct scope_query {
  CXFile file;
  unsigned off;
  int inside;
};

static enum CXChildVisitResult in_top_decl(CXCursor c, CXCursor parent,
                                           CXClientData d) {
  (void)parent;
  struct scope_query *q = d;
  CXSourceRange r = clang_getCursorExtent(c);
  CXFile f1, f2;
  unsigned a, b;
  clang_getExpansionLocation(clang_getRangeStart(r), &f1, NULL, NULL, &a);
  clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &b);
  q->inside = f1 && f2 && clang_File_isEqual(f1, q->file) &&
              clang_File_isEqual(f2, q->file) && a < q->off && q->off < b;
  return q->inside ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* Returns where (presumed "file:line", new string) an #include of the
 * inclusion stack stack[0..n) sits inside a declaration (a function
 * body, a struct, an initializer), or NULL if every one is at file
 * scope. A copy of a header included there cannot carry the prologue
 * (wrapper definitions, the site table). */
static char *include_inside(struct li_rw *cx, const CXSourceLocation *stack,
                            unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    struct scope_query q = {NULL, 0, 0};
    clang_getExpansionLocation(stack[i], &q.file, NULL, NULL, &q.off);
    if (q.file)
      clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), in_top_decl,
                          &q);
    if (q.inside) {
      unsigned line, col;
      char *file = li_rw_presumed(cx, stack[i], &line, &col);
      char *where = li_xasprintf("%s:%u", file, line);
      free(file);
      return where;
    }
  }
  return NULL;
}

static void header_visit(CXFile f, CXSourceLocation *stack, unsigned n,
                         CXClientData d) {
  struct li_rw *cx = d;
  char *name = li_rw_project_name(cx, f);
  if (!name)
    return;
  struct li_result *r = cx->res;
  r->headers = li_xrealloc(r->headers, (r->nheaders + 1) * sizeof *r->headers);
  r->inside = li_xrealloc(r->inside, (r->nheaders + 1) * sizeof *r->inside);
  r->inside[r->nheaders] = include_inside(cx, stack, n);
  if (r->inside[r->nheaders]) {
    cx->inside =
        li_xrealloc(cx->inside, (cx->ninside + 1) * sizeof *cx->inside);
    cx->inside[cx->ninside++] = name;
  } else {
    free(name);
  }
  r->headers[r->nheaders++] = li_rw_file_abs(cx, f);
  name_apis(cx, r->headers[r->nheaders - 1]);
}

static void dep_visit(CXFile f, CXSourceLocation *stack, unsigned n,
                      CXClientData d) {
  (void)stack;
  (void)n;
  struct li_rw *cx = d;
  if (clang_File_isEqual(f, cx->main))
    return;
  struct li_result *r = cx->res;
  r->deps = li_xrealloc(r->deps, (r->ndeps + 1) * sizeof *r->deps);
  r->deps[r->ndeps++] = li_rw_file_abs(cx, f);
}

/* Adds the declaration of each custom wrapper the file calls, in front of
 * the top-level declaration holding its first call (custom.h). */
static void custom_edits(struct li_rw *cx, struct li_edits *ed) {
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

/* An excluded input: its text as it is (after its #line), but for quoted
 * includes, which are re-pointed at the original headers (never at
 * instrumented copies) so that the copy still compiles from the output
 * directory. */
static void copy_excluded(struct li_rw *cx) {
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
  cx->res->output = li_emit_plain(job->path, text, n, &cx->res->output_len);
  free(text);
  li_edits_free(&ed);
}

/* Instruments cx->buf (parsed) into cx->res. */
static void instrument(struct li_rw *cx) {
  struct li_rw_walk w = {
      cx, "", clang_getNullCursor(), 0, (size_t)-1, NULL, 0, NULL, 0};
  clang_getInclusions(cx->tu, header_visit, cx); /* first: sets cx->inside */
  clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), li_rw_visit, &w);
  struct li_edits ed;
  li_edits_init(&ed);
  char *array = li_emit_table_name(cx->job->path);
  call_edits(cx, &ed, array);
  custom_edits(cx, &ed);
  include_edits(cx, &ed);
  if (cx->res->nsites && li_emit_bom(cx->buf, cx->len))
    li_edits_add(&ed, 0, li_emit_bom(cx->buf, cx->len), ""); /* prologue 1st */
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

/* Frees what the rewrite of one parsed file held (not its result). */
static void ctx_free(struct li_rw *cx) {
  if (cx->tu)
    clang_disposeTranslationUnit(cx->tu);
  for (size_t i = 0; i < cx->nfms; i++)
    free(cx->fms[i].v);
  free(cx->fms);
  for (size_t i = 0; i < cx->ndefs; i++)
    free(cx->defs[i].name);
  free(cx->defs);
  free(cx->incl);
  for (size_t i = 0; i < cx->ninside; i++)
    free(cx->inside[i]);
  free(cx->inside);
  free(cx->foreign_name);
  li_emit_uses_free(cx->uses, cx->nuses);
  li_emit_spells_free(cx->spells, cx->nspells);
  free(cx->exps);
  li_custom_free(&cx->custom);
}

void li_rewrite_file(CXIndex index, const struct li_job *job,
                     struct li_result *res) {
  memset(res, 0, sizeof *res);
  struct li_rw cx = {0};
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
  if (li_emit_is_instrumented(buf, len)) {
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
  ctx_free(&cx);
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
  for (size_t i = 0; i < res->nheaders; i++) {
    free(res->headers[i]);
    free(res->inside ? res->inside[i] : NULL);
  }
  free(res->headers);
  free(res->inside);
  for (size_t i = 0; i < res->ndeps; i++)
    free(res->deps[i]);
  free(res->deps);
  li_buf_free(&res->diag);
  free(res->output);
  memset(res, 0, sizeof *res);
}
