/*
 * env.h — the runtime's configuration from LOCKINSTR_* environment
 * variables.
 *
 * Read once, at initialisation. A bad value never stops the program: it
 * gets one warning naming the variable and the default is used.
 */
#ifndef LI_ENV_H
#define LI_ENV_H

#include <stdio.h>

#ifndef LI_DEFAULT_OUTPUT
#define LI_DEFAULT_OUTPUT "lockinstr.%p.json"
#endif

struct li_config {
  unsigned long sample_rate; /* LOCKINSTR_SAMPLE_RATE, default 100 */
  char *output;              /* LOCKINSTR_OUTPUT pattern (%p, %e, %%) */
  int output_set;            /* LOCKINSTR_OUTPUT held a valid value */
  int quiet;                 /* LOCKINSTR_QUIET=1: no summary at exit */
  int quiet_set;             /* LOCKINSTR_QUIET held a valid value */
  int rate_set;              /* LOCKINSTR_SAMPLE_RATE held a valid value */
  int disable;               /* LOCKINSTR_DISABLE=1: start off */
  char *exclude;             /* LOCKINSTR_EXCLUDE globs, or NULL */
  double interval_s;         /* LOCKINSTR_INTERVAL seconds, 0 = off */
  int signal;                /* LOCKINSTR_SIGNAL number, 0 = none */
};

/* Looks a variable up; getenv-like. */
typedef const char *li_getenv_fn(const char *name);

/* Fills *cfg from `get`, printing one line per bad value on `warn`
 * ("lockinstr: warning: LOCKINSTR_X=...: ...; using ..."). Returns the
 * number of warnings. Strings in *cfg are malloc'ed (li_env_free). */
int li_env_parse(struct li_config *cfg, li_getenv_fn *get, FILE *warn);

/* Frees the strings of *cfg. */
void li_env_free(struct li_config *cfg);

#endif
