/* docker_eth0.c - a docker network eth0 in conlink's own container becomes
 * DOCKER-ETH0, keeping its addresses and routes (see docker_eth0.h).
 *
 * Upstream does "ip route save dev eth0; set down; rename; set up; ip route
 * restore". Here the same through rtnetlink: taking a link down makes the
 * kernel drop its routes (and, unless keep_addr_on_down, its IPv6
 * addresses), so both are dumped first and added back after the rename;
 * what the kernel made again by itself answers EEXIST, which is fine. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "docker_eth0.h"
#include "err.h"
#include "link.h"
#include "linkname.h"
#include "log.h"
#include "nl.h"

static bool prepared, renamed;
static int prepare_result;

/* Saved RTM_NEWADDR / RTM_NEWROUTE requests, ready to send again. */
struct saved {
	struct nlmsghdr **msg;
	size_t n;
	int ifindex;
	int err;
};

static void saved_free(struct saved *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->msg[i]);
	free(s->msg);
	s->msg = NULL;
	s->n = 0;
}

/* Keep a copy of dumped message NLH as a create request of TYPE. */
static int save_as(struct saved *s, const struct nlmsghdr *nlh, uint16_t type)
{
	struct nlmsghdr **v = realloc(s->msg, (s->n + 1) * sizeof(*v));
	struct nlmsghdr *copy;

	if (!v)
		return s->err = -ENOMEM;
	s->msg = v;
	copy = malloc(nlh->nlmsg_len);
	if (!copy)
		return s->err = -ENOMEM;
	memcpy(copy, nlh, nlh->nlmsg_len);
	copy->nlmsg_type = type;
	copy->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	s->msg[s->n++] = copy;
	return 0;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct saved *s = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	char buf[NL_MSG_MAX];
	struct nlmsghdr *req;
	struct ifaddrmsg *out;
	struct nlattr *a;

	/* link-local IPv6 comes back by itself when the link is up */
	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != s->ifindex ||
	    (ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK))
		return MNL_CB_OK;
	/* rebuilt, not copied: the dump's IFA_LABEL names the old device,
	 * and the DAD state flags are not the caller's to set */
	req = nl_msg(buf, RTM_NEWADDR, 0);
	out = mnl_nlmsg_put_extra_header(req, sizeof(*out));
	*out = *ifa;
	out->ifa_flags &= ~(IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED);
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		uint16_t t = mnl_attr_get_type(a);

		if (t == IFA_FLAGS) {
			uint32_t f = mnl_attr_get_u32(a) &
				     ~(IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED);

			mnl_attr_put_u32(req, IFA_FLAGS, f);
		} else if (t == IFA_ADDRESS || t == IFA_LOCAL || t == IFA_BROADCAST ||
			   t == IFA_CACHEINFO) {
			mnl_attr_put(req, t, mnl_attr_get_payload_len(a), mnl_attr_get_payload(a));
		}
	}
	return save_as(s, req, RTM_NEWADDR) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct saved *s = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;
	int oif = 0;

	/* the local table (and broadcast/local/multicast types) follows the
	 * addresses; only routes through this interface are ours to keep */
	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_table == RT_TABLE_LOCAL ||
	    rtm->rtm_type != RTN_UNICAST || (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm))
		if (mnl_attr_get_type(a) == RTA_OIF)
			oif = mnl_attr_get_u32(a);
	if (oif != s->ifindex)
		return MNL_CB_OK;
	return save_as(s, nlh, RTM_NEWROUTE) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int save_state(struct nl *nl, struct saved *s)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *req;
	int ret;

	req = nl_msg(buf, RTM_GETADDR, 0);
	((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(req, sizeof(struct ifaddrmsg)))
		->ifa_family = AF_UNSPEC;
	ret = nl_dump(nl, req, addr_cb, s, "cannot list addresses");
	if (ret < 0 || s->err)
		return ret < 0 ? ret : err_fail(-s->err, "saving addresses");
	req = nl_msg(buf, RTM_GETROUTE, 0);
	((struct rtmsg *)mnl_nlmsg_put_extra_header(req, sizeof(struct rtmsg)))
		->rtm_family = AF_UNSPEC;
	ret = nl_dump(nl, req, route_cb, s, "cannot list routes");
	if (ret < 0 || s->err)
		return ret < 0 ? ret : err_fail(-s->err, "saving routes");
	return 0;
}

/* Set interface IFINDEX down, or rename it NAME and set it up. */
static int set_link(struct nl *nl, int ifindex, const char *name, const char *what)
{
	char buf[NL_MSG_MAX];
	struct nlmsghdr *req = nl_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(req, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = IFF_UP;
	if (name) {
		ifi->ifi_flags = IFF_UP;
		mnl_attr_put_strz(req, IFLA_IFNAME, name);
	}
	return nl_talk(nl, req, NULL, NULL, what);
}

/* Rename interface FROM to TO keeping its addresses and routes. */
static int rename_keeping_routes(struct nl *nl, const char *from, const char *to)
{
	struct saved s = {0};
	struct link_info li;
	char what[96];
	int ret, lost = 0;

	if ((ret = link_get(nl, from, &li)) < 0)
		return ret;
	s.ifindex = li.index;
	if ((ret = save_state(nl, &s)) < 0)
		goto out;
	snprintf(what, sizeof(what), "cannot set '%s' down", from);
	if ((ret = set_link(nl, li.index, NULL, what)) < 0)
		goto out;
	snprintf(what, sizeof(what), "cannot rename '%s' to '%s'", from, to);
	if ((ret = set_link(nl, li.index, to, what)) < 0) {
		set_link(nl, li.index, from, "cannot set it up again");
		goto out;
	}
	/* addresses first: routes through a gateway need its subnet */
	for (size_t i = 0; i < s.n; i++) {
		int r;

		s.msg[i]->nlmsg_flags &= ~NLM_F_ACK;	/* nl_talk adds it */
		r = nl_talk(nl, s.msg[i], NULL, NULL, s.msg[i]->nlmsg_type == RTM_NEWADDR
			    ? "cannot add an address back" : "cannot add a route back");
		if (r < 0 && r != -EEXIST) {
			log_warn("%s: %s", to, err_msg());
			lost++;
		}
	}
	ret = lost ? err_fail(EIO, "%s: %d address(es)/route(s) not restored", to, lost) : 0;
out:
	saved_free(&s);
	return ret;
}

/* Our own container id, as upstream finds it: the engine bind-mounts its
 * .../containers/ID/hosts (Docker) or .../overlay-containers/ID/userdata/hosts
 * (Podman) on /etc/hosts. Only that mount point counts: the host's own
 * mountinfo holds containers/ID/ paths too (their shm mounts). */
char *docker_own_container_id(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], root[4096], point[4096], *id = NULL;

	if (!f)
		return NULL;
	while (!id && fgets(line, sizeof(line), f)) {
		char *p;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... */
		if (sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    strcmp(point, "/etc/hosts"))
			continue;
		for (p = strstr(root, "containers/"); p && !id;
		     p = strstr(p + 1, "containers/")) {
			char *q = p + strlen("containers/");
			size_t n = strspn(q, "0123456789abcdef");

			if (n == 64 && q[n] == '/')
				id = strndup(q, 64);
		}
	}
	fclose(f);
	return id;
}

/* The first link with forward, as upstream names it: SERVICE-or-CONTAINER:DEV. */
static char *first_forward_link(const json_t *cfg)
{
	static const char *const kinds[] = { "containers", "services" };

	for (size_t k = 0; k < 2; k++) {
		const char *name;
		json_t *entry;

		json_object_foreach((json_t *)json_object_get(cfg, kinds[k]), name, entry) {
			size_t i;
			json_t *link;

			json_array_foreach(json_object_get(entry, "links"), i, link) {
				if (json_object_get(link, "forward"))
					return linkname_id(name, json_string_value(
						json_object_get(link, "dev")));
			}
		}
	}
	return NULL;
}

/* Whether interface NAME exists in conlink's namespace. */
static bool docker_eth0_intf_exists(const char *name)
{
	struct link_info li;
	struct nl nl;
	int ret;

	if (nl_open(&nl, NETLINK_ROUTE, -1) < 0)
		return false;
	ret = link_get(&nl, name, &li);
	nl_close(&nl);
	return ret == 0;
}

static int prepare(bool in_container)
{
	struct link_info li;
	struct nl nl;
	int ret, have_eth0, have_docker;

	if ((ret = nl_open(&nl, NETLINK_ROUTE, -1)) < 0)
		return ret;
	have_eth0 = link_get(&nl, "eth0", &li) == 0;
	have_docker = link_get(&nl, DOCKER_ETH0, &li) == 0;
	ret = 0;
	if (in_container && have_eth0 && !have_docker) {
		log_info("Renaming eth0 to %s", DOCKER_ETH0);
		ret = rename_keeping_routes(&nl, "eth0", DOCKER_ETH0);
		if (ret < 0)
			ret = err_wrap(ret, "could not rename docker eth0 interface");
		else
			renamed = true;
	} else if (in_container && have_docker) {
		log_info("%s is present already: using it", DOCKER_ETH0);
	}
	nl_close(&nl);
	return ret;
}

/* Once per process (later calls return the first result): when IN_CONTAINER
 * (conlink found its own container id, as upstream: mountinfo) and
 * conlink's namespace has an eth0, rename it DOCKER-ETH0: set down, rename,
 * set up, add back the addresses and routes the kernel dropped with the
 * link going down. A DOCKER-ETH0 left by an earlier conlink in the same
 * container is taken as is. 0, or -errno with err_msg(). */
static int docker_eth0_prepare(bool in_container)
{
	if (!prepared) {
		prepared = true;
		prepare_result = prepare(in_container);
	}
	return prepare_result;
}

/* When CFG (the enriched config) has a link with forward and EXTERNAL_INTF
 * does not exist in conlink's namespace, fail as upstream does: "link 'X'
 * has forward setting but no docker eth0 is present" (or names the
 * --external-intf given). 0 or -EINVAL with err_msg(). */
static int docker_eth0_check_forwards(const json_t *cfg, const char *external_intf)
{
	char *fwd;
	int ret;

	if (!external_intf || docker_eth0_intf_exists(external_intf) ||
	    !(fwd = first_forward_link(cfg)))
		return 0;
	if (!strcmp(external_intf, DOCKER_ETH0))
		ret = err_fail(EINVAL, "link '%s' has forward setting but no docker eth0 "
			       "is present", fwd);
	else
		ret = err_fail(EINVAL, "link '%s' has forward setting but the external "
			       "interface '%s' does not exist", fwd, external_intf);
	free(fwd);
	return ret;
}

/* Whether ROUTES (a route string or list) already has one to ADDR (/32). */
static bool has_route_to(const json_t *routes, const char *addr)
{
	size_t i, n = strlen(addr);
	json_t *r;

	if (json_is_string(routes)) {
		const char *dst = json_string_value(routes);

		return !strncmp(dst, addr, n) && (!dst[n] || dst[n] == ' ' ||
						  !strncmp(dst + n, "/32", 3));
	}
	json_array_foreach(routes, i, r)
		if (has_route_to(r, addr))
			return true;
	return false;
}

struct first_v4 {
	int ifindex;
	char addr[INET_ADDRSTRLEN];
};

static int first_v4_cb(const struct nlmsghdr *nlh, void *data)
{
	struct first_v4 *f = data;
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	if (*f->addr || ifa->ifa_family != AF_INET || (int)ifa->ifa_index != f->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
		if (mnl_attr_get_type(a) == IFA_LOCAL &&
		    mnl_attr_get_payload_len(a) == 4)
			inet_ntop(AF_INET, mnl_attr_get_payload(a), f->addr, sizeof(f->addr));
	return MNL_CB_OK;
}

/* Upstream's enrich-link: with a docker eth0, every link with forward also
 * gets a route to DOCKER-ETH0's first IPv4 address (/32, through the
 * link): the forwarded connections are masqueraded to that address, and
 * the container must be able to answer it. The same holds for any
 * --external-intf EXT, so EXT's address is the one taken. */
static int add_forward_routes(json_t *cfg, const char *ext)
{
	static const char *const kinds[] = { "containers", "services" };
	struct first_v4 f = {0};
	struct link_info li;
	char buf[NL_MSG_MAX], route[INET_ADDRSTRLEN + 4];
	struct nlmsghdr *req;
	struct nl nl;
	int ret;

	if ((ret = nl_open(&nl, NETLINK_ROUTE, -1)) < 0)
		return ret;
	if (!ext || link_get(&nl, ext, &li) < 0) {
		nl_close(&nl);
		return 0;
	}
	f.ifindex = li.index;
	req = nl_msg(buf, RTM_GETADDR, 0);
	((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(req, sizeof(struct ifaddrmsg)))
		->ifa_family = AF_INET;
	ret = nl_dump(&nl, req, first_v4_cb, &f, "cannot list addresses");
	nl_close(&nl);
	if (ret < 0 || !*f.addr)
		return ret;
	snprintf(route, sizeof(route), "%s/32", f.addr);
	for (size_t k = 0; k < 2; k++) {
		const char *name;
		json_t *entry;

		json_object_foreach(json_object_get(cfg, kinds[k]), name, entry) {
			size_t i;
			json_t *link, *routes;

			json_array_foreach(json_object_get(entry, "links"), i, link) {
				routes = json_object_get(link, "route");
				if (!json_object_get(link, "forward") || has_route_to(routes, f.addr))
					continue;
				if (json_is_string(routes)) {
					json_t *list = json_pack("[O]", routes);

					json_object_set_new(link, "route", list);
					routes = list;
				} else if (!json_is_array(routes)) {
					routes = json_array();
					json_object_set_new(link, "route", routes);
				}
				if (json_array_append_new(routes, json_string(route)))
					return err_fail(ENOMEM, "forward routes");
			}
		}
	}
	return 0;
}

int docker_eth0_setup(json_t *cfg, const char *external_intf)
{
	char *own_id = docker_own_container_id();
	int ret;

	ret = docker_eth0_prepare(own_id != NULL);
	free(own_id);
	if (ret < 0 || (ret = docker_eth0_check_forwards(cfg, external_intf)) < 0 ||
	    (ret = add_forward_routes(cfg, external_intf)) < 0) {
		docker_eth0_restore();
		return ret;
	}
	return 0;
}

void docker_eth0_restore(void)
{
	struct nl nl;

	if (!renamed || nl_open(&nl, NETLINK_ROUTE, -1) < 0)
		return;
	renamed = false;
	log_info("Renaming %s back to eth0", DOCKER_ETH0);
	if (rename_keeping_routes(&nl, DOCKER_ETH0, "eth0") < 0)
		log_warn("%s", err_msg());
	nl_close(&nl);
}
