#!/usr/bin/env bash
# Makes an apt repository of clientpass's packages (`make apt-repo`): a folder any web server
# can serve, with the packages for Debian 12 (bookworm) and 13 (trixie) under pool/, and for each
# release dists/RELEASE/{Release,InRelease,Release.gpg} and main/binary-amd64/Packages(.gz),
# the Release files signed with the OpenPGP key the administrator names (gpg --local-user).
# Packages already in the folder stay, so that apt can still find the versions hosts run now.
#
#   scripts/apt-repo.sh DEBDIR REPODIR KEY
#
# All or nothing: both releases' packages are checked, and both indexes are made and signed in a
# staging folder inside REPODIR, before anything a host reads changes. Only then are the new
# packages added to pool/ and each release's dists/ folder renamed into place.
#
# Hosts add it as docs/install.md says: the key's public part in a keyring file named by
# signed-by, so that this repository can vouch for clientpass only.
set -euo pipefail
debs="$1" repo="$2" key="$3"
command -v apt-ftparchive >/dev/null || { echo "apt-ftparchive is missing: apt-get install apt-utils" >&2; exit 1; }
gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 || { echo "no secret OpenPGP key $key for gpg to sign with" >&2; exit 1; }
releases="bookworm trixie"
suffix() { case "$1" in bookworm) echo deb12 ;; trixie) echo deb13 ;; esac; }
for release in $releases; do
    compgen -G "$debs/clientpass_*~$(suffix "$release")_amd64.deb" >/dev/null \
        || { echo "no package for $release in $debs: the repository is unchanged" >&2; exit 1; }
done
mkdir -p "$repo/pool/main/c/clientpass" "$repo/dists"
stage=$(mktemp -d "$repo/.staging.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# The pool as it will be: what is there now and the new packages (hard links where possible).
mkdir -p "$stage/pool/main/c/clientpass"
cp -al "$repo/pool/main/c/clientpass/." "$stage/pool/main/c/clientpass/" 2>/dev/null \
    || cp -a "$repo/pool/main/c/clientpass/." "$stage/pool/main/c/clientpass/"
cp -f "$debs"/clientpass_*~deb1[23]_amd64.deb "$stage/pool/main/c/clientpass/"
for release in $releases; do
    suffix=$(suffix "$release")
    dist="$stage/dists/$release"
    mkdir -p "$dist/main/binary-amd64"
    # Only this release's packages in its index, paths relative to the repository's root.
    (cd "$stage" && apt-ftparchive packages pool/main/c/clientpass | awk -v suffix="~$suffix" '
        BEGIN { RS = ""; ORS = "\n\n" } $0 ~ ("Version: [^\n]*" suffix) { print }') > "$dist/main/binary-amd64/Packages"
    gzip -9nkf "$dist/main/binary-amd64/Packages"
    apt-ftparchive -o APT::FTPArchive::Release::Origin=clientpass -o APT::FTPArchive::Release::Label=clientpass \
        -o APT::FTPArchive::Release::Suite="$release" -o APT::FTPArchive::Release::Codename="$release" \
        -o APT::FTPArchive::Release::Architectures=amd64 -o APT::FTPArchive::Release::Components=main \
        -o APT::FTPArchive::Release::Description="clientpass for Debian $release" release "$dist" > "$stage/Release.$release"
    mv "$stage/Release.$release" "$dist/Release"
    gpg --batch --yes --local-user "$key" --digest-algo SHA512 --clearsign -o "$dist/InRelease" "$dist/Release"
    gpg --batch --yes --local-user "$key" --digest-algo SHA512 --detach-sign --armor -o "$dist/Release.gpg" "$dist/Release"
done
# Everything is made and signed: add the packages (nothing names them yet), then swap each
# release's index in with one rename.
cp -f "$debs"/clientpass_*~deb1[23]_amd64.deb "$repo/pool/main/c/clientpass/"
for release in $releases; do
    if [ -e "$repo/dists/$release" ]; then
        mv "$repo/dists/$release" "$stage/old-$release"
    fi
    mv "$stage/dists/$release" "$repo/dists/$release"
done
echo "apt repository in $repo, signed by $key"
