/*
 * jstream.h — reading a JSON document as a stream of values.
 *
 * A profile can be hundreds of megabytes, mostly one long "sites" array.
 * Parsing it whole into a jansson tree costs about fifteen times its size,
 * so the reader walks the outer structure itself ({ "key": value, ... } and
 * the elements of the big arrays) and hands each element, as raw text, to
 * jansson: memory is one element, not one document. This file is the
 * tokenizer for that outer walk: whitespace, single structural bytes, and
 * the extent of one value (strings and nested brackets are followed, the
 * syntax inside is left to jansson). Input comes from a file descriptor
 * through a fixed buffer and stops at a byte cap, so neither a huge file nor
 * an endless pipe can grow memory. Positions are counted like jansson's:
 * lines from 1, columns in characters (UTF-8 lead bytes) from 1.
 */
#ifndef LI_REPORT_JSTREAM_H
#define LI_REPORT_JSTREAM_H

#include <stddef.h>

#ifndef LI_JS_BUFSIZE
#define LI_JS_BUFSIZE 65536
#endif

/* A growing byte buffer. */
struct li_rep_jbuf {
  char *p;
  size_t n, cap;
};

struct li_js {
  int fd;
  size_t max;   /* bytes allowed in all */
  size_t total; /* bytes read so far */
  int too_big;  /* the cap was reached and more input followed */
  int err;      /* errno of a failed read, or 0 */
  int eof;
  unsigned char buf[LI_JS_BUFSIZE];
  size_t pos, len;
  unsigned long line, col; /* of the last byte consumed (col 0 = none) */
};

/* Starts reading fd (not closed here), allowing at most max bytes. */
void li_rep_js_init(struct li_js *s, int fd, size_t max);

/* The next byte without consuming it, or -1 at the end of input, on a read
 * error (s->err) or at the cap (s->too_big). */
int li_rep_js_peek(struct li_js *s);

/* Consumes and returns the next byte, or -1 as li_rep_js_peek. */
int li_rep_js_get(struct li_js *s);

/* Skips JSON whitespace; returns the next byte (not consumed) or -1. */
int li_rep_js_skip_ws(struct li_js *s);

/* Result of li_rep_js_value. */
enum li_js_rc {
  LI_JS_OK = 0,
  LI_JS_END = -1,      /* input ended (or failed) inside the value */
  LI_JS_TOO_LONG = -2, /* the value is longer than cap bytes */
  LI_JS_NOMEM = -3     /* out could not grow */
};

/*
 * Consumes one value starting at the next non-space byte: a string, an
 * object or array up to its matching bracket, or a scalar up to the next
 * delimiter. Appends its text to out (NULL: skip it) when it fits in cap
 * bytes. Returns an li_js_rc; on LI_JS_TOO_LONG the rest of the value is
 * still consumed. Nesting depth is a counter, not recursion.
 */
int li_rep_js_value(struct li_js *s, struct li_rep_jbuf *out, size_t cap);

/* Reads the next token (a string or a run of non-delimiters, at most n - 1
 * bytes) into out for an error message ("near '...'"). */
void li_rep_js_near(struct li_js *s, char *out, size_t n);

void li_rep_jbuf_free(struct li_rep_jbuf *b);

/*
 * Profiles hold counts up to 2^64 - 1 (the runtime's counters are
 * unsigned and saturate there), but jansson's integers stop at 2^63 - 1.
 * In the text p[0..n) of one value, rewrites each integer v in
 * [2^63, 2^64) as the negative -1 - (v - 2^63), padded with blanks to v's
 * own length (positions in messages do not move), unless the text holds a
 * '-' outside strings: then nothing is rewritten (a negative number stays
 * the error it is) and it returns -1. Returns 1 if it rewrote any:
 * negative integers in the parsed value then stand for those
 * (li_rep_walk.wide in walk.h); else 0.
 */
int li_rep_js_wide_ints(char *p, size_t n);

#endif /* LI_REPORT_JSTREAM_H */
