/* impair.h - a made link impaired at run time, on the daemon's loop:
 * its netem changed in place, or taken down on purpose and back up.
 * `conlink ctl netem` and `ctl link` (control.c) and config timelines
 * call these; each change is an event (events_log.h) and shows in status
 * ("netem", "admin").
 *
 * Which interface: a link's netem is on its container end (where the
 * config puts it), a tunnel's on the tunnel. Down/up: a veth link's outer
 * end (the container sees its carrier go), both links of a patch bridge (a
 * cable pulled leaves both ends dark); a link with no outer end of its own
 * (macvlan, vlan, ipvlan: the outer dev is a parent others share; dummy)
 * its container end; a tunnel its interface.
 *
 * A link made again (healed, its container restarted) is made as the
 * config says: its configured netem, up. heal.c does not count a link
 * taken down here as drift.
 */
#ifndef CONLINK_IMPAIR_H
#define CONLINK_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>

struct link_state;

/* The made or unmade link status names NAME ("c1:eth0", a compose
 * replica's "proj_web_1:eth1", a tunnel's "geneve-5"); NULL: none. */
struct link_state *impair_find(const char *name);

/* Set LS's netem to NETEM (tc netem's options, the config's grammar),
 * changing the qdisc in place (its handle and queue kept); "" (or only
 * blanks) removes it. 0, or -errno with err_msg(): -EINVAL naming the bad
 * option, -EAGAIN when LS is not made, the kernel's refusal. */
int impair_netem(struct link_state *ls, const char *netem);

/* The netem in force on LS as text into BUF ("": none): what was set at
 * run time, else the configured one (a timeline step's "for" puts it back). */
void impair_netem_text(const struct link_state *ls, char *buf, size_t size);

/* Take LS down on purpose (UP 0) or bring it back (UP 1); see above for
 * which ends. 0 or -errno with err_msg(). */
int impair_set_up(struct link_state *ls, int up);

/* LS was taken down here (heal.c: not drift). */
bool impair_down_on_purpose(const void *ls);

#endif
