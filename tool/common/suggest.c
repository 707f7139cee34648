/*
 * suggest.c — "did you mean" for the command lines: the known word
 * nearest to a mistyped one, by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours each cost 1). A suggestion is made
 * only when it is close enough to be the likely intent: at most 2 edits,
 * and fewer than half the word.
 */
#include "suggest.h"

#include <string.h>

#define LI_SUGGEST_MAX 64 /* longer words get no suggestion */

/* The optimal string alignment distance between a and b (both shorter
 * than LI_SUGGEST_MAX). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb) {
  size_t d[LI_SUGGEST_MAX + 1][LI_SUGGEST_MAX + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

const char *li_suggest(const char *word, const char *const *names) {
  size_t lw = strcspn(word, "="), best_d = (size_t)-1;
  const char *best = NULL;
  if (lw >= LI_SUGGEST_MAX)
    return NULL;
  for (size_t i = 0; names[i] != NULL; i++) {
    size_t ln = strlen(names[i]);
    if (ln >= LI_SUGGEST_MAX)
      continue;
    size_t d = distance(word, lw, names[i], ln);
    if (d < best_d) {
      best_d = d;
      best = names[i];
    }
  }
  return best_d <= 2 && 2 * best_d < lw ? best : NULL;
}
