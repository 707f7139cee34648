/*
 * emit.c — see emit.h.
 *
 * A file's prologue is written from a description of it (struct
 * li_emit_file) that both kinds of output fill in: a .c file has a static
 * table and plain LI_FN_/LI_ARG_ definitions; a header given as an input
 * has its table in an include guard; a project header's copy has a weak
 * guarded table, pushes its LI_FN_/LI_ARG_ definitions around its own text
 * and defaults the ones of its macro bodies to the plain call. The path a
 * comment carries is escaped so that `*` `/` in it cannot close the
 * comment; the path #line carries is a C string literal.
 */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "apis.h"
#include "edit.h"
#include "lockinstr_site.h"

void li_site_free(struct li_site *s) {
  free(s->file);
  free(s->function);
  free(s->expr);
  free(s->lock_class);
  free(s->macro);
  free(s->point_hdr);
}

int li_site_group_cmp(const struct li_site *a, const struct li_site *b) {
  if (!a->point_hdr != !b->point_hdr)
    return a->point_hdr ? 1 : -1;
  int c = a->point_hdr ? strcmp(a->point_hdr, b->point_hdr) : 0;
  if (c)
    return c;
  size_t x = a->point_hdr ? a->point_off : a->name_off;
  size_t y = b->point_hdr ? b->point_off : b->name_off;
  return x < y ? -1 : x > y;
}

/* ---- names ------------------------------------------------------------- */

char *li_emit_ident(const char *path) {
  char *r = li_xstrdup(path);
  for (char *p = r; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9')))
      *p = '_';
  return r;
}

char *li_emit_point_id(const char *hdr_name, size_t off) {
  char *id = li_emit_ident(hdr_name);
  char *r = li_xasprintf("%s_%zu", id, off);
  free(id);
  return r;
}

char *li_emit_table_name(const char *path) {
  size_t n = strlen(path);
  if (n > 2 && strcmp(path + n - 2, ".c") == 0)
    return li_xstrdup("LI_SITE");
  char *id = li_emit_ident(path);
  char *r = li_xasprintf("LI_SITE_%s", id);
  free(id);
  return r;
}

int li_emit_table_guarded(const char *array) {
  return strcmp(array, "LI_SITE") != 0;
}

char *li_emit_weak_table_name(const char *name,
                              const struct li_site *const *sites, size_t n) {
  struct li_buf init = {0};
  for (size_t i = 0; i < n; i++)
    li_emit_entry(&init, sites[i]);
  unsigned hash = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < init.n; i++)
    hash = (hash ^ (unsigned char)init.s[i]) * 16777619u;
  li_buf_free(&init);
  char *id = li_emit_ident(name);
  char *r = li_xasprintf("LI_SITE_%s_%08x", id, hash);
  free(id);
  return r;
}

/* ---- sites and selectors ----------------------------------------------- */

/* Appends a quoted C string literal. */
static void add_str(struct li_buf *b, const char *s) {
  li_buf_puts(b, "\"");
  li_buf_cstr(b, s, strlen(s));
  li_buf_puts(b, "\"");
}

void li_emit_entry(struct li_buf *b, const struct li_site *s) {
  li_buf_printf(b, "  LOCKINSTR_SITE_INIT(%s, %s, %u, %u, ",
                s->api < LOCKINSTR_API_COUNT ? li_apis[s->api].name : "CUSTOM",
                s->flags & LOCKINSTR_SITE_IN_MACRO ? "LOCKINSTR_SITE_IN_MACRO"
                : s->flags & LOCKINSTR_SITE_INNER  ? "LOCKINSTR_SITE_INNER"
                                                   : "0",
                s->line, s->col);
  const char *strs[] = {s->file, s->function, s->expr, s->lock_class, s->macro};
  for (int k = 0; k < 5; k++) {
    add_str(b, strs[k]);
    li_buf_puts(b, k < 4 ? ", " : "),");
  }
}

/* Returns 1 if a and b describe the same site but for the column: one
 * line, function, lock expression and class (two uses of a macro that
 * __LINE__ cannot tell apart may share an entry only then). */
static int same_site(const struct li_site *a, const struct li_site *b) {
  return a->api == b->api && a->line == b->line &&
         strcmp(a->file, b->file) == 0 &&
         strcmp(a->function, b->function) == 0 &&
         strcmp(a->expr, b->expr) == 0 &&
         strcmp(a->lock_class, b->lock_class) == 0 &&
         strcmp(a->macro, b->macro) == 0;
}

/* Returns 1 if site s can give __LINE__ value key (gcc's s->line or
 * clang's s->exp_line). */
static int has_key(const struct li_site *s, unsigned key) {
  return s->line == key || s->exp_line == key;
}

/* Returns the index in c[0..n) of the site every expansion that can give
 * __LINE__ value key describes (the first of them), or n if they
 * describe different sites (the key is ambiguous). */
static size_t key_owner(const struct li_site *const *c, size_t n,
                        unsigned key) {
  size_t owner = n;
  for (size_t i = 0; i < n; i++) {
    if (!has_key(c[i], key))
      continue;
    if (owner == n)
      owner = i;
    else if (!same_site(c[owner], c[i]))
      return n;
  }
  return owner;
}

int li_emit_has_fallback(const struct li_site *first) {
  return (first->flags & LOCKINSTR_SITE_IN_MACRO) != 0;
}

/* Maps each __LINE__ value of the macro expansions c[0..n) to the entry
 * of its owner (key_owner), numbering the owners that get an entry from
 * first in order (keep[]); appends "__LINE__ == L ? i : " to b for each
 * value that has an owner, and returns the number of entries. */
static size_t select_keys(struct li_buf *b, const struct li_site *const *c,
                          size_t n, size_t first, char *keep) {
  size_t *entry = li_xmalloc(n * sizeof *entry), nkept = 0;
  for (size_t i = 0; i < n; i++)
    entry[i] = (size_t)-1;
  for (size_t i = 0; i < 2 * n; i++) {
    unsigned key = i % 2 ? c[i / 2]->exp_line : c[i / 2]->line;
    int seen = 0; /* was the key written already? */
    for (size_t j = 0; j < i && !seen; j++)
      seen = (j % 2 ? c[j / 2]->exp_line : c[j / 2]->line) == key;
    size_t o = seen ? n : key_owner(c, n, key);
    if (o == n)
      continue;
    if (entry[o] == (size_t)-1) {
      entry[o] = first + nkept++;
      keep[o] = 1;
    }
    li_buf_printf(b, "__LINE__ == %u ? %zu : ", key, entry[o]);
  }
  free(entry);
  return nkept;
}

char *li_emit_select(const struct li_site *const *c, size_t n, size_t first,
                     char *keep) {
  memset(keep, 0, n);
  struct li_buf b = {0};
  if (!li_emit_has_fallback(c[0])) { /* a call written once: one entry */
    keep[0] = 1;
    li_buf_printf(&b, "%zu", first);
    return li_buf_take(&b);
  }
  size_t nkept = select_keys(&b, c, n, first, keep);
  li_buf_printf(&b, "%zu", first + nkept); /* the unattributed entry */
  return li_buf_take(&b);
}

void li_emit_unattributed(const struct li_site *like, struct li_site *out) {
  *out = *like;
  out->flags = LOCKINSTR_SITE_IN_MACRO;
  out->line = out->col = out->exp_line = 0;
  out->file = li_xstrdup(like->file);
  out->function = li_xstrdup("");
  out->expr = li_xasprintf("unattributed use of macro %s", like->macro);
  out->lock_class = li_xasprintf("%s @ %s", out->expr, like->file);
  out->macro = li_xstrdup(like->macro);
  out->point_hdr = like->point_hdr ? li_xstrdup(like->point_hdr) : NULL;
}

char *li_emit_site_arg(const char *array, const char *index, int noargs) {
  return li_xasprintf("&%s[%s]%s", array, index, noargs ? "" : ",");
}

int li_emit_call_edits(struct li_edits *ed, size_t name_off, size_t paren_off,
                       int custom, const char *site_arg) {
  static const char *const prefix[] = {"lockinstr_", "lockinstr_custom_",
                                       "lockinstr_inner_"};
  int rc = li_edits_add(ed, name_off, 0, prefix[custom]);
  if (rc)
    return rc;
  char *arg = li_xasprintf("%s ", site_arg);
  rc = li_edits_add(ed, paren_off + 1, 0, arg);
  free(arg);
  return rc;
}

char *li_emit_point_edits(struct li_edits *ed, const char *hdr_name,
                          const char *buf, size_t name_off, size_t name_len,
                          size_t paren_off) {
  char *id = li_emit_point_id(hdr_name, name_off);
  char *fn = li_xasprintf("LI_FN_%s(%.*s)", id, (int)name_len, buf + name_off);
  char *arg = li_xasprintf("LI_ARG_%s ", id);
  li_edits_add(ed, name_off, name_len, fn);
  li_edits_add(ed, paren_off + 1, 0, arg);
  free(fn);
  free(arg);
  return id;
}

void li_emit_add_use(struct li_emit_use **v, size_t *n, char *id, char *arg,
                     int custom) {
  *v = li_xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = (struct li_emit_use){id, arg, custom};
}

void li_emit_uses_free(struct li_emit_use *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].id);
    free(v[i].arg);
  }
  free(v);
}

void li_emit_add_spell(struct li_emit_spell **v, size_t *n,
                       const struct li_emit_spell *s) {
  *v = li_xrealloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = *s;
}

void li_emit_spells_free(struct li_emit_spell *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].arg);
  }
  free(v);
}

int li_emit_spelling_edits(struct li_edits *ed, const char *name, size_t use,
                           size_t end) {
  char *pop = li_xasprintf("_Pragma(\"pop_macro(\\\"%s\\\")\")", name);
  char *before = li_xasprintf("%s ", pop), *after = li_xasprintf(" %s", pop);
  int rc = li_edits_add(ed, use, 0, before);
  if (!rc)
    rc = li_edits_add(ed, end, 0, after);
  free(pop);
  free(before);
  free(after);
  return rc;
}

/* Appends the push_macro stack of kept spelling s (li_emit_spell). */
static void spell(struct li_buf *b, const struct li_emit_spell *s,
                  const char *eol) {
  li_buf_printf(b, "#pragma push_macro(\"%s\")%s#define %s(", s->name, eol,
                s->name);
  for (size_t i = 0; i < s->nargs; i++)
    li_buf_printf(b, "%sa%zu", i ? ", " : "", i);
  li_buf_printf(b, ") lockinstr_%s%s(%s", s->custom ? "custom_" : "", s->name,
                s->arg);
  for (size_t i = 0; i < s->nargs; i++)
    li_buf_printf(b, " a%zu%s", i, i + 1 < s->nargs ? "," : "");
  li_buf_printf(b, ")%s#pragma push_macro(\"%s\")%s#undef %s%s", eol, s->name,
                eol, s->name, eol);
}

/* ---- the file ---------------------------------------------------------- */

const char *li_emit_eol(const char *buf, size_t len) {
  const char *nl = memchr(buf, '\n', len);
  return nl && nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

size_t li_emit_bom(const char *buf, size_t len) {
  return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

void li_emit_lines(struct li_buf *b, const char *text, const char *eol) {
  for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
    li_buf_add(b, text, (size_t)(nl - text));
    li_buf_puts(b, eol);
  }
  li_buf_puts(b, text);
}

/* Returns the built-in API groups (1 << LOCKINSTR_HEADER_*) of f's table. */
static unsigned groups_of(const struct li_emit_file *f) {
  unsigned groups = 0;
  for (size_t i = 0; i < f->nsites; i++)
    if (f->sites[i]->api < LOCKINSTR_API_COUNT)
      groups |= 1u << li_apis[f->sites[i]->api].header;
  return groups;
}

/* Appends the marker: a comment naming the input (with every "*" "/"
 * written "*\/", so that the path cannot end the comment) and the define
 * li_emit_is_instrumented looks for. */
static void marker(struct li_buf *b, const char *path, const char *eol) {
  li_buf_puts(b, "/* lockinstr: instrumented from ");
  for (const char *p = path; *p; p++)
    li_buf_puts(b, p[0] == '*' && p[1] == '/' ? "*\\" : (char[2]){*p, 0});
  li_buf_printf(b, "; do not edit */%s#define LOCKINSTR_INSTRUMENTED 1%s", eol,
                eol);
}

/* Appends the API groups, the runtime's header and the site table. */
static void table(struct li_buf *b, const struct li_emit_file *f) {
  const char *eol = f->eol;
  unsigned groups = groups_of(f);
  if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
    li_buf_printf(b, "#define LOCKINSTR_USES_PTHREAD 1%s", eol);
  if (groups & (1u << LOCKINSTR_HEADER_THREADS))
    li_buf_printf(b, "#define LOCKINSTR_USES_THREADS 1%s", eol);
  li_buf_printf(b, "#include <%s>%s",
                f->full ? "lockinstr.h" : "lockinstr_site.h", eol);
  int guard = f->table != LI_EMIT_STATIC;
  if (guard) /* the wrappers: declared by lockinstr_site.h, once */
    li_buf_printf(b, "#ifndef %s_DEFINED%s#define %s_DEFINED 1%s", f->array,
                  eol, f->array, eol);
  li_buf_printf(b,
                "%sstruct lockinstr_site %s[LOCKINSTR_SITES(%zu)] "
                "LOCKINSTR_SITE_TABLE = {%s",
                f->table == LI_EMIT_WEAK ? "__attribute__((weak)) " : "static ",
                f->array, f->nsites, eol);
  for (size_t i = 0; i < f->nsites; i++) {
    li_emit_entry(b, f->sites[i]);
    li_buf_puts(b, eol);
  }
  li_buf_printf(b, "};%s", eol);
  if (guard)
    li_buf_printf(b, "#endif%s", eol);
}

/* Appends the default LI_FN_/LI_ARG_ of id: the plain call. */
static void fallback(struct li_buf *b, const char *id, const char *eol) {
  li_buf_printf(b,
                "#ifndef LI_FN_%s%s#define LI_FN_%s(f) f%s#define LI_ARG_%s%s"
                "#endif%s",
                id, eol, id, eol, id, eol, eol);
}

/* Appends the LI_FN_/LI_ARG_ definitions of use u. */
static void use(struct li_buf *b, const struct li_emit_use *u, int scoped,
                const char *eol) {
  const char *id = u->id;
  if (scoped)
    li_buf_printf(b,
                  "#pragma push_macro(\"LI_FN_%s\")%s"
                  "#pragma push_macro(\"LI_ARG_%s\")%s"
                  "#undef LI_FN_%s%s#undef LI_ARG_%s%s",
                  id, eol, id, eol, id, eol, id, eol);
  li_buf_printf(b,
                "#define LI_FN_%s(f) lockinstr_%s##f%s"
                "#define LI_ARG_%s %s%s",
                id, u->custom ? "custom_" : "", eol, id, u->arg, eol);
}

void li_emit_prologue(struct li_buf *b, const struct li_emit_file *f) {
  marker(b, f->path, f->eol);
  if (f->array)
    table(b, f);
  for (size_t i = 0; i < f->nuses; i++)
    use(b, &f->uses[i], f->scoped_uses, f->eol);
  for (size_t i = 0; i < f->nfallbacks; i++)
    fallback(b, f->fallbacks[i], f->eol);
  for (size_t i = f->nspells; i-- > 0;) /* the first use pops the last */
    spell(b, &f->spells[i], f->eol);
  li_buf_puts(b, "#line 1 ");
  add_str(b, f->path);
  li_buf_puts(b, f->eol);
}

void li_emit_epilogue(struct li_buf *b, const struct li_emit_file *f) {
  const char *eol = f->eol;
  for (size_t i = 0; f->scoped_uses && i < f->nuses; i++) {
    const char *id = f->uses[i].id;
    li_buf_printf(b,
                  "#pragma pop_macro(\"LI_FN_%s\")%s"
                  "#pragma pop_macro(\"LI_ARG_%s\")%s",
                  id, eol, id, eol);
    fallback(b, id, eol);
  }
  unsigned groups = groups_of(f);
  if (groups & (1u << LOCKINSTR_HEADER_PTHREAD))
    li_buf_printf(b, "#include <lockinstr_pthread.h>%s", eol);
  if (groups & (1u << LOCKINSTR_HEADER_THREADS))
    li_buf_printf(b, "#include <lockinstr_threads.h>%s", eol);
  if (f->tail)
    li_buf_puts(b, f->tail);
}

char *li_emit_plain(const char *path, const char *text, size_t n, size_t *len) {
  struct li_buf b = {0};
  size_t bom = li_emit_bom(text, n);
  li_buf_add(&b, text, bom);
  li_buf_puts(&b, "#line 1 ");
  add_str(&b, path);
  li_buf_puts(&b, li_emit_eol(text, n));
  li_buf_add(&b, text + bom, n - bom);
  *len = b.n;
  return li_buf_take(&b);
}

char *li_emit_wrap(const struct li_emit_file *f, const char *text, size_t n,
                   size_t *len) {
  struct li_buf b = {0};
  li_emit_prologue(&b, f);
  li_buf_add(&b, text, n);
  if (n > 0 && text[n - 1] != '\n')
    li_buf_puts(&b, f->eol);
  li_emit_epilogue(&b, f);
  *len = b.n;
  return li_buf_take(&b);
}

int li_emit_is_instrumented(const char *buf, size_t len) {
  static const char mark[] = "#define LOCKINSTR_INSTRUMENTED";
  size_t lim = len < 4096 ? len : 4096;
  for (size_t at = 0; at + sizeof mark - 1 <= lim; at++)
    if ((at == 0 || buf[at - 1] == '\n') &&
        memcmp(buf + at, mark, sizeof mark - 1) == 0)
      return 1;
  return 0;
}
