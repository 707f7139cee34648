/*
 * custom.h — rewriting calls to the custom lock APIs of a configuration
 * file ([api NAME] in .lockinstr, see config.h and docs/configuration.md).
 *
 * A custom API has no wrapper in the runtime's headers, so the rewriter
 * writes one per file, typed with the function's own parameter types (taken
 * from its declaration by libclang):
 *
 *   static inline void lockinstr_custom_spin_lock(struct lockinstr_site *site,
 *                                                 spinlock_t *a1);
 *
 * Its declaration is inserted, without a newline, in front of the first
 * top-level declaration (usually a function) that calls it, where the
 * user's types are known; its definition goes in the epilogue, after the
 * file's last line: its body is one expansion of lockinstr.h's
 * LI_WRAPPER_, the macro of the built-in wrappers' bodies (custom.c), so
 * both behave alike by construction. The file's [runtime] defaults are
 * applied by a constructor in the epilogue that calls
 * lockinstr_set_sample_rate unless the environment sets the rate.
 *
 * A call written in a project header (a static inline helper) gets the
 * same wrapper, but in the header's copy (headers.h): the file rewriting
 * it hands over the wrapper's text (li_custom_wrapper), so that the copy,
 * shared by every file that includes it, needs no configuration.
 *
 * Site `api` numbers: 0 .. LOCKINSTR_API_COUNT-1 are the built-in table;
 * LOCKINSTR_API_COUNT + i is custom API i of the file's configuration.
 */
#ifndef LI_CUSTOM_H
#define LI_CUSTOM_H

#include <clang-c/Index.h>
#include <stddef.h>

#include "apis.h"
#include "config.h"

/* What the wrapper of one custom API needs to know about the function. */
struct li_custom_sig {
  char *ret;     /* return type, as a declaration specifier */
  int ret_void;  /* the function returns void */
  int success;   /* enum li_csuccess, resolved (config or return type) */
  char **params; /* parameter types, as declaration specifiers */
  int nparams;
  int lock_from;    /* enum li_lock_from, resolved: ARG, NONE, RETURN or
                       GLOBAL */
  int lock_is_int;  /* the lock (parameter or returned value) is an
                       integer, not a pointer */
  int try_all_args; /* the try function takes every argument (else: lock) */
};

/* One custom API as this file uses it. */
struct li_custom_use {
  int used;        /* a site calls it: declare and define the wrapper */
  size_t decl_off; /* where its declaration goes (valid if used) */
  struct li_custom_sig sig;
  int try_nargs; /* parameters of its try function as declared so
                    far in the file; -1 = not declared yet */
};

/* The custom APIs of one file's rewrite. */
struct li_custom_state {
  const struct li_config *cfg; /* may be NULL: no custom API */
  struct li_custom_use *use;   /* [cfg->napis] */
  struct li_api *view;         /* [cfg->napis]: as table rows */
};

void li_custom_init(struct li_custom_state *st, const struct li_config *cfg);
void li_custom_free(struct li_custom_state *st);

/* Returns where API a's lock comes from for function declaration decl
 * (enum li_lock_from, never DEFAULT: a function without parameters has
 * none). */
int li_custom_lock_from(const struct li_custom_api *a, CXCursor decl);

/* Returns custom API i as a row of the table (name, kind, mode, lock_arg;
 * header -1). */
const struct li_api *li_custom_view(const struct li_custom_state *st, int i);

/* Returns 1 if the file calls a custom API (its prologue then includes
 * lockinstr.h, which defines LOCKINSTR_API_CUSTOM and track_acquire). */
int li_custom_used(const struct li_custom_state *st);

/* Notes a function declaration seen by the walk (in any file): a try
 * function's arity is needed to call it. */
void li_custom_seen_decl(struct li_custom_state *st, CXCursor decl);

/* Returns the custom API index of function declaration decl (any file),
 * or -1. */
int li_custom_lookup(const struct li_custom_state *st, CXCursor decl);

/* Prepares custom API i for a call whose callee is decl, to be rewritten;
 * decl_off is where the wrapper's declaration can go (the start of the
 * top-level declaration holding the call). Returns NULL when the call can
 * be rewritten (the API is then marked used), else the reason it cannot
 * (caller frees). */
char *li_custom_prepare(struct li_custom_state *st, int i, CXCursor decl,
                        size_t decl_off);

/* Returns the wrapper declaration of used API i, to be inserted at
 * use[i].decl_off (no newline; ends with a blank). Caller frees. */
char *li_custom_decl(const struct li_custom_state *st, int i);

/* The wrapper of a custom API called in a project header (headers.h):
 * the header's copy declares it in front of each of its top-level
 * declarations that call it and defines it in its epilogue, so it carries
 * both texts. */
struct li_custom_wrapper {
  char *name;  /* the API's name */
  int kind;    /* enum lockinstr_kind */
  char *decl;  /* its declaration, as li_custom_decl */
  char *def;   /* its definition in its include guard; lines end in "\n" */
  int threads; /* the definition needs <threads.h> */
};

/* Fills *w for a call of custom API i, whose callee is decl, written in a
 * project header. Returns NULL, or the reason the call cannot be
 * rewritten (caller frees; *w is then empty). The file itself does not
 * use the API for this (li_custom_used is unchanged). */
char *li_custom_wrapper(const struct li_custom_state *st, int i, CXCursor decl,
                        struct li_custom_wrapper *w);
void li_custom_wrapper_free(struct li_custom_wrapper *w);

/* Appends the epilogue's custom part: the wrapper definitions of the used
 * APIs, then the constructor applying the [runtime] defaults of
 * defaults_of (NULL or nothing set: none). */
void li_custom_epilogue(const struct li_custom_state *st,
                        const struct li_config *defaults_of, struct li_buf *b,
                        const char *eol);

/* Returns 1 if the configuration's [runtime] section sets anything the
 * epilogue carries (sample rate, default output pattern, default quiet). */
int li_custom_has_defaults(const struct li_config *cfg);

/* Name and enum lockinstr_kind of site api number api (built-in or
 * custom). */
const char *li_site_api_name(const struct li_config *cfg, int api);
int li_site_api_kind(const struct li_config *cfg, int api);

#endif /* LI_CUSTOM_H */
