#line 1 "kinds.h"
/* Custom API declarations of every shape (tests/config/kinds). */
#include <threads.h>
typedef struct { int v; } lk_t;
typedef void (*cb_t)(void);
void id_lock(int id);
void id_unlock(int id);
int cb_lock(lk_t *l, void (*cb)(void));
int cb_trylock(lk_t *l);
int cb_unlock(lk_t *l, cb_t cb);
int ow_lock(lk_t *l, const char *owner, long ms);
int ow_trylock(lk_t *l, const char *owner, long ms);
int ow_unlock(lk_t *l);
void wait_on(int *cond, lk_t *l);
int c11_lock(mtx_t *m);
int c11_trylock(mtx_t *m);
int c11_unlock(mtx_t *m);
void rd_lock(const lk_t *l);
void kr_lock();
void va_lock(lk_t *l, ...);
void init_it(lk_t *l);
