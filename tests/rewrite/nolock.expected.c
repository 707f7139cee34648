/* No lock call: copied through byte for byte. */
#include <stdio.h>

int no_lock(void) { return puts("pthread_mutex_lock(&m) is only text here"); }
