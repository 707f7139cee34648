/*
 * dlmain.c — loads an instrumented plugin with dlopen, uses it, unloads it
 * with dlclose, then has the runtime write a profile; loads it again,
 * uses it, unloads it, and exits (the exit profile follows). The program
 * itself is not instrumented; built twice: linked with liblockinstr.so
 * (dlmain_linked), and not linked with it at all (dlmain: the plugin
 * brings the runtime in, and the runtime must outlive the plugin).
 *
 *   dlmain LIBLOCKINSTR PLUGIN N M PATH
 *
 * Prints what plugin_work returned each time, whether the plugin was
 * really unmapped, and what lockinstr_dump(PATH) returned.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

#include "rr.h"

typedef unsigned long work_fn(long);
typedef int dump_fn(const char *);

/* dlopen, plugin_work(n), dlclose; returns what plugin_work returned and
 * fails unless the plugin is gone afterwards. */
static unsigned long use_plugin(const char *plugin, long n) {
  void *h = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
  work_fn *work;
  unsigned long r;
  if (!h)
    rr_fail("dlopen %s: %s", plugin, dlerror());
  *(void **)&work = dlsym(h, "plugin_work");
  RR_CHECK(work != NULL);
  r = work(n);
  RR_CHECK(dlclose(h) == 0);
  RR_CHECK(dlopen(plugin, RTLD_NOW | RTLD_NOLOAD) == NULL); /* unmapped */
  return r;
}

int main(int argc, char **argv) {
  void *rt;
  dump_fn *dump;
  unsigned long r1, r2;
  int rc;
  RR_CHECK(argc == 6);
  r1 = use_plugin(argv[2], atol(argv[3]));
  rt = dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD);
  if (!rt)
    rr_fail("the runtime %s was unloaded with the plugin", argv[1]);
  *(void **)&dump = dlsym(rt, "lockinstr_dump");
  RR_CHECK(dump != NULL);
  rc = dump(argv[5]);
  r2 = use_plugin(argv[2], atol(argv[4]));
  printf("r1=%lu r2=%lu dump=%d\n", r1, r2, rc);
  return 0;
}
