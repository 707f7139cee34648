/* Uses of a project header's lock macros (see hdr_lock.h): each use is a
 * site of this file, at the line of the use, in the function using it;
 * also through a macro of this file. */
#include "hdr_lock.h"

#define A_LOCKED(stmt)                                                        \
  do {                                                                         \
    HL_LOCK(&hl_a.mu);                                                         \
    stmt;                                                                      \
    HL_UNLOCK(&hl_a.mu);                                                       \
  } while (0)

struct hl_stat hl_a = {PTHREAD_MUTEX_INITIALIZER, 0};

void hl_first(void) {
  HL_LOCK(&hl_a.mu);
  hl_a.n++;
  HL_UNLOCK(&hl_a.mu);
}

void hl_second(void) {
  HL_STAT_INC(&hl_a);
  hl_bump(&hl_a);
}

void hl_third_a(void) {
  A_LOCKED(hl_a.n += 2);
}
