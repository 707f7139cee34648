/*
 * includes.h — re-pointing quoted includes in a rewritten file's text.
 *
 * An output lives in OUTDIR, not beside its original, so an
 * `#include "x.h"` that the original resolved through its own directory
 * would no longer find x.h (or would find a stale copy). Each such include
 * is edited to name the header it meant, relative to the output's
 * directory: the header itself, or its instrumented copy when the caller
 * says so (docs/rewriter.md, "Quoted includes"). Plain C, no libclang.
 */
#ifndef LI_INCLUDES_H
#define LI_INCLUDES_H

#include <stddef.h>

struct li_edits; /* edit.h */

/* Adds to ed the edits re-pointing each `#include "x.h"` of buf[0..len)
 * (the text of in_abs, to be written to out_abs) that resolves through
 * in_abs's own directory at target(header) (NULL: the header itself; a new
 * string), relative to out_abs's directory unless the two share nothing
 * but "/". A spelling that would need a '"' or a newline is left alone. */
void li_include_edits(const char *buf, size_t len, const char *in_abs,
                      const char *out_abs,
                      char *(*target)(const char *abs, void *arg), void *arg,
                      struct li_edits *ed);

#endif /* LI_INCLUDES_H */
