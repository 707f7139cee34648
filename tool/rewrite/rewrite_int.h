/*
 * rewrite_int.h — the state shared by the parts of one file's rewrite
 * (internal to rewrite.c, match.c and macrocall.c; see rewrite.h).
 *
 * rewrite.c parses the input, drives the walk and turns the calls found
 * into sites, edits and the output (through emit.h); match.c walks the AST
 * and records each lock call it can rewrite (struct li_site in
 * li_rw.calls, or an li_hsite of a project header) or notes why not;
 * macrocall.c finds the text of a call that a macro expansion produced.
 * Nothing here is thread-safe across files: one struct li_rw per rewrite.
 */
#ifndef LI_REWRITE_INT_H
#define LI_REWRITE_INT_H

#include <clang-c/Index.h>
#include <stddef.h>

#include "apis.h"
#include "custom.h"
#include "emit.h"
#include "rewrite.h"
#include "text.h"

/* The state of one file's rewrite. */
struct li_rw {
  const struct li_job *job;
  struct li_result *res;
  CXTranslationUnit tu;
  CXFile main;     /* the input, as libclang knows it */
  const char *buf; /* the input's bytes (what libclang parsed) */
  size_t len;
  struct li_site *calls; /* every rewritable call, one per expansion */
  size_t ncalls;
  struct li_rw_macros *fms; /* #defines of the files used so far */
  size_t nfms;
  struct li_rw_expansion *exps; /* calls seen so far per macro expansion */
  size_t nexps;
  struct li_custom_state custom; /* the configuration's lock APIs */
  struct li_rw_def *defs;        /* macros looked up in the included files */
  size_t ndefs;
  CXFile *incl; /* every file of the translation unit, in inclusion order */
  size_t nincl;
  int incl_listed;
  struct li_emit_use *uses; /* header macro calls used here (LI_FN_/LI_ARG_) */
  size_t nuses;
  char **inside;       /* project names of the headers it includes inside a */
  size_t ninside;      /* declaration (whose copies are left unchanged) */
  struct li_emit_spell *spells; /* calls that keep their spelling */
  size_t nspells;
  char *foreign_name;  /* the first macro of another file that the last */
  CXFile foreign_file; /* body scan met, and its file (macrocall.c) */
};

/* Which included file defines a macro (NULL: none). */
struct li_rw_def {
  char *name;
  CXFile file;
};

/* The #defines of one file (scanned on first need). */
struct li_rw_macros {
  CXFile file;
  const char *text; /* as parsed (libclang's buffer, or the input's) */
  struct li_macro *v;
  size_t n;
};

/* The file a call is expanded in: the input, or a project header (whose
 * own site table the call's site then goes to). */
struct li_rw_use {
  CXFile file;
  const char *buf; /* its text as parsed */
  size_t len;
  char *hdr_abs;  /* NULL for the input; the project header's path */
  char *hdr_name; /* ... and its name (see li_job.project_header) */
};

/* How many calls to one API a macro expansion produced so far: the k-th
 * call in the AST is the k-th call of the macro's (flattened) body. */
struct li_rw_expansion {
  CXFile file;  /* the file holding the macro's use */
  unsigned off; /* offset of the macro's use in that file */
  int api;
  size_t count;
};

/* The walk's position: the enclosing function and the callee just seen. */
struct li_rw_walk {
  struct li_rw *cx;
  const char *fn;  /* enclosing function, "" at file scope */
  CXCursor callee; /* callee DeclRefExpr of the last matched call */
  int has_callee;
  size_t top_off;   /* start of the top-level declaration in the input,
                       or (size_t)-1 (see custom.h) */
  CXFile top_file;  /* the file where that declaration starts (any) */
  size_t top_foff;  /* ... and its offset there */
  const char *skip; /* calls here are left alone: "" (a lock's own
                       implementation) or the exclusion's origin */
  int inner;        /* the call is a custom lock's inner one (match.c) */
};

/* Where a call is written: its callee name and '(' in a file's text, and
 * for a call in a macro body, the macro (name, and its definition when the
 * macro is the one used, for parameter substitution). */
struct li_rw_written {
  const char *buf; /* the text holding the call */
  size_t len;
  size_t name_off, paren;
  char *macro;                  /* owned; NULL if not in a macro body */
  const struct li_macro *outer; /* in buf, or NULL */
  char *point_hdr; /* owned; a project header's macro body: its name */
};

/* ---- rewrite.c --------------------------------------------------------- */

/* Returns a copy of s and disposes of s. */
char *li_rw_take(CXString s);

/* Returns the presumed position of loc (file, line, column as a compiler
 * reports them, honouring #line); the input's own name maps to the path
 * given on the command line. Caller frees. */
char *li_rw_presumed(struct li_rw *cx, CXSourceLocation loc, unsigned *line,
                     unsigned *col);

/* Adds a note (taking reason) at the presumed position of loc. */
void li_rw_note_at(struct li_rw *cx, CXSourceLocation loc, char *reason);

/* Returns 1 if a -D flag of the job defines macro name[0..n). */
int li_rw_cmdline_macro(struct li_rw *cx, const char *name, size_t n);

/* Returns the length of the first identifier of s[from..end) that a -D
 * flag defines, and its offset in *at; 0 if there is none. */
size_t li_rw_cmdline_macro_in(struct li_rw *cx, const char *s, size_t from,
                              size_t end, size_t *at);

/* Returns 1 if the file's absolute path is an input of this run. */
int li_rw_is_input(struct li_rw *cx, CXFile f);

/* Returns the absolute path of file f (new string). */
char *li_rw_file_abs(struct li_rw *cx, CXFile f);

/* Returns the project-header name of file f (see li_job.project_header),
 * or NULL if it is not one. Caller frees. */
char *li_rw_project_name(struct li_rw *cx, CXFile f);

/* Returns the text of file f as parsed (*len its length), or NULL. */
const char *li_rw_file_text(struct li_rw *cx, CXFile f, size_t *len);

/* Returns the #defines of file f (text t of length n), scanned once. The
 * pointer is valid until the next call (the array may move). */
const struct li_rw_macros *li_rw_macros_of(struct li_rw *cx, CXFile f,
                                           const char *t, size_t n);

/* Returns the #defines of file f (text t of length n) as a text whose
 * lookups (li_find_live_macro, li_body_calls_in) see only the definitions
 * the preprocessor read, not those of skipped #if branches. */
struct li_macro_text li_rw_macro_text(struct li_rw *cx, CXFile f, const char *t,
                                      size_t n);

/* Returns the table row of api number api (built-in or custom). */
const struct li_api *li_rw_api(struct li_rw *cx, int api);

/* ---- match.c ----------------------------------------------------------- */

/* The AST visitor (client data: a struct li_rw_walk): records every lock
 * call of the translation unit, or notes why it cannot be rewritten. */
enum CXChildVisitResult li_rw_visit(CXCursor c, CXCursor parent,
                                    CXClientData data);

/* Records a rewritable call expanded in u and written at wr (whose owned
 * strings it takes): a site of the input, or of the project header u is
 * (k: the k-th call of its API by the macro use at exp_off). */
void li_rw_add_call(struct li_rw_walk *w, const struct li_rw_use *u,
                    CXCursor call, CXCursor callee, int api,
                    struct li_rw_written *wr, unsigned exp_off, size_t k);

/* ---- macrocall.c ------------------------------------------------------- */

/* Handles a call whose callee name comes from a macro used at offset use
 * of u (file location of the name): finds the call in the body of the
 * macro, defined in u itself or in a project header, and records it, or
 * notes why it cannot be rewritten. */
void li_rw_on_macro_call(struct li_rw_walk *w, const struct li_rw_use *u,
                         CXCursor call, CXCursor callee, int api, unsigned use,
                         unsigned exp_off);

/* Returns the offset just past the argument list that starts at the '('
 * at s[at] (balanced, as li_arg_end reads arguments), with *nargs its
 * number of arguments; at and 0 if s[at] is not '('. */
size_t li_rw_args_end(const char *s, size_t len, size_t at, size_t *nargs);

/* Returns the presumed position (file: new string; line, column) of
 * offset off of u, reached through the expansion that the callee at nloc
 * belongs to. Text in a macro's arguments is counted from where the
 * outermost expansion starts (libclang maps such an offset to the
 * expansion); #line cannot occur in between. */
char *li_rw_text_position(struct li_rw *cx, const struct li_rw_use *u,
                          size_t off, CXSourceLocation nloc, unsigned *line,
                          unsigned *col);

/* Sets the presumed position of the macro use whose name is at offset use
 * of u (*file: new string; nloc: the callee, see li_rw_text_position),
 * and *end_line, the line of the ')' closing its arguments (of its name
 * if it has none). These are the values __LINE__ takes in its expansion:
 * gcc's, the name's line, and clang's, the closing parenthesis's, also
 * for a use written in an argument of another macro (docs/rewriter.md,
 * Macros). */
void li_rw_use_lines(struct li_rw *cx, const struct li_rw_use *u, size_t use,
                     CXSourceLocation nloc, char **file, unsigned *line,
                     unsigned *col, unsigned *end_line);

/* Marks site s, a call written at s->name_off of u inside the arguments
 * of the macro used at offset use (the outermost use), as one that keeps
 * its spelling (s->keep_spelling, spell_use, spell_end: the use and the
 * end of its arguments) when a macro used there around the call (the
 * outermost one, or one nested in its arguments) has a # operator in its
 * body: `#x` must print the call as written (docs/rewriter.md, "Calls in
 * a stringified macro argument"). Calls in a project header are left as
 * they are. */
void li_rw_keep_spelling(struct li_rw *cx, const struct li_rw_use *u,
                         struct li_site *s, size_t use);

#endif /* LI_REWRITE_INT_H */
