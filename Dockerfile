# The conlink image, built from the source alone:
#
#   docker build -t conlink .        (or: podman build -t conlink .)
#
# Stage build compiles build/conlink (the daemon and every applet) and
# build/conlink-static (wait, copy, echo, ns-exec: musl, no libc needed);
# the runtime stage holds
#   /usr/local/bin/conlink + a link per applet, and /app/build/conlink.js
#                      (upstream's entry path: command: /app/build/conlink.js ...)
#   /utils/{wait,copy,echo,wait.sh,copy.sh}
#                      the static binary under each name (hard links: one
#                      file); `cp /utils/wait ... /conlink_utils/` copies
#                      them out into any image, FROM scratch included
#   ip tc bridge nft ethtool tcpdump ping curl jq ps
#                      what people exec into the network container for
#   ovs-vsctl, ovs-ctl Open vSwitch (WITH_OVS=1, the default)
#
# Both bases are build arguments with public defaults.
#
# Offline, point the bases at local images that hold the packages already
# and pass INSTALL_DEPS=0, as the tests and `make demo` do with the images
# scripts/make-build-image.sh and scripts/make-base-image.sh make from this
# machine's own files (one line):
#
#   docker build --network none --build-arg BUILD_BASE=conlink-build-base
#     --build-arg BASE=conlink-base --build-arg INSTALL_DEPS=0 -t conlink .
ARG BUILD_BASE=debian:bookworm
ARG BASE=debian:bookworm-slim

FROM ${BUILD_BASE} AS build
ARG INSTALL_DEPS=1
RUN if [ "$INSTALL_DEPS" = 1 ]; then \
      apt-get update && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev make pkg-config musl-tools \
        libmnl-dev libnftnl-dev libyaml-dev libcurl4-openssl-dev libjansson-dev \
        libmicrohttpd-dev && \
      apt-get clean && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
COPY Makefile ./
COPY scripts/check-layers.sh scripts/
COPY include include/
COPY core core/
COPY applets applets/
# A multi-platform build (buildx, or podman build --platform
# linux/amd64,linux/arm64) runs each platform's stages in that platform,
# under qemu binfmt where it is foreign, as upstream's does: make builds for
# the machine it runs on, which is TARGETARCH's (checked). On the host,
# `make CROSS=aarch64-linux-gnu BUILD=build-arm64 all static` cross-builds.
ARG TARGETARCH
RUN arch=$(dpkg --print-architecture); \
    if [ -n "$TARGETARCH" ] && [ "$TARGETARCH" != "$arch" ]; then \
      echo "build stage runs on $arch, TARGETARCH is $TARGETARCH" >&2; exit 1; \
    fi; \
    make -j"$(nproc)" all static && strip build/conlink

FROM ${BASE}
ARG INSTALL_DEPS=1
# libmicrohttpd12 is loaded only for --metrics (dlopen).
# Open vSwitch for bridges in mode ovs (and auto where the host has the
# openvswitch module), as upstream's image has it; WITH_OVS=0 leaves it out.
ARG WITH_OVS=1
RUN if [ "$INSTALL_DEPS" = 1 ]; then \
      ovs=; [ "$WITH_OVS" = 1 ] && ovs=openvswitch-switch; \
      apt-get update && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libmnl0 libnftnl11 libyaml-0-2 libcurl4 libjansson4 \
        libmicrohttpd12 \
        iproute2 ethtool nftables procps tcpdump iputils-ping curl jq $ovs && \
      apt-get clean && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=build /src/build/conlink /usr/local/bin/conlink
COPY --from=build /src/build/conlink-static /utils/wait
# Applet symlinks, upstream's entry path, and /utils: a hard link per name
# (cp copies each out as the whole binary, which dispatches on its name).
RUN /usr/local/bin/conlink --install /usr/local/bin && \
    mkdir -p /app/build && ln -s /usr/local/bin/conlink /app/build/conlink.js && \
    for n in wait.sh copy copy.sh echo; do ln /utils/wait "/utils/$n"; done
CMD ["conlink", "--help"]
