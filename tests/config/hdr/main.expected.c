#line 1 "main.c"
/* Runs a.c and b.c; run.sh checks the profile (tests/config/hdr). */
#include <stdio.h>

void a_run(int k);
int b_run(int k);

int main(void) {
  a_run(3);
  printf("queue: %d\n", b_run(5));
  return 0;
}
