/*
 * paths.h — path arithmetic for the rewriter: lexical absolute paths (no
 * symlink resolution, so the output tree mirrors what the user typed),
 * relative paths between directories, mkdir -p. The one path normaliser of
 * the tool side: the rewriter, the report and the launcher (which must
 * agree with the rewriter on what lies under what) all use it.
 */
#ifndef LI_PATHS_H
#define LI_PATHS_H

#include <stddef.h>

/* Returns a new absolute, lexically normalised path ("." and ".." folded,
 * no trailing or double slash): path itself if absolute, else base/path
 * (base = the current directory if NULL). Caller frees. */
char *li_path_abs(const char *path, const char *base);

/* Folds ".", ".." and repeated or trailing slashes of the path p[0..len)
 * lexically, in place, and returns its new length (no NUL is written). An
 * absolute path stays absolute ("/.." is "/"); a relative one keeps the
 * ".." it cannot fold ("a/../../b" is "../b") and folds to "." if nothing
 * is left. */
size_t li_path_fold(char *p, size_t len);

/* Returns the directory part of an absolute normalised path (new string). */
char *li_path_dir(const char *path);

/* Returns the path of `to` relative to directory `from_dir`, both absolute
 * and normalised, e.g. ("/a/b", "/a/c/x.h") -> "../c/x.h". Caller frees. */
char *li_path_rel(const char *from_dir, const char *to);

/* Returns 1 if absolute normalised `path` is `dir` or lies under it. */
int li_path_under(const char *path, const char *dir);

/* Returns a printable name for a path: relative to the current directory
 * when it lies under it, else as it is. Caller frees. */
char *li_path_display(const char *path);

/* Returns 1 if a and b are the same existing file (a hard or symbolic link
 * to it counts), else 0. */
int li_path_same_file(const char *a, const char *b);

/* Creates directory path and its parents (mode 0777 & ~umask). Returns 0 or
 * -errno. */
int li_mkdir_p(const char *path);

/* Returns 1 if directory DIR holds an entry named NAME: a regular file,
 * or, if ANY, an entry of any type. */
int li_path_holds(const char *dir, const char *name, int any);

/*
 * Returns the nearest directory at or above DIR (normalised absolute)
 * that holds one of NAMES (NULL-terminated; see li_path_holds for ANY),
 * looking no higher than the first directory that holds an entry STOP of
 * any type (NULL: up to "/"). malloc'd, or NULL when there is none.
 */
char *li_path_find_up(const char *dir, const char *const *names, int any,
                      const char *stop);

#endif /* LI_PATHS_H */
