/* spell.h - "did you mean" for a mistyped word. */
#ifndef CONLINK_SPELL_H
#define CONLINK_SPELL_H

#include <stddef.h>

/* The name in NAMES closest to WORD within reach of a typo (case-blind
 * edit distance under 3 and under the name's length), or NULL. NAMES is a
 * NULL-terminated run of string pointers STRIDE bytes apart (sizeof(char *)
 * for a plain array; the size of a struct for a table's name field). */
const char *spell_closest(const char *word, const char *const *names, size_t stride);

/* " (did you mean 'X'?)" with spell_closest's X, or "" when nothing is
 * close: written into BUF (SPELL_HINT_MAX bytes) and returned, so a
 * message can always take it with %s. */
#define SPELL_HINT_MAX 64
const char *spell_hint(const char *word, const char *const *names, size_t stride,
		       char buf[SPELL_HINT_MAX]);

#endif
