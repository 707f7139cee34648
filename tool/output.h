/*
 * output.h — writing output files atomically: each file is written to a
 * temporary file in its target directory and renamed over the target, so a
 * reader (or a build) never sees a partial file. Temporary files still in
 * flight are removed if the process is stopped by SIGINT, SIGTERM or SIGHUP.
 */
#ifndef LI_OUTPUT_H
#define LI_OUTPUT_H

#include <stddef.h>

/* Installs the signal handlers that remove temporary files, and records
 * the umask. Call once, before any thread starts. */
void li_output_init(void);

/* Writes data[0..len) to path (creating its directories), through a
 * temporary file and rename. Thread-safe. Returns 0, or -errno with nothing
 * left behind. */
int li_write_atomic(const char *path, const char *data, size_t len);

#endif /* LI_OUTPUT_H */
