#!/usr/bin/env bash
# Makes clientpass's Debian package for one release from a binary built for that release:
#
#   scripts/make-deb.sh RELEASE BINARY ROOT OUTDIR [REVISION]
#
# RELEASE is bookworm (Debian 12) or trixie (Debian 13); BINARY the release binary linked
# against that release's libraries (scripts/link-release.sh); ROOT a root of that release
# with dpkg-dev, or / on a host of that release, where dpkg-shlibdeps works out Depends from the
# release's own libraries. The package is OUTDIR/clientpass_VERSION_amd64.deb, VERSION being
# clientpass's version, -REVISION (1 by default) and ~deb12 or ~deb13, so that a host moving
# from Debian 12 to 13 takes the 13 package as an upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."
release="$1" binary="$2" root="$3" out="$4" revision="${5:-1}"
case "$release" in
    bookworm) suffix=deb12 unit_dir=lib/systemd/system ;;
    trixie) suffix=deb13 unit_dir=usr/lib/systemd/system ;;
    *) echo "make-deb.sh: unknown release $release (bookworm or trixie)" >&2; exit 64 ;;
esac
upstream="$(sed -n 's/.*static let current = "\(.*\)"/\1/p' Sources/ClientPassCore/Support/ClientPassVersion.swift)"
version="$upstream-$revision~$suffix"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
chmod 0755 "$tree"

# The files, where Debian keeps them.
install -D -m 0755 "$binary" "$tree/usr/bin/clientpass"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$tree/usr/bin/clientpass"
install -d -m 0755 "$tree/usr/share/man/man1"
for page in man/*.1; do gzip -9n < "$page" > "$tree/usr/share/man/man1/$(basename "$page").gz"; done
# bash-completion sources the script: its #! line would only mislead.
install -d -m 0755 "$tree/usr/share/bash-completion/completions"
sed '1{/^#!/d}' completions/clientpass.bash > "$tree/usr/share/bash-completion/completions/clientpass"
chmod 0644 "$tree/usr/share/bash-completion/completions/clientpass"
install -D -m 0644 completions/_clientpass "$tree/usr/share/zsh/vendor-completions/_clientpass"
install -D -m 0644 completions/clientpass.fish "$tree/usr/share/fish/vendor_completions.d/clientpass.fish"
install -d -m 0755 "$tree/$unit_dir"
sed 's|@BINDIR@|/usr/bin|g' contrib/systemd/clientpass.service > "$tree/$unit_dir/clientpass.service"
chmod 0644 "$tree/$unit_dir/clientpass.service"
install -D -m 0644 contrib/dovecot/clientpass.lua "$tree/usr/share/clientpass/dovecot/clientpass.lua"
install -D -m 0644 packaging/deb/clientpass.yaml "$tree/etc/clientpass/clientpass.yaml"
doc="$tree/usr/share/doc/clientpass"
install -D -m 0644 packaging/deb/copyright "$doc/copyright"
install -D -m 0644 packaging/deb/clientpass.example.yaml "$doc/examples/clientpass.yaml"
for file in README.md docs/*.md; do gzip -9n < "$file" > "$doc/$(basename "$file").gz"; done
chmod 0644 "$doc"/*.gz
date="$(git log -1 --format=%aD 2>/dev/null || date -R)"
printf 'clientpass (%s) %s; urgency=medium\n\n  * clientpass %s: what changed, and what scripts notice, is in\n    /usr/share/doc/clientpass/operations.md.gz ("Upgrades").\n\n -- clientpass developers <maintainers@clientpass.dev>  %s\n' \
    "$version" "$release" "$upstream" "$date" | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"
install -D -m 0644 packaging/deb/lintian-overrides "$tree/usr/share/lintian/overrides/clientpass"

# Depends, from the release's own shared libraries.
work="$(mktemp -d "$root/tmp/clientpass-shlibdeps.XXXXXX")"
trap 'rm -rf "$tree" "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: clientpass\n\nPackage: clientpass\nArchitecture: amd64\n' > "$work/debian/control"
cp "$tree/usr/bin/clientpass" "$work/clientpass"
inside="/${work#"$root"}"
inside="/${inside#/}"
if [ "$root" = "/" ]; then run=(sh -c); else run=(chroot "$root" sh -c); fi
depends="$("${run[@]}" "cd '$inside' && dpkg-shlibdeps -O -e clientpass 2>/dev/null" | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "make-deb.sh: dpkg-shlibdeps found no dependencies in $root" >&2; exit 1; }

install -d -m 0755 "$tree/DEBIAN"
size="$(du -sk --exclude=DEBIAN "$tree" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@DEPENDS@|$depends|" -e "s|@INSTALLED_SIZE@|$size|" packaging/deb/control.in > "$tree/DEBIAN/control"
echo /etc/clientpass/clientpass.yaml > "$tree/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$tree/DEBIAN/$script"; done
(cd "$tree" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | LC_ALL=C sort | xargs md5sum) > "$tree/DEBIAN/md5sums"
chmod 0644 "$tree/DEBIAN/control" "$tree/DEBIAN/conffiles" "$tree/DEBIAN/md5sums"
mkdir -p "$out"
# DEB_COMPRESSION: dpkg-deb's compression (xz, Debian's own, by default; make test's packages,
# which only the tests install, take gzip -1, which packs the 100 MB binary in seconds).
read -r -a compression <<< "${DEB_COMPRESSION:--Zxz}"
dpkg-deb --root-owner-group "${compression[@]}" --build "$tree" "$out/clientpass_${version}_amd64.deb" >/dev/null
echo "$out/clientpass_${version}_amd64.deb (Depends: $depends)"
