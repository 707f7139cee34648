/*
 * batch.c — see batch.h.
 *
 * Project headers are named by their path relative to the root, the same
 * name the rewriter uses for their copies (OUTDIR/name), their macro-call
 * ids and their site tables, so separate runs over one tree agree.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "paths.h"
#include "text.h"

/* Returns 1 if abs is one of lockinstr's own headers (its directory holds
 * lockinstr_site.h): their wrappers call the real functions, and must not
 * be instrumented even when a project vendors lockinstr under its root. */
static int lockinstr_header(const char *abs) {
  char *dir = li_path_dir(abs);
  char *site = li_xasprintf("%s/lockinstr_site.h", dir);
  struct stat st;
  int r = stat(site, &st) == 0;
  free(site);
  free(dir);
  return r;
}

char *li_project_name(const struct li_project *p, const char *abs) {
  if (p->outdir && li_path_under(abs, p->outdir))
    return NULL;
  char *name = NULL;
  if (li_path_under(abs, p->root) && strcmp(abs, p->root) != 0)
    name = li_path_rel(p->root, abs);
  for (size_t i = 0; !name && i < p->ndirs; i++)
    if (li_path_under(abs, p->dirs[i]))
      name = li_xasprintf("_abs%s", abs);
  if (name && lockinstr_header(abs)) { /* checked last: a stat() */
    free(name);
    name = NULL;
  }
  return name;
}

/* Adds the copy directory of include directory dir (flag "-I" or
 * "-iquote"), if there is one. */
static void add_copy_dir(const struct li_project *p, const char *flag,
                         const char *dir, const char *workdir,
                         struct li_argv *out) {
  char *abs = li_path_abs(dir, workdir);
  char *name =
      strcmp(abs, p->root) == 0 ? li_xstrdup(".") : li_project_name(p, abs);
  if (name) {
    char *copy = li_path_abs(name, p->outdir);
    struct stat st;
    if (stat(copy, &st) == 0 && S_ISDIR(st.st_mode)) {
      char *f = li_xasprintf("%s%s", flag, copy);
      li_argv_push(out, f);
      free(f);
    }
    free(copy);
  }
  free(name);
  free(abs);
}

void li_include_flags(const struct li_project *p, char *const *flags, size_t n,
                      const char *workdir, struct li_argv *out) {
  if (!p->outdir)
    return;
  for (size_t i = 0; i < n; i++) {
    const char *f = flags[i];
    const char *kind = strncmp(f, "-I", 2) == 0        ? "-I"
                       : strncmp(f, "-iquote", 7) == 0 ? "-iquote"
                                                       : NULL;
    if (!kind)
      continue;
    const char *dir = f + strlen(kind);
    if (!*dir && i + 1 < n)
      dir = flags[++i];
    if (*dir)
      add_copy_dir(p, kind, dir, workdir, out);
  }
}

/* Returns 1 if argument vectors a and b hold the same flags for parsing. */
static int same_flags(const struct li_compdb_entry *a,
                      const struct li_compdb_entry *b) {
  struct li_argv x = {0}, y = {0};
  li_filter_flags(a->argv.v + 1, a->argv.n ? a->argv.n - 1 : 0, &x);
  li_filter_flags(b->argv.v + 1, b->argv.n ? b->argv.n - 1 : 0, &y);
  int same = x.n == y.n && strcmp(a->directory, b->directory) == 0;
  for (size_t i = 0; same && i < x.n; i++)
    same = strcmp(x.v[i], y.v[i]) == 0;
  li_argv_free(&x);
  li_argv_free(&y);
  return same;
}

size_t li_compdb_c_files(const struct li_compdb *db, char ***files, FILE *f,
                         int quiet) {
  size_t n = 0;
  *files = li_xmalloc((db->n + 1) * sizeof **files);
  for (size_t i = 0; i < db->n; i++) {
    const struct li_compdb_entry *e = &db->v[i];
    size_t len = strlen(e->file);
    if (len < 3 || strcmp(e->file + len - 2, ".c") != 0)
      continue;
    size_t first = 0;
    while (first < i && strcmp(db->v[first].file, e->file) != 0)
      first++;
    if (first == i) {
      (*files)[n++] = li_xstrdup(e->file);
    } else if (!quiet && !same_flags(&db->v[first], e)) {
      char *d = li_path_display(e->file);
      fprintf(f,
              "lockinstr: %s: note: listed again in compile_commands.json "
              "with other flags (entry %zu); instrumented once, with the "
              "flags of entry %zu\n",
              d, i + 1, first + 1);
      free(d);
    }
  }
  return n;
}

/* Returns h's header for abs, adding it if new (NULL: not a project
 * header). */
static struct li_header *
header_for(struct li_headers *hs, const struct li_project *p, const char *abs) {
  for (size_t i = 0; i < hs->n; i++)
    if (strcmp(hs->v[i].abs, abs) == 0)
      return &hs->v[i];
  char *name = li_project_name(p, abs);
  if (!name)
    return NULL;
  hs->v = li_xrealloc(hs->v, (hs->n + 1) * sizeof *hs->v);
  struct li_header *h = &hs->v[hs->n++];
  memset(h, 0, sizeof *h);
  h->abs = li_xstrdup(abs);
  h->name = name;
  h->path = li_path_display(abs);
  h->out_abs = p->outdir ? li_path_abs(name, p->outdir) : NULL;
  return h;
}

void li_headers_add(struct li_headers *hs, const struct li_project *p,
                    const struct li_result *res) {
  for (size_t i = 0; i < res->nheaders; i++) {
    struct li_header *h = header_for(hs, p, res->headers[i]);
    if (h && res->inside && res->inside[i] && !h->inside)
      h->inside = li_xstrdup(res->inside[i]);
  }
  for (size_t i = 0; i < res->nhsites; i++) {
    struct li_header *h = header_for(hs, p, res->hsites[i].header);
    if (h)
      li_header_add_site(h, &res->hsites[i]);
  }
}

static int header_cmp(const void *a, const void *b) {
  return strcmp(((const struct li_header *)a)->name,
                ((const struct li_header *)b)->name);
}

/* Returns 1 if the file at path holds exactly data[0..len). */
static int has_content(const char *path, const char *data, size_t len) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
    return 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  char *buf = li_xmalloc(len + 1);
  int same = fread(buf, 1, len, f) == len && memcmp(buf, data, len) == 0;
  free(buf);
  fclose(f);
  return same;
}

size_t li_headers_write(struct li_headers *hs,
                        char *(*target)(const char *abs, void *arg),
                        void *arg) {
  size_t failed = 0;
  if (hs->n)
    qsort(hs->v, hs->n, sizeof *hs->v, header_cmp);
  for (size_t i = 0; i < hs->n; i++) {
    struct li_header *h = &hs->v[i];
    if (h->out_abs && (strcmp(h->out_abs, h->abs) == 0 ||
                       li_path_same_file(h->out_abs, h->abs))) {
      h->error = li_xasprintf("lockinstr: %s: error: refusing to write over "
                              "the header\n",
                              h->path);
      failed++;
      continue;
    }
    if (li_header_build(h, target, arg) != 0) {
      failed++;
      continue;
    }
    /* an unchanged copy is left alone: its includers need no rebuild */
    int rc = h->out_abs && !has_content(h->out_abs, h->output, h->output_len)
                 ? li_write_atomic(h->out_abs, h->output, h->output_len)
                 : 0;
    if (rc != 0) {
      h->error = li_xasprintf("lockinstr: %s: error: cannot write %s: %s\n",
                              h->path, h->out_abs, strerror(-rc));
      failed++;
    }
  }
  return failed;
}

void li_headers_free(struct li_headers *hs) {
  for (size_t i = 0; i < hs->n; i++)
    li_header_free(&hs->v[i]);
  free(hs->v);
  memset(hs, 0, sizeof *hs);
}

void li_progress_init(struct li_progress *pr, FILE *f, size_t total,
                      int quiet) {
  memset(pr, 0, sizeof *pr);
  pr->f = f;
  pr->total = total;
  pr->quiet = quiet || total < 2;
  pr->tty = isatty(fileno(f));
}

void li_progress_step(struct li_progress *pr, size_t sites) {
  pr->done++;
  pr->sites += sites;
  if (pr->quiet)
    return;
  if (pr->tty) {
    fprintf(pr->f, "\rlockinstr: %zu/%zu files, %zu sites", pr->done, pr->total,
            pr->sites);
    fflush(pr->f);
  } else if (pr->done % LI_PROGRESS_EVERY == 0 && pr->done < pr->total) {
    fprintf(pr->f, "lockinstr: %zu/%zu files, %zu sites\n", pr->done, pr->total,
            pr->sites);
  }
}

void li_progress_end(struct li_progress *pr) {
  if (!pr->quiet && pr->tty && pr->done)
    fputs("\r\033[K", pr->f);
}
