/*
 * cc_deps.h — makes a compiler-written dependency file (-MD, -MMD, -MF)
 * name the original sources instead of lockinstr-cc's rewritten copies.
 *
 * lockinstr-cc compiles a rewritten copy of each source from a private
 * temporary directory, so the compiler's dependency file lists that copy
 * (and any instrumented header beside it). Those paths vanish when the
 * launcher exits; make and ninja must see the user's files. The fix-up is
 * textual, in make syntax: every listed path is matched in its escaped form
 * (`\ ` for a space, `\#`, `$$`) and replaced by the original, escaped the
 * same way.
 */
#ifndef LI_CC_DEPS_H
#define LI_CC_DEPS_H

/* One replacement: a whole path, or (prefix != 0) a directory prefix. */
struct li_cc_map {
  const char *from; /* unescaped path (or directory, ending in '/') */
  const char *to;   /* unescaped replacement */
  int prefix;       /* 0: FROM must be a whole path; 1: any path under it */
};

/*
 * Rewrites the dependency file PATH in place (temporary file + rename),
 * applying MAPS[0..n-1] to every path in it; whole-path maps win over
 * prefix maps. Then adds each path of the NULL-terminated EXTRA (or NULL)
 * to its first rule (li_depfile_add; with an empty rule of its own if
 * PHONY): the configuration files that decided the instrumentation.
 * Returns 1 if the file was changed, 0 if it did not exist or needed no
 * change, -1 on an I/O error (errno set; PATH left as it was).
 */
int li_cc_fix_depfile(const char *path, const struct li_cc_map *maps, int n,
                      const char *const *extra, int phony);

#endif /* LI_CC_DEPS_H */
