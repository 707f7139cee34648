/* other.h — included by src/other.c only. */
#define OTHER_ROUNDS 4
