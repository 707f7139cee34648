/*
 * reserve.c — anonymous mappings for arrays that are mostly never written
 * (reserve.h). Sizes are rounded up to whole pages here, so callers pass the
 * bytes they use and get the same rounding on every call.
 */
/* mremap, MAP_NORESERVE and MADV_NOHUGEPAGE need _GNU_SOURCE (CMake). */
#include "reserve.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

size_t li_reserve_page_size(void) {
  static size_t page;
  size_t p = __atomic_load_n(&page, __ATOMIC_RELAXED);
  if (!p) {
    long v = sysconf(_SC_PAGESIZE);
    p = v > 0 ? (size_t)v : 4096;
    __atomic_store_n(&page, p, __ATOMIC_RELAXED);
  }
  return p;
}

/* `bytes` rounded up to whole pages (0 on overflow). */
static size_t pages_of(size_t bytes) {
  size_t page = li_reserve_page_size();
  if (bytes > (size_t)-1 - page)
    return 0;
  return (bytes + page - 1) / page * page;
}

/* One page per first write, also where transparent huge pages are on
 * ("always"): a huge page would commit 2 MiB for one counter. A mapping
 * smaller than a huge page cannot hold one: no system call for it. */
#define LI_HUGE_PAGE ((size_t)2 << 20)
static void small_pages(void *p, size_t len) {
#ifdef MADV_NOHUGEPAGE
  if (len >= LI_HUGE_PAGE)
    (void)madvise(p, len, MADV_NOHUGEPAGE);
#else
  (void)p;
  (void)len;
#endif
}

void *li_reserve(size_t bytes) {
  size_t len = pages_of(bytes);
  void *p;
  if (!len)
    return NULL;
  p = mmap(NULL, len, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  small_pages(p, len);
  return p;
}

void *li_reserve_resize(void *p, size_t old, size_t bytes) {
  size_t from = pages_of(old), to = pages_of(bytes);
  void *q;
  if (!to)
    return NULL;
  if (from == to)
    return p;
  q = mremap(p, from, to, MREMAP_MAYMOVE);
  if (q == MAP_FAILED)
    return NULL;
  small_pages(q, to);
  return q;
}

void li_reserve_free(void *p, size_t bytes) {
  if (p)
    (void)munmap(p, pages_of(bytes));
}

void li_reserve_zero(void *p, size_t bytes) {
  if (p)
    (void)madvise(p, pages_of(bytes), MADV_DONTNEED);
}

unsigned char *li_reserve_pages(const void *p, size_t bytes) {
  size_t len = pages_of(bytes);
  unsigned char *vec;
  if (!p || !len)
    return NULL;
  vec = malloc(len / li_reserve_page_size());
  if (vec && mincore((void *)(uintptr_t)p, len, vec) != 0) {
    free(vec);
    vec = NULL;
  }
  return vec;
}

size_t li_reserve_resident(const void *p, size_t bytes) {
  size_t page = li_reserve_page_size(), n = pages_of(bytes) / page, i;
  size_t resident = 0;
  unsigned char *vec = li_reserve_pages(p, bytes);
  if (!vec)
    return 0;
  for (i = 0; i < n; i++)
    resident += (vec[i] & 1) ? page : 0;
  free(vec);
  return resident;
}
