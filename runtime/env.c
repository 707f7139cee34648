/*
 * env.c — the runtime's access to its environment: LOCKINSTR_* variables,
 * one small parser per type, read through li_env_get only, which gives
 * nothing to a secure-execution (setuid) process.
 */
#include "env.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/auxv.h>

extern char **environ;

#define LI_ENV_PREFIX "LOCKINSTR_"

#include "lockinstr.h"
#include "sample.h"
#include "sigdump.h"

/* Prints the one warning for a bad value. */
static void warn_bad(FILE *warn, const char *name, const char *value,
                     const char *want, const char *dflt) {
  if (warn)
    fprintf(warn,
            "lockinstr: warning: %s=\"%s\" is not %s; using the default "
            "(%s)\n",
            name, value, want, dflt);
}

/* Parses a whole number in [0, max]; returns 0 or -1. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out) {
  char *end;
  unsigned long v;
  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoul(s, &end, 10);
  if (errno || *end || v > max)
    return -1;
  *out = v;
  return 0;
}

/* Parses a boolean switch: 1/0, yes/no, true/false, on/off. */
static int parse_bool(const char *s, int *out) {
  static const char *const yes[] = {"1", "yes", "true", "on"};
  static const char *const no[] = {"0", "no", "false", "off"};
  size_t i;
  for (i = 0; i < 4; i++) {
    if (strcasecmp(s, yes[i]) == 0)
      return *out = 1, 0;
    if (strcasecmp(s, no[i]) == 0)
      return *out = 0, 0;
  }
  return -1;
}

/* Parses a duration in seconds: a finite number >= 0 (decimals allowed). */
static int parse_seconds(const char *s, double *out) {
  char *end;
  double v;
  if (!*s)
    return -1;
  errno = 0;
  v = strtod(s, &end);
  if (errno || *end || !isfinite(v) || v < 0 || v > 1e7)
    return -1;
  *out = v;
  return 0;
}

static int env_rate(struct li_config *cfg, li_getenv_fn *get, FILE *warn) {
  const char *v = get("LOCKINSTR_SAMPLE_RATE");
  if (!v)
    return 0;
  if (parse_ulong(v, LOCKINSTR_MAX_SAMPLE_RATE, &cfg->sample_rate) == 0)
    return cfg->rate_set = 1, 0;
  warn_bad(warn, "LOCKINSTR_SAMPLE_RATE", v,
           "a whole number from 0 (off) to 1000000000", "100");
  return 1;
}

/* Parses a boolean variable into *out; *set becomes 1 when it held a valid
 * value (unset and "" leave *out and *set alone). Returns the warnings. */
static int env_bool(const char *name, int *out, int *set, li_getenv_fn *get,
                    FILE *warn) {
  const char *v = get(name);
  if (!v || !*v)
    return 0;
  if (parse_bool(v, out) == 0)
    return *set = 1, 0;
  warn_bad(warn, name, v, "1 or 0", "0");
  return 1;
}

static int env_output(struct li_config *cfg, li_getenv_fn *get, FILE *warn) {
  const char *v = get("LOCKINSTR_OUTPUT");
  if (!v)
    return 0;
  if (*v) {
    free(cfg->output);
    cfg->output = strdup(v);
    cfg->output_set = 1;
    return 0;
  }
  warn_bad(warn, "LOCKINSTR_OUTPUT", v, "a file name", LI_DEFAULT_OUTPUT);
  return 1;
}

static int env_interval(struct li_config *cfg, li_getenv_fn *get, FILE *warn) {
  const char *v = get("LOCKINSTR_INTERVAL");
  if (!v || parse_seconds(v, &cfg->interval_s) == 0)
    return 0;
  warn_bad(warn, "LOCKINSTR_INTERVAL", v,
           "a number of seconds (0 = no periodic dumps)", "0");
  return 1;
}

static int env_signal(struct li_config *cfg, li_getenv_fn *get, FILE *warn) {
  const char *v = get("LOCKINSTR_SIGNAL");
  if (!v || !*v)
    return 0;
  cfg->signal = li_signal_number(v);
  if (cfg->signal)
    return 0;
  warn_bad(warn, "LOCKINSTR_SIGNAL", v,
           "a signal name or number a program may catch (e.g. USR2)", "none");
  return 1;
}

int li_env_parse(struct li_config *cfg, li_getenv_fn *get, FILE *warn) {
  const char *ex;
  int n = 0;
  int ignored;
  memset(cfg, 0, sizeof *cfg);
  cfg->sample_rate = LI_DEFAULT_SAMPLE_RATE;
  cfg->output = strdup(LI_DEFAULT_OUTPUT);
  n += env_rate(cfg, get, warn);
  n += env_output(cfg, get, warn);
  n += env_bool("LOCKINSTR_QUIET", &cfg->quiet, &cfg->quiet_set, get, warn);
  n += env_bool("LOCKINSTR_SUMMARY", &cfg->summary, &cfg->summary_set, get,
                warn);
  n += env_bool("LOCKINSTR_DISABLE", &cfg->disable, &ignored, get, warn);
  n += env_interval(cfg, get, warn);
  n += env_signal(cfg, get, warn);
  ex = get("LOCKINSTR_EXCLUDE");
  if (ex && *ex)
    cfg->exclude = strdup(ex);
  return n;
}

int li_env_secure(void) {
  return getauxval(AT_SECURE) != 0;
}

const char *li_env_get(const char *name) {
  if (strncmp(name, LI_ENV_PREFIX, sizeof LI_ENV_PREFIX - 1) != 0 ||
      li_env_secure())
    return NULL;
  return secure_getenv(name);
}

/* 1 when the environment holds a LOCKINSTR_* variable (set or empty). */
static int env_has_ours(void) {
  char **e;
  for (e = environ; e && *e; e++)
    if (strncmp(*e, LI_ENV_PREFIX, sizeof LI_ENV_PREFIX - 1) == 0)
      return 1;
  return 0;
}

int li_env_load(struct li_config *cfg, FILE *warn) {
  int n = li_env_parse(cfg, li_env_get, warn);
  cfg->secure = li_env_secure();
  if (!cfg->secure || !env_has_ours())
    return n;
  if (warn)
    fputs("lockinstr: warning: setuid or setgid program: LOCKINSTR_* "
          "variables ignored, no profile unless the program asks\n",
          warn);
  return n + 1;
}

void li_env_free(struct li_config *cfg) {
  free(cfg->output);
  free(cfg->exclude);
  cfg->output = cfg->exclude = NULL;
}
