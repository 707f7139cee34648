/*
 * lockclass.c — see lockclass.h. Works on the AST through libclang 14's C
 * API, which exposes no operator kinds: `&x` is recognised by its type (a
 * pointer to the operand's type) and `*p` by the converse.
 */
#include "lockclass.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define MAX_KIDS 4

struct kids {
  CXCursor v[MAX_KIDS];
  int n;
};

static enum CXChildVisitResult kid_visit(CXCursor c, CXCursor p,
                                         CXClientData d) {
  (void)p;
  struct kids *k = d;
  if (clang_isExpression(clang_getCursorKind(c)) && k->n < MAX_KIDS)
    k->v[k->n++] = c;
  return CXChildVisit_Continue;
}

/* Fills k with the expression children of c (at most MAX_KIDS). */
static void expr_kids(CXCursor c, struct kids *k) {
  k->n = 0;
  clang_visitChildren(c, kid_visit, k);
}

CXCursor li_strip_expr(CXCursor e) {
  for (;;) {
    enum CXCursorKind k = clang_getCursorKind(e);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
        k != CXCursor_CStyleCastExpr)
      return e;
    struct kids kids;
    expr_kids(e, &kids);
    if (kids.n != 1)
      return e;
    e = kids.v[0];
  }
}

/* Appends clang string s to b and disposes of it. */
static void add_cx(struct li_buf *b, CXString s) {
  li_buf_puts(b, clang_getCString(s));
  clang_disposeString(s);
}

static int cx_empty(CXString s) {
  const char *c = clang_getCString(s);
  int empty = !c || !*c;
  clang_disposeString(s);
  return empty;
}

/* Returns 1 if the canonical types of a and b are the same. */
static int same_type(CXType a, CXType b) {
  return clang_equalTypes(clang_getCanonicalType(a), clang_getCanonicalType(b));
}

static int name_of(CXCursor e, const struct li_class_ctx *cx, struct li_buf *b,
                   const char **trailer);

/* Names a variable or parameter (see lockclass.h). Returns 0 or -1. */
static int name_var(CXCursor decl, const struct li_class_ctx *cx,
                    struct li_buf *b, const char **trailer) {
  enum CXCursorKind k = clang_getCursorKind(decl);
  if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
    return -1;
  CXCursor parent = clang_getCursorSemanticParent(decl);
  if (clang_getCursorKind(parent) == CXCursor_FunctionDecl) {
    add_cx(b, clang_getCursorSpelling(parent));
    li_buf_puts(b, clang_Cursor_getStorageClass(decl) == CX_SC_Static ? "::"
                                                                      : ":");
    add_cx(b, clang_getCursorSpelling(decl));
    return 0;
  }
  add_cx(b, clang_getCursorSpelling(decl));
  if (clang_getCursorLinkage(decl) == CXLinkage_Internal) {
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(decl), &f, NULL, NULL,
                               NULL);
    *trailer = cx->main_path;
    if (f && !clang_File_isEqual(f, cx->main_file)) {
      CXString fn = clang_getFileName(f);
      *trailer = li_xstrdup(clang_getCString(fn)); /* freed by the caller */
      clang_disposeString(fn);
    }
  }
  return 0;
}

/* Returns 1 if record decl r has no tag name. */
static int unnamed_record(CXCursor r) {
  return cx_empty(clang_getCursorSpelling(r)) || clang_Cursor_isAnonymous(r);
}

/* Names the field of member expression e (see lockclass.h). */
static int name_field(CXCursor e, const struct li_class_ctx *cx,
                      struct li_buf *b, const char **trailer) {
  CXCursor field = clang_getCursorReferenced(e);
  if (clang_getCursorKind(field) != CXCursor_FieldDecl)
    return -1;
  struct li_buf path = {0};
  li_buf_puts(&path, ".");
  add_cx(&path, clang_getCursorSpelling(field));
  CXCursor r = clang_getCursorSemanticParent(field);
  while (unnamed_record(r) && clang_Cursor_isAnonymousRecordDecl(r))
    r = clang_getCursorSemanticParent(r); /* C11 anonymous member */
  int rc = 0;
  if (!unnamed_record(r)) {
    li_buf_puts(b, clang_getCursorKind(r) == CXCursor_UnionDecl ? "union "
                                                                : "struct ");
    add_cx(b, clang_getCursorSpelling(r));
  } else {
    struct kids k;
    expr_kids(e, &k);
    CXType t = clang_getCursorType(k.n ? k.v[0] : e);
    if (clang_getCanonicalType(t).kind == CXType_Pointer)
      t = clang_getPointeeType(t);
    if (t.kind == CXType_Typedef)
      add_cx(b, clang_getTypedefName(t)); /* typedef struct {...} name; */
    else if (k.n != 1 || name_of(k.v[0], cx, b, trailer) != 0)
      rc = -1;
  }
  li_buf_add(b, path.s, path.n);
  li_buf_free(&path);
  return rc;
}

/* Appends to b the class of the object designated by (or pointed to by)
 * expression e; sets *trailer for a file-scope static. Returns 0 or -1 if e
 * names nothing the rules know. */
static int name_of(CXCursor e, const struct li_class_ctx *cx, struct li_buf *b,
                   const char **trailer) {
  e = li_strip_expr(e);
  struct kids k;
  switch (clang_getCursorKind(e)) {
  case CXCursor_DeclRefExpr:
    return name_var(clang_getCursorReferenced(e), cx, b, trailer);
  case CXCursor_MemberRefExpr:
    return name_field(e, cx, b, trailer);
  case CXCursor_ArraySubscriptExpr:
    expr_kids(e, &k);
    if (k.n != 2 || name_of(k.v[0], cx, b, trailer) != 0)
      return -1;
    li_buf_puts(b, "[]");
    return 0;
  case CXCursor_UnaryOperator: {
    expr_kids(e, &k);
    if (k.n != 1)
      return -1;
    CXType te = clang_getCursorType(e), tk = clang_getCursorType(k.v[0]);
    int addr = clang_getCanonicalType(te).kind == CXType_Pointer &&
               same_type(clang_getPointeeType(te), tk);
    int deref = clang_getCanonicalType(tk).kind == CXType_Pointer &&
                same_type(clang_getPointeeType(tk), te);
    if (!addr && !deref)
      return -1;
    return name_of(k.v[0], cx, b, trailer);
  }
  default:
    return -1;
  }
}

char *li_lock_class(CXCursor arg, const struct li_class_ctx *cx) {
  struct li_buf b = {0};
  const char *trailer = NULL;
  if (name_of(arg, cx, &b, &trailer) != 0) {
    li_buf_free(&b);
    li_buf_printf(&b, "%s @ %s:%u", cx->expr, cx->site_file, cx->site_line);
  } else if (trailer) {
    li_buf_printf(&b, " (%s)", trailer);
  }
  if (trailer && trailer != cx->main_path)
    free((char *)trailer);
  return li_buf_take(&b);
}
