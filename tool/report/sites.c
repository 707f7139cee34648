/*
 * sites.c — one site of a profile: read from its JSON object, merged into
 * the accumulator, freed (see sites.h).
 *
 * A site is read whole (strings, counters from LOCKINSTR_SITE_COUNTERS,
 * position, kind, three histograms) into a new li_site, keyed by its
 * identity (file, line:column, api, function, expression, NUL-separated),
 * then either added to the twin already in the accumulator's hash table or
 * inserted with the next merged id. Histograms keep only the buckets up to
 * the last non-empty one, grown as merging needs.
 */
#include "sites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {LOCKINSTR_KINDS(LOCKINSTR_WORD)};

/* Adds src into a histogram of either form, given by its fields (b has room
 * for src->nb buckets): sums saturate, the max takes the max. The one
 * merge rule of li_hist and li_shist, which differ only in how they hold
 * their buckets. */
static void hist_add(uint64_t *count, uint64_t *total_ns, uint64_t *est_ns,
                     uint64_t *max_ns, uint64_t *b,
                     const struct li_shist *src) {
  *count = li_rep_add_sat(*count, src->count);
  *total_ns = li_rep_add_sat(*total_ns, src->total_ns);
  *est_ns = li_rep_add_sat(*est_ns, src->est_ns);
  if (src->max_ns > *max_ns)
    *max_ns = src->max_ns;
  for (size_t i = 0; i < src->nb; i++)
    b[i] = li_rep_add_sat(b[i], src->b[i]);
}

void li_rep_hist_add_site(struct li_hist *dst, const struct li_shist *src) {
  hist_add(&dst->count, &dst->total_ns, &dst->est_ns, &dst->max_ns, dst->b,
           src);
}

/* Adds src into dst (both a site's); grows dst's buckets. 0 or -1 out of
 * memory (dst unchanged then). */
static int shist_merge(struct li_shist *dst, const struct li_shist *src) {
  if (src->nb > dst->nb) {
    uint64_t *grown = realloc(dst->b, src->nb * sizeof *grown);
    if (grown == NULL)
      return -1;
    memset(grown + dst->nb, 0, (src->nb - dst->nb) * sizeof *grown);
    dst->b = grown;
    dst->nb = src->nb;
  }
  hist_add(&dst->count, &dst->total_ns, &dst->est_ns, &dst->max_ns, dst->b,
           src);
  return 0;
}

void li_rep_site_free(struct li_site *s) {
#define LI_X_(field, key, req) free(s->field);
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
  free(s->key);
  free(s->wait.b);
  free(s->hold.b);
  free(s->cond.b);
  free(s);
}

/* Writes "a, b, ... or z" of the kind words into buf. */
static void kind_list(char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int k = 0; k < LOCKINSTR_KIND_COUNT && n < size; k++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s",
                          k == 0                          ? ""
                          : k == LOCKINSTR_KIND_COUNT - 1 ? " or "
                                                          : ", ",
                          kind_names[k]);
}

/* Parses the kind string of s into s->kind_id. */
static int parse_kind(struct li_rep_walk *w, struct li_site *s) {
  char words[128];
  for (int k = 0; k < LOCKINSTR_KIND_COUNT; k++) {
    if (strcmp(s->kind, kind_names[k]) == 0) {
      s->kind_id = (enum lockinstr_kind)k;
      return 0;
    }
  }
  size_t mark = li_rep_push_key(w, "kind");
  kind_list(words, sizeof words);
  li_rep_fail(w, "unknown kind (expected %s)", words);
  w->path[mark] = '\0';
  return -1;
}

/* Reads line/column as 32-bit numbers. */
static int get_position(struct li_rep_walk *w, const json_t *o,
                        struct li_site *s) {
  uint64_t line, col;
  if (li_rep_get_u64(w, o, "line", 1, &line) ||
      li_rep_get_u64(w, o, "column", 1, &col))
    return -1;
  if (line > UINT32_MAX || col > UINT32_MAX)
    return li_rep_fail(w, "line or column out of range");
  s->line = (uint32_t)line;
  s->column = (uint32_t)col;
  return 0;
}

/* Builds s->key from the identity fields. */
static int make_key(struct li_site *s) {
  char pos[32];
  snprintf(pos, sizeof pos, "%u:%u", s->line, s->column);
  const char *parts[] = {s->file, pos, s->api, s->function, s->expr};
  size_t n = 0;
  for (size_t i = 0; i < 5; i++)
    n += strlen(parts[i]) + 1;
  s->key = malloc(n);
  if (s->key == NULL)
    return -1;
  s->key_len = 0;
  for (size_t i = 0; i < 5; i++) {
    size_t len = strlen(parts[i]) + 1; /* keeps the NUL as a separator */
    memcpy(s->key + s->key_len, parts[i], len);
    s->key_len += len;
  }
  return 0;
}

/* Reads one site object into a new li_site. Returns it, or NULL (message
 * set). */
struct li_site *li_rep_site_read(struct li_rep_walk *w, const json_t *o) {
  if (!json_is_object(o)) {
    li_rep_fail(w, "expected an object, got %s", li_rep_type_name(o));
    return NULL;
  }
  struct li_site *s = calloc(1, sizeof *s);
  if (s == NULL) {
    li_rep_fail(w, "out of memory");
    return NULL;
  }
  int rc = 0;
#define LI_X_(field, key, req)                                                 \
  if (rc == 0)                                                                 \
    rc = li_rep_get_str(w, o, key, req, &s->field);
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
#define LI_X_(name, field, where, merge, doc)                                  \
  if (rc == 0)                                                                 \
    rc = li_rep_get_u64(w, o, #name, 0, &s->name);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  if (rc == 0)
    rc = li_rep_get_u64(w, o, "key_mismatches", 0, &s->key_mismatches);
  if (rc == 0)
    rc = get_position(w, o, s);
  if (rc == 0)
    rc = parse_kind(w, s);
  s->cont_unknown = json_is_false(json_object_get(o, "contentions_known"));
  if (rc == 0)
    rc = li_rep_get_hist(w, o, "wait", 0, &s->wait);
  if (rc == 0)
    rc = li_rep_get_hist(w, o, "hold", 1, &s->hold);
  if (rc == 0)
    rc = li_rep_get_hist(w, o, "cond", 0, &s->cond);
  if (rc == 0 && make_key(s) != 0)
    rc = li_rep_fail(w, "out of memory");
  if (rc != 0) {
    li_rep_site_free(s);
    return NULL;
  }
  return s;
}

/* Adds the counters and histograms of src into dst (same identity).
 * Returns 0, or -1 out of memory. */
static int site_add(struct li_site *dst, const struct li_site *src) {
#define LI_X_(name, field, where, merge, doc)                                  \
  dst->name = LI_REP_MERGE_##merge(dst->name, src->name);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  dst->key_mismatches =
      li_rep_add_sat(dst->key_mismatches, src->key_mismatches);
  dst->cont_unknown |= src->cont_unknown;
  if (shist_merge(&dst->wait, &src->wait) ||
      shist_merge(&dst->hold, &src->hold) ||
      shist_merge(&dst->cond, &src->cond))
    return -1;
  return 0;
}

/* Merges site s (owned) into p: added to its twin, or inserted. Returns
 * the merged site, or NULL out of memory (s freed). */
struct li_site *li_rep_site_merge(struct li_profile *p, struct li_site *s) {
  struct li_site *twin = NULL;
  HASH_FIND(hh, p->sites, s->key, s->key_len, twin);
  if (twin != NULL) {
    int rc = site_add(twin, s);
    li_rep_site_free(s);
    return rc ? NULL : twin;
  }
  s->id = ++p->nsites;
  HASH_ADD_KEYPTR(hh, p->sites, s->key, s->key_len, s);
  return s;
}
