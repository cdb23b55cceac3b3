/* instance.c - a configured link instantiated for one container (see instance.h).
 *
 * Upstream's outer-dev names can collide: "c" + 8 of the id + "-" + 5 of
 * the dev is the same for two long names sharing a prefix (or, for
 * replicas, a suffix) and for two devs sharing their first 5 characters.
 * Each generated name is kept with the link (NAME:DEV) it went to; a
 * second link given a name already taken gets the name's first 9
 * characters, "-" and 5 hex digits of a hash of its own NAME:DEV. Names are
 * kept for the daemon's life, so a container that comes back gets the
 * name it had; a restart that sees the containers in the same order (the
 * --netns-dir scan is by name, an engine lists in its own stable order)
 * gives every link the name it had before.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "instance.h"
#include "linkname.h"

/* Add OFFSET to a big-endian number of LEN bytes. -ERANGE (B partly
 * changed) when the result does not fit in LEN bytes: 255.255.255.255 + 1
 * is no address, and wrapping to 0.0.0.0 would make one silently. */
static int be_add(unsigned char *b, size_t len, long offset)
{
	unsigned long long mag = offset < 0 ? -(unsigned long long)offset
					    : (unsigned long long)offset;
	unsigned carry = 0;

	for (size_t i = len; i-- > 0;) {
		unsigned byte = mag & 0xff;

		mag >>= 8;
		if (offset >= 0) {
			unsigned sum = b[i] + byte + carry;

			b[i] = sum & 0xff;
			carry = sum >> 8;
		} else {
			int diff = (int)b[i] - (int)byte - (int)carry;

			b[i] = diff & 0xff;
			carry = diff < 0;
		}
	}
	return mag || carry ? -ERANGE : 0;
}

/* Add OFFSET to an address "A.B.C.D[/P]" or IPv6 "X::Y[/P]" (the prefix
 * is kept). 0, -EINVAL with err_msg() when IP is not an address, -ERANGE
 * when the sum is past the last (or first) address: never a wrap. */
static int ip_add_offset(char *out, size_t outlen, const char *ip, long offset)
{
	char text[INET6_ADDRSTRLEN];
	struct ipaddr a;
	int n;

	if (addr_parse(ip, &a) < 0)
		return -EINVAL;
	if (be_add(a.a, a.family == AF_INET ? 4 : 16, offset) < 0)
		return err_fail(ERANGE, "ip '%s' + %ld is past the %s address", ip, offset,
				offset < 0 ? "first" : "last");
	inet_ntop(a.family, a.a, text, sizeof(text));
	n = a.prefix < 0 ? snprintf(out, outlen, "%s", text)
			 : snprintf(out, outlen, "%s/%d", text, a.prefix);
	if (n < 0 || (size_t)n >= outlen)
		return err_fail(EINVAL, "'%s': address too long", ip);
	return 0;
}

/* Add OFFSET to a MAC "aa:bb:cc:dd:ee:ff" (48-bit arithmetic). 0, -EINVAL,
 * or -ERANGE past ff:ff:ff:ff:ff:ff or when the sum is multicast (its first
 * byte odd: 02:ff:ff:ff:ff:ff + 1), which the kernel gives no interface. */
static int mac_add_offset(char out[18], const char *mac, long offset)
{
	unsigned char b[6];

	if (mac_parse(mac, b) < 0)
		return -EINVAL;
	if (be_add(b, 6, offset) < 0)
		return err_fail(ERANGE, "mac '%s' + %ld is past the %s address", mac, offset,
				offset < 0 ? "first" : "last");
	if (b[0] & 1)
		return err_fail(ERANGE, "mac '%s' + %ld is %02x:%02x:%02x:%02x:%02x:%02x, "
				"a multicast address", mac, offset,
				b[0], b[1], b[2], b[3], b[4], b[5]);
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5]);
	return 0;
}

/* Generated outer-dev names handed out, each with the dev-id it went to:
 * open addressing on the name. */
struct given {
	char name[IFNAMSIZ];
	char *dev_id;
};

static struct given *given;
static size_t n_given, cap_given;	/* cap: a power of two, > 2 * n */

static uint32_t fnv1a(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct given *given_slot(const char *name)
{
	size_t h = fnv1a(name, 2166136261u) & (cap_given - 1);

	while (given[h].dev_id && strcmp(given[h].name, name))
		h = (h + 1) & (cap_given - 1);
	return &given[h];
}

static int given_grow(void)
{
	struct given *old = given;
	size_t oldcap = cap_given;

	cap_given = cap_given ? 2 * cap_given : 64;
	given = calloc(cap_given, sizeof(*given));
	if (!given) {
		given = old;
		cap_given = oldcap;
		return -ENOMEM;
	}
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].dev_id)
			*given_slot(old[i].name) = old[i];
	free(old);
	return 0;
}

/* Make BUF (a generated outer-dev name) one that no other link than
 * DEV_ID was given, and note it as DEV_ID's. 0 or -ENOMEM. */
static int outer_dev_unique(char buf[IFNAMSIZ], const char *dev_id)
{
	char base[10];
	struct given *g;

	if (2 * (n_given + 1) >= cap_given && given_grow() < 0)
		return err_fail(ENOMEM, "%s: outer-dev name", dev_id);
	snprintf(base, sizeof(base), "%.9s", buf);
	/* the hash of DEV_ID, and of DEV_ID#N past a clash of hashes */
	for (unsigned n = 0;; n++) {
		g = given_slot(buf);
		if (!g->dev_id || !strcmp(g->dev_id, dev_id))
			break;
		char salt[16];
		uint32_t h = fnv1a(dev_id, 2166136261u);

		snprintf(salt, sizeof(salt), "#%u", n);
		if (n)
			h = fnv1a(salt, h);
		snprintf(buf, IFNAMSIZ, "%s-%05x", base, h & 0xfffff);
	}
	if (!g->dev_id) {
		if (!(g->dev_id = strdup(dev_id)))
			return err_fail(ENOMEM, "%s: outer-dev name", dev_id);
		memcpy(g->name, buf, IFNAMSIZ);
		n_given++;
	}
	return 0;
}

const struct link_kind *link_kind_of(const json_t *link)
{
	return link_kind_find(json_string_value(json_object_get(link, "type")));
}

/* Forward entries are [PORT_A, PORT_B, PROTO] after enrich. Only the
 * external port A moves with the index. */
static json_t *forward_offset(const json_t *fwd, long offset)
{
	json_t *out = json_array(), *f;
	size_t i;

	json_array_foreach(fwd, i, f) {
		json_t *c = json_deep_copy(f);

		json_array_set_new(c, 0, json_integer(
			json_integer_value(json_array_get(f, 0)) + offset));
		json_array_append_new(out, c);
	}
	return out;
}

json_t *link_instance(const json_t *link, const char *id, const char *name,
		      int index)
{
	json_t *inst = json_copy((json_t *)link);	/* shallow: only top keys change */
	const char *ip = json_string_value(json_object_get(link, "ip"));
	const char *mac = json_string_value(json_object_get(link, "mac"));
	const struct link_kind *k = link_kind_of(link);
	const char *dev = json_string_value(json_object_get(link, "dev"));
	const json_t *fwd = json_object_get(link, "forward");
	long offset = index > 0 ? index - 1 : 0;
	char buf[INET6_ADDRSTRLEN + 8], *dev_id;

	if (!inst)
		return NULL;
	if (ip && offset) {
		if (ip_add_offset(buf, sizeof(buf), ip, offset) < 0)
			goto fail;
		json_object_set_new(inst, "ip", json_string(buf));
	}
	if (mac && offset) {
		if (mac_add_offset(buf, mac, offset) < 0)
			goto fail;
		json_object_set_new(inst, "mac", json_string(buf));
	}
	if (json_is_array(fwd) && offset) {
		json_object_set_new(inst, "forward", forward_offset(fwd, offset));
	}
	if (!k)
		goto fail;
	if (!(dev_id = linkname_id(name, dev)))
		goto fail;
	if (k->base != LINK_BASE_LOCAL && !json_object_get(link, "outer-dev")) {
		linkname_outer(buf, json_string_value(json_object_get(link, "service")),
			       json_string_value(json_object_get(link, "container")),
			       index, id, dev);
		/* a parent (base host) is shared; an outer end in conlink's
		 * namespace is one link's own */
		if (k->base == LINK_BASE_CONLINK && outer_dev_unique(buf, dev_id) < 0) {
			free(dev_id);
			goto fail;
		}
		json_object_set_new(inst, "outer-dev", json_string(buf));
	}
	json_object_set_new(inst, "dev-id", json_string(dev_id));
	free(dev_id);
	return inst;
fail:
	json_decref(inst);
	return NULL;
}
