/*
 * rewrite.h — instrumenting one C file with libclang.
 *
 * li_rewrite_file parses one input (once), finds every call to a lock API of
 * the table whose callee is declared in a system header, and produces the
 * instrumented text (prologue + original text with calls renamed and the
 * site inserted as first argument + epilogue; see docs/rewriter.md), the
 * list of sites, and notes for calls it could not instrument; and, for the
 * project headers it includes, their paths and the sites it saw in them
 * (the caller merges those over every input and writes the header copies,
 * see headers.h); on request, every file the parse read (for --depfile,
 * see depfile.h). It writes no file: the caller does (see output.h). It
 * is thread-safe as long as each thread passes its own CXIndex.
 */
#ifndef LI_REWRITE_H
#define LI_REWRITE_H

#include <clang-c/Index.h>
#include <stddef.h>

#include "emit.h"
#include "text.h"

struct li_config;         /* config.h */
struct li_custom_wrapper; /* custom.h */

/* A site that belongs to a project header (docs/rewriter.md, "Project
 * headers"): a call written in one of its functions, or a use, in one of
 * its functions, of a lock macro of a project header. Every translation
 * unit that includes the header sees it; the caller merges them. */
struct li_hsite {
  char *header;     /* absolute path of the header holding the call or use */
  unsigned use_off; /* a macro use: offset of the use in the header */
  size_t k;         /* a macro use: the k-th call of this API it expands to */
  struct li_site site; /* name_off, paren_off: in the header's text (a
                          direct call); point_hdr set for a macro use */
  /* A call of a custom lock API (site.api >= LOCKINSTR_API_COUNT, a
   * number of the includer's configuration that means nothing to the
   * header): its wrapper (owned), else NULL. */
  struct li_custom_wrapper *custom;
  size_t decl_off; /* ... where the copy declares the wrapper: the start
                      of the header's top-level declaration holding it */
};

/* site.api of an li_hsite that is no site but names a custom API of the
 * includer's configuration (custom->name; nothing else set): calls to it
 * in the header's macro bodies go through LI_FN_/LI_ARG_ in the copy,
 * like the built-in ones (see headers.h). */
#define LI_HSITE_NAMES (-1)

/* A call (or a reference) that was not instrumented, and why. */
struct li_note {
  char *file; /* as it should be printed */
  unsigned line, col;
  char *reason;
};

/* What the caller knows about the run, needed to rewrite one file. */
struct li_job {
  const char *path;    /* the input as given on the command line */
  const char *abs;     /* absolute, normalised */
  const char *out_abs; /* absolute output path, or NULL (nothing to write) */
  const char *workdir; /* directory relative flags are relative to */
  char **flags;        /* filtered compiler flags */
  size_t nflags;
  const char *resource_dir; /* clang's, passed as -resource-dir */
  /* Maps an absolute header path to the absolute path a quoted include of
   * it should point at from the output (the header's own output if it is
   * an input, else itself); NULL = itself. Returns a new string. */
  char *(*include_target)(const char *header_abs, void *arg);
  void *include_arg;
  /* Returns 1 if the absolute path is one of the run's inputs. */
  int (*is_input)(const char *abs, void *arg);
  /* The input's configuration (config.h; NULL = none): excluded
   * functions, custom lock APIs, [runtime] defaults. */
  const struct li_config *config;
  int excluded; /* 1: copy the file (re-pointing quoted includes only) */
  /* If the absolute path is a project header (under the root or a
   * --header-dir, not a system header, not an input, not in the output
   * directory), returns its name: its path relative to the root (new
   * string); else NULL. NULL callback: no project headers. */
  char *(*project_header)(const char *abs, void *arg);
  int want_deps; /* 1: fill li_result.deps (--depfile) */
};

enum li_status {
  LI_OK = 0,     /* output holds the instrumented (or copied) text */
  LI_FAILED = 1, /* parse or read error: no output; see diag */
};

struct li_result {
  enum li_status status;
  int already;        /* 1: the input was already instrumented (copied) */
  struct li_buf diag; /* diagnostics to print (errors) */
  struct li_site *sites;
  size_t nsites;
  struct li_note *notes;
  size_t nnotes;
  char *output; /* the output file's bytes */
  size_t output_len;
  struct li_hsite *hsites; /* sites of project headers, as this file saw them */
  size_t nhsites;
  char **headers; /* absolute paths of the project headers it includes */
  char **inside;  /* for each: where ("file:line") an #include of it sits
                     inside a declaration, or NULL (all at file scope);
                     NULL: none does */
  size_t nheaders;
  char **deps; /* with li_job.want_deps, when parsed: the absolute path of
                  every file the translation unit read besides the input
                  (system headers too), in inclusion order; a file entered
                  twice is listed twice */
  size_t ndeps;
};

/* Rewrites job->path with index (one per thread). Never exits; the outcome
 * is in *res (caller frees it with li_result_free). */
void li_rewrite_file(CXIndex index, const struct li_job *job,
                     struct li_result *res);
void li_result_free(struct li_result *res);

#endif /* LI_REWRITE_H */
