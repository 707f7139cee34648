/*
 * headers.c — see headers.h.
 *
 * A header's sites arrive from every file that includes it (li_hsite,
 * found by match.c) and are merged here by identity: a direct call by
 * its offset in the header, a macro use by the macro call it expands, the
 * offset of the use and its rank in the expansion. The copy is then built
 * from the header's text like a .c file's output: an edit list (direct
 * calls, macro-body calls, custom wrapper declarations, quoted includes)
 * applied with the plain-C edit engine, and the prologue and epilogue of
 * the one emitter (emit.h) around it, with the weak table form.
 */
#include "headers.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "apis.h"
#include "custom.h"
#include "edit.h"
#include "emit.h"
#include "includes.h"
#include "lockinstr_site.h"
#include "text.h"

/* ---- merging ----------------------------------------------------------- */

/* Returns 1 if a and b call the same API: a custom one is known by its
 * name (its number belongs to the includer's configuration). */
static int same_api(const struct li_hsite *a, const struct li_hsite *b) {
  if (!a->custom != !b->custom)
    return 0;
  return a->custom ? strcmp(a->custom->name, b->custom->name) == 0
                   : a->site.api == b->site.api;
}

static int same_site(const struct li_hsite *a, const struct li_hsite *b) {
  if (!same_api(a, b) || !a->site.point_hdr != !b->site.point_hdr)
    return 0;
  if (!a->site.point_hdr)
    return a->site.name_off == b->site.name_off;
  return strcmp(a->site.point_hdr, b->site.point_hdr) == 0 &&
         a->site.point_off == b->site.point_off && a->use_off == b->use_off &&
         a->k == b->k;
}

static char *dup_null(const char *s) {
  return s ? li_xstrdup(s) : NULL;
}

/* Adds name to h->api_names (kept sorted) unless it is there. */
static void add_api_name(struct li_header *h, const char *name) {
  size_t at = 0;
  while (at < h->napi_names && strcmp(h->api_names[at], name) < 0)
    at++;
  if (at < h->napi_names && strcmp(h->api_names[at], name) == 0)
    return;
  h->api_names =
      li_xrealloc(h->api_names, (h->napi_names + 1) * sizeof *h->api_names);
  memmove(h->api_names + at + 1, h->api_names + at,
          (h->napi_names - at) * sizeof *h->api_names);
  h->api_names[at] = li_xstrdup(name);
  h->napi_names++;
}

static struct li_custom_wrapper *
dup_wrapper(const struct li_custom_wrapper *w) {
  if (!w)
    return NULL;
  struct li_custom_wrapper *c = li_xmalloc(sizeof *c);
  *c = *w;
  c->name = li_xstrdup(w->name);
  c->decl = li_xstrdup(w->decl);
  c->def = li_xstrdup(w->def);
  return c;
}

static void free_wrapper(struct li_custom_wrapper *w) {
  if (w)
    li_custom_wrapper_free(w);
  free(w);
}

void li_header_add_site(struct li_header *h, const struct li_hsite *s) {
  if (s->site.api == LI_HSITE_NAMES) {
    assert(s->custom && s->custom->name);
    add_api_name(h, s->custom->name);
    return;
  }
  assert(s->site.api < LOCKINSTR_API_COUNT || s->custom);
  for (size_t i = 0; i < h->nsites; i++)
    if (same_site(&h->sites[i], s))
      return;
  h->sites = li_xrealloc(h->sites, (h->nsites + 1) * sizeof *h->sites);
  struct li_hsite *c = &h->sites[h->nsites++];
  *c = *s;
  c->header = li_xstrdup(s->header);
  c->site.file = li_xstrdup(s->site.file);
  c->site.function = li_xstrdup(s->site.function);
  c->site.expr = li_xstrdup(s->site.expr);
  c->site.lock_class = li_xstrdup(s->site.lock_class);
  c->site.macro = li_xstrdup(s->site.macro);
  c->site.point_hdr = dup_null(s->site.point_hdr);
  c->custom = dup_wrapper(s->custom);
}

const char *li_hsite_api(const struct li_hsite *s, int *kind) {
  if (s->custom) {
    *kind = s->custom->kind;
    return s->custom->name;
  }
  assert(s->site.api >= 0 && s->site.api < LOCKINSTR_API_COUNT);
  *kind = li_apis[s->site.api].kind;
  return li_apis[s->site.api].name;
}

/* Group order: that of li_site_group_cmp; within a group by the use's
 * offset and rank. */
static int hsite_cmp(const void *pa, const void *pb) {
  const struct li_hsite *a = pa, *b = pb;
  int c = li_site_group_cmp(&a->site, &b->site);
  if (c)
    return c;
  if (a->use_off != b->use_off)
    return a->use_off < b->use_off ? -1 : 1;
  return a->k < b->k ? -1 : a->k > b->k;
}

/* ---- the table --------------------------------------------------------- */

/* A group of sites sharing one edit point (see li_site_group_cmp). */
struct hgroup {
  size_t first, n; /* h->sites[first .. first+n) (sorted) */
  size_t entry;    /* its first table entry */
  char *index;     /* the index expression (li_emit_select) */
};

/* Picks the sites of group g that get a table entry, in keep[], numbering
 * them from *nkeep, and sets g->index (li_emit_select); a macro group's
 * unattributed site is appended to h->sites and kept last. */
static void number_group(struct li_header *h, struct hgroup *g, size_t *keep,
                         size_t *nkeep) {
  const struct li_site **c = li_xmalloc(g->n * sizeof *c);
  char *kept = li_xmalloc(g->n);
  for (size_t i = 0; i < g->n; i++)
    c[i] = &h->sites[g->first + i].site;
  g->entry = *nkeep;
  g->index = li_emit_select(c, g->n, *nkeep, kept);
  for (size_t i = 0; i < g->n; i++)
    if (kept[i])
      keep[(*nkeep)++] = g->first + i;
  if (li_emit_has_fallback(c[0])) { /* its unattributed entry, appended */
    h->sites = li_xrealloc(h->sites, (h->nsites + 1) * sizeof *h->sites);
    struct li_hsite *f = &h->sites[h->nsites], *like = &h->sites[g->first];
    *f = *like;
    f->header = li_xstrdup(like->header);
    li_emit_unattributed(&like->site, &f->site);
    f->custom = dup_wrapper(like->custom);
    keep[(*nkeep)++] = h->nsites++;
  }
  free(kept);
  free(c);
}

/* Sorts and groups h's sites, numbers the table (h->sites[0..ntable) in
 * table order afterwards; sites that share an entry are dropped). Returns
 * the groups (*ng of them; after it, only their entry indexes
 * h->sites). */
static struct hgroup *make_table(struct li_header *h, size_t *ng) {
  if (h->nsites)
    qsort(h->sites, h->nsites, sizeof *h->sites, hsite_cmp);
  struct hgroup *gs = li_xmalloc((h->nsites + 1) * sizeof *gs);
  *ng = 0;
  for (size_t i = 0; i < h->nsites; i++)
    if (*ng && li_site_group_cmp(&h->sites[gs[*ng - 1].first].site,
                                 &h->sites[i].site) == 0)
      gs[*ng - 1].n++;
    else
      gs[(*ng)++] = (struct hgroup){i, 1, 0, NULL};
  size_t *keep = /* each site, and one fallback per group */
      li_xmalloc((2 * h->nsites + 1) * sizeof *keep);
  size_t nkeep = 0;
  for (size_t g = 0; g < *ng; g++)
    number_group(h, &gs[g], keep, &nkeep);
  struct li_hsite *t = li_xmalloc((h->nsites + 1) * sizeof *t);
  char *used = calloc(h->nsites + 1, 1);
  for (size_t i = 0; i < nkeep; i++) {
    t[i] = h->sites[keep[i]];
    used[keep[i]] = 1;
  }
  size_t n = nkeep;
  for (size_t i = 0; i < h->nsites; i++)
    if (!used[i])
      t[n++] = h->sites[i]; /* dropped: kept after the table, for freeing */
  free(used);
  free(keep);
  free(h->sites);
  h->sites = t;
  h->ntable = nkeep;
  return gs;
}

/* Returns pointers to the sites of h's table (caller frees). */
static const struct li_site **table_sites(const struct li_header *h) {
  const struct li_site **v = li_xmalloc((h->ntable + 1) * sizeof *v);
  for (size_t i = 0; i < h->ntable; i++)
    v[i] = &h->sites[i].site;
  return v;
}

/* ---- the copy ---------------------------------------------------------- */

/* What goes around a header's text. */
struct hparts {
  char *array;              /* its table's name, or NULL if it has none */
  struct li_emit_use *uses; /* macro calls its functions use */
  size_t nuses;
  const struct li_custom_wrapper **wraps; /* one per custom API its
                                             functions call, by name */
  size_t nwraps;
  char **points; /* ids of the lock calls in its own macro bodies */
  size_t npoints;
};

/* Returns 1 if name[0..n) is one of h's custom API names. */
static int is_api_name(const struct li_header *h, const char *name, size_t n) {
  for (size_t i = 0; i < h->napi_names; i++)
    if (strlen(h->api_names[i]) == n && memcmp(h->api_names[i], name, n) == 0)
      return 1;
  return 0;
}

/* Adds the edits of the macro-body calls of buf (see headers.h) and
 * records their ids in p. */
static void point_edits(const struct li_header *h, const char *buf, size_t len,
                        struct li_edits *ed, struct hparts *p) {
  struct li_macro *ms;
  size_t nm = li_scan_defines(buf, len, &ms);
  for (size_t m = 0; m < nm; m++) {
    struct li_body_call *bc;
    size_t n = li_body_called(buf, &ms[m], &bc);
    for (size_t i = 0; i < n; i++) {
      size_t il = li_ident_len(buf, len, bc[i].name_off);
      if (li_api_find(buf + bc[i].name_off, il) < 0 &&
          !is_api_name(h, buf + bc[i].name_off, il))
        continue;
      p->points = li_xrealloc(p->points, (p->npoints + 1) * sizeof *p->points);
      p->points[p->npoints++] = li_emit_point_edits(
          ed, h->name, buf, bc[i].name_off, il, bc[i].paren_off);
    }
    free(bc);
  }
  free(ms);
}

/* Adds the edits of the table's direct calls, and records the macro uses'
 * selections in p. */
static void site_edits(struct li_header *h, struct hgroup *gs, size_t ng,
                       struct li_edits *ed, struct hparts *p) {
  for (size_t g = 0; g < ng; g++) {
    const struct li_site *s = &h->sites[gs[g].entry].site;
    int custom = h->sites[gs[g].entry].custom != NULL;
    char *arg = li_emit_site_arg(p->array, gs[g].index, s->noargs);
    if (!s->point_hdr) {
      li_emit_call_edits(ed, s->name_off, s->paren_off, custom, arg);
      free(arg);
    } else {
      li_emit_add_use(&p->uses, &p->nuses,
                      li_emit_point_id(s->point_hdr, s->point_off), arg,
                      custom);
    }
  }
}

/* Orders two wrappers of one API: the copy must not depend on which
 * includer was merged first, should two configurations disagree. */
static int wrapper_cmp(const struct li_custom_wrapper *a,
                       const struct li_custom_wrapper *b) {
  int c = strcmp(a->def, b->def);
  return c ? c : strcmp(a->decl, b->decl);
}

/* Sets p->wraps: for each custom API h's functions call (in name order),
 * the wrapper its copy declares and defines. */
static void pick_wrappers(const struct li_header *h, struct hparts *p) {
  p->wraps = li_xmalloc((h->nsites + 1) * sizeof *p->wraps);
  for (size_t i = 0; i < h->nsites; i++) {
    const struct li_custom_wrapper *w = h->sites[i].custom;
    if (!w)
      continue;
    size_t at = 0;
    while (at < p->nwraps && strcmp(p->wraps[at]->name, w->name) < 0)
      at++;
    if (at < p->nwraps && strcmp(p->wraps[at]->name, w->name) == 0) {
      if (wrapper_cmp(w, p->wraps[at]) < 0)
        p->wraps[at] = w;
      continue;
    }
    memmove(p->wraps + at + 1, p->wraps + at,
            (p->nwraps - at) * sizeof *p->wraps);
    p->wraps[at] = w;
    p->nwraps++;
  }
}

static int size_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Returns 1 if a line of buf[from..to) is a conditional directive (#if,
 * #ifdef, #ifndef, #elif, #else, #endif; a false alarm in a comment only
 * costs a redundant declaration). */
static int has_conditional(const char *buf, size_t from, size_t to) {
  for (size_t at = from; at < to; at++) {
    if (at > 0 && buf[at - 1] != '\n')
      continue;
    size_t i = li_skip_space(buf, to, at);
    if (i >= to || buf[i] != '#')
      continue;
    i = li_skip_space(buf, to, i + 1);
    if (i + 2 <= to &&
        (memcmp(buf + i, "if", 2) == 0 || memcmp(buf + i, "el", 2) == 0 ||
         (i + 5 <= to && memcmp(buf + i, "endif", 5) == 0)))
      return 1;
  }
  return 0;
}

/* Adds the declaration of each wrapper of p->wraps in front of the first
 * top-level declaration of h (text buf) that calls it, and again in front
 * of any later one that a conditional directive separates from the
 * previous declaration (two #if branches may each hold a caller). */
static void decl_edits(const struct li_header *h, const struct hparts *p,
                       const char *buf, struct li_edits *ed) {
  size_t *offs = li_xmalloc((h->nsites + 1) * sizeof *offs);
  for (size_t k = 0; k < p->nwraps; k++) {
    size_t n = 0;
    for (size_t i = 0; i < h->nsites; i++)
      if (h->sites[i].custom &&
          strcmp(h->sites[i].custom->name, p->wraps[k]->name) == 0)
        offs[n++] = h->sites[i].decl_off;
    qsort(offs, n, sizeof *offs, size_cmp);
    for (size_t i = 0, last = 0; i < n; i++)
      if (i == 0 || (offs[i] != offs[last] &&
                     has_conditional(buf, offs[last], offs[i]))) {
        li_edits_add(ed, offs[i], 0, p->wraps[k]->decl);
        last = i;
      }
  }
  free(offs);
}

static void free_parts(struct hparts *p) {
  free(p->array);
  li_emit_uses_free(p->uses, p->nuses);
  free(p->wraps);
  for (size_t i = 0; i < p->npoints; i++)
    free(p->points[i]);
  free(p->points);
}

/* Returns the end of the copy: the <threads.h> the wrappers need, then
 * their definitions, with eol line ends (new string). */
static char *wrappers_text(const struct hparts *p, const char *eol) {
  struct li_buf b = {0};
  int threads = 0;
  for (size_t i = 0; i < p->nwraps; i++)
    threads |= p->wraps[i]->threads;
  if (threads)
    li_buf_printf(&b, "#include <threads.h>%s", eol);
  for (size_t i = 0; i < p->nwraps; i++)
    li_emit_lines(&b, p->wraps[i]->def, eol);
  return li_buf_take(&b);
}

/* Puts prologue, text and epilogue together into h->output (buf: the
 * original, for its line ends). */
static void assemble(struct li_header *h, const struct hparts *p,
                     const char *buf, size_t len, const char *text, size_t n) {
  if (!p->array && !p->nuses && !p->npoints) {
    h->output = li_emit_plain(h->path, text, n, &h->output_len);
    return;
  }
  const struct li_site **sites = table_sites(h);
  const char *eol = li_emit_eol(buf, len);
  char *tail = wrappers_text(p, eol);
  struct li_emit_file f = {.path = h->path,
                           .eol = eol,
                           .array = p->array,
                           .table = LI_EMIT_WEAK,
                           .sites = sites,
                           .nsites = h->ntable,
                           .full = p->nwraps > 0,
                           .uses = p->uses,
                           .nuses = p->nuses,
                           .scoped_uses = 1,
                           .fallbacks = p->points,
                           .nfallbacks = p->npoints,
                           .tail = tail};
  h->output = li_emit_wrap(&f, text, n, &h->output_len);
  free(tail);
  free(sites);
}

/* Adds every edit of h's copy (text buf) to ed, filling p. */
static void copy_edits(struct li_header *h, const char *buf, size_t len,
                       struct hparts *p, struct li_edits *ed,
                       char *(*target)(const char *abs, void *arg), void *arg) {
  size_t ng;
  struct hgroup *gs = make_table(h, &ng);
  if (h->ntable) {
    const struct li_site **sites = table_sites(h);
    p->array = li_emit_weak_table_name(h->name, sites, h->ntable);
    free(sites);
  }
  site_edits(h, gs, ng, ed, p);
  pick_wrappers(h, p);
  decl_edits(h, p, buf, ed);
  point_edits(h, buf, len, ed, p);
  if (h->out_abs)
    li_include_edits(buf, len, h->abs, h->out_abs, target, arg, ed);
  if ((p->array || p->nuses || p->npoints) && li_emit_bom(buf, len))
    li_edits_add(ed, 0, li_emit_bom(buf, len), ""); /* the prologue first */
  for (size_t g = 0; g < ng; g++)
    free(gs[g].index);
  free(gs);
}

/* A header included inside a declaration: its copy is the header itself
 * (instrumenting it would put the prologue's declarations there), and
 * each of its sites, from whichever input, becomes a note. */
static void build_inside(struct li_header *h, char *buf, size_t len) {
  h->output = buf;
  h->output_len = len;
  h->notes = li_xmalloc((h->nsites + 1) * sizeof *h->notes);
  for (size_t i = 0; i < h->nsites; i++) {
    const struct li_site *s = &h->sites[i].site;
    int kind;
    const char *api = li_hsite_api(&h->sites[i], &kind);
    h->notes[h->nnotes++] = (struct li_note){
        li_xstrdup(s->file), s->line, s->col,
        li_xasprintf("call to %s in header %s, which is included inside a "
                     "declaration at %s (its copy is left unchanged)",
                     api, h->path, h->inside)};
  }
}

int li_header_build(struct li_header *h,
                    char *(*target)(const char *abs, void *arg), void *arg) {
  char *buf;
  size_t len;
  int rc = li_read_file(h->abs, &buf, &len);
  if (rc != 0) {
    h->error = li_xasprintf("lockinstr: %s: error: cannot read: %s\n", h->path,
                            strerror(-rc));
    free(buf);
    return -1;
  }
  if (li_emit_is_instrumented(buf, len)) {
    h->already = 1;
    h->output = buf;
    h->output_len = len;
    return 0;
  }
  if (h->inside) {
    build_inside(h, buf, len);
    return 0;
  }
  struct hparts p = {0};
  struct li_edits ed;
  li_edits_init(&ed);
  copy_edits(h, buf, len, &p, &ed, target, arg);
  char *text;
  size_t n;
  rc = li_edits_apply(&ed, buf, len, &text, &n);
  if (rc != 0) {
    h->error = li_xasprintf("lockinstr: %s: error: internal: edits conflict "
                            "(%s)\n",
                            h->path, strerror(-rc));
  } else {
    assemble(h, &p, buf, len, text, n);
    free(text);
  }
  li_edits_free(&ed);
  free_parts(&p);
  free(buf);
  return rc ? -1 : 0;
}

void li_header_free(struct li_header *h) {
  for (size_t i = 0; i < h->nsites; i++) {
    free(h->sites[i].header);
    li_site_free(&h->sites[i].site);
    free_wrapper(h->sites[i].custom);
  }
  free(h->sites);
  for (size_t i = 0; i < h->napi_names; i++)
    free(h->api_names[i]);
  free(h->api_names);
  free(h->abs);
  free(h->name);
  free(h->path);
  free(h->out_abs);
  free(h->output);
  free(h->error);
  free(h->inside);
  for (size_t i = 0; i < h->nnotes; i++) {
    free(h->notes[i].file);
    free(h->notes[i].reason);
  }
  free(h->notes);
  memset(h, 0, sizeof *h);
}
