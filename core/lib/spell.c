/* spell.c - "did you mean": the closest known name to a typo. */
#include <stdio.h>
#include <ctype.h>
#include <string.h>

#include "spell.h"

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						    tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*cur));
	}
	return prev[lb];
}

const char *spell_closest(const char *word, const char *const *names, size_t stride)
{
	const char *best = NULL;
	size_t bestd = 3;

	for (const char *const *n = names; *n; n = (const char *const *)((const char *)n + stride)) {
		size_t d = edit_distance(word, *n);

		if (d < bestd && d < strlen(*n)) {
			bestd = d;
			best = *n;
		}
	}
	return best;
}

const char *spell_hint(const char *word, const char *const *names, size_t stride,
		       char buf[SPELL_HINT_MAX])
{
	const char *c = spell_closest(word, names, stride);

	if (!c)
		return "";
	snprintf(buf, SPELL_HINT_MAX, " (did you mean '%.40s'?)", c);
	return buf;
}
