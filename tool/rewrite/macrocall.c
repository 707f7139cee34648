/*
 * macrocall.c — calls written in macro bodies (see rewrite_int.h).
 *
 * libclang 14 gives no spelling location inside a macro body, so the text
 * of a call a macro expansion produced is found in the macro's definition:
 * the k-th call of an API in the AST of one expansion is the k-th call of
 * that API in the macro's flattened body (li_body_calls_in). The macro is
 * looked up in the file that uses it, then in the included files (each
 * file's #defines scanned once); one defined in a project header yields a
 * site selected through the LI_FN_/LI_ARG_ macros of the header's copy
 * (headers.h), one defined anywhere else is noted.
 */
#include <stdlib.h>
#include <string.h>

#include "lockinstr_site.h"
#include "paths.h"
#include "rewrite_int.h"

static void list_file(CXFile f, CXSourceLocation *stack, unsigned n,
                      CXClientData d) {
  (void)stack;
  (void)n;
  struct li_rw *cx = d;
  cx->incl = li_xrealloc(cx->incl, (cx->nincl + 1) * sizeof *cx->incl);
  cx->incl[cx->nincl++] = f;
}

/* Returns the first file of the translation unit (in inclusion order)
 * that defines macro name[0..n), or NULL (looked up once per name; each
 * file's #defines are scanned once). */
static CXFile defining_file(struct li_rw *cx, const char *name, size_t n) {
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
    const char *t = li_rw_file_text(cx, cx->incl[i], &len);
    const struct li_rw_macros *fm =
        t ? li_rw_macros_of(cx, cx->incl[i], t, len) : NULL;
    if (fm && li_find_macro(t, fm->v, fm->n, name, n, len) != (size_t)-1)
      found = cx->incl[i];
  }
  cx->defs = li_xrealloc(cx->defs, (cx->ndefs + 1) * sizeof *cx->defs);
  cx->defs[cx->ndefs++] = (struct li_rw_def){li_xstrndup(name, n), found};
  return found;
}

/* Notes a call produced by macro `name` that is not defined in the input:
 * says which header defines it, if one of the included files does. */
static void note_foreign_macro(struct li_rw *cx, CXSourceLocation loc,
                               const char *api, const char *name, size_t n) {
  CXFile found = defining_file(cx, name, n);
  char *where = NULL;
  if (found) {
    char *fname = li_rw_file_abs(cx, found);
    char *h = li_path_display(fname);
    int sys =
        clang_Location_isInSystemHeader(clang_getLocation(cx->tu, found, 1, 1));
    where = li_xasprintf("%sheader %s", sys ? "system " : "", h);
    free(h);
    free(fname);
  }
  li_rw_note_at(cx, loc,
                li_xasprintf("call to %s in macro '%.*s' defined in %s", api,
                             (int)n, name, where ? where : "another file"));
  free(where);
}

/* Returns the k-th call of this API by the expansion of the macro used at
 * offset exp_off of file f (k counts the calls seen so far). */
static size_t expansion_index(struct li_rw *cx, CXFile f, unsigned exp_off,
                              int api) {
  for (size_t i = 0; i < cx->nexps; i++)
    if (cx->exps[i].off == exp_off && cx->exps[i].api == api &&
        clang_File_isEqual(cx->exps[i].file, f))
      return cx->exps[i].count++;
  cx->exps = li_xrealloc(cx->exps, (cx->nexps + 1) * sizeof *cx->exps);
  cx->exps[cx->nexps++] = (struct li_rw_expansion){f, exp_off, api, 1};
  return 0;
}

/* Notes a call that macro `mname` (used at u->buf + use) expands to, whose
 * text was not found in the body of macro number m of d. */
static void note_unfound(struct li_rw *cx, CXSourceLocation nloc,
                         const char *name, const struct li_rw_use *d,
                         const struct li_macro *mac, const char *mname,
                         size_t ml) {
  size_t nl = strlen(name);
  int named = 0; /* does the body hold the name itself (without '(')? */
  for (size_t i = mac->body; i + nl <= mac->end && !named; i++)
    named = li_ident_len(d->buf, mac->end, i) == nl &&
            memcmp(d->buf + i, name, nl) == 0;
  li_rw_note_at(cx, nloc,
                named
                    ? li_xasprintf("callee name %s comes from macro '%.*s'",
                                   name, (int)ml, mname)
                    : li_xasprintf("call to %s comes from a macro that '%.*s' "
                                   "uses and that is defined in another file",
                                   name, (int)ml, mname));
}

/* li_macro_lookup for li_body_calls_in: a macro defined in a project
 * header (the macros of the file being scanned come first). */
static size_t header_macro(const char *name, size_t n, void *arg,
                           struct li_macro_text *t) {
  struct li_rw *cx = arg;
  CXFile df = defining_file(cx, name, n);
  char *pname = df ? li_rw_project_name(cx, df) : NULL;
  if (!pname)
    return (size_t)-1;
  free(pname);
  t->s = li_rw_file_text(cx, df, &t->len);
  if (!t->s)
    return (size_t)-1;
  const struct li_rw_macros *fm = li_rw_macros_of(cx, df, t->s, t->len);
  t->ms = fm->v;
  t->nm = fm->n;
  return li_find_macro(t->s, fm->v, fm->n, name, n, t->len);
}

/* Records a call that a macro of u reaches through a macro of a project
 * header (bc->text is that header's). */
static void add_foreign_call(struct li_rw_walk *w, const struct li_rw_use *u,
                             CXCursor call, CXCursor callee, int api,
                             const struct li_body_call *bc, unsigned exp_off,
                             size_t k) {
  struct li_rw *cx = w->cx;
  const struct li_rw_macros *fm = NULL;
  for (size_t i = 0; i < cx->nfms && !fm; i++)
    if (cx->fms[i].text == bc->text)
      fm = &cx->fms[i];
  if (!fm) /* cannot be: header_macro scanned it */
    return;
  size_t len;
  const char *text = li_rw_file_text(cx, fm->file, &len);
  const struct li_macro *mac = &fm->v[bc->macro];
  struct li_rw_written wr = {text,
                             len,
                             bc->name_off,
                             bc->paren_off,
                             li_xstrndup(text + mac->name, mac->name_len),
                             NULL,
                             li_rw_project_name(cx, fm->file)};
  li_rw_add_call(w, u, call, callee, api, &wr, exp_off, k);
}

/* Handles a call whose callee name comes from a macro used at offset use
 * of u (file location of the name): finds the call in the body of the
 * macro, defined in u itself or in a project header, or notes why it
 * cannot be rewritten. */
void li_rw_on_macro_call(struct li_rw_walk *w, const struct li_rw_use *u,
                         CXCursor call, CXCursor callee, int api, unsigned use,
                         unsigned exp_off) {
  struct li_rw *cx = w->cx;
  const char *name = li_rw_api(cx, api)->name;
  CXSourceLocation nloc = clang_getCursorLocation(callee);
  size_t ml = li_ident_len(u->buf, u->len, use);
  const char *mname = u->buf + use;
  const struct li_rw_macros *fm = li_rw_macros_of(cx, u->file, u->buf, u->len);
  size_t m =
      ml ? li_find_macro(u->buf, fm->v, fm->n, mname, ml, use) : (size_t)-1;
  struct li_rw_use d = *u; /* the file that defines the macro */
  char *dname = NULL;
  if (m == (size_t)-1 && ml) {
    CXFile df = defining_file(cx, mname, ml);
    dname = df ? li_rw_project_name(cx, df) : NULL;
    if (dname) {
      d.file = df;
      d.buf = li_rw_file_text(cx, df, &d.len);
      fm = li_rw_macros_of(cx, df, d.buf, d.len);
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
  fm = li_rw_macros_of(cx, d.file, d.buf, d.len); /* the lookup may move fms */
  size_t k = expansion_index(cx, u->file, exp_off, api);
  if (k >= n) {
    note_unfound(cx, nloc, name, &d, &fm->v[m], mname, ml);
    free(dname);
  } else if (bc[k].text != d.buf) { /* through a macro of a project header */
    free(dname);
    add_foreign_call(w, u, call, callee, api, &bc[k], exp_off, k);
  } else {
    const struct li_macro *mac = &fm->v[bc[k].macro];
    struct li_rw_written wr = {d.buf,
                               d.len,
                               bc[k].name_off,
                               bc[k].paren_off,
                               li_xstrndup(d.buf + mac->name, mac->name_len),
                               bc[k].macro == m ? mac : NULL,
                               dname};
    if (!dname && u->hdr_name) /* a macro of the header using it */
      wr.point_hdr = li_xstrdup(u->hdr_name);
    li_rw_add_call(w, u, call, callee, api, &wr, exp_off, k);
  }
  free(bc);
}
