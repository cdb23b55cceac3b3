# The conlink image: the binary with a symlink per applet, plus the tools
# people exec into the network container to look around (ip, tc, nft,
# ethtool). Build the binary first, then the image:
#
#   make && docker build -t conlink .
#
# BASE must match the libraries the binary was built against (Debian
# bookworm here). Offline, point BASE at a local image that already has the
# runtime packages and pass INSTALL_RUNTIME=0, as the tests and `make demo`
# do with the base scripts/make-base-image.sh makes from this machine:
#
#   scripts/make-base-image.sh
#   docker build --network none --build-arg BASE=conlink-base
#     --build-arg INSTALL_RUNTIME=0 -t conlink .     (one line)
ARG BASE=debian:bookworm-slim
FROM ${BASE}
ARG INSTALL_RUNTIME=1
RUN if [ "$INSTALL_RUNTIME" = 1 ]; then \
      apt-get update && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libmnl0 libnftnl11 libyaml-0-2 libcurl4 libjansson4 \
        iproute2 ethtool nftables procps && \
      rm -rf /var/lib/apt/lists/*; \
    fi
COPY build/conlink /usr/local/bin/conlink
# Applet symlinks, and upstream's entry path so a compose file written for
# upstream (command: /app/build/conlink.js ...) works by changing image: only.
RUN /usr/local/bin/conlink --install /usr/local/bin && \
    mkdir -p /app/build && ln -s /usr/local/bin/conlink /app/build/conlink.js
CMD ["conlink", "--help"]
