/*
 * emit.h — the text the rewriter writes around and into a file, for .c
 * files and project-header copies alike; plain C, no libclang.
 *
 * Everything lockinstr adds to a file is written here, once: the marker
 * that makes a second run recognise its own output, the prologue (API
 * groups, wrapper declarations, the site table in one of its three forms,
 * the LI_FN_/LI_ARG_ definitions of calls written in a project header's
 * macro bodies, `#line 1`), the epilogue (wrapper definitions), the site
 * argument of a rewritten call and the __LINE__ selector that picks one
 * expansion's site, the identifiers made from paths, and the edits of
 * calls in a header's macro bodies. rewrite.c (libclang matching) and
 * headers.c (merging the sites of a header) decide what there is to write;
 * this module decides how it is written (docs/rewriter.md, "The output
 * file", "Macros", "Project headers").
 */
#ifndef LI_EMIT_H
#define LI_EMIT_H

#include <stddef.h>

#include "text.h"

struct li_edits; /* edit.h */

/* One rewritten call (one per expansion for calls in a macro body). */
struct li_site {
  int api;            /* enum lockinstr_api_id, or LOCKINSTR_API_COUNT + i:
                         custom API i (custom.h) */
  unsigned flags;     /* LOCKINSTR_SITE_* */
  unsigned line, col; /* presumed position (honours #line) */
  char *file;         /* presumed file: the input path as given, or a
                         #line name */
  char *function;     /* enclosing function, "" at file scope */
  char *expr;         /* the lock argument as written */
  char *lock_class;   /* see docs/rewriter.md */
  char *macro;        /* macro whose body holds the call, or "" */
  size_t name_off;    /* offset of the callee name in the input */
  size_t paren_off;   /* offset of the '(' of the argument list */
  unsigned exp_line;  /* presumed line of the outermost expansion */
  char *point_hdr;    /* for a use of a call written in a project header's
                         macro body: that header's name (see li_job's
                         project_header), else NULL */
  size_t point_off;   /* offset of that call's name in the header */
  int keep_spelling;  /* a call in an argument of a stringifying macro:
                         its text stays, a scoped macro of its name calls
                         the wrapper (li_emit_spelling_edits) */
  size_t spell_use;   /* ... the outermost macro use holding it */
  size_t spell_end;   /* ... and the end of that use's arguments */
  int noargs;         /* the call has no argument (a custom API without
                         parameters): the site is its only argument */
};

/* Frees the strings of one site (not the site itself). */
void li_site_free(struct li_site *s);

/* Orders sites by the edit point they share: direct calls by the offset of
 * the callee's name, then uses of a project-header macro's call by header
 * and the call's offset there. 0 means one group (one edit). */
int li_site_group_cmp(const struct li_site *a, const struct li_site *b);

/* ---- names ------------------------------------------------------------- */

/* Returns path as a C identifier fragment: every byte that is not an ASCII
 * letter or digit becomes '_' ("src/q.h" -> "src_q_h"). New string. */
char *li_emit_ident(const char *path);

/* Returns the id of the lock call written at offset off of the project
 * header named hdr_name: "<ident>_<off>" (new string). */
char *li_emit_point_id(const char *hdr_name, size_t off);

/* Returns the name of an input's site table: LI_SITE for a .c file,
 * LI_SITE_<ident of path> for anything else (a header given as an input,
 * which may meet other instrumented files in one translation unit). New
 * string. */
char *li_emit_table_name(const char *path);

/* Returns 1 if an input's table named `array` needs the guarded form (see
 * enum li_emit_table): it is not LI_SITE. */
int li_emit_table_guarded(const char *array);

/* Returns the name of a header copy's weak table:
 * LI_SITE_<ident of name>_<FNV-1a of its entries' text>, so that copies
 * built from different views of the header never share a symbol with a
 * different layout. New string. */
char *li_emit_weak_table_name(const char *name,
                              const struct li_site *const *sites, size_t n);

/* ---- sites and selectors ----------------------------------------------- */

/* Appends the table entry of s: `  LOCKINSTR_SITE_INIT(...),` (no end of
 * line). */
void li_emit_entry(struct li_buf *b, const struct li_site *s);

/* Decides which sites of one edit point, c[0..n) in order, get a table
 * entry: keep[i] is set to 1 for those, 0 for the others; the kept ones
 * are numbered first, first + 1, ... A call written once (not
 * LOCKINSTR_SITE_IN_MACRO) keeps c[0] only. The expansions of a macro are
 * told apart by __LINE__, whose value for an expansion is c->line under
 * gcc (the line of the use's name) and c->exp_line under clang (the line
 * of its closing parenthesis): a value maps to an entry when every
 * expansion that can give it describes one site (same line, function,
 * expression and class; the column may differ), and an expansion gets an
 * entry when some value maps to it. Every other value (two different
 * sites on one line, a use the walk never saw) selects one more entry
 * after the kept ones, the group's unattributed site (li_emit_has_fallback,
 * li_emit_unattributed), which the caller adds. Returns the index
 * expression: "3", or "__LINE__ == 12 ? 3 : 4" (new string). n >= 1. */
char *li_emit_select(const struct li_site *const *c, size_t n, size_t first,
                     char *keep);

/* Returns 1 if the group whose first site is first gets an unattributed
 * entry after its kept ones (li_emit_select): it is a macro's. */
int li_emit_has_fallback(const struct li_site *first);

/* Fills *out with the unattributed site of like's group: its API, file
 * and macro M, line and column 0, no function, and "unattributed use of
 * macro M" as expression and (with " @ FILE") as weak class, so that the
 * profile shows it as such and lock order sees its lock instances. */
void li_emit_unattributed(const struct li_site *like, struct li_site *out);

/* Returns the site argument of a call: "&<array>[<index>]," (new
 * string), without the comma for a call without arguments (noargs). */
char *li_emit_site_arg(const char *array, const char *index, int noargs);

/* Adds the edits of one rewritten call: the wrapper prefix in front of
 * the callee name at name_off ("lockinstr_", "lockinstr_custom_" when
 * custom is 1, "lockinstr_inner_" when it is 2: a configured wrapper's own
 * lock call) and "<site_arg> " after the '(' at paren_off. Returns 0 or the
 * li_edits_add error. */
int li_emit_call_edits(struct li_edits *ed, size_t name_off, size_t paren_off,
                       int custom, const char *site_arg);

/* Adds the edits of a lock call written in a project header's macro body
 * (name at buf[name_off], name_len bytes; '(' at paren_off):
 * `LI_FN_<id>(name)(LI_ARG_<id> ...`, with id li_emit_point_id(hdr_name,
 * name_off). Returns the id (new string). */
char *li_emit_point_edits(struct li_edits *ed, const char *hdr_name,
                          const char *buf, size_t name_off, size_t name_len,
                          size_t paren_off);

/* A call that keeps its spelling inside a stringifying macro's use
 * (li_site.keep_spelling): the prologue saves two states of the macro
 * NAME on its push_macro stack, undefined and then `#define NAME(a0, ...)
 * WRAPPER(<arg> a0, ...)`; the use pops the definition just before it
 * and the undefined state just after it (li_emit_spelling_edits), so its
 * arguments expand NAME(...) to the wrapper while `#x` keeps NAME. */
struct li_emit_spell {
  char *name;   /* owned: the API's name */
  char *arg;    /* owned: the site argument, "&LI_SITE[3]," */
  int custom;   /* the wrapper is lockinstr_custom_NAME */
  size_t nargs; /* the call's number of arguments */
  size_t use;   /* the offset of the use in the input */
};

/* Appends *s to (*v)[0..*n), taking its strings. */
void li_emit_add_spell(struct li_emit_spell **v, size_t *n,
                       const struct li_emit_spell *s);
/* Frees v[0..n) and v. */
void li_emit_spells_free(struct li_emit_spell *v, size_t n);

/* Adds the edits of a kept spelling of API name around the macro use
 * text[use..end): `_Pragma("pop_macro(\"NAME\")") ` before it and the
 * same after it. Returns 0 or the li_edits_add error. */
int li_emit_spelling_edits(struct li_edits *ed, const char *name, size_t use,
                           size_t end);

/* ---- the file ---------------------------------------------------------- */

/* The form of the site table. */
enum li_emit_table {
  LI_EMIT_STATIC,  /* a .c file: static, one per translation unit */
  LI_EMIT_GUARDED, /* a header given as an input: static, in its own
                      include guard (lockinstr_site.h declares the
                      wrappers of each group once) */
  LI_EMIT_WEAK,    /* a project header's copy: guarded, and weak, so that
                      every translation unit shares one table */
};

/* An LI_FN_/LI_ARG_ pair the prologue defines: the call written in a
 * project header's macro body that id names goes through the wrapper,
 * with site argument arg ("&LI_SITE[...],"). */
struct li_emit_use {
  char *id;   /* owned */
  char *arg;  /* owned */
  int custom; /* a custom API: the wrapper is lockinstr_custom_<name> */
};

/* Appends {id, arg, custom} to (*v)[0..*n), taking id and arg. */
void li_emit_add_use(struct li_emit_use **v, size_t *n, char *id, char *arg,
                     int custom);
/* Frees v[0..n) and v. */
void li_emit_uses_free(struct li_emit_use *v, size_t n);

/* What goes around one file's text. */
struct li_emit_file {
  const char *path;  /* as printed: in the marker comment and #line */
  const char *eol;   /* "\n" or "\r\n" (li_emit_eol) */
  const char *array; /* the table's name; NULL: no table */
  enum li_emit_table table;
  const struct li_site *const *sites; /* the table's entries */
  size_t nsites;
  int full; /* include lockinstr.h (custom wrappers need it), not only
               lockinstr_site.h */
  const struct li_emit_use *uses;
  size_t nuses;
  int scoped_uses;        /* a header copy: each use is pushed in the prologue
                             and popped in the epilogue (push_macro), and gets a
                             fallback after it */
  char *const *fallbacks; /* ids whose LI_FN_/LI_ARG_ default to the plain
                             call unless defined (a header's macro-body
                             calls) */
  size_t nfallbacks;
  const struct li_emit_spell *spells; /* in the order of their uses */
  size_t nspells;
  const char *tail; /* appended last (custom wrappers and defaults), with
                       eol line ends; NULL: none */
};

/* Returns the line end of buf[0..len): "\r\n" if its first line ends so,
 * else "\n". */
const char *li_emit_eol(const char *buf, size_t len);

/* Returns 3 if buf starts with a UTF-8 byte-order mark (dropped when a
 * prologue goes first), else 0. */
size_t li_emit_bom(const char *buf, size_t len);

/* Appends text, whose lines end in "\n", with eol line ends. */
void li_emit_lines(struct li_buf *b, const char *text, const char *eol);

/* Appends the prologue of f: the marker, the API groups, the table, the
 * uses and fallbacks, the kept spellings' macro stacks, and `#line 1
 * "<path>"`. */
void li_emit_prologue(struct li_buf *b, const struct li_emit_file *f);

/* Appends the epilogue of f (goes after the file's last line). */
void li_emit_epilogue(struct li_buf *b, const struct li_emit_file *f);

/* Returns the copy of a file without sites: `#line 1 "<path>"` and
 * text[0..n) (a leading UTF-8 byte-order mark stays first), so that
 * __FILE__, diagnostics and debug info name the original, as in an
 * instrumented file; lines do not move. *len its length. New string. */
char *li_emit_plain(const char *path, const char *text, size_t n, size_t *len);

/* Returns prologue + text[0..n) (with a final eol if it has none) +
 * epilogue; *len its length. New string. */
char *li_emit_wrap(const struct li_emit_file *f, const char *text, size_t n,
                   size_t *len);

/* Returns 1 if buf looks like lockinstr output: a line of its first 4 KiB
 * starts with `#define LOCKINSTR_INSTRUMENTED` (the marker the prologue
 * writes, whatever version of the tool wrote it). */
int li_emit_is_instrumented(const char *buf, size_t len);

#endif /* LI_EMIT_H */
