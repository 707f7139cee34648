/*
 * helpers.h — shared helpers of the runtime tests: dumping and parsing a
 * profile (jansson), finding a site in it, reading a number by a dotted
 * path, running this test binary again as a child process with extra
 * environment, and small timing utilities.
 *
 * Tests call the wrappers by hand with static site tables written as the
 * rewriter would emit them; a site is found in the profile by its api and
 * line, so each test gives its sites distinct lines.
 */
#ifndef LI_TEST_HELPERS_H
#define LI_TEST_HELPERS_H

#include <jansson.h>

/* Writes a profile with lockinstr_dump() to a temporary file, parses it
 * and deletes the file. Fails the test if either step fails. */
json_t *t_dump(void);

/* Parses the profile at path (fails the test if it cannot). */
json_t *t_load(const char *path);

/* The site object with this api and line, or NULL. */
json_t *t_site(json_t *profile, const char *api, unsigned int line);

/* The integer at a dotted path under obj ("hold.samples", "dropped.sites");
 * fails the test if it is missing or not an integer. */
unsigned long long t_u64(json_t *obj, const char *path);

/* Like t_u64 on t_site(profile, api, line); fails if the site is missing. */
unsigned long long t_site_u64(json_t *profile, const char *api,
                              unsigned int line, const char *path);

/* Runs /proc/self/exe with argv[1] = mode and the extra "NAME=value"
 * entries (NULL-terminated) added to the environment; waits for it.
 * Returns its exit status (or 128 + signal); its stderr is returned in
 * *err (malloc'ed, may be NULL if not wanted). */
int t_run_child(const char *mode, const char *const *env, char **err);

/* A fresh temporary directory (malloc'ed path). */
char *t_tmpdir(void);

/* CLOCK_MONOTONIC ns, and sleeping for ns. */
unsigned long long t_now(void);
void t_sleep_ns(unsigned long long ns);

/* The relative difference |a - b| / b. */
double t_rel(double a, double b);

#endif
