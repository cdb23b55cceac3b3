/* spell.h - "did you mean" for a mistyped word. */
#ifndef CONLINK_SPELL_H
#define CONLINK_SPELL_H

#include <stddef.h>

/* The name in NAMES closest to WORD within reach of a typo (case-blind
 * edit distance under 3 and under the name's length), or NULL. NAMES is a
 * NULL-terminated run of string pointers STRIDE bytes apart (sizeof(char *)
 * for a plain array; the size of a struct for a table's name field). */
const char *spell_closest(const char *word, const char *const *names, size_t stride);

#endif
