/*
 * edit.c — see edit.h. Sorting is a stable sort by (offset, insertion before
 * replacement, order of addition); applying is one linear copy.
 */
#include "edit.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void li_edits_init(struct li_edits *e) {
  memset(e, 0, sizeof *e);
}

void li_edits_free(struct li_edits *e) {
  for (size_t i = 0; i < e->n; i++)
    free(e->v[i].text);
  free(e->v);
  memset(e, 0, sizeof *e);
}

int li_edits_add(struct li_edits *e, size_t offset, size_t length,
                 const char *text) {
  if (strpbrk(text, "\r\n"))
    return -EINVAL;
  if (e->n == e->cap) {
    size_t cap = e->cap ? 2 * e->cap : 16;
    struct li_edit *v = realloc(e->v, cap * sizeof *v);
    if (!v)
      return -ENOMEM;
    e->v = v;
    e->cap = cap;
  }
  char *copy = strdup(text);
  if (!copy)
    return -ENOMEM;
  struct li_edit *slot = &e->v[e->n];
  slot->offset = offset;
  slot->length = length;
  slot->text = copy; /* owned by e from here */
  slot->seq = e->n++;
  return 0;
}

/* qsort comparator giving the order documented in edit.h. */
static int edit_cmp(const void *pa, const void *pb) {
  const struct li_edit *a = pa, *b = pb;
  if (a->offset != b->offset)
    return a->offset < b->offset ? -1 : 1;
  if ((a->length == 0) != (b->length == 0))
    return a->length == 0 ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Checks sorted edits against the buffer length and each other. */
static int edits_check(const struct li_edits *e, size_t len) {
  for (size_t i = 0; i < e->n; i++) {
    const struct li_edit *a = &e->v[i];
    if (a->offset > len || a->length > len - a->offset)
      return -ERANGE;
    if (i + 1 < e->n && a->offset + a->length > e->v[i + 1].offset)
      return -EEXIST;
  }
  return 0;
}

int li_edits_apply(struct li_edits *e, const char *buf, size_t len, char **out,
                   size_t *outlen) {
  if (e->n)
    qsort(e->v, e->n, sizeof *e->v, edit_cmp);
  int rc = edits_check(e, len);
  if (rc)
    return rc;
  size_t size = len;
  for (size_t i = 0; i < e->n; i++)
    size += strlen(e->v[i].text) - e->v[i].length;
  char *res = malloc(size + 1);
  if (!res)
    return -ENOMEM;
  size_t at = 0, w = 0;
  for (size_t i = 0; i < e->n; i++) {
    const struct li_edit *a = &e->v[i];
    memcpy(res + w, buf + at, a->offset - at);
    w += a->offset - at;
    size_t tl = strlen(a->text);
    memcpy(res + w, a->text, tl);
    w += tl;
    at = a->offset + a->length;
  }
  memcpy(res + w, buf + at, len - at);
  w += len - at;
  assert(w == size);
  res[w] = '\0';
  *out = res;
  *outlen = w;
  return 0;
}
