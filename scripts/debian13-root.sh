#!/usr/bin/env bash
# Makes (once) a Debian 13 (trixie) root with Debian's own Dovecot 2.4, nginx 1.26 and Postfix, for the
# end-to-end tests that run them with chroot beside the host's Debian 12 (docs/dovecot.md), and
# with the libraries the Debian 13 package of clientpass is linked against (make deb). The
# root is kept in DIR between runs on one machine and made again when the package list below
# changes; a run that is cut short leaves no half-made root.
#
#   scripts/debian13-root.sh [DIR]     (default: /var/cache/clientpass-tests/debian13)
set -euo pipefail
root="${1:-/var/cache/clientpass-tests/debian13}"
packages="dovecot-imapd,dovecot-pop3d,dovecot-submissiond,dovecot-lmtpd,dovecot-auth-lua,nginx,libnginx-mod-mail,postfix"
# What clientpass's Debian 13 binary is linked against, and what works out its package's Depends
# (scripts/build-debs.sh).
packages="$packages,dpkg-dev,libc6-dev,libgcc-14-dev,libstdc++-14-dev,libsodium-dev,libsqlite3-dev,libldap-dev,libqrencode-dev,libssl-dev,libcrypt-dev,zlib1g-dev"
# The mirror of this machine's own Debian sources (deb822 or one-line), else Debian's.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
stamp="trixie $packages vmail=5000"
if [ -f "$root/.clientpass-root" ] && [ "$(cat "$root/.clientpass-root")" = "$stamp" ]; then
    echo "Debian 13 root: $root (kept from an earlier run)"
    exit 0
fi
command -v mmdebstrap >/dev/null || { echo "mmdebstrap is missing: apt-get install mmdebstrap (make deps)" >&2; exit 1; }
started=$(date +%s)
rm -rf "$root.new"
mkdir -p "$(dirname "$root")"
mmdebstrap --quiet --variant=apt --include="$packages" trixie "$root.new" "$mirror"
# The mail user of docs/dovecot.md: uid 5000, above Dovecot's first_valid_uid (500).
echo "vmail:x:5000:5000:virtual mail:/var/vmail:/usr/sbin/nologin" >> "$root.new/etc/passwd"
echo "vmail:x:5000:" >> "$root.new/etc/group"
echo "$stamp" > "$root.new/.clientpass-root"
rm -rf "$root"
mv "$root.new" "$root"
echo "Debian 13 root: $root (made in $(( $(date +%s) - started )) s: $(chroot "$root" dovecot --version | cut -d' ' -f1), $(chroot "$root" nginx -v 2>&1 | cut -d/ -f2))"
