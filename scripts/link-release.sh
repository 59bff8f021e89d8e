#!/usr/bin/env bash
# Links the clientpass binary of the release build (make test's, or make deb's) again, with the
# Swift runtime linked statically, into OUT; against ROOT's libraries when ROOT is given (a root of
# another Debian release, with that release's -dev packages), else against this host's:
#
#   scripts/link-release.sh OUT [ROOT]
#
# The objects are the build's own: the link command is SwiftPM's (from .build/release.yaml) with
# -static-stdlib and full RELRO added, the binary's run path removed and, for ROOT, the libraries
# and the C runtime files taken from ROOT (--sysroot, whose own linker scripts name its libc).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$1" root="${2:-}"
plan=.build/release.yaml
[ -f "$plan" ] || { echo "link-release.sh: no release build in .build (swift build -c release first)" >&2; exit 1; }
# The linker falls back to this host's own folders for what ROOT lacks: a root without its C
# library's -dev files would give a binary for this host under another release's name.
if [ -n "$root" ] && [ ! -f "$root/usr/lib/x86_64-linux-gnu/libc.so" ]; then
    echo "link-release.sh: $root has no libc6-dev (scripts/debian13-root.sh installs the -dev packages)" >&2
    exit 1
fi
/usr/bin/python3 - "$plan" "$out" "$root" <<'PYTHON'
import json, os, re, subprocess, sys
plan, out, root = sys.argv[1:4]
command, arguments = None, None
for line in open(plan):
    match = re.match(r'^  "(.+)":$', line)
    if match:
        command = match.group(1)
    elif command == "C.clientpass-x86_64-unknown-linux-gnu-release.exe" and line.strip().startswith("args:"):
        arguments = json.loads(line.strip()[len("args:"):])
        break
if arguments is None:
    sys.exit("link-release.sh: the release build has no clientpass binary to link")
linked, skip = [], 0
for index, argument in enumerate(arguments):
    if skip:
        skip -= 1
        continue
    if argument == "-o":
        linked += ["-o", out]
        skip = 1
    elif argument == "-Xlinker" and arguments[index + 1].startswith("-rpath="):
        skip = 1
    elif root and argument.startswith("-L/usr/lib/"):
        linked.append("-L" + root + argument[2:])
    else:
        linked.append(argument)
# Full RELRO: the relocations are resolved at start and made read-only (Debian's hardening).
linked[1:1] = ["-static-stdlib", "-Xlinker", "-z", "-Xlinker", "relro", "-Xlinker", "-z", "-Xlinker", "now"]
# The objects were compiled for the shared Swift runtime (as the tests link them), so they name
# Foundation's libraries but not what the static Foundation needs besides them, which a
# -static-stdlib compilation would have named.
linked += ["-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization"]
if root:
    libraries = root + "/usr/lib/x86_64-linux-gnu"
    linked[1:1] = ["-Xlinker", "--sysroot=" + root, "-L" + libraries, "-L" + root + "/lib/x86_64-linux-gnu",
                   "-Xlinker", "-rpath-link=" + libraries]
for object_list in [a[1:] for a in linked if a.startswith("@")]:
    if not os.path.exists(object_list):
        sys.exit("link-release.sh: the release build is incomplete (" + object_list + " is missing)")
# glibc's linker note on mktemp, which the static Foundation calls, is not ours to act on; every
# other line the linker prints is passed on.
result = subprocess.run(linked, stderr=subprocess.PIPE, text=True)
for line in result.stderr.splitlines(keepends=True):
    if "the use of `mktemp' is dangerous" not in line:
        sys.stderr.write(line)
sys.exit(result.returncode)
PYTHON
# Each shared library the binary names must be one ROOT has.
if [ -n "$root" ]; then
    for library in $(readelf -d "$out" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        if [ ! -e "$root/usr/lib/x86_64-linux-gnu/$library" ] && [ ! -e "$root/lib/x86_64-linux-gnu/$library" ] && [ ! -e "$root/lib64/$library" ]; then
            echo "link-release.sh: the binary needs $library, which $root does not have" >&2
            rm -f "$out"
            exit 1
        fi
    done
fi
