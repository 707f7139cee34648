/* qconf.h — found through -Iinclude. */
#ifndef QCONF_H
#define QCONF_H
#ifndef QUEUE_CAP
#error "QUEUE_CAP must come from the compile command"
#endif
#define QUEUE_ITEMS 2000
#endif
