/* undo.h - a stack of undo steps: what the apply files made, undone in reverse.
 *
 * Each step names a function and its arguments; the namespace it acts in
 * is held (netns_hold) until the step has run.
 */
#ifndef CONLINK_UNDO_H
#define CONLINK_UNDO_H

struct undo_step;
typedef void undo_fn(const struct undo_step *s);

struct undo_step {
	undo_fn *fn;
	int ns;			/* held namespace fd, or -1 */
	char a[64], b[64];	/* names: interface, bridge, chain, ... */
	int i;
	struct undo_step *next;
};

struct undo {
	struct undo_step *top;
};

/* Push a step onto *U (allocating *U when NULL). NS is held (-1: none). */
void undo_push(struct undo **u, undo_fn *fn, int ns, const char *a, const char *b, int i);

/* Run every step of U, newest first, and free U. NULL is fine. */
void undo_run(struct undo *u);

#endif
