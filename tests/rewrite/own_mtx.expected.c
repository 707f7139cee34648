#line 1 "own_mtx.c"
/* A project with its own mtx_lock (not C11's): never matched. */
struct my_mtx {
  int held;
};

int mtx_lock(struct my_mtx *m);
int mtx_lock(struct my_mtx *m) { return m->held++; }

int own(struct my_mtx *m) { return mtx_lock(m); }
