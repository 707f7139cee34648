/*
 * fuzz_profile.c — libFuzzer target for the profile reader of `lockinstr
 * report` (issue #7).
 *
 * Each input is one profile file. It is read twice into one accumulator
 * (the second read merges into the first, so the merge and the edge id
 * remapping run too), with a 1 MiB --max-input so the size cap is hit
 * often; when it reads, every output except pprof is rendered to
 * /dev/null: the text tables, the JSON writer, the HTML page and the DOT
 * graph, which run the lock-order analysis (cycles, ranking), the name
 * sanitizer and the escapers on whatever the fuzzer made. A crash, a leak,
 * undefined behaviour or a run over -rss_limit_mb is a finding.
 * Input reaches the reader through a memfd, as a file would.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "outputs.h"
#include "profile.h"

static FILE *devnull;

/* Reads data (size bytes) into p through a memfd. 0 on success. */
static int read_into(struct li_profile *p, const uint8_t *data, size_t size) {
  static const struct li_load_opts opts = {(size_t)1 << 20, 1};
  struct li_err err;
  int fd = memfd_create("profile", MFD_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = -1;
  if (size == 0 || write(fd, data, size) == (ssize_t)size) {
    lseek(fd, 0, SEEK_SET);
    rc = li_rep_profile_add_fd(p, fd, "fuzz.json", &opts, &err);
  }
  close(fd);
  return rc;
}

static void render(const struct li_profile *p) {
  struct li_report r = {p, {LI_BY_SITE, LI_SORT_WAIT, 20, 0}, 1, 50, 0};
  struct li_err err;
  li_rep_write_text(devnull, &r, &err);
  li_rep_write_json(devnull, &r, &err);
  li_rep_write_html(devnull, &r, &err);
  li_rep_write_dot(devnull, &r, &err);
  r.view.by = LI_BY_CLASS;
  li_rep_write_text(devnull, &r, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct li_profile p;
  if (devnull == NULL)
    devnull = fopen("/dev/null", "w");
  if (devnull == NULL || li_rep_profile_init(&p) != 0)
    return 0;
  if (read_into(&p, data, size) == 0 && read_into(&p, data, size) == 0)
    render(&p);
  li_rep_profile_free(&p);
  return 0;
}
