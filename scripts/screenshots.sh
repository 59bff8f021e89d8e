#!/usr/bin/env bash
# Refreshes docs/screenshots: serves the page on `make run`'s demo store and lets the browser
# test's script (Tests/Support/browser.py) walk through it at desktop and phone widths.
# Usage: scripts/screenshots.sh PATH-TO-CLIENTPASS DEMO-FOLDER OUTPUT-FOLDER
set -euo pipefail
clientpass=$1
folder=$(realpath -m "$2")
output=$(realpath -m "$3")
root=$(cd "$(dirname "$0")/.." && pwd)
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$root/scripts/run-page.sh" "$clientpass" "$folder" "127.0.0.1:$port" > "$folder.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.2
done
rm -rf "$output"
mkdir -p "$output"
/usr/bin/python3 "$root/Tests/Support/browser.py" "http://127.0.0.1:$port" alice@example.com "$folder/mailbox-password.txt" \
    --screenshots "$output"
ls -l "$output"
