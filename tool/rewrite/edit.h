/*
 * edit.h — the rewriter's edit engine: a list of {offset, length, text}
 * replacements applied to a byte buffer in one pass.
 *
 * Plain C with no libclang, so it can be unit-tested alone. An edit replaces
 * the `length` bytes at `offset` of the original buffer with `text`; length 0
 * is an insertion. Edits are kept in the order they were added, sorted (stably)
 * by offset when applied, and rejected if two of them overlap. Insertions at
 * the same offset are applied in the order they were added, and an insertion
 * at the offset where a replacement starts goes before the replacement.
 * No edit text may contain a newline: that is how the rewriter guarantees
 * that no original line moves.
 */
#ifndef LI_EDIT_H
#define LI_EDIT_H

#include <stddef.h>

struct li_edit {
  size_t offset; /* in the original buffer */
  size_t length; /* bytes replaced; 0 = insertion */
  char *text;    /* owned, NUL-terminated, no '\n' or '\r' */
  size_t seq;    /* order of addition, for a stable sort */
};

struct li_edits {
  struct li_edit *v;
  size_t n, cap;
};

void li_edits_init(struct li_edits *e);
void li_edits_free(struct li_edits *e);

/* Adds an edit, copying text. Returns 0, -EINVAL if text contains a newline
 * or carriage return, -ENOMEM if out of memory. Overlaps are detected by
 * li_edits_apply, not here. */
int li_edits_add(struct li_edits *e, size_t offset, size_t length,
                 const char *text);

/* Applies the edits to buf[0..len) and returns the result in a new
 * NUL-terminated buffer (*out, *outlen; caller frees). Returns 0, -ERANGE if
 * an edit reaches past len, -EEXIST if two edits overlap (nothing is
 * returned then), -ENOMEM. Sorts e->v as a side effect. */
int li_edits_apply(struct li_edits *e, const char *buf, size_t len, char **out,
                   size_t *outlen);

#endif /* LI_EDIT_H */
