/* owner.h - what this conlink instance owns, found again after a crash.
 *
 * The mark: every interface conlink makes carries the alias
 * "conlink:INSTANCE" (IFLA_IFALIAS; --instance, see conlink.h), and the
 * ones in its long-lived namespaces an interface group derived from the
 * instance name (ns_sockets.c), so the next life finds them. The nft
 * table "conlink" is ours by name (nat.c replaces it on first touch).
 *
 * A new life reconciles with what a previous one left:
 *   owner_start   lists our marked interfaces in conlink's own and the
 *                 host namespace: all stale until claimed;
 *   owner_bridge_claim  a configured bridge of ours and of the same kind
 *                 is adopted, one of ours that differs is replaced, one
 *                 without our mark is someone else's (an error upstream
 *                 gives too);
 *   owner_purge   every stale one not adopted goes, in one batch (one
 *                 kernel unregister for all: veths, tunnels, with their
 *                 container ends): links are replaced, not adopted;
 *   owner_container_clean  when a container is linked, our marked
 *                 devices in it that this life did not make go (the ones
 *                 its plan makes again count as replaced), and a stale
 *                 nft table;
 *   owner_report  one line of counts at the sources' initial report.
 * Interfaces without our exact mark are never touched.
 */
#ifndef CONLINK_OWNER_H
#define CONLINK_OWNER_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "link.h"
#include "nl.h"
#include "undo.h"

/* Set the instance name (never NULL): the mark is "conlink:INSTANCE". */
void owner_init(const char *instance);

/* The mark, for link_req.alias and link_alias_batch. */
const char *owner_alias(void);

/* A seed of the interface group: the same for the same instance. */
uint32_t owner_group_seed(void);

/* True when LI carries our mark exactly. */
bool owner_is_ours(const struct link_info *li);

/* List our marked interfaces in SELF_NS and HOST_NS (-1: none; the same
 * namespace counted once), and drop a stale nft table in SELF_NS. 0 or
 * -errno. */
int owner_start(int self_ns, int host_ns);

/* Before bridge NAME of MODE is made in NS (NL: its socket): 0 when the
 * name is free (a bridge of ours that differs was deleted), 1 when ours
 * of that kind is there (adopted; *ifindex set), -EEXIST when an
 * interface without our mark has the name (no message: the caller's). */
int owner_bridge_claim(struct nl *nl, int ns, const char *name, const char *mode,
		       int *ifindex);

/* Remove every stale interface owner_start listed and nothing adopted,
 * one batch per namespace. */
void owner_purge(void);

/* This life made (or adopted) NAME in NS: the container clean leaves it,
 * and a name a previous life had counts as replaced. Pushes onto *U the
 * step that forgets it when it is undone. */
void owner_made(struct undo **u, int ns, const char *name);

/* Container namespace NS is about to get LINKS_A and LINKS_B (enriched
 * links, "dev" each; either NULL): remove our marked interfaces there
 * that this life did not make, and a conlink nft table no link of this
 * life uses. NS < 0: nothing. */
void owner_container_clean(int ns, const json_t *links_a, const json_t *links_b);

/* Log what this start found of a previous life (nothing when none). */
void owner_report(void);

void owner_free(void);

#endif
