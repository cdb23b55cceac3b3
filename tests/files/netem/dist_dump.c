/* dist_dump.c - print conlink's built-in netem distribution table NAME
 * (core/nl/netem_dist.c), one value a line, for tests/plain/netem-dist.bats
 * to compare with iproute2's NAME.dist. */
#include <stdio.h>

#include "netem.h"

int main(int argc, char **argv)
{
	const int16_t *t;
	int n;

	if (argc != 2 || netem_dist_builtin(argv[1], &t, &n) < 0) {
		fprintf(stderr, "dist_dump: no built-in table '%s'\n", argc > 1 ? argv[1] : "");
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("%d\n", t[i]);
	return 0;
}
