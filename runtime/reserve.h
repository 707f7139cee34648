/*
 * reserve.h — zeroed arrays that cost memory only where they are written.
 *
 * A thread's counter arrays are indexed by site id, so the inline wrappers
 * find a counter with one bounds check and one indexed add (lockinstr.h).
 * Allocated with malloc and zeroed, such an array costs every thread 48
 * bytes for every site of the program, used or not (8,000 sites: 887 KiB
 * per thread). A reservation is the same flat array in an anonymous private
 * mapping (MAP_NORESERVE, no transparent huge pages): the kernel gives a
 * page of zeroes on its first write, and a read of a page never written
 * maps the shared zero page, so a thread's resident memory grows by one
 * 4 KiB page per page of ids it counts in, whatever the number of sites.
 * Creating one is a single mmap (no zeroing, no copy); growing one moves
 * its pages with mremap (no copy either).
 *
 * None of these functions is async-signal-safe; all are thread-safe (they
 * are system calls on the caller's own mapping).
 */
#ifndef LI_RESERVE_H
#define LI_RESERVE_H

#include <stddef.h>

/* A zeroed reservation of `bytes` (> 0), page-aligned, or NULL. */
void *li_reserve(size_t bytes);

/* Grows (or shrinks) reservation p of `old` bytes to `bytes`, keeping its
 * first min(old, bytes) bytes; the rest reads as zeroes. Returns the new
 * address (p moves when it cannot grow in place), or NULL, p unchanged. */
void *li_reserve_resize(void *p, size_t old, size_t bytes);

/* Releases reservation p of `bytes` (NULL: nothing). */
void li_reserve_free(void *p, size_t bytes);

/* Zeroes reservation p of `bytes` and gives its pages back to the system
 * (they read as zeroes and cost nothing again until written). */
void li_reserve_zero(void *p, size_t bytes);

/* The residency of reservation p (`bytes` long): one byte per page, bit 0
 * set for a page that is resident (written, or read), malloc'ed; NULL for
 * NULL, out of memory, or when the system cannot say. */
unsigned char *li_reserve_pages(const void *p, size_t bytes);

/* The page size the reservations are made of. */
size_t li_reserve_page_size(void);

/* Bytes of reservation p (`bytes` long) that are resident: the pages that
 * were written (or read). 0 for NULL or when the system cannot say. */
size_t li_reserve_resident(const void *p, size_t bytes);

#endif
