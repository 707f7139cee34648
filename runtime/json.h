/*
 * json.h — the few JSON primitives the profile writer needs, on a stdio
 * stream.
 */
#ifndef LI_JSON_H
#define LI_JSON_H

#include <stdio.h>

/* Writes s as a JSON string literal: quotes, backslashes and control
 * characters escaped; each byte of invalid UTF-8 (stray continuation
 * bytes, overlong forms, surrogates, truncated sequences, > U+10FFFF)
 * replaced by U+FFFD. NULL writes "". */
void li_json_string(FILE *f, const char *s);

/* Writes "key": with the key escaped. */
void li_json_key(FILE *f, const char *key);

#endif
