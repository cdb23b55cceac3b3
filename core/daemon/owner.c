/* owner.c - the owner mark of what this conlink instance makes, and the
 * reconcile of a new life with what a previous one left (see owner.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "apply_priv.h"
#include "log.h"
#include "nat.h"
#include "netns.h"
#include "owner.h"

static char instance[72], alias[80];
static uint32_t seed;

/* A namespace by identity (an fd names one only while open). */
struct ns_id {
	dev_t dev;
	ino_t ino;
};

static int ns_id_of(int ns, struct ns_id *id)
{
	struct stat st;

	if (ns < 0 || fstat(ns, &st) < 0) {
		memset(id, 0, sizeof(*id));
		return -1;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

static bool ns_id_eq(const struct ns_id *a, const struct ns_id *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

/* What owner_start found in the long-lived namespaces. */
enum stale_state { STALE, ADOPTED, REPLACED, PURGED };
struct stale {
	int ns;			/* held */
	struct ns_id id;
	char name[IFNAMSIZ], kind[16];
	int index;
	enum stale_state state;
	bool remade;		/* PURGED, and made again by this life */
};
static struct stale *stale;
static size_t nstale;

/* What this life made: the container clean leaves these. */
struct made {
	struct ns_id id;
	char name[IFNAMSIZ];
};
static struct made *made;
static size_t nmade;

/* What the container cleans did. */
static int cont_replaced, cont_removed;

void owner_init(const char *name)
{
	snprintf(instance, sizeof(instance), "%s", name);
	snprintf(alias, sizeof(alias), "conlink:%s", name);
	/* FNV-1a of the name: the same instance, the same group */
	seed = 2166136261u;
	for (const char *p = name; *p; p++)
		seed = (seed ^ (unsigned char)*p) * 16777619u;
}

const char *owner_alias(void)
{
	return alias;
}

uint32_t owner_group_seed(void)
{
	return seed;
}

bool owner_is_ours(const struct link_info *li)
{
	return alias[0] && !strcmp(li->alias, alias);
}

static int grow(void *pv, size_t n, size_t size)
{
	void **p = pv;

	/* doubling: sizes 1, 2, 4, ... */
	if (n & (n - 1))
		return 0;
	void *q = realloc(*p, (n ? n * 2 : 1) * size);

	if (!q)
		return err_fail(ENOMEM, "owner: out of memory");
	*p = q;
	return 0;
}

struct list_ctx {
	int ns;
	struct ns_id id;
};

static int stale_cb(const struct link_info *li, void *arg)
{
	struct list_ctx *c = arg;
	struct stale *s;

	if (!owner_is_ours(li))
		return 0;
	if (grow(&stale, nstale, sizeof(*stale)) < 0)
		return -ENOMEM;
	s = &stale[nstale++];
	memset(s, 0, sizeof(*s));
	s->ns = netns_hold(c->ns);
	s->id = c->id;
	snprintf(s->name, sizeof(s->name), "%s", li->name);
	snprintf(s->kind, sizeof(s->kind), "%s", li->kind[0] ? li->kind : "interface");
	s->index = li->index;
	return 0;
}

static int list_ns(int ns)
{
	struct nl *nl = nsock_nl(ns);
	struct list_ctx c = { .ns = ns };

	if (!nl)
		return -errno;
	ns_id_of(ns, &c.id);
	return link_dump(nl, stale_cb, &c);
}

int owner_start(int self_ns, int host_ns)
{
	int ret = list_ns(self_ns);

	if (ret == 0 && host_ns >= 0 && !netns_same(self_ns, host_ns))
		ret = list_ns(host_ns);
	if (ret == 0)
		ret = nat_drop_stale(self_ns);
	return ret;
}

static struct stale *stale_find(const struct ns_id *id, const char *name)
{
	for (size_t i = 0; i < nstale; i++)
		if (ns_id_eq(&stale[i].id, id) && !strcmp(stale[i].name, name))
			return &stale[i];
	return NULL;
}

int owner_bridge_claim(struct nl *nl, int ns, const char *name, const char *mode,
		       int *ifindex)
{
	struct link_info li;
	struct ns_id id;
	struct stale *s;
	int ret;

	if (link_get(nl, name, &li) < 0)
		return 0;
	if (!owner_is_ours(&li))
		return -EEXIST;
	ns_id_of(ns, &id);
	s = stale_find(&id, name);
	if (!strcmp(li.kind, "bridge") && !strcmp(mode, "linux")) {
		log_info("Adopting bridge %s (instance %s)", name, instance);
		if (s)
			s->state = ADOPTED;
		if (!(li.flags & IFF_UP))
			link_set(nl, name, 0, NULL, 0, true);
		*ifindex = li.index;
		return 1;
	}
	log_info("Replacing %s %s (instance %s): now a bridge of mode %s",
		 li.kind[0] ? li.kind : "interface", name, instance, mode);
	ret = link_del(nl, name);
	if (ret < 0 && ret != -ENODEV)
		return err_wrap(ret, "replacing %s", name);
	if (s)
		s->state = REPLACED;
	return 0;
}

/* Delete the N interfaces NAMES/INDEX in NL's namespace, all ours: one
 * at a time costs a kernel unregister each (an RCU wait, ~20 ms), so
 * more than one move to a group nobody uses and go with one group
 * delete. */
static void delete_set(struct nl *nl, char (*names)[IFNAMSIZ], const int *index, size_t n)
{
	struct nl_batch b;
	uint32_t group;
	int ret;

	if (n == 1) {
		ret = link_del(nl, names[0]);
	} else if (n > 1) {
		ret = link_group_pick(nl, seed ^ 0x5bd1e995u, NULL, &group);
		if (ret < 0) {
			for (size_t i = 0; i < n; i++)
				link_del(nl, names[i]);
			return;
		}
		nl_batch_init(&b);
		for (size_t i = 0; i < n; i++)
			link_group_batch(&b, index[i], group, "cannot set interface group");
		link_del_group_batch(&b, group, "cannot delete stale interfaces");
		ret = nl_batch_run(nl, &b);
	} else {
		return;
	}
	/* gone already (a namespace torn down meanwhile): fine */
	if (ret < 0 && ret != -ENODEV)
		log_warn("%s", err_msg());
}

void owner_purge(void)
{
	char (*names)[IFNAMSIZ] = calloc(nstale ? nstale : 1, IFNAMSIZ);
	int *index = calloc(nstale ? nstale : 1, sizeof(int));

	if (!names || !index) {
		free(names);
		free(index);
		return;
	}
	for (size_t i = 0; i < nstale; i++) {
		size_t n = 0;

		if (stale[i].state != STALE)
			continue;
		/* every stale one of this namespace */
		for (size_t j = i; j < nstale; j++) {
			if (stale[j].state != STALE || !ns_id_eq(&stale[j].id, &stale[i].id))
				continue;
			log_info("Removing stale %s %s (instance %s)", stale[j].kind,
				 stale[j].name, instance);
			memcpy(names[n], stale[j].name, IFNAMSIZ);
			index[n++] = stale[j].index;
			stale[j].state = PURGED;
		}
		struct nl *nl = nsock_nl(stale[i].ns);

		if (nl)
			delete_set(nl, names, index, n);
	}
	free(names);
	free(index);
}

static struct made *made_find(const struct ns_id *id, const char *name)
{
	for (size_t i = 0; i < nmade; i++)
		if (ns_id_eq(&made[i].id, id) && !strcmp(made[i].name, name))
			return &made[i];
	return NULL;
}

static void forget_step(const struct undo_step *st)
{
	struct ns_id id;
	struct made *m;

	ns_id_of(st->ns, &id);
	m = made_find(&id, st->a);
	if (m)
		*m = made[--nmade];
}

void owner_made(struct undo **u, int ns, const char *name)
{
	struct ns_id id;
	struct stale *s;

	if (ns_id_of(ns, &id) < 0 || made_find(&id, name))
		return;
	if (grow(&made, nmade, sizeof(*made)) < 0)
		return;
	made[nmade].id = id;
	snprintf(made[nmade].name, IFNAMSIZ, "%s", name);
	nmade++;
	s = stale_find(&id, name);
	if (s && s->state == PURGED)
		s->remade = true;
	undo_push(u, forget_step, ns, name, NULL, 0);
}

struct clean_ctx {
	struct ns_id id;
	char (*names)[IFNAMSIZ];
	int *index;
	size_t n;
	int err;
};

static int clean_cb(const struct link_info *li, void *arg)
{
	struct clean_ctx *c = arg;

	if (!owner_is_ours(li) || made_find(&c->id, li->name))
		return 0;
	if (grow(&c->names, c->n, IFNAMSIZ) < 0 || grow(&c->index, c->n, sizeof(int)) < 0)
		return -ENOMEM;
	memcpy(c->names[c->n], li->name, IFNAMSIZ);
	c->index[c->n++] = li->index;
	return 0;
}

static bool planned(const json_t *links, const char *dev)
{
	size_t i;
	json_t *l;

	json_array_foreach(links, i, l) {
		const char *d = json_string_value(json_object_get(l, "dev"));

		if (d && !strcmp(d, dev))
			return true;
	}
	return false;
}

void owner_container_clean(int ns, const json_t *links_a, const json_t *links_b)
{
	struct clean_ctx c = { 0 };
	struct nl nl;

	if (ns < 0 || ns_id_of(ns, &c.id) < 0 || nl_open(&nl, NETLINK_ROUTE, ns) < 0)
		return;
	if (link_dump(&nl, clean_cb, &c) == 0 && c.n) {
		for (size_t i = 0; i < c.n; i++) {
			bool again = planned(links_a, c.names[i]) || planned(links_b, c.names[i]);

			log_info("%s stale %s in a container's namespace (instance %s)",
				 again ? "Replacing" : "Removing", c.names[i], instance);
			if (again)
				cont_replaced++;
			else
				cont_removed++;
		}
		delete_set(&nl, c.names, c.index, c.n);
	}
	nl_close(&nl);
	free(c.names);
	free(c.index);
	nat_drop_stale(ns);
}

void owner_report(void)
{
	int adopted = 0, replaced = cont_replaced, removed = cont_removed;

	for (size_t i = 0; i < nstale; i++) {
		adopted += stale[i].state == ADOPTED;
		replaced += stale[i].state == REPLACED ||
			    (stale[i].state == PURGED && stale[i].remade);
		removed += stale[i].state == PURGED && !stale[i].remade;
	}
	if (adopted + replaced + removed)
		log_info("Reconciled with a previous life (instance %s): %d adopted, %d replaced, "
			 "%d removed", instance, adopted, replaced, removed);
}

void owner_free(void)
{
	for (size_t i = 0; i < nstale; i++)
		netns_release(stale[i].ns);
	free(stale);
	free(made);
	stale = NULL;
	made = NULL;
	nstale = nmade = 0;
	cont_replaced = cont_removed = 0;
}
