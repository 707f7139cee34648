/* other.c — bump() OTHER_ROUNDS times. */
#include "locks.h"
#include "other.h"

long other_work(void) {
  long v = 0;
  for (int i = 0; i < OTHER_ROUNDS; i++)
    bump(&v);
  return v;
}
