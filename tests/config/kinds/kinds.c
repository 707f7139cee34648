/* Calls of every custom API kind, in several expression contexts. */
#include "kinds.h"
static lk_t l;
static mtx_t m;
static int cond;
static void cb(void) {}
int use(int n) {
  id_lock(n); id_unlock(n);
  if (cb_lock(&l, cb) == 0) cb_unlock(&l, cb);
  while (ow_lock(&l, "me", 10)) ;
  ow_unlock(&l);
  wait_on(&cond, &l);
  return c11_lock(&m) == thrd_success ? c11_unlock(&m) : -1;
}
void more(void) { rd_lock(&l); kr_lock(); va_lock(&l, 1); init_it(&l); }
/* A program's own macros named like the words of lockinstr's tables: the
 * wrappers of the epilogue, after this line, must not expand them. */
#define NONE not_a_word_of_lockinstr
#define ZERO not_a_word_of_lockinstr
#define THRD not_a_word_of_lockinstr
#define EXCL not_a_word_of_lockinstr
#define READ not_a_word_of_lockinstr
#define ACQUIRE not_a_word_of_lockinstr
#define TRY not_a_word_of_lockinstr
#define RELEASE not_a_word_of_lockinstr
#define INIT not_a_word_of_lockinstr
#define CONFIG not_a_word_of_lockinstr
#define TABLE not_a_word_of_lockinstr
