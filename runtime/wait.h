/*
 * wait.h — what each thread is waiting for right now.
 *
 * Just before the blocking call of a contended acquisition (an ACQUIRE or
 * TIMED wrapper whose try failed), the thread publishes the lock, the
 * site and the clock tick it began waiting at (li_wait_begin, which
 * returns that tick as the wait's t0); li_waited withdraws it when the
 * call returns. Other threads read it while it may change: a dump's live
 * section, holder attribution, a watchdog. So the record is a sequence
 * lock: the owner makes `seq` odd, stores the fields, makes it even
 * again; a reader copies the fields between two equal even reads of
 * `seq` (li_wait_read) and otherwise reports that it could not. The
 * owner never waits for a reader, and a reader never blocks: both are
 * safe from any thread at any time, a signal handler included.
 *
 * Cost: only the contended path pays (one call before it blocks, a few
 * stores); the uncontended path is untouched.
 */
#ifndef LI_WAIT_H
#define LI_WAIT_H

struct li_thread;

/* The published record; lives in struct li_thread_ext. */
struct li_wait {
  unsigned int seq;         /* odd while the owner writes */
  unsigned int site;        /* site id (0: not waiting) */
  void *lock;               /* the lock waited on (NULL: not waiting) */
  unsigned long long since; /* clock tick the wait began at */
};

/* A consistent copy of a record. */
struct li_wait_now {
  unsigned int site;
  void *lock;
  unsigned long long since;
};

/* Withdraws the calling thread's record (after the blocking call
 * returned). t may be NULL (nothing published). */
void li_wait_end(struct li_thread *t);

/* Copies *w into *out. Returns 1 when the thread is waiting (out filled),
 * 0 when it is not or the record kept changing (a few tries). */
int li_wait_read(const struct li_wait *w, struct li_wait_now *out);

#endif /* LI_WAIT_H */
