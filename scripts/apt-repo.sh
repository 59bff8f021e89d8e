#!/usr/bin/env bash
# Makes an apt repository of clientpass's packages (`make apt-repo`): a folder any web server
# can serve, with the packages for Debian 12 (bookworm) and 13 (trixie) under pool/, and for each
# release dists/RELEASE/{Release,InRelease,Release.gpg} and main/binary-amd64/Packages(.gz),
# the Release files signed with the OpenPGP key the administrator names (gpg --local-user).
# Packages already in the folder stay, so that apt can still find the versions hosts run now.
#
#   scripts/apt-repo.sh DEBDIR REPODIR KEY
#
# Hosts add it as docs/install.md says: the key's public part in a keyring file named by
# signed-by, so that this repository can vouch for clientpass only.
set -euo pipefail
debs="$1" repo="$2" key="$3"
command -v apt-ftparchive >/dev/null || { echo "apt-ftparchive is missing: apt-get install apt-utils" >&2; exit 1; }
gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 || { echo "no secret OpenPGP key $key for gpg to sign with" >&2; exit 1; }
mkdir -p "$repo/pool/main/c/clientpass"
for release in bookworm trixie; do
    case "$release" in bookworm) suffix=deb12 ;; trixie) suffix=deb13 ;; esac
    found=0
    for deb in "$debs"/clientpass_*~"${suffix}"_amd64.deb; do
        [ -e "$deb" ] || continue
        cp "$deb" "$repo/pool/main/c/clientpass/"
        found=1
    done
    [ "$found" = 1 ] || { echo "no package for $release in $debs" >&2; exit 1; }
    dist="$repo/dists/$release"
    mkdir -p "$dist/main/binary-amd64"
    # Only this release's packages in its index, paths relative to the repository's root.
    (cd "$repo" && apt-ftparchive packages pool/main/c/clientpass | awk -v suffix="~$suffix" '
        BEGIN { RS = ""; ORS = "\n\n" } $0 ~ ("Version: [^\n]*" suffix) { print }') > "$dist/main/binary-amd64/Packages"
    gzip -9nkf "$dist/main/binary-amd64/Packages"
    apt-ftparchive -o APT::FTPArchive::Release::Origin=clientpass -o APT::FTPArchive::Release::Label=clientpass \
        -o APT::FTPArchive::Release::Suite="$release" -o APT::FTPArchive::Release::Codename="$release" \
        -o APT::FTPArchive::Release::Architectures=amd64 -o APT::FTPArchive::Release::Components=main \
        -o APT::FTPArchive::Release::Description="clientpass for Debian $release" release "$dist" > "$repo/Release.$release"
    mv "$repo/Release.$release" "$dist/Release"
    rm -f "$dist/InRelease" "$dist/Release.gpg"
    gpg --batch --yes --local-user "$key" --digest-algo SHA512 --clearsign -o "$dist/InRelease" "$dist/Release"
    gpg --batch --yes --local-user "$key" --digest-algo SHA512 --detach-sign --armor -o "$dist/Release.gpg" "$dist/Release"
done
echo "apt repository in $repo, signed by $key"
