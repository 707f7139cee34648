/* config.h — found through target_include_directories(app PRIVATE include). */
#ifndef CONFIG_H
#define CONFIG_H
#ifndef APP_WORKERS
#error "APP_WORKERS must come from target_compile_definitions"
#endif
#define APP_ROUNDS 1000
#endif
