/*
 * apis.h — the rewriter's view of the lock-API table (include/lockinstr_api.h).
 *
 * li_apis[] is generated from LOCKINSTR_LOCK_APIS, so the matcher never holds
 * a hand-written list of names: a call is a candidate iff its callee's name
 * is found here (and the callee is declared in a system header, checked by
 * the caller).
 */
#ifndef LI_APIS_H
#define LI_APIS_H

#include <stddef.h>
#include <stdio.h>

#include "lockinstr_api.h"

struct li_api {
  const char *name;   /* libc function, e.g. "pthread_mutex_lock" */
  int kind;           /* enum lockinstr_kind */
  int mode;           /* enum lockinstr_mode */
  int lock_arg;       /* 0-based index of the lock argument */
  int success;        /* enum lockinstr_success */
  int header;         /* enum lockinstr_header */
  const char *try_fn; /* see lockinstr_api.h */
  const char *ret;    /* return type, as text */
  const char *params; /* wrapper parameters after the site, as text,
                          without parentheses: "void *l, int c" */
  int nargs;          /* number of arguments of the call */
};

extern const struct li_api li_apis[LOCKINSTR_API_COUNT];

/* Returns the enum lockinstr_api_id of the API named name[0..len), or -1. */
int li_api_find(const char *name, size_t len);

/* Names of the enums, for output: "ACQUIRE", "EXCL", "ZERO", "PTHREAD". */
const char *li_api_kind_name(int kind);
const char *li_api_mode_name(int mode);
const char *li_api_success_name(int success);
const char *li_api_header_name(int header); /* "<pthread.h>" / "<threads.h>" */

/* Writes the supported-API table as markdown (docs/supported-apis.md). */
void li_api_print_markdown(FILE *f);

#endif /* LI_APIS_H */
