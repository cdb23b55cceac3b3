/* template.h - {{NAME}} token replacement from the environment (copy -T).
 *
 * A token is "{{" NAME "}}" with NAME non-empty and free of whitespace,
 * braces, '=' and NUL. A token whose variable is set (even to "") becomes its
 * value; any other byte, unset tokens included, is passed through unchanged,
 * so binary files survive templating. */
#ifndef CONLINK_TEMPLATE_H
#define CONLINK_TEMPLATE_H

#include <stddef.h>

/* Called once per distinct NAME replaced, in order of first occurrence,
 * with its value and how many times it was replaced. */
typedef void template_report_fn(void *ctx, const char *name, const char *value,
				unsigned count);

/* Expand the tokens in IN[0..LEN) into a new malloc'd buffer *OUT (length
 * *OUT_LEN, not NUL-terminated). Returns the number of tokens replaced, or
 * -ENOMEM. REPORT may be NULL. */
long template_expand(const char *in, size_t len, char **out, size_t *out_len,
		     template_report_fn *report, void *ctx);

#endif
