/*
 * summary.c — what the run prints once every input is done, in input
 * order: diagnostics and errors, the notes about calls not instrumented
 * (each once, however many files include it), --list-sites as JSON,
 * --print-include-flags, and the summary line.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apis.h"
#include "custom.h"
#include "lockinstr_site.h"
#include "paths.h"
#include "run.h"
#include "text.h"

static int note_cmp(const void *pa, const void *pb) {
  const struct li_note *a = *(struct li_note *const *)pa;
  const struct li_note *b = *(struct li_note *const *)pb;
  int c = strcmp(a->file, b->file);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return strcmp(a->reason, b->reason);
}

/* Returns the distinct notes of all inputs, sorted by position (a
 * header's call is seen by every file that includes it, and noted once);
 * *n is their number. The caller frees the array, not the notes. */
static struct li_note **unique_notes(struct li_run *r, size_t *n) {
  size_t total = 0;
  for (size_t i = 0; i < r->n; i++)
    total += r->in[i].res.nnotes;
  for (size_t i = 0; i < r->hdrs.n; i++)
    total += r->hdrs.v[i].nnotes;
  struct li_note **v = li_xmalloc((total + 1) * sizeof *v);
  total = 0;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < r->in[i].res.nnotes; k++)
      v[total++] = &r->in[i].res.notes[k];
  for (size_t i = 0; i < r->hdrs.n; i++) /* headers included in a body */
    for (size_t k = 0; k < r->hdrs.v[i].nnotes; k++)
      v[total++] = &r->hdrs.v[i].notes[k];
  qsort(v, total, sizeof *v, note_cmp);
  size_t u = 0;
  for (size_t i = 0; i < total; i++)
    if (u == 0 || note_cmp(&v[u - 1], &v[i]) != 0)
      v[u++] = v[i];
  *n = u;
  return v;
}

/* Prints the notes if verbose; returns how many distinct ones there are. */
static size_t report_notes(struct li_run *r) {
  size_t n;
  struct li_note **v = unique_notes(r, &n);
  for (size_t i = 0; r->opt.verbose && i < n; i++)
    fprintf(stderr, "%s:%u:%u: note: not instrumented: %s\n", v[i]->file,
            v[i]->line, v[i]->col, v[i]->reason);
  free(v);
  return n;
}

/* Returns a JSON string of s (NULL: null), whose bytes that are not valid
 * UTF-8 are replaced as the runtime's profile replaces them (li_utf8_fix):
 * jansson refuses invalid UTF-8, and the site must be listed anyway. */
static json_t *jstr(const char *s) {
  if (!s)
    return json_null();
  char *fixed = li_utf8_fix(s);
  json_t *v = json_string(fixed);
  free(fixed);
  return v;
}

/* Returns the --list-sites object of site k of the file input, written to
 * output (NULL: none). */
static json_t *site_json(const char *input, const char *output, size_t k,
                         const struct li_site *s, const char *api, int kind) {
  return json_pack(
      "{s:o, s:o, s:I, s:o, s:I, s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:b}",
      "input", jstr(input), "output", jstr(output), "index", (json_int_t)k,
      "file", jstr(s->file), "line", (json_int_t)s->line, "column",
      (json_int_t)s->col, "function", jstr(s->function), "api", api, "kind",
      li_api_kind_name(kind), "expr", jstr(s->expr), "class",
      jstr(s->lock_class), "macro", jstr(s->macro), "in_macro",
      (s->flags & LOCKINSTR_SITE_IN_MACRO) != 0);
}

/* Appends the sites of the project headers' copies to the JSON array. */
static void list_header_sites(struct li_run *r, json_t *sites) {
  for (size_t i = 0; i < r->hdrs.n; i++) {
    const struct li_header *h = &r->hdrs.v[i];
    for (size_t k = 0; !h->error && k < h->ntable; k++) {
      const struct li_site *s = &h->sites[k].site;
      int kind;
      const char *api = li_hsite_api(&h->sites[k], &kind);
      json_array_append_new(sites,
                            site_json(h->path, h->out_abs, k, s, api, kind));
    }
  }
}

/* Returns the include flags of input in (see li_include_flags). */
static void input_include_flags(struct li_run *r, const struct li_input *in,
                                struct li_argv *out) {
  if (!in->error && !in->duplicate)
    li_include_flags(&r->proj, in->flags.v, in->flags.n, in->workdir, out);
}

/* Returns the JSON array of inputs, with their include flags. */
static json_t *list_inputs(struct li_run *r) {
  json_t *v = json_array();
  for (size_t i = 0; i < r->n; i++) {
    const struct li_input *in = &r->in[i];
    struct li_argv f = {0};
    input_include_flags(r, in, &f);
    json_t *flags = json_array();
    for (size_t k = 0; k < f.n; k++)
      json_array_append_new(flags, jstr(f.v[k]));
    li_argv_free(&f);
    json_array_append_new(
        v, json_pack("{s:o, s:o, s:o}", "input", jstr(in->job.path), "output",
                     jstr(in->out_abs), "include_flags", flags));
  }
  return v;
}

/* --print-include-flags: one line per input, its include flags separated
 * by blanks (shell-quoted when they need it). */
static void print_include_flags(struct li_run *r) {
  for (size_t i = 0; i < r->n; i++) {
    struct li_argv f = {0};
    input_include_flags(r, &r->in[i], &f);
    for (size_t k = 0; k < f.n; k++) {
      int plain =
          strspn(f.v[k], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
                         "QRSTUVWXYZ0123456789-_./=+,:@%") == strlen(f.v[k]);
      fputs(k ? " " : "", stdout);
      if (plain)
        fputs(f.v[k], stdout);
      else {
        fputc('\'', stdout);
        for (const char *p = f.v[k]; *p; p++)
          fputs(*p == '\'' ? "'\\''" : (char[2]){*p, 0}, stdout);
        fputc('\'', stdout);
      }
    }
    fputc('\n', stdout);
    li_argv_free(&f);
  }
}

/* The summary's counts: sites, the files holding them, the files done. */
struct tally {
  size_t sites; /* sites written */
  size_t with;  /* files (inputs and header copies) with a site */
  size_t files; /* inputs rewritten or copied, plus header copies with
                   a site (a header without one is not a file written) */
};

/* Adds a file of NSITES sites to T. */
static void tally_file(struct tally *t, size_t nsites) {
  t->sites += nsites;
  t->with += nsites > 0;
  t->files++;
}

/* Prints the project headers' errors and, if verbose, their copies; adds
 * the copies holding sites to T. Returns 1 if one failed. */
static int report_headers(struct li_run *r, struct tally *t) {
  int status = 0;
  for (size_t i = 0; i < r->hdrs.n; i++) {
    const struct li_header *h = &r->hdrs.v[i];
    if (h->error) {
      fputs(h->error, stderr);
      status = 1;
      continue;
    }
    if (h->ntable > 0)
      tally_file(t, h->ntable);
    if (r->opt.verbose && h->out_abs) {
      char *out = li_path_display(h->out_abs);
      fprintf(stderr, "lockinstr: %s: %zu sites -> %s\n", h->path, h->ntable,
              out);
      free(out);
    }
  }
  return status;
}

/* Prints every site as JSON on stdout (--list-sites). */
static void list_sites(struct li_run *r) {
  json_t *sites = json_array(), *notes = json_array();
  for (size_t i = 0; i < r->n; i++) {
    const struct li_input *in = &r->in[i];
    for (size_t k = 0; k < in->res.nsites; k++) {
      const struct li_site *s = &in->res.sites[k];
      const char *api = li_site_api_name(in->cfg, s->api);
      int kind = li_site_api_kind(in->cfg, s->api);
      json_array_append_new(
          sites, site_json(in->job.path, in->out_abs, k, s, api, kind));
    }
  }
  list_header_sites(r, sites);
  size_t nn;
  struct li_note **v = unique_notes(r, &nn);
  for (size_t k = 0; k < nn; k++)
    json_array_append_new(
        notes, json_pack("{s:o, s:I, s:I, s:o}", "file", jstr(v[k]->file),
                         "line", (json_int_t)v[k]->line, "column",
                         (json_int_t)v[k]->col, "reason", jstr(v[k]->reason)));
  free(v);
  json_t *doc = json_pack("{s:i, s:o, s:o, s:o}", "version", 1, "sites", sites,
                          "not_instrumented", notes, "inputs", list_inputs(r));
  json_dumpf(doc, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(doc);
}

/* Prints diagnostics, notes, sites and the summary ("N sites in F of M
 * files": F the files holding a site, M every file written); returns the
 * exit status. */
int li_summary(struct li_run *r) {
  int status = 0;
  struct tally t = {0, 0, 0};
  for (size_t i = 0; i < r->n; i++) {
    struct li_input *in = &r->in[i];
    if (in->duplicate)
      continue;
    if (in->error) {
      fputs(in->error, stderr);
      status = 1;
      continue;
    }
    fputs(in->res.diag.s ? in->res.diag.s : "", stderr);
    if (in->res.status != LI_OK || in->write_failed) {
      status = 1;
      continue;
    }
    tally_file(&t, in->res.nsites);
    if (in->res.already && !r->opt.quiet)
      fprintf(stderr,
              "lockinstr: %s: note: already instrumented; copied "
              "unchanged\n",
              in->job.path);
    if (r->opt.verbose && in->excl)
      fprintf(stderr, "lockinstr: %s: excluded by %s; copied unchanged\n",
              in->job.path, in->excl->origin);
    if (r->opt.verbose && in->out_abs) {
      char *out = li_path_display(in->out_abs);
      fprintf(stderr, "lockinstr: %s: %zu sites -> %s\n", in->job.path,
              in->res.nsites, out);
      free(out);
    }
  }
  status |= report_headers(r, &t);
  size_t notes = r->opt.quiet ? 0 : report_notes(r);
  if (r->opt.list_sites)
    list_sites(r);
  if (r->opt.print_include_flags)
    print_include_flags(r);
  if (!r->opt.quiet)
    fprintf(stderr,
            "lockinstr: %zu sites in %zu of %zu files; %zu not "
            "instrumented\n",
            t.sites, t.with, t.files, notes);
  return status;
}
