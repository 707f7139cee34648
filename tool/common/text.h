/*
 * text.h — small text utilities of the rewriter, with no libclang: a growable
 * string buffer, C string-literal escaping, and a minimal C lexer that finds
 * the end of an identifier, the '(' after a callee name, and the extent of a
 * call argument (balanced brackets, strings, comments) in source text.
 */
#ifndef LI_TEXT_H
#define LI_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct li_buf {
  char *s;  /* NUL-terminated when non-NULL */
  size_t n; /* length, without the NUL */
  size_t cap;
};

/* Appends; on out of memory, aborts (the tool cannot go on without memory). */
void li_buf_add(struct li_buf *b, const char *s, size_t n);
void li_buf_puts(struct li_buf *b, const char *s);
void li_buf_printf(struct li_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) escaped for the inside of a C string literal: \ " ? and
 * control characters are escaped, any whitespace run holding a newline
 * becomes one space. */
void li_buf_cstr(struct li_buf *b, const char *s, size_t n);
void li_buf_free(struct li_buf *b);
/* Returns the buffer's string ("" if empty) and leaves b empty; caller frees.
 */
char *li_buf_take(struct li_buf *b);

/* Reads the whole file at path into *buf (NUL-terminated; caller frees) and
 * its length into *len. Returns 0, or -errno with *buf NULL and *len 0. */
int li_read_file(const char *path, char **buf, size_t *len);

/* xmalloc-style helpers: abort on out of memory. */
void *li_xmalloc(size_t n);
void *li_xrealloc(void *p, size_t n);
char *li_xstrdup(const char *s);
char *li_xstrndup(const char *s, size_t n);
char *li_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns the offset of the first byte at or after `at` that is not
 * whitespace, a comment or a backslash-newline (len if none). */
size_t li_skip_space(const char *s, size_t len, size_t at);

/* Returns the length of the identifier starting at s[at] (0 if none). */
size_t li_ident_len(const char *s, size_t len, size_t at);

/* Returns the offset just after identifier name (nl bytes) as spelled at
 * s[at], where line splices (a backslash and a newline) may cut it
 * (`pthread_mutex_un\<newline>lock`), and after the splices that follow
 * it; (size_t)-1 if the text there is not that identifier. */
size_t li_spliced_name_end(const char *s, size_t len, size_t at,
                           const char *name, size_t nl);

/* Returns the end of the call argument that starts at s[at]: the offset of the
 * first ',' or ')' at bracket depth 0, skipping strings, character
 * constants and comments; trailing whitespace is not included. Returns len
 * if there is none. */
size_t li_arg_end(const char *s, size_t len, size_t at);

/* Returns the start of the line holding s[at]: after the previous '\n'. */
size_t li_line_start(const char *s, size_t at);

/* If s[at] lies on a logical line (backslash continuations joined) that is a
 * `#define NAME` directive, returns the offset of NAME and stores its length;
 * else returns (size_t)-1. */
size_t li_define_at(const char *s, size_t len, size_t at, size_t *name_len);

/* A #define of the scanned text. */
struct li_macro {
  size_t name, name_len; /* offset and length of the macro's name */
  size_t body, end;      /* its replacement list: [body, end) */
};

/* Finds every `#define` of s[0..len); returns their number and a new array
 * in *out (caller frees). */
size_t li_scan_defines(const char *s, size_t len, struct li_macro **out);

/* A call written in a macro body: `name(` at name_off, '(' at paren_off. */
struct li_body_call {
  size_t name_off, paren_off;
  size_t macro;     /* index of the macro whose body holds it (in the
                       #defines of its text) */
  const char *text; /* the text holding it (the scanned one, or one the
                       lookup of li_body_calls_in gave) */
};

/* Returns 1 if the #define whose name is at offset `name` of text s was
 * read by the preprocessor, 0 if it lies in a skipped #if branch. */
typedef int (*li_macro_live)(const char *s, size_t name, void *arg);

/* A text and its #defines (li_scan_defines). */
struct li_macro_text {
  const char *s;
  size_t len;
  const struct li_macro *ms;
  size_t nm;
  li_macro_live live; /* NULL: every #define is live */
  void *live_arg;
};

/* Finds macro name[0..n), not defined in the text being scanned, in
 * another text: fills *t and returns the macro's index in t->ms, or
 * (size_t)-1. */
typedef size_t (*li_macro_lookup)(const char *name, size_t n, void *arg,
                                  struct li_macro_text *t);

/* Lists, in expansion order, the calls `fn(` that expanding macro number m
 * produces from macro bodies of this text: its own body, and the bodies of
 * the text's macros it uses (recursively, depth-limited). Only definitions
 * before offset `before` are used (all of them live). Returns their number;
 * *out is a new array (caller frees). */
size_t li_body_calls(const char *s, size_t len, const struct li_macro *ms,
                     size_t nm, size_t m, const char *fn, size_t before,
                     struct li_body_call **out);

/* Lists every `name(` written in the body of mac itself (not in strings
 * or comments; `(name)(` too; not after # or ##): name_off and paren_off
 * of each, in text order, macro = 0. Returns their number; *out is a new
 * array (caller frees). */
size_t li_body_called(const char *s, const struct li_macro *mac,
                      struct li_body_call **out);

/* li_body_calls over text t, also following macros of other texts that
 * lookup finds (NULL: none), whose definitions before their end count;
 * only live definitions (t->live) are followed. */
size_t li_body_calls_in(const struct li_macro_text *t, size_t m, const char *fn,
                        size_t before, li_macro_lookup lookup, void *arg,
                        struct li_body_call **out);

/* Returns the index of the last live macro (t->live) named name[0..n)
 * defined in t before offset `before`, or (size_t)-1: of a macro defined
 * in several #if branches, the one the preprocessor read. */
size_t li_find_live_macro(const struct li_macro_text *t, const char *name,
                          size_t n, size_t before);
/* The same in a text whose #defines all count. */
size_t li_find_macro(const char *s, const struct li_macro *ms, size_t nm,
                     const char *name, size_t n, size_t before);

/* Returns text (written in the body of function-like macro mac) with each
 * of the macro's parameters replaced by the argument text of the macro's
 * use whose name starts at s[use]: for `#define L(a) f(&(a)->mu)` used as
 * `L(acct)`, "&(a)->mu" becomes "&(acct)->mu". Returns NULL if mac is not
 * function-like, the use has no argument list, or text uses # or ##.
 * Caller frees. */
char *li_macro_subst(const char *s, size_t len, const struct li_macro *mac,
                     size_t use, const char *text);
/* The same, for a macro defined in another text: mac is in ds[0..dlen),
 * the use at s[use] in s[0..len). */
char *li_macro_subst_in(const char *ds, size_t dlen, const struct li_macro *mac,
                        const char *s, size_t len, size_t use,
                        const char *text);

/* Decodes one UTF-8 sequence at s (n > 0 bytes available). Returns its
 * length and stores the code point in *cp, or returns 0 if the sequence is
 * invalid (overlong, surrogate, out of range, truncated). */
size_t li_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Returns a copy of s (new string) that is valid UTF-8: each byte that
 * starts no valid sequence becomes U+FFFD, as the runtime writes such
 * bytes in a profile (runtime/json.c), so --list-sites and a profile
 * name a site alike. */
char *li_utf8_fix(const char *s);

#endif /* LI_TEXT_H */
