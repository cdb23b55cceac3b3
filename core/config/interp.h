/* interp.h - compose-style ${VAR} interpolation of strings from the environment. */
#ifndef CONLINK_INTERP_H
#define CONLINK_INTERP_H

/* Look a variable up: its value, or NULL when unset. */
typedef const char *(*interp_lookup_fn)(const char *name, void *ctx);

/* Expand $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message},
 * ${VAR?message}, ${VAR:+alt}, ${VAR+alt} and $$ in s; defaults, messages
 * and alternatives are expanded themselves. A '$' followed by anything
 * else is kept. lookup NULL means getenv. On success *out is a new string
 * and 0 is returned; on failure -EINVAL and err_msg() says why ("VAR: msg"
 * for the ? forms, "invalid interpolation format ..." otherwise). */
int interp_string(const char *s, interp_lookup_fn lookup, void *ctx, char **out);

#endif
