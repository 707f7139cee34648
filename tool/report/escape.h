/*
 * escape.h — rendering names from a profile safely.
 *
 * A profile is input we did not write: a function name, lock expression or
 * file name may contain terminal control sequences, bidirectional-override
 * characters ("Trojan Source") or HTML. Every name goes through
 * li_rep_sanitize() before it is printed anywhere, and through
 * li_rep_html_escape() as well before it goes into HTML. Both return a new
 * malloc'd string (NULL only when out of memory) and are thread-safe.
 */
#ifndef LI_REPORT_ESCAPE_H
#define LI_REPORT_ESCAPE_H

#include <stddef.h>

/*
 * Copies s, replacing C0 controls and DEL with \xNN, C1 controls and the
 * bidirectional formatting characters (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069) with \uNNNN, and bytes that are not valid UTF-8 with \xNN.
 * Printable text, including non-ASCII letters, is kept as is.
 */
char *li_rep_sanitize(const char *s);

/* Copies s with & < > " ' replaced by HTML character references. */
char *li_rep_html_escape(const char *s);

/* li_rep_html_escape(li_rep_sanitize(s)). */
char *li_rep_html_name(const char *s);

/* Number of terminal columns s takes, counting one per code point. */
size_t li_rep_text_width(const char *s);

#endif /* LI_REPORT_ESCAPE_H */
