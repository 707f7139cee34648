/*
 * headers.c — see headers.h.
 *
 * A header's sites arrive from every file that includes it (li_hsite,
 * found by rewrite.c) and are merged here by identity: a direct call by
 * its offset in the header, a macro use by the macro call it expands, the
 * offset of the use and its rank in the expansion. The copy is then built
 * from the header's text like a .c file's output: an edit list (direct
 * calls, macro-body calls, quoted includes) applied with the plain-C edit
 * engine, and a prologue and epilogue around it.
 */
#include "headers.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apis.h"
#include "custom.h"
#include "edit.h"
#include "lockinstr_site.h"
#include "paths.h"
#include "text.h"

char *li_path_ident(const char *path) {
  char *r = li_xstrdup(path);
  for (char *p = r; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9')))
      *p = '_';
  return r;
}

char *li_point_id(const char *hdr_name, size_t off) {
  char *id = li_path_ident(hdr_name);
  char *r = li_xasprintf("%s_%zu", id, off);
  free(id);
  return r;
}

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

/* ---- quoted includes --------------------------------------------------- */

void li_include_edits(const char *buf, size_t len, const char *in_abs,
                      const char *out_abs,
                      char *(*target)(const char *abs, void *arg), void *arg,
                      struct li_edits *ed) {
  char *in_dir = li_path_dir(in_abs);
  char *out_dir = li_path_dir(out_abs);
  const char *s = buf;
  for (size_t at = 0; at < len;) {
    size_t eol = at;
    while (eol < len && s[eol] != '\n')
      eol++;
    size_t i = at;
    while (i < eol && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i < eol && s[i] == '#') {
      i++;
      while (i < eol && (s[i] == ' ' || s[i] == '\t'))
        i++;
      if (eol - i > 7 && strncmp(s + i, "include", 7) == 0) {
        i += 7;
        while (i < eol && (s[i] == ' ' || s[i] == '\t'))
          i++;
        const char *q =
            i < eol && s[i] == '"' ? memchr(s + i + 1, '"', eol - i - 1) : NULL;
        if (q) {
          char *spelled = li_xstrndup(s + i + 1, (size_t)(q - s) - i - 1);
          char *hdr = li_path_abs(spelled, in_dir);
          struct stat st;
          if (stat(hdr, &st) == 0 && S_ISREG(st.st_mode)) {
            char *to = target ? target(hdr, arg) : li_xstrdup(hdr);
            /* relative, unless the two trees share nothing but "/" */
            char *rel =
                strchr(to + 1, '/') &&
                        strncmp(out_dir, to,
                                (size_t)(strchr(to + 1, '/') - to) + 1) == 0
                    ? li_path_rel(out_dir, to)
                    : li_xstrdup(to);
            if (strcmp(rel, spelled) != 0 && !strpbrk(rel, "\"\n"))
              li_edits_add(ed, i + 1, strlen(spelled), rel);
            free(rel);
            free(to);
          }
          free(hdr);
          free(spelled);
        }
      }
    }
    at = eol + 1;
  }
  free(in_dir);
  free(out_dir);
}

/* ---- the table --------------------------------------------------------- */

/* A group of sites sharing one edit point (see li_site_group_cmp). */
struct hgroup {
  size_t first, n; /* h->sites[first .. first+n) (sorted) */
  size_t entry;    /* its first table entry */
  char *index;     /* the index expression: "3" or "__LINE__ == 5 ? 3 : 4" */
};

static int line_taken(const unsigned *keys, size_t n, unsigned line) {
  for (size_t i = 0; i < n; i++)
    if (keys[i] == line)
      return 1;
  return 0;
}

/* Picks the sites of group g that get a table entry (a use whose two
 * possible __LINE__ values are both taken shares the earlier entry), in
 * keep[], numbering them from *nkeep, and sets g->index. */
static void number_group(struct li_header *h, struct hgroup *g, size_t *keep,
                         size_t *nkeep) {
  unsigned *keys = li_xmalloc((2 * g->n + 1) * sizeof *keys);
  size_t *idx = li_xmalloc((2 * g->n + 1) * sizeof *idx);
  size_t nk = 0;
  g->entry = *nkeep;
  for (size_t i = g->first; i < g->first + g->n; i++) {
    const struct li_site *c = &h->sites[i].site;
    if (line_taken(keys, nk, c->line) && line_taken(keys, nk, c->exp_line))
      continue;
    size_t site = (*nkeep)++;
    keep[site] = i;
    if (!line_taken(keys, nk, c->line)) {
      keys[nk] = c->line;
      idx[nk++] = site;
    }
    if (!line_taken(keys, nk, c->exp_line)) {
      keys[nk] = c->exp_line;
      idx[nk++] = site;
    }
  }
  struct li_buf b = {0};
  for (size_t k = 0; k + 1 < nk; k++)
    if (idx[k] != idx[nk - 1])
      li_buf_printf(&b, "__LINE__ == %u ? %zu : ", keys[k], idx[k]);
  li_buf_printf(&b, "%zu", idx[nk - 1]);
  g->index = li_buf_take(&b);
  free(keys);
  free(idx);
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
  size_t *keep = li_xmalloc((h->nsites + 1) * sizeof *keep), nkeep = 0;
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

/* Returns the table's name: LI_SITE_<header>_<hash of its entries>, so
 * that copies built from different views of the header never share a
 * symbol with a different layout. */
static char *table_name(const struct li_header *h, const char *init) {
  unsigned hash = 2166136261u; /* FNV-1a */
  for (const char *p = init; *p; p++)
    hash = (hash ^ (unsigned char)*p) * 16777619u;
  char *id = li_path_ident(h->name);
  char *r = li_xasprintf("LI_SITE_%s_%08x", id, hash);
  free(id);
  return r;
}

/* ---- the copy ---------------------------------------------------------- */

/* What goes around a header's text. */
struct hparts {
  char *array;      /* its table's name, or NULL if it has none */
  char **uses;      /* macro calls its functions use: their ids */
  char **use_args;  /* ... and the site argument each selects */
  char *use_custom; /* ... and whether it calls a custom API */
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
      char *id = li_point_id(h->name, bc[i].name_off);
      char *fn =
          li_xasprintf("LI_FN_%s(%.*s)", id, (int)il, buf + bc[i].name_off);
      char *arg = li_xasprintf("LI_ARG_%s ", id);
      li_edits_add(ed, bc[i].name_off, il, fn);
      li_edits_add(ed, bc[i].paren_off + 1, 0, arg);
      free(fn);
      free(arg);
      p->points = li_xrealloc(p->points, (p->npoints + 1) * sizeof *p->points);
      p->points[p->npoints++] = id;
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
    const struct li_hsite *hs = &h->sites[gs[g].entry];
    char *arg = li_xasprintf("&%s[%s],", p->array, gs[g].index);
    if (!s->point_hdr) {
      li_edits_add(ed, s->name_off, 0,
                   hs->custom ? "lockinstr_custom_" : "lockinstr_");
      li_edits_add(ed, s->paren_off + 1, 0, arg);
      li_edits_add(ed, s->paren_off + 1, 0, " ");
      free(arg);
    } else {
      p->uses = li_xrealloc(p->uses, (p->nuses + 1) * sizeof *p->uses);
      p->use_args =
          li_xrealloc(p->use_args, (p->nuses + 1) * sizeof *p->use_args);
      p->use_custom = li_xrealloc(p->use_custom, p->nuses + 1);
      p->use_custom[p->nuses] = hs->custom != NULL;
      p->uses[p->nuses] = li_point_id(s->point_hdr, s->point_off);
      p->use_args[p->nuses++] = arg;
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

static void fallback(struct li_buf *b, const char *id, const char *eol) {
  li_buf_printf(b,
                "#ifndef LI_FN_%s%s#define LI_FN_%s(f) f%s#define LI_ARG_%s%s"
                "#endif%s",
                id, eol, id, eol, id, eol, eol);
}

/* Returns the built-in API groups (1 << LOCKINSTR_HEADER_*) of h's table. */
static unsigned groups_of(const struct li_header *h) {
  unsigned groups = 0;
  for (size_t i = 0; i < h->ntable; i++)
    if (!h->sites[i].custom)
      groups |= 1u << li_apis[h->sites[i].site.api].header;
  return groups;
}

/* Appends text, whose lines end in "\n", with eol as line ends. */
static void add_lines(struct li_buf *b, const char *text, const char *eol) {
  for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
    li_buf_add(b, text, (size_t)(nl - text));
    li_buf_puts(b, eol);
  }
  li_buf_puts(b, text);
}

/* Appends the copy's prologue. */
static void prologue(const struct li_header *h, const struct hparts *p,
                     const char *version, const char *eol, struct li_buf *b) {
  li_buf_printf(b,
                "/* lockinstr %s: instrumented from %s; do not edit */%s"
                "#define LOCKINSTR_INSTRUMENTED 1%s",
                version, h->path, eol, eol);
  if (h->ntable) {
    char used[LOCKINSTR_API_COUNT] = {0};
    unsigned groups = groups_of(h);
    for (size_t i = 0; i < h->ntable; i++)
      if (!h->sites[i].custom)
        used[h->sites[i].site.api] = 1;
    if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
      li_buf_printf(b, "#define LOCKINSTR_USES_PTHREAD 1%s", eol);
    if (groups & (1u << LOCKINSTR_HEADER_THREADS))
      li_buf_printf(b, "#define LOCKINSTR_USES_THREADS 1%s", eol);
    /* lockinstr.h: the custom wrappers' calls and LOCKINSTR_API_CUSTOM */
    li_buf_printf(b, "#include <%s>%s",
                  p->nwraps ? "lockinstr.h" : "lockinstr_site.h", eol);
    for (int a = 0; a < LOCKINSTR_API_COUNT; a++)
      if (used[a])
        li_buf_printf(b,
                      "static inline %s lockinstr_%s(struct lockinstr_site "
                      "*site, %s);%s",
                      li_apis[a].ret, li_apis[a].name, li_apis[a].params, eol);
    li_buf_printf(b,
                  "#ifndef %s_DEFINED%s#define %s_DEFINED 1%s"
                  "__attribute__((weak)) struct lockinstr_site "
                  "%s[LOCKINSTR_SITES(%zu)] LOCKINSTR_SITE_TABLE = {%s",
                  p->array, eol, p->array, eol, p->array, h->ntable, eol);
    for (size_t i = 0; i < h->ntable; i++) {
      li_site_init_text(b, &h->sites[i].site);
      li_buf_puts(b, eol);
    }
    li_buf_printf(b, "};%s#endif%s", eol, eol);
  }
  for (size_t i = 0; i < p->nuses; i++)
    li_buf_printf(b,
                  "#pragma push_macro(\"LI_FN_%s\")%s"
                  "#pragma push_macro(\"LI_ARG_%s\")%s"
                  "#undef LI_FN_%s%s#undef LI_ARG_%s%s"
                  "#define LI_FN_%s(f) lockinstr_%s##f%s"
                  "#define LI_ARG_%s %s%s",
                  p->uses[i], eol, p->uses[i], eol, p->uses[i], eol, p->uses[i],
                  eol, p->uses[i], p->use_custom[i] ? "custom_" : "", eol,
                  p->uses[i], p->use_args[i], eol);
  for (size_t i = 0; i < p->npoints; i++)
    fallback(b, p->points[i], eol);
  li_buf_puts(b, "#line 1 \"");
  li_buf_cstr(b, h->path, strlen(h->path));
  li_buf_printf(b, "\"%s", eol);
}

/* Appends the copy's epilogue (after its last original line). */
static void epilogue(const struct li_header *h, const struct hparts *p,
                     const char *eol, struct li_buf *b) {
  for (size_t i = 0; i < p->nuses; i++) {
    li_buf_printf(b,
                  "#pragma pop_macro(\"LI_FN_%s\")%s"
                  "#pragma pop_macro(\"LI_ARG_%s\")%s",
                  p->uses[i], eol, p->uses[i], eol);
    fallback(b, p->uses[i], eol);
  }
  unsigned groups = groups_of(h);
  if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
    li_buf_printf(b, "#include <lockinstr_pthread.h>%s", eol);
  if (groups & (1u << LOCKINSTR_HEADER_THREADS))
    li_buf_printf(b, "#include <lockinstr_threads.h>%s", eol);
  int threads = 0;
  for (size_t i = 0; i < p->nwraps; i++)
    threads |= p->wraps[i]->threads;
  if (threads)
    li_buf_printf(b, "#include <threads.h>%s", eol);
  for (size_t i = 0; i < p->nwraps; i++)
    add_lines(b, p->wraps[i]->def, eol);
}

static void free_parts(struct hparts *p) {
  free(p->array);
  for (size_t i = 0; i < p->nuses; i++) {
    free(p->uses[i]);
    free(p->use_args[i]);
  }
  free(p->uses);
  free(p->use_args);
  free(p->use_custom);
  free(p->wraps);
  for (size_t i = 0; i < p->npoints; i++)
    free(p->points[i]);
  free(p->points);
}

/* Puts prologue, text and epilogue together into h->output. */
static void assemble(struct li_header *h, const struct hparts *p,
                     const char *version, const char *buf, size_t len,
                     const char *text, size_t n) {
  if (!h->ntable && !p->nuses && !p->npoints) {
    h->output = li_xstrndup(text, n);
    h->output_len = n;
    return;
  }
  const char *nl = memchr(buf, '\n', len);
  const char *eol = nl && nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
  struct li_buf b = {0};
  prologue(h, p, version, eol, &b);
  li_buf_add(&b, text, n);
  if (n > 0 && text[n - 1] != '\n')
    li_buf_puts(&b, eol);
  epilogue(h, p, eol, &b);
  h->output_len = b.n;
  h->output = li_buf_take(&b);
}

int li_header_build(struct li_header *h, const char *version,
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
  if (li_is_instrumented(buf, len)) {
    h->already = 1;
    h->output = buf;
    h->output_len = len;
    return 0;
  }
  size_t ng;
  struct hgroup *gs = make_table(h, &ng);
  struct li_buf init = {0};
  for (size_t i = 0; i < h->ntable; i++)
    li_site_init_text(&init, &h->sites[i].site);
  struct hparts p = {0};
  p.array = table_name(h, init.s ? init.s : "");
  li_buf_free(&init);
  struct li_edits ed;
  li_edits_init(&ed);
  site_edits(h, gs, ng, &ed, &p);
  pick_wrappers(h, &p);
  decl_edits(h, &p, buf, &ed);
  point_edits(h, buf, len, &ed, &p);
  if (h->out_abs)
    li_include_edits(buf, len, h->abs, h->out_abs, target, arg, &ed);
  if ((h->ntable || p.nuses || p.npoints) && len >= 3 &&
      !memcmp(buf, "\xEF\xBB\xBF", 3))
    li_edits_add(&ed, 0, 3, "");
  char *text;
  size_t n;
  rc = li_edits_apply(&ed, buf, len, &text, &n);
  if (rc != 0) {
    h->error = li_xasprintf("lockinstr: %s: error: internal: edits conflict "
                            "(%s)\n",
                            h->path, strerror(-rc));
  } else {
    assemble(h, &p, version, buf, len, text, n);
    free(text);
  }
  li_edits_free(&ed);
  for (size_t g = 0; g < ng; g++)
    free(gs[g].index);
  free(gs);
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
  memset(h, 0, sizeof *h);
}
