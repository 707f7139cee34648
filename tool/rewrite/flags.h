/*
 * flags.h — compiler flags for parsing: which of a build's flags reach
 * libclang, and the compile_commands.json database (-p BUILDDIR).
 *
 * A build's command line is written for its compiler (often gcc), and
 * libclang rejects what it does not know (-fanalyzer is an error to clang's
 * driver). Only flags that change what the preprocessor and parser see are
 * kept (an allow-list: include paths, macros, language standard, target and
 * a few -f/-m flags that define macros); everything else is dropped, so no
 * gcc-only warning, optimisation or code-generation flag can break parsing.
 */
#ifndef LI_FLAGS_H
#define LI_FLAGS_H

#include <stddef.h>

struct li_argv {
  char **v; /* owned strings */
  size_t n;
};

void li_argv_push(struct li_argv *a, const char *s);
void li_argv_free(struct li_argv *a);

/* Appends to out the flags of in[0..n) that matter for parsing (see above).
 * The source file itself, -c, -o FILE and dependency-file flags are dropped.
 * Relative paths are kept as they are (the caller passes the directory they
 * are relative to as -working-directory). */
void li_filter_flags(char *const *in, size_t n, struct li_argv *out);

/* Makes the path values of a's flags (-I, -iquote, -isystem, -idirafter,
 * -include, -imacros, -isysroot, --sysroot) absolute against workdir.
 * The parser is then never given a working directory: libclang 14 would
 * chdir() the whole process to it, under every other thread's feet. */
void li_absolute_flags(struct li_argv *a, const char *workdir);

/* Splits a shell command line (as in compile_commands.json "command") into
 * words: blanks separate, '...' and "..." quote, backslash escapes. */
void li_split_command(const char *cmd, struct li_argv *out);

struct li_compdb_entry {
  char *directory;     /* absolute */
  char *file;          /* absolute, normalised */
  struct li_argv argv; /* the full command, argv[0] = compiler */
};

struct li_compdb {
  struct li_compdb_entry *v;
  size_t n;
};

/* Loads BUILDDIR/compile_commands.json. Returns 0, or -1 with a message in
 * *err (caller frees). */
int li_compdb_load(const char *builddir, struct li_compdb *db, char **err);

/* Returns the entry for absolute normalised path file, or NULL. If there are
 * several (a file built twice), the first one. */
const struct li_compdb_entry *li_compdb_find(const struct li_compdb *db,
                                             const char *file);

void li_compdb_free(struct li_compdb *db);

#endif /* LI_FLAGS_H */
