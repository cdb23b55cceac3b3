/* fuzz_template.c - libFuzzer target: template_expand (copy -T's {{VAR}}
 * tokens), with a few variables set. Nothing replaced: the output is the
 * input; else it is as long as the input with each token's length swapped
 * for its value's. */
#include <stdlib.h>

#include "fuzz.h"
#include "template.h"

struct count {
	size_t replaced_len, value_len;
	long n;
};

static void report(void *ctx, const char *name, const char *value, unsigned count)
{
	struct count *c = ctx;

	c->replaced_len += (strlen(name) + 4) * count;
	c->value_len += strlen(value) * count;
	c->n += count;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("A", "1", 1);
	setenv("EMPTY", "", 1);
	setenv("LONG", "a value longer than its token {{A}} (not expanded again)", 1);
	setenv("X_Y", "{{", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct count c = { 0 };
	char *out;
	size_t out_len;
	long n = template_expand((const char *)data, size, &out, &out_len, report, &c);

	FUZZ_ASSERT(n >= 0, "%ld", n);
	FUZZ_ASSERT(n == c.n, "%ld replaced, %ld reported", n, c.n);
	FUZZ_ASSERT(out_len == size - c.replaced_len + c.value_len, "length %zu of %zu",
		    out_len, size);
	if (!n)
		FUZZ_ASSERT(!memcmp(out, data, size), "nothing replaced, output differs");
	free(out);
	return 0;
}
