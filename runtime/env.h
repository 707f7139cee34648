/*
 * env.h — the runtime's configuration from LOCKINSTR_* environment
 * variables.
 *
 * Read once, at initialisation. A bad value never stops the program: it
 * gets one warning naming the variable and the default is used.
 *
 * Every read of a LOCKINSTR_* variable goes through li_env_get, the
 * runtime's only access to the environment. In a secure-execution process
 * (setuid, setgid, file capabilities: the kernel's AT_SECURE) it returns
 * NULL for every name: the user who started the program is not the one it
 * runs as, and must not choose where it writes (LOCKINSTR_OUTPUT), when
 * (LOCKINSTR_INTERVAL, LOCKINSTR_SIGNAL) or what it records.
 */
#ifndef LI_ENV_H
#define LI_ENV_H

#include <stdio.h>

#ifndef LI_DEFAULT_OUTPUT
#define LI_DEFAULT_OUTPUT "lockinstr.%p.json"
#endif
/* The file name used inside a directory named by LOCKINSTR_OUTPUT. */
#ifndef LI_DIR_OUTPUT
#define LI_DIR_OUTPUT "lockinstr.%p.json"
#endif

struct li_config {
  unsigned long sample_rate; /* LOCKINSTR_SAMPLE_RATE, default 100 */
  char *output;              /* LOCKINSTR_OUTPUT pattern (%p, %e, %%) */
  int output_set;            /* LOCKINSTR_OUTPUT held a valid value */
  int quiet;                 /* LOCKINSTR_QUIET=1: no summary at exit */
  int quiet_set;             /* LOCKINSTR_QUIET held a valid value */
  int summary;               /* LOCKINSTR_SUMMARY=1: a summary at exit */
  int summary_set;           /* LOCKINSTR_SUMMARY held a valid value */
  int rate_set;              /* LOCKINSTR_SAMPLE_RATE held a valid value */
  int disable;               /* LOCKINSTR_DISABLE=1: start off */
  char *exclude;             /* LOCKINSTR_EXCLUDE globs, or NULL */
  double interval_s;         /* LOCKINSTR_INTERVAL seconds, 0 = off */
  int signal;                /* LOCKINSTR_SIGNAL number, 0 = none */
  int secure;                /* secure execution: environment ignored, no
                                automatic profile unless the program set
                                its own output */
};

/* Looks a variable up; getenv-like. */
typedef const char *li_getenv_fn(const char *name);

/* Fills *cfg from `get`, printing one line per bad value on `warn`
 * ("lockinstr: warning: LOCKINSTR_X=...: ...; using ..."). Returns the
 * number of warnings. Strings in *cfg are malloc'ed (li_env_free). */
int li_env_parse(struct li_config *cfg, li_getenv_fn *get, FILE *warn);

/* The value of the LOCKINSTR_* variable `name`, or NULL when it is unset,
 * when `name` is no LOCKINSTR_* name, or in a secure-execution process.
 * The one function through which the runtime reads its environment. */
const char *li_env_get(const char *name);

/* 1 in a secure-execution process (AT_SECURE), else 0. */
int li_env_secure(void);

/* Fills *cfg from the process environment (li_env_parse with li_env_get),
 * warnings on `warn`. In a secure-execution process every variable is
 * ignored and cfg->secure is 1; if the environment holds any LOCKINSTR_*
 * variable, one line says so on `warn`. Returns the number of lines
 * printed. */
int li_env_load(struct li_config *cfg, FILE *warn);

/* Frees the strings of *cfg. */
void li_env_free(struct li_config *cfg);

#endif
