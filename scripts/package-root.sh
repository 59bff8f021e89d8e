#!/usr/bin/env bash
# Makes a fresh root of a Debian release with mmdebstrap, from this machine's Debian mirror, with
# the given packages (names, or paths of .deb files, whose dependencies apt resolves from the
# mirror), for the tests of clientpass's own packages:
#
#   scripts/package-root.sh RELEASE DIR PACKAGE...
set -euo pipefail
release="$1" root="$2"
shift 2
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
include=$(IFS=,; echo "$*")
# The hook mounts the .deb files' folders in the root, where apt's chrooted dpkg opens them.
mmdebstrap --quiet --variant=apt --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --include="$include" "$release" "$root" "$mirror"
