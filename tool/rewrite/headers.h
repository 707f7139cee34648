/*
 * headers.h — instrumented copies of the project's own headers.
 *
 * Every project header a rewritten file includes (under the root or a
 * --header-dir; never a system header) is copied to OUTDIR at its path
 * relative to the root, lines unmoved, so that the output directory can go
 * ahead of the original on the include path. Three things may change in a
 * copy (docs/rewriter.md, "Project headers"):
 *
 *  - a lock call written in one of its functions (a static inline helper)
 *    is rewritten like a call in a .c file, but its site lives in a table
 *    the header defines weak (__attribute__((weak)), named after the
 *    header and a hash of the table): every translation unit that includes
 *    the header refers to the same site, and the linker keeps one copy, so
 *    the profile has one site per place the call is written;
 *  - a lock call written in one of its macro bodies becomes
 *    `LI_FN_<id>(pthread_mutex_lock)(LI_ARG_<id> m)`, where <id> names the
 *    call (header and offset). A rewritten .c file that uses the macro
 *    defines both in its prologue (`lockinstr_##f` and its own site,
 *    selected by __LINE__); a header function that uses it pushes its own
 *    definitions around its text; anywhere else the copy's fallback
 *    definitions make it the plain call again;
 *  - quoted includes are re-pointed like those of a .c file.
 *
 * Custom lock APIs (the configuration's [api NAME], custom.h) are handled
 * the same way. A call in a function is renamed lockinstr_custom_NAME; the
 * copy declares that wrapper (whose parameter types are the user's) in
 * front of each of its top-level declarations that call it, where the
 * API's declaration and so its types are known, and defines it in its
 * epilogue under the LOCKINSTR_CUSTOM_<NAME>_DEFINED guard that .c files
 * use too: the first definition a translation unit sees wins. The wrapper's
 * text comes with the sites (li_hsite.custom), as the includer's
 * configuration and libclang saw it. Calls in macro bodies to the API
 * names of the includers' configurations (LI_HSITE_NAMES records) get
 * LI_FN_/LI_ARG_ like built-in ones; a .c file's LI_FN_ for them pastes
 * lockinstr_custom_.
 *
 * The copy depends only on the header's text, the sites found in its
 * functions and the API names of the configuration, so every file of a
 * batch (and every separate run over the same header with the same
 * configuration) writes the same bytes.
 */
#ifndef LI_HEADERS_H
#define LI_HEADERS_H

#include <stddef.h>

#include "rewrite.h"

/* One project header of a run. */
struct li_header {
  char *abs;     /* the original */
  char *name;    /* its path relative to the root: the copy is OUTDIR/name */
  char *path;    /* as printed, in #line and in its sites */
  char *out_abs; /* the copy, or NULL (no -o) */
  struct li_hsite *sites; /* one per site, merged from every includer;
                             after a build, sites[i] is entry i of its
                             table for i < ntable */
  size_t nsites;
  size_t ntable;    /* entries in its table (uses of a macro on one line
                       share one) */
  char **api_names; /* custom lock APIs whose calls in its macro bodies
                       are rewritten (LI_HSITE_NAMES), sorted */
  size_t napi_names;
  int already;  /* it was already instrumented: copied unchanged */
  char *output; /* the copy's bytes, after li_header_build */
  size_t output_len;
  char *error;           /* a message, if it could not be built */
  char *inside;          /* where ("file:line") an input includes it inside a
                            declaration (then its copy is unchanged, each of its
                            sites a note), or NULL */
  struct li_note *notes; /* those notes, after li_header_build */
  size_t nnotes;
};

/* Adds a copy of s to h's sites unless the same site is there already
 * (for an LI_HSITE_NAMES record: its name to h->api_names). */
void li_header_add_site(struct li_header *h, const struct li_hsite *s);

/* Returns the name and, in *kind, the enum lockinstr_kind of the API of
 * header site s (built-in or custom). */
const char *li_hsite_api(const struct li_hsite *s, int *kind);

/* Builds h->output (see above) from the file h->abs. Quoted includes are
 * re-pointed at target(header) (see li_include_edits). Returns 0, or -1
 * with h->error set. */
int li_header_build(struct li_header *h,
                    char *(*target)(const char *abs, void *arg), void *arg);

void li_header_free(struct li_header *h);

#endif /* LI_HEADERS_H */
