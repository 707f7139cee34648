/* Included inside a function body (body_include.c): its copy cannot hold
 * the prologue (wrapper definitions, the site table), so it is copied
 * unchanged and its calls are noted. */
#define BODY_LOCK(m) pthread_mutex_lock(m)
  BODY_LOCK(&bi_m);
  pthread_mutex_unlock(&bi_m);
