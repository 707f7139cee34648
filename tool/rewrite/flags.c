/*
 * flags.c — see flags.h.
 */
#include "flags.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "text.h"

void li_argv_push(struct li_argv *a, const char *s) {
  a->v = li_xrealloc(a->v, (a->n + 2) * sizeof *a->v);
  a->v[a->n++] = li_xstrdup(s);
  a->v[a->n] = NULL;
}

void li_argv_free(struct li_argv *a) {
  for (size_t i = 0; i < a->n; i++)
    free(a->v[i]);
  free(a->v);
  memset(a, 0, sizeof *a);
}

/* Flags kept, that take their value in the next word when not attached. */
static const char *const kept_with_value[] = {
    "-I",       "-D",       "-U",           "-include",  "-imacros",
    "-isystem", "-iquote",  "-idirafter",   "-isysroot", "--sysroot",
    "-target",  "-iprefix", "-iwithprefix", "-x",        NULL};
/* Flags dropped, with their value in the next word. */
static const char *const dropped_with_value[] = {
    "-o",      "-MF",      "-MT",         "-MQ",
    "-Xclang", "-Xlinker", "-Xassembler", "-Xpreprocessor",
    "-L",      "-l",       "-aux-info",   "--param",
    "-arch",   NULL};
/* Flags kept exactly (or as a prefix when ending in '='/'*'). */
static const char *const kept_exact[] = {"-std=*",
                                         "-ansi",
                                         "-pthread",
                                         "-m32",
                                         "-m64",
                                         "-mx32",
                                         "-funsigned-char",
                                         "-fsigned-char",
                                         "-fno-signed-char",
                                         "-fno-unsigned-char",
                                         "-fms-extensions",
                                         "-fopenmp",
                                         "-fPIC",
                                         "-fpic",
                                         "-fPIE",
                                         "-fpie",
                                         "-fgnu89-inline",
                                         "-ffreestanding",
                                         "-fno-builtin*",
                                         "-fshort-enums",
                                         "-fshort-wchar",
                                         "-O*",
                                         "-w",
                                         "-nostdinc",
                                         "--target=*",
                                         "--sysroot=*",
                                         "-fgnu-keywords",
                                         "-trigraphs",
                                         NULL};

/* Returns 1 if arg matches pattern p (exact, or prefix when p ends in '*'). */
static int flag_match(const char *arg, const char *p) {
  size_t n = strlen(p);
  if (p[n - 1] == '*')
    return strncmp(arg, p, n - 1) == 0;
  return strcmp(arg, p) == 0;
}

/* Returns the length of the with-value flag in list that arg starts with
 * (0 if none). */
static size_t value_flag(const char *arg, const char *const *list) {
  for (size_t i = 0; list[i]; i++) {
    size_t n = strlen(list[i]);
    if (strncmp(arg, list[i], n) == 0)
      return n;
  }
  return 0;
}

/* Keeps one flag of kept_with_value (k = length of its name); returns the
 * index of the last word consumed. */
static size_t keep_value_flag(char *const *in, size_t n, size_t i, size_t k,
                              struct li_argv *out) {
  const char *a = in[i];
  if (a[k] != '\0') { /* attached value: -Idir, -DX=1, --sysroot=dir */
    li_argv_push(out, a);
    return i;
  }
  if (i + 1 >= n)
    return i; /* a dangling flag: drop it */
  li_argv_push(out, a);
  if (strcmp(a, "-x") == 0) /* a language: parse it as C whatever it says */
    li_argv_push(out, strcmp(in[i + 1], "c-header") == 0 ? "c-header" : "c");
  else
    li_argv_push(out, in[i + 1]);
  return i + 1;
}

/* Flags of kept_with_value whose value is a path. */
static const char *const path_flags[] = {
    "-I",         "-include",  "-imacros",   "-isystem",  "-iquote",
    "-idirafter", "-isysroot", "--sysroot=", "--sysroot", NULL};

/* Returns value made absolute against workdir, or NULL if it is already
 * (or is sysroot-relative: "=dir"). */
static char *abs_value(const char *value, const char *workdir) {
  if (!*value || value[0] == '/' || value[0] == '=')
    return NULL;
  return li_path_abs(value, workdir);
}

void li_absolute_flags(struct li_argv *a, const char *workdir) {
  for (size_t i = 0; i < a->n; i++) {
    size_t k = value_flag(a->v[i], path_flags);
    if (!k)
      continue;
    if (a->v[i][k] == '\0') { /* the value is the next word */
      char *v = i + 1 < a->n ? abs_value(a->v[i + 1], workdir) : NULL;
      if (v) {
        free(a->v[i + 1]);
        a->v[i + 1] = v;
      }
      i++;
      continue;
    }
    char *v = abs_value(a->v[i] + k, workdir);
    if (v) {
      char *joined = li_xasprintf("%.*s%s", (int)k, a->v[i], v);
      free(v);
      free(a->v[i]);
      a->v[i] = joined;
    }
  }
}

/*
 * Returns the spelling of the -std= flag A that libclang 14 accepts: gcc 14
 * and later know C23 as c23/gnu23 (and the next one as c2y/gnu2y), which
 * clang 14 only knows as c2x/gnu2x and otherwise rejects, failing the whole
 * parse. Other values are returned unchanged.
 */
static const char *std_flag(const char *a) {
  static const char *const map[][2] = {
      {"-std=c23", "-std=c2x"},          {"-std=gnu23", "-std=gnu2x"},
      {"-std=iso9899:2024", "-std=c2x"}, {"-std=c2y", "-std=c2x"},
      {"-std=gnu2y", "-std=gnu2x"},      {NULL, NULL}};
  for (size_t i = 0; map[i][0]; i++)
    if (strcmp(a, map[i][0]) == 0)
      return map[i][1];
  return a;
}

void li_filter_flags(char *const *in, size_t n, struct li_argv *out) {
  for (size_t i = 0; i < n; i++) {
    const char *a = in[i];
    size_t k = value_flag(a, kept_with_value);
    if (k) {
      i = keep_value_flag(in, n, i, k, out);
    } else if (a[0] && value_flag(a, dropped_with_value) == strlen(a)) {
      i++; /* drop the flag and its value */
    } else {
      for (size_t j = 0; kept_exact[j]; j++)
        if (flag_match(a, kept_exact[j])) {
          li_argv_push(out, std_flag(a));
          break;
        }
    }
  }
}

void li_split_command(const char *cmd, struct li_argv *out) {
  struct li_buf w = {0};
  int in_word = 0;
  for (const char *p = cmd; *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\n') {
      if (in_word)
        li_argv_push(out, w.s ? w.s : "");
      li_buf_free(&w);
      in_word = 0;
      continue;
    }
    in_word = 1;
    if (*p == '\'') {
      for (p++; *p && *p != '\''; p++)
        li_buf_add(&w, p, 1);
    } else if (*p == '"') {
      for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
          p++;
        li_buf_add(&w, p, 1);
      }
    } else if (*p == '\\' && p[1]) {
      li_buf_add(&w, ++p, 1);
    } else {
      li_buf_add(&w, p, 1);
    }
    if (!*p)
      break;
  }
  if (in_word)
    li_argv_push(out, w.s ? w.s : "");
  li_buf_free(&w);
}

/* Fills one entry from a JSON object; returns 0 or -1 if malformed. */
static int entry_from_json(json_t *o, struct li_compdb_entry *e) {
  const char *dir = json_string_value(json_object_get(o, "directory"));
  const char *file = json_string_value(json_object_get(o, "file"));
  json_t *args = json_object_get(o, "arguments");
  const char *cmd = json_string_value(json_object_get(o, "command"));
  if (!dir || !file || (!json_is_array(args) && !cmd))
    return -1;
  memset(e, 0, sizeof *e);
  e->directory = li_path_abs(dir, NULL);
  e->file = li_path_abs(file, e->directory);
  if (json_is_array(args)) {
    size_t i;
    json_t *v;
    json_array_foreach(args, i, v) {
      if (!json_is_string(v))
        return -1;
      li_argv_push(&e->argv, json_string_value(v));
    }
  } else {
    li_split_command(cmd, &e->argv);
  }
  return 0;
}

int li_compdb_load(const char *builddir, struct li_compdb *db, char **err) {
  char *path = li_xasprintf("%s/compile_commands.json", builddir);
  json_error_t je;
  json_t *root = json_load_file(path, 0, &je);
  memset(db, 0, sizeof *db);
  if (!root || !json_is_array(root)) {
    *err = root ? li_xasprintf("%s: error: not a JSON array", path)
                : li_xasprintf("%s:%d:%d: error: %s", path, je.line, je.column,
                               je.text);
    json_decref(root);
    free(path);
    return -1;
  }
  db->v = li_xmalloc(json_array_size(root) * sizeof *db->v);
  size_t i;
  json_t *o;
  json_array_foreach(root, i, o) {
    if (entry_from_json(o, &db->v[db->n]) != 0) {
      *err = li_xasprintf("%s: error: entry %zu is malformed", path, i + 1);
      li_compdb_free(db);
      json_decref(root);
      free(path);
      return -1;
    }
    db->n++;
  }
  json_decref(root);
  free(path);
  return 0;
}

const struct li_compdb_entry *li_compdb_find(const struct li_compdb *db,
                                             const char *file) {
  for (size_t i = 0; i < db->n; i++)
    if (strcmp(db->v[i].file, file) == 0)
      return &db->v[i];
  struct stat a, b; /* the same file under another name (a symlink) */
  if (stat(file, &a) != 0)
    return NULL;
  for (size_t i = 0; i < db->n; i++)
    if (stat(db->v[i].file, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
      return &db->v[i];
  return NULL;
}

void li_compdb_free(struct li_compdb *db) {
  for (size_t i = 0; i < db->n; i++) {
    free(db->v[i].directory);
    free(db->v[i].file);
    li_argv_free(&db->v[i].argv);
  }
  free(db->v);
  memset(db, 0, sizeof *db);
}
