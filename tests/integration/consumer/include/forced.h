/* forced.h — included into every source with -include (a SHELL: option). */
#ifndef FORCED_H
#define FORCED_H
#define APP_FORCED 1
#endif
