/*
 * suggest.h — the nearest known word to a mistyped one, for "did you
 * mean" in usage errors (suggest.c).
 */
#ifndef LI_SUGGEST_H
#define LI_SUGGEST_H

/* The name in `names` (NULL-terminated) nearest to `word` (compared up to
 * a '=', so "--formt=html" suggests "--format"), or NULL when none is
 * within 2 edits and less than half the word. */
const char *li_suggest(const char *word, const char *const *names);

#endif
