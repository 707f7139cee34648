/*
 * cc_locate.c — where lockinstr-cc finds things: the rewriter, the headers
 * and the runtime (see the search order in cc_main.c), the compile's
 * working directory, $LOCKINSTR_CC_ROOT and the configuration file, and
 * the top of a CMake build tree.
 */
#define _GNU_SOURCE 1 /* readlink, realpath in strict C11 mode */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cc_config.h"
#include "cc_launcher.h"
#include "paths.h"

char *li_cc_self_dir(void) {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  char *slash;
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  slash = strrchr(buf, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  return li_cc_cat(buf, NULL, NULL, NULL);
}

/* Returns DIR/REL/NAME (DIR/NAME if REL is NULL) if it exists, else NULL
 * (malloc'd). */
static char *li_cc_probe(const char *dir, const char *rel, const char *name,
                         int exec) {
  char *p;
  if (!dir || !dir[0])
    return NULL;
  p = rel ? li_cc_cat(dir, "/", rel, "/") : li_cc_cat(dir, "/", NULL, NULL);
  if (name) {
    char *q = li_cc_cat(p, name, NULL, NULL);
    free(p);
    p = q;
  }
  if (li_cc_exists(p, exec)) {
    char *real = realpath(p, NULL); /* bin/../include -> include */
    if (real) {
      free(p);
      p = real;
    }
    return p;
  }
  free(p);
  return NULL;
}

/* Returns the first existing FILE among DIR/<each of RELS> (malloc'd). */
static char *li_cc_probe_rels(const char *dir, const char *const *rels,
                              const char *file) {
  char *p = NULL;
  for (; *rels && !p; rels++)
    p = li_cc_probe(dir, *rels, file, 0);
  return p;
}

/* Strips "/lockinstr_site.h" off a probe result, leaving the directory. */
static char *li_cc_dir_of(char *file) {
  if (file)
    *strrchr(file, '/') = '\0';
  return file;
}

void li_cc_locate(struct li_cc_env *env) {
  const char *prefix = getenv("LOCKINSTR_PREFIX");
  const char *const inc_rels[] = {LI_CC_PREFIX_TO_INCLUDE, "include", NULL};
  const char *const lib_rels[] = {LI_CC_PREFIX_TO_LIB, "lib", "lib64", NULL};
  const char *const bin_inc[] = {LI_CC_BIN_TO_INCLUDE, NULL};
  const char *const bin_lib[] = {LI_CC_BIN_TO_LIB, NULL};
  const char *tool = getenv("LOCKINSTR_TOOL");
  if (prefix && !prefix[0])
    prefix = NULL;
  env->tool = tool && tool[0] ? li_cc_cat(tool, NULL, NULL, NULL) : NULL;
  if (!env->tool && prefix)
    env->tool = li_cc_probe(prefix, "bin", "lockinstr", 1);
  if (!env->tool)
    env->tool = li_cc_probe(env->self_dir, NULL, "lockinstr", 1);
  if (!env->tool && li_cc_exists(LI_CC_BUILD_TOOL, 1))
    env->tool = li_cc_cat(LI_CC_BUILD_TOOL, NULL, NULL, NULL);
  if (!env->tool)
    env->tool = li_cc_cat("lockinstr", NULL, NULL, NULL);

  if (prefix) {
    env->include =
        li_cc_dir_of(li_cc_probe_rels(prefix, inc_rels, "lockinstr_site.h"));
    env->static_lib = li_cc_probe_rels(prefix, lib_rels, "liblockinstr.a");
    env->shared_lib = li_cc_probe_rels(prefix, lib_rels, "liblockinstr.so");
    return; /* an explicit prefix is never mixed with another install */
  }
  env->include = li_cc_dir_of(
      li_cc_probe_rels(env->self_dir, bin_inc, "lockinstr_site.h"));
  env->static_lib = li_cc_probe_rels(env->self_dir, bin_lib, "liblockinstr.a");
  env->shared_lib = li_cc_probe_rels(env->self_dir, bin_lib, "liblockinstr.so");
  if (!env->include &&
      li_cc_exists(LI_CC_BUILD_INCLUDE "/lockinstr_site.h", 0)) {
    env->include = li_cc_cat(LI_CC_BUILD_INCLUDE, NULL, NULL, NULL);
    if (li_cc_exists(LI_CC_BUILD_STATIC, 0))
      env->static_lib = li_cc_cat(LI_CC_BUILD_STATIC, NULL, NULL, NULL);
    if (li_cc_exists(LI_CC_BUILD_SHARED, 0))
      env->shared_lib = li_cc_cat(LI_CC_BUILD_SHARED, NULL, NULL, NULL);
  }
}

char *li_cc_cmake_top(const char *dir) {
  char *d = li_cc_cat(dir, NULL, NULL, NULL);
  for (;;) {
    char *cache = li_cc_cat(d, "/CMakeCache.txt", NULL, NULL);
    int found = li_cc_exists(cache, 0);
    char *slash;
    free(cache);
    if (found)
      return d;
    slash = strrchr(d, '/');
    if (!slash || slash == d) {
      free(d);
      return NULL;
    }
    *slash = '\0';
  }
}

void li_cc_set_config(struct li_cc_env *env, const char *file) {
  free(env->config);
  env->config = file[0] ? li_path_abs(file, env->cwd) : NULL;
  if (file[0] && !env->config)
    li_cc_die("out of memory");
}

void li_cc_init_paths(struct li_cc_env *env) {
  char cwd[4096];
  const char *root = getenv("LOCKINSTR_CC_ROOT");
  const char *config = getenv("LOCKINSTR_CONFIG");
  if (!getcwd(cwd, sizeof cwd))
    li_cc_die("getcwd");
  env->cwd = li_path_abs(cwd, NULL);
  if (!env->cwd)
    li_cc_die("out of memory");
  if (root && root[0]) {
    char *abs = li_path_abs(root, env->cwd), *real;
    if (!abs)
      li_cc_die("out of memory");
    real = realpath(abs, NULL);
    env->root_env = real ? li_path_abs(real, NULL) : abs;
    if (real) {
      free(real);
      free(abs);
    }
  }
  if (config && config[0])
    li_cc_set_config(env, config);
}
