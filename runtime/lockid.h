/*
 * lockid.h — lock instances: the identity of a lock at run time (issue #14).
 *
 * A site's class comes from its source expression. Where that expression
 * says nothing about which lock it is — a pointer parameter (`fn:m`), a
 * local, a call result or any other fallback (`get_lock(i) @ a.c:51`): a
 * "weak" class — the lock-order graph keys the edge by the lock instance
 * instead (order.c). An instance is a lock address in one life: an init or
 * a destroy at that address ends the life, so the lock next taken there
 * is a new instance and never joins the edges of the old one.
 *
 * Each instance carries the best name any site gave it: a site with a
 * strong class (a global, a struct field, an array) that initialised it or
 * took it while an edge was recorded. An instance no strong site named is
 * shown as the class of the first site that took it plus its number.
 *
 * The table: open addressing by address (2 * LI_LOCKIDS_MAX slots, linear
 * probing, slots never freed: a destroyed lock's slot stays as a tombstone
 * that the next life at that address reuses) and LI_LOCKIDS_MAX instance
 * records, allocated at first use (calloc: pages are touched only as they
 * fill). Lookups are lock-free; an insertion or an init/destroy takes
 * li_lock. A fork child keeps the table: its locks are copies at the same
 * addresses. At the bound (LI_LOCKIDS_MAX addresses, or instances, in the
 * life of the process) a new lock gets no instance: its edges fall back to the
 * site classes, as before issue #14, and each such edge acquisition is counted
 * (lock_order.instances_dropped in the profile).
 */
#ifndef LI_LOCKID_H
#define LI_LOCKID_H

#ifndef LI_LOCKIDS_MAX
#define LI_LOCKIDS_MAX 16384u /* lock addresses and instances tracked */
#endif

/* 1 when class (a site's lock_class) is weak: a parameter or automatic
 * local (`fn:m`) or the expression fallback (`expr @ file:line`). NULL and
 * "" are not weak (hand-made sites keep their site-level edges). */
int li_class_weak(const char *cls);

/* Returns the instance number (>= 1) of the lock at `lock`, creating it if
 * the address has none (first taken at site id `site`); 0 when the table
 * is full or cannot be allocated (counted by li_lockid_drop's caller).
 * `name`, if not 0, is a strong site id that took the lock: it names the
 * instance if nothing named it yet. Thread-safe; lock-free when the
 * instance exists; takes li_lock to create one. Leaves errno as it was. */
unsigned int li_lockid_get(const void *lock, unsigned int site,
                           unsigned int name);

/* An init (born = 1) or a destroy (born = 0) at `lock`: ends the current
 * instance at that address, if any. An init by strong site id `name` (0:
 * none) names the address's next instance (and only such an init makes a
 * slot for an address). Takes li_lock; thread-safe. */
void li_lockid_lifecycle(const void *lock, unsigned int name, int born);

/* The names of instance inst (>= 1): *name, the strong site that named it
 * (0: none); *first, the site that first took it. Any thread. */
void li_lockid_names(unsigned int inst, unsigned int *name,
                     unsigned int *first);

/* Counts one edge acquisition recorded by site class because an instance
 * could not be had; li_lockid_dropped() reads the count, and
 * li_lockid_zero() (reset) sets it to 0. */
void li_lockid_drop(void);
unsigned long long li_lockid_dropped(void);
void li_lockid_zero(void);

#endif
