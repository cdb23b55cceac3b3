#!/usr/bin/env bash
# make-build-image.sh - a local, offline base for the Dockerfile's build
# stage: this machine's own installed packages that compile conlink (gcc,
# make, pkg-config, musl-tools, the -dev packages) with every package they
# depend on, file for file as dpkg lists them, imported into the engine. No
# registry and no network needed; scripts/install-deps.sh installed them.
#
# Usage: scripts/make-build-image.sh [IMAGE]     (default conlink-build-base)
# Env:   ENGINE=docker|podman  engine to import into [docker]; docker talks
#                              to DOCKER_HOST like the docker CLI does
#
# Then:  docker build --build-arg BUILD_BASE=conlink-build-base
#          --build-arg BASE=conlink-base --build-arg INSTALL_DEPS=0 .
#
# The image is labelled with a hash of the package versions (and of this
# script) and re-imported only when that changed: a second run takes about
# a second, the first about 20 s (~200 MB). Debian's merged /usr layout is
# kept (bin, lib, lib64, sbin link into usr/), as in make-base-image.sh.
set -euo pipefail

image=${1:-conlink-build-base}
engine=${ENGINE:-docker}
version=4	# bump when the package list or layout below changes

# What the Makefile's `all` and `static` targets run, and the shell
# userland of the Dockerfile's RUN lines and scripts/check-layers.sh.
want=(gcc libc6-dev make pkg-config musl-tools binutils
	libmnl-dev libnftnl-dev libyaml-dev libcurl4-openssl-dev libjansson-dev libmicrohttpd-dev
	dash bash coreutils grep sed findutils dpkg)
# Runtimes of options the build never uses (-fsanitize, -flto, gprofng):
# gcc depends on them, the image need not hold their ~40 MB.
skip_pkgs=" libasan8 libtsan2 liblsan0 libubsan1 libhwasan0 libgprofng0 "
skip_path='^/usr/share/(doc|man|info|locale|lintian|bug|bash-completion)/|/lto1$'

die() { echo "make-build-image: $*" >&2; exit 1; }

case $engine in
docker) cli=(docker) quiet=() ;;
podman) cli=(podman) quiet=(--quiet) ;;
*) die "ENGINE must be docker or podman, not '$engine'" ;;
esac

# Every installed package, read once: NAME -> instance for this machine's
# architecture (libmnl-dev -> libmnl-dev:amd64 when libmnl-dev:arm64 is
# installed too, for cross builds; make -> make), its version, its deps.
arch=$(dpkg --print-architecture)
declare -A inst=() ver=() depends=()
while IFS=$'\t' read -r q status v d; do
	[ "$status" = installed ] || continue
	case $q in *:*) [ "${q##*:}" = "$arch" ] || continue ;; esac
	inst[${q%:*}]=$q ver[$q]=$v depends[$q]=$d
done < <(dpkg-query -W -f='${binary:Package}\t${db:Status-Status}\t${Version}\t${Pre-Depends},${Depends}\n')

# The dependency closure of $want among them: of "a | b" the first
# installed one; a virtual or missing name is passed over.
declare -A pkgs=()
queue=("${want[@]}")
for w in "${want[@]}"; do
	[ -n "${inst[$w]:-}" ] || die "$w is not installed: run scripts/install-deps.sh"
done
while [ ${#queue[@]} -gt 0 ]; do
	p=${queue[0]} queue=("${queue[@]:1}")
	q=${inst[$p]:-}
	[ -n "$q" ] && [ -z "${pkgs[$q]:-}" ] || continue
	case $skip_pkgs in *" $p "*) continue ;; esac
	pkgs[$q]=${ver[$q]}
	IFS=, read -ra deps <<<"${depends[$q]}"
	for dep in "${deps[@]}"; do
		IFS='|' read -ra alts <<<"$dep"
		for alt in "${alts[@]}"; do
			alt=${alt%%(*} alt=${alt//[[:space:]]/} alt=${alt%:any}
			[ -n "$alt" ] && [ -n "${inst[$alt]:-}" ] && { queue+=("$alt"); break; }
		done
	done
done

mapfile -t names < <(printf '%s\n' "${!pkgs[@]}" | sort)
hash=$version-$( { cat "$0"; for p in "${names[@]}"; do echo "$p=${pkgs[$p]}"; done; } |
	sha256sum | cut -c1-32)
have=$("${cli[@]}" image inspect --format '{{ index .Config.Labels "conlink.base.hash" }}' \
	"$image" 2>/dev/null || true)
if [ "$have" = "$hash" ]; then
	echo "make-build-image: $image is up to date on $engine"
	exit 0
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/conlink-build-base.XXXXXX")
trap 'rm -rf "$root" "$root.tar" "$root.list"' EXIT
mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,proc,sys,dev,tmp,root,run,var/tmp}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
chmod 1777 "$root/tmp" "$root/var/tmp"
# Every file and symlink the packages hold, as tar finds them here; tar
# extracts dpkg's /bin/dash through the skeleton's bin -> usr/bin link
# (merged /usr), and a symlink stays one (cc -> gcc -> gcc-12).
dpkg -L "${names[@]}" 2>/dev/null | grep -Ev "$skip_path" | sort -u |
while read -r f; do
	if [ -L "$f" ] || { [ -f "$f" ] && [ ! -d "$f" ]; }; then echo "${f#/}"; fi
done >"$root.list"
tar -C / --no-recursion -cf - -T "$root.list" |
	tar -C "$root" --keep-directory-symlink -xf -
rm -f "$root.list"
# Alternatives (cc -> /etc/alternatives/cc -> gcc) are no package's files:
# those whose program is in the image come along.
mkdir -p "$root/etc/alternatives"
for f in /usr/bin/* /usr/sbin/*; do
	[ -L "$f" ] && [[ $(readlink "$f") == /etc/alternatives/* ]] || continue
	alt=$(readlink "$f")
	[ -e "$root$(readlink -f "$f")" ] || continue
	cp -P "$f" "$root$f"
	cp -P "$alt" "$root$alt"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
# dpkg --print-architecture reads its own database
mkdir -p "$root/var/lib/dpkg"
cp /var/lib/dpkg/arch "$root/var/lib/dpkg/" 2>/dev/null || true

tar --numeric-owner -C "$root" -cf "$root.tar" .
old=$("${cli[@]}" image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)
"${cli[@]}" import "${quiet[@]}" \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change "LABEL conlink.base.hash=$hash" \
	"$root.tar" "$image" >/dev/null
new=$("${cli[@]}" image inspect --format '{{ .Id }}' "$image")
[ -n "$old" ] && [ "$old" != "$new" ] && "${cli[@]}" rmi "$old" >/dev/null 2>&1 || true
echo "make-build-image: $image imported into $engine ($(du -sh "$root" | cut -f1) rootfs, ${#names[@]} packages)"
