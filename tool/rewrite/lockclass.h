/*
 * lockclass.h — the lock class of a lock argument, from the declaration it
 * refers to (rules in docs/rewriter.md, "Lock classes"):
 *   &g            -> g            (extern global)
 *   &g, static    -> g (a.c)      (file-scope static: its file)
 *   &m, static local in fn        -> fn::m
 *   m / &m, parameter or local    -> fn:m
 *   &p->mu, &s.mu -> struct T.mu  (T declares mu; anonymous members join
 *                                  the nearest named struct)
 *   &a[i]         -> a[]          &a[i].mu -> struct T.mu
 *   &p->locks[i]  -> struct T.locks[]
 *   q->lockp      -> struct T.lockp
 *   anything else -> "<expr> @ <file>:<line>"
 */
#ifndef LI_LOCKCLASS_H
#define LI_LOCKCLASS_H

#include <clang-c/Index.h>

struct li_class_ctx {
  CXFile main_file;      /* the input being rewritten */
  const char *main_path; /* its name as given on the command line */
  const char *expr;      /* the lock argument's text, for the fallback */
  const char *site_file; /* the site's file and line, for the fallback */
  unsigned site_line;
};

/* Returns the class of lock argument arg as a new string. */
char *li_lock_class(CXCursor arg, const struct li_class_ctx *cx);

/* Returns e with implicit casts, parentheses and casts removed. */
CXCursor li_strip_expr(CXCursor e);

#endif /* LI_LOCKCLASS_H */
