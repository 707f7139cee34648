/*
 * cc_paths.h — where lockinstr-cc tells the rewriter the project is.
 *
 * The rewriter instruments the project's own headers (those under its
 * --root, or under a --header-dir) into its output directory. lockinstr-cc
 * sees one compile at a time and must guess the project from it:
 *
 *   root         $LOCKINSTR_CC_ROOT if set; else the project's top
 *                directory above the source (li_cc_project_top: the
 *                nearest holding .lockinstr, a checkout's .git, .hg, .svn
 *                or .bzr, or a configure script), or the compile's working
 *                directory when the source lies under it and it is higher
 *                still (make from the top); else the source's directory.
 *   header dirs  with no $LOCKINSTR_CC_ROOT: every -I / -iquote directory
 *                of the command that exists, is not under the root, not a
 *                system directory (/usr/...), not lockinstr's own include
 *                directory and not under a build directory (see
 *                li_cc_build_dirs); plus $LOCKINSTR_CC_HEADER_DIRS always.
 *
 * Pure string work (plus stat() for existence), unit-tested in
 * tests/integration/test_cc.c. Paths are normalised lexically by the
 * rewriter's own li_path_abs (paths.h), so both agree on what lies under
 * what.
 */
#ifndef LI_CC_PATHS_H
#define LI_CC_PATHS_H

/*
 * Returns the rewriter's root for source SRC_ABS (normalised absolute):
 * ROOT_ENV (normalised absolute, or NULL when unset) if SRC_ABS lies under
 * it; else the higher of TOP (li_cc_project_top, or NULL) and CWD, of
 * those SRC_ABS lies under; else SRC_ABS's directory. malloc'd, or NULL
 * when out of memory.
 */
char *li_cc_pick_root(const char *root_env, const char *cwd, const char *top,
                      const char *src_abs);

/* Returns the configuration file the rewriter uses for a source in DIR
 * (normalised absolute) when none is given: the nearest `.lockinstr` at
 * or above DIR, not above a directory holding `.git` (li_config_find's
 * rule). malloc'd, or NULL when there is none. */
char *li_cc_config_for(const char *dir);

/*
 * Returns the top directory of the project holding directory DIR
 * (normalised absolute): the nearest directory at or above DIR that holds
 * a version-control directory (.git, .hg, .svn, .bzr; .git may be a file:
 * worktrees, submodules) or a regular file .lockinstr, configure.ac,
 * configure.in or configure. malloc'd, or NULL when none is found.
 */
char *li_cc_project_top(const char *dir);

/*
 * Collects into *OUT (a NULL-terminated malloc'd vector of malloc'd
 * strings) the --header-dir candidates of the driver arguments
 * ARGV[0..ARGC-1]: the directories of -I DIR / -IDIR / -iquote DIR /
 * -iquoteDIR, made absolute against CWD, that exist, are not under ROOT,
 * not under "/usr", and not under any of the NULL-terminated SKIP list
 * (build directories, lockinstr's include directory). Duplicates are
 * dropped. Returns the number collected, or -1 when out of memory.
 */
int li_cc_header_dirs(int argc, char *const *argv, const char *cwd,
                      const char *root, const char *const *skip, char ***out);

/*
 * Splits LINE (one line of `lockinstr --print-include-flags`: words
 * separated by blanks, a word with special characters in POSIX single
 * quotes with ' written as '\'') into *OUT, a NULL-terminated malloc'd
 * vector of malloc'd words. Returns the number of words, or -1 when out of
 * memory.
 */
int li_cc_split_words(const char *line, char ***out);

/* Frees a vector returned by li_cc_header_dirs or li_cc_split_words. */
void li_cc_free_vec(char **v);

#endif /* LI_CC_PATHS_H */
