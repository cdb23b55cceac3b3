#!/bin/sh
# run-example.sh NAME: print `conlink --show-config` for one line of
# examples.list (run from the top directory; CONLINK is the binary).
set -eu
line=$(grep "^$1|" tests/files/config/examples.list) || { echo "no example $1" >&2; exit 2; }
envs=$(echo "$line" | cut -d'|' -f2)
args=$(echo "$line" | cut -d'|' -f3)
[ "$envs" = - ] && envs=
# shellcheck disable=SC2086  # word splitting of the list's fields is wanted
exec env -u BRIDGE_MODE $envs "$CONLINK" conlink --show-config $args
