#!/usr/bin/env bash
# Makes clientpass's Debian packages for Debian 12 (bookworm) and Debian 13 (trixie) in OUTDIR,
# each linked against its release's own libraries, from the release build in .build (`make deb`
# and `make test` make it first):
#
#   scripts/build-debs.sh OUTDIR DEBIAN13_ROOT
#
# OUTDIR/previous gets the same build as revision 0, from which the tests upgrade to revision 1
# (compressed fast: only the tests install it). DEB_COMPRESSION as in scripts/make-deb.sh.
#
# The code is compiled once, on this Debian 12 host. scripts/link-release.sh links its objects
# with the Swift runtime linked statically: against this host's libraries for Debian 12, and
# against DEBIAN13_ROOT's for Debian 13 (scripts/debian13-root.sh puts the -dev packages there),
# since Debian 13's OpenLDAP is libldap.so.2 where Debian 12's is libldap-2.5.so.0.
# dpkg-shlibdeps works out each package's Depends in its own release.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1" root13="$2"
[ "$(. /etc/os-release && echo "$VERSION_CODENAME")" = bookworm ] || { echo "build-debs.sh runs on Debian 12" >&2; exit 1; }
[ -d "$root13/usr/lib/x86_64-linux-gnu" ] || { echo "build-debs.sh: no Debian 13 root at $root13 (scripts/debian13-root.sh)" >&2; exit 1; }
mkdir -p "$out"
started=$(date +%s)
binaries="$(mktemp -d)"
trap 'rm -rf "$binaries"' EXIT
./scripts/link-release.sh "$binaries/clientpass-bookworm"
./scripts/link-release.sh "$binaries/clientpass-trixie" "$root13"
for release in bookworm trixie; do
    if [ "$release" = bookworm ]; then root=/; else root="$root13"; fi
    ./scripts/make-deb.sh "$release" "$binaries/clientpass-$release" "$root" "$out" 1
    DEB_COMPRESSION="-Zgzip -z1" ./scripts/make-deb.sh "$release" "$binaries/clientpass-$release" "$root" "$out/previous" 0 >/dev/null
done
echo "packages in $out, linked and packed in $(( $(date +%s) - started )) s" >&2
