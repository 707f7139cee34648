/*
 * macrocall.c — calls written in macro bodies (see rewrite_int.h).
 *
 * libclang 14 gives no spelling location inside a macro body, so the text
 * of a call a macro expansion produced is found in the macro's definition:
 * the k-th call of an API in the AST of one expansion is the k-th call of
 * that API in the macro's flattened body (li_body_calls_in). The macro's
 * definition is the one the preprocessing record says the use expands
 * (of a macro defined in several #if branches, the active one); the
 * macros its body uses are looked up among the live #defines (not in a
 * skipped branch) of the file, then of the included files (each file's
 * #defines scanned once). A macro defined in a project header yields a
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
 * with a live #define of macro name[0..n), or NULL (looked up once per
 * name; each file's #defines are scanned once). */
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
    if (!t)
      continue;
    struct li_macro_text mt = li_rw_macro_text(cx, cx->incl[i], t, len);
    if (li_find_live_macro(&mt, name, n, len) != (size_t)-1)
      found = cx->incl[i];
  }
  cx->defs = li_xrealloc(cx->defs, (cx->ndefs + 1) * sizeof *cx->defs);
  cx->defs[cx->ndefs++] = (struct li_rw_def){li_xstrndup(name, n), found};
  return found;
}

/* Sets *df to the file holding the #define that the macro used at offset
 * use of u (name length ml) expands, and returns the offset of the
 * macro's name in it. The preprocessing record knows that definition
 * (the one active there, whichever #if branch holds it); without a record
 * of the use, the last live #define before the use in u, else the first
 * file defining it. Returns (size_t)-1 with *df NULL if no file does (a
 * macro of the command line: *cmdline 1). */
static size_t active_def(struct li_rw *cx, const struct li_rw_use *u,
                         size_t use, size_t ml, CXFile *df, int *cmdline) {
  *df = NULL;
  *cmdline = 0;
  CXSourceLocation loc =
      clang_getLocationForOffset(cx->tu, u->file, (unsigned)use);
  CXCursor c = clang_getCursor(cx->tu, loc);
  CXCursor def = clang_getCursorReferenced(c);
  if (clang_getCursorKind(c) == CXCursor_MacroExpansion &&
      clang_getCursorKind(def) == CXCursor_MacroDefinition) {
    unsigned off;
    clang_getFileLocation(clang_getCursorLocation(def), df, NULL, NULL, &off);
    *cmdline = !*df;
    return *df ? off : (size_t)-1;
  }
  struct li_macro_text t = li_rw_macro_text(cx, u->file, u->buf, u->len);
  size_t m = li_find_live_macro(&t, u->buf + use, ml, use);
  if (m != (size_t)-1) {
    *df = u->file;
    return t.ms[m].name;
  }
  *df = defining_file(cx, u->buf + use, ml);
  if (!*df)
    return (size_t)-1;
  size_t len;
  const char *dt = li_rw_file_text(cx, *df, &len);
  t = li_rw_macro_text(cx, *df, dt, len);
  m = li_find_live_macro(&t, u->buf + use, ml, len);
  return t.ms[m].name;
}

/* Returns "header H" or "system header H" for file f (new string). */
static char *header_words(struct li_rw *cx, CXFile f) {
  char *fname = li_rw_file_abs(cx, f);
  char *h = li_path_display(fname);
  int sys = clang_Location_isInSystemHeader(clang_getLocation(cx->tu, f, 1, 1));
  char *where = li_xasprintf("%sheader %s", sys ? "system " : "", h);
  free(h);
  free(fname);
  return where;
}

/* Notes a call produced by macro `name` that is not defined in a file
 * being written: says which header defines it (df), if one does. */
static void note_foreign_macro(struct li_rw *cx, CXSourceLocation loc,
                               const char *api, const char *name, size_t n,
                               CXFile df, int cmdline) {
  char *where = df ? header_words(cx, df) : NULL;
  li_rw_note_at(cx, loc,
                li_xasprintf("call to %s in macro '%.*s' defined %s%s", api,
                             (int)n, name,
                             where     ? "in "
                             : cmdline ? "on the command line"
                                       : "in another file",
                             where ? where : ""));
  free(where);
}

/* Returns the k-th call of this API by the expansion of the macro used at
 * offset exp_off of file f (k counts the calls seen so far). The use is
 * the one written in f (the call's file location), not the outermost
 * expansion: `WITH(&a, WITH(&b, x))` expands two uses of WITH. */
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
 * text was not found in the body of macro mac of d, nor in the macros of
 * the project it uses: its name is in the body without '(', it comes from
 * a macro of another file that the body uses (cx->foreign, as the lookup
 * saw it), or it is made (token pasting). */
static void note_unfound(struct li_rw *cx, CXSourceLocation nloc,
                         const char *name, const struct li_rw_use *d,
                         const struct li_macro *mac, const char *mname,
                         size_t ml) {
  size_t nl = strlen(name);
  int named = 0; /* does the body hold the name itself (without '(')? */
  for (size_t i = mac->body; i + nl <= mac->end && !named; i++)
    named = li_ident_len(d->buf, mac->end, i) == nl &&
            memcmp(d->buf + i, name, nl) == 0;
  int pasted = 0; /* does the body paste tokens (##)? */
  for (size_t i = mac->body; i + 1 < mac->end && !pasted; i++)
    pasted = d->buf[i] == '#' && d->buf[i + 1] == '#';
  size_t cl; /* a macro of the command line that the body uses */
  size_t cn = li_rw_cmdline_macro_in(cx, d->buf, mac->body, mac->end, &cl);
  char *r;
  if (named) {
    r = li_xasprintf("callee name %s comes from macro '%.*s'", name, (int)ml,
                     mname);
  } else if (cx->foreign_name) {
    char *where = header_words(cx, cx->foreign_file);
    r = li_xasprintf("call to %s comes from macro '%s' that '%.*s' uses, "
                     "defined in %s",
                     name, cx->foreign_name, (int)ml, mname, where);
    free(where);
  } else if (cn) {
    r = li_xasprintf("call to %s comes from macro '%.*s' that '%.*s' uses, "
                     "defined on the command line",
                     name, (int)cn, d->buf + cl, (int)ml, mname);
  } else if (pasted) {
    r = li_xasprintf("call to %s whose name is made by token pasting (##) in "
                     "macro '%.*s'",
                     name, (int)ml, mname);
  } else {
    r = li_xasprintf("call to %s from macro '%.*s' is written in neither its "
                     "body nor a macro it uses (a name made by ##?)",
                     name, (int)ml, mname);
  }
  li_rw_note_at(cx, nloc, r);
}

/* li_macro_lookup for li_body_calls_in: a macro defined in a project
 * header (the macros of the file being scanned come first). The first
 * macro it meets that another file defines is kept in cx->foreign. */
static size_t header_macro(const char *name, size_t n, void *arg,
                           struct li_macro_text *t) {
  struct li_rw *cx = arg;
  CXFile df = defining_file(cx, name, n);
  char *pname = df ? li_rw_project_name(cx, df) : NULL;
  if (!pname) {
    if (df && !cx->foreign_name) {
      cx->foreign_name = li_xstrndup(name, n);
      cx->foreign_file = df;
    }
    return (size_t)-1;
  }
  free(pname);
  const char *s = li_rw_file_text(cx, df, &t->len);
  if (!s)
    return (size_t)-1;
  *t = li_rw_macro_text(cx, df, s, t->len);
  return li_find_live_macro(t, name, n, t->len);
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
  CXFile df = NULL;
  int cmdline = 0;
  size_t doff = ml ? active_def(cx, u, use, ml, &df, &cmdline) : (size_t)-1;
  struct li_rw_use d = *u; /* the file that defines the macro */
  char *dname = NULL;
  if (df && !clang_File_isEqual(df, u->file)) {
    dname = li_rw_project_name(cx, df);
    d.file = df;
    d.buf = dname ? li_rw_file_text(cx, df, &d.len) : NULL;
  }
  size_t m = (size_t)-1;
  struct li_macro_text t = {0};
  if (df && d.buf) {
    t = li_rw_macro_text(cx, d.file, d.buf, d.len);
    for (size_t i = 0; i < t.nm && m == (size_t)-1; i++)
      if (t.ms[i].name == doff)
        m = i;
  }
  if (m == (size_t)-1) {
    free(dname);
    note_foreign_macro(cx, nloc, name, mname, ml, df, cmdline);
    return;
  }
  struct li_body_call *bc;
  free(cx->foreign_name);
  cx->foreign_name = NULL;
  size_t n =
      li_body_calls_in(&t, m, name, dname ? d.len : use, header_macro, cx, &bc);
  const struct li_rw_macros *fm = /* after the lookup: fms may have moved */
      li_rw_macros_of(cx, d.file, d.buf, d.len);
  (void)exp_off; /* the outermost use: nested uses need their own */
  size_t k = expansion_index(cx, u->file, use, api);
  if (k >= n) {
    note_unfound(cx, nloc, name, &d, &fm->v[m], mname, ml);
    free(dname);
  } else if (bc[k].text != d.buf) { /* through a macro of a project header */
    free(dname);
    add_foreign_call(w, u, call, callee, api, &bc[k], use, k);
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
    li_rw_add_call(w, u, call, callee, api, &wr, use, k);
  }
  free(bc);
}

size_t li_rw_args_end(const char *s, size_t len, size_t at, size_t *nargs) {
  *nargs = 0;
  if (at >= len || s[at] != '(')
    return at;
  size_t open = at;
  for (at++;;) {
    size_t start = li_skip_space(s, len, at);
    at = li_arg_end(s, len, start);
    if (at >= len)
      return len;
    if (at > start || s[at] == ',' || at > li_skip_space(s, len, open + 1))
      ++*nargs; /* "()" has none, "(x)" and "(,)" do */
    if (s[at] == ')')
      return at + 1;
    at++; /* the ',' */
  }
}

char *li_rw_text_position(struct li_rw *cx, const struct li_rw_use *u,
                          size_t off, CXSourceLocation nloc, unsigned *line,
                          unsigned *col) {
  CXFile f;
  unsigned ref;
  clang_getExpansionLocation(nloc, &f, NULL, NULL, &ref);
  if (!f || !clang_File_isEqual(f, u->file) || ref > off || off > u->len)
    return li_rw_presumed(
        cx, clang_getLocationForOffset(cx->tu, u->file, (unsigned)off), line,
        col);
  char *file = li_rw_presumed(
      cx, clang_getLocationForOffset(cx->tu, u->file, ref), line, col);
  unsigned nl = 0;
  for (size_t i = ref; i < off; i++)
    nl += u->buf[i] == '\n';
  *line += nl;
  *col = nl ? (unsigned)(off - li_line_start(u->buf, off)) + 1
            : *col + (unsigned)(off - ref);
  return file;
}

void li_rw_use_lines(struct li_rw *cx, const struct li_rw_use *u, size_t use,
                     CXSourceLocation nloc, char **file, unsigned *line,
                     unsigned *col, unsigned *end_line) {
  *file = li_rw_text_position(cx, u, use, nloc, line, col);
  size_t paren =
      li_skip_space(u->buf, u->len, use + li_ident_len(u->buf, u->len, use));
  size_t nargs, end = li_rw_args_end(u->buf, u->len, paren, &nargs);
  unsigned end_col;
  free(li_rw_text_position(cx, u, end > paren ? end - 1 : use, nloc, end_line,
                           &end_col));
}

/* ---- calls in the arguments of a stringifying macro -------------------- */

/* Returns the offset just past the string or character literal that
 * starts at s[at] (its quote), or end. */
static size_t skip_literal(const char *s, size_t end, size_t at) {
  char q = s[at];
  for (at++; at < end && s[at] != q; at++)
    if (s[at] == '\\')
      at++;
  return at < end ? at + 1 : end;
}

/* Returns 1 if the replacement list s[from..to) holds a # operator (a
 * '#' that is not part of "##", outside literals). */
static int has_stringify(const char *s, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    if (s[i] == '"' || s[i] == '\'') {
      i = skip_literal(s, to, i) - 1;
    } else if (s[i] == '#') {
      if (i + 1 < to && s[i + 1] == '#')
        i++; /* ## */
      else
        return 1;
    }
  }
  return 0;
}

/* Returns 1 if the live #define of macro name[0..n), in any file of the
 * translation unit, has a # operator in its body. */
static int macro_stringifies(struct li_rw *cx, const char *name, size_t n) {
  CXFile df = defining_file(cx, name, n);
  size_t len;
  const char *s = df ? li_rw_file_text(cx, df, &len) : NULL;
  if (!s)
    return 0;
  struct li_macro_text t = li_rw_macro_text(cx, df, s, len);
  size_t m = li_find_live_macro(&t, name, n, len);
  return m != (size_t)-1 && has_stringify(s, t.ms[m].body, t.ms[m].end);
}

/* Returns 1 if a macro used in s[from..to) (the text of a use up to a
 * call in its arguments) stringifies. */
static int text_stringifies(struct li_rw *cx, const char *s, size_t from,
                            size_t to) {
  for (size_t i = from; i < to;) {
    size_t il = li_ident_len(s, to, i);
    if (il && macro_stringifies(cx, s + i, il))
      return 1;
    if (!il && (s[i] == '"' || s[i] == '\''))
      i = skip_literal(s, to, i);
    else
      i += il ? il : 1;
  }
  return 0;
}

void li_rw_keep_spelling(struct li_rw *cx, const struct li_rw_use *u,
                         struct li_site *s, size_t use) {
  if (u->hdr_abs || use >= s->name_off || !u->buf)
    return;
  size_t ml = li_ident_len(u->buf, u->len, use);
  size_t nargs;
  size_t end = li_rw_args_end(u->buf, u->len,
                              li_skip_space(u->buf, u->len, use + ml), &nargs);
  if (end <= s->paren_off || !text_stringifies(cx, u->buf, use, s->name_off))
    return;
  s->keep_spelling = 1;
  s->spell_use = use;
  s->spell_end = end;
}
