/* A UTF-8 BOM (dropped: the prologue goes first) and no final newline. */
#include <pthread.h>

pthread_mutex_t bom_lock = PTHREAD_MUTEX_INITIALIZER;

int bom(void) { return pthread_mutex_lock(&bom_lock); }