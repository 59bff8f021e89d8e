#!/usr/bin/python3
"""`make bench-mail`: IMAP logins a second through a real Dovecot 2.3 (and nginx's mail proxy),
with clientpass in front and without it, and a flood of wrong guesses from 1,000 addresses while
an employee logs in. Not part of `make test`.

usage: bench-mail.py --clientpass BIN [--seconds 15] [--runs 3] [--workers 12] [--accounts 32]
                     [--flooders 4] [--flood-connections 16] [--json .run/bench-mail.json]
                     [--lines 0,0c,0l,1,2,3,4,5,flood] [--keep]

Every configuration uses the same accounts and the same Argon2id parameters (t=2, 19 MiB): the
accounts' app passwords are made by clientpass, and Dovecot's own passwd-file holds {ARGON2ID}
hashes of the same passwords at the same cost. Each line is measured --runs times for
--seconds, the lines taking turns in each run; its figures are the medians, and its ratios the
medians of the ratios within each run. The load generator is --workers Python processes, each
opening a new IMAP connection for every LOGIN and LOGOUT; its own CPU share is reported.

Lines:
  0  Dovecot, no password check (passdb static nopassword=y): the ceiling of Dovecot and the load
  1  Dovecot alone: passwd-file with the {ARGON2ID} hashes
  2  clientpass through checkpassword
  3  clientpass through Dovecot's Lua passdb -> serve /auth/decide, cold (warm path off)
  4  the same, warm (clients reconnecting; the warm path on)
  5  nginx's mail proxy -> serve /auth/nginx, in front of Dovecot: cold, and warm
Reference lines, to show what limits lines 2 and 4 (Dovecot's own cost of each mechanism):
  0c Dovecot's checkpassword passdb running a program that checks nothing (/bin/sh reads the
     request and runs the reply program)
  0l Dovecot's Lua passdb (blocking=yes, as line 4) with a script that answers OK at once
Flood: while 1,000 addresses (127.1.x.y) send wrong guesses for random names over IMAP to the
Dovecot with the Lua passdb, as fast as --flooders processes of --flood-connections connections
can (each address staying under its throttling limit; the generator runs at nice 10, as the
attacker's machines are not this one), one employee logs in over IMAP from the address her mail
client always uses: her latency alone and during the flood, with serve's warm path off and on;
and, beside her IMAP logins, the same login asked of serve's /auth/decide directly, which shows
how long serve itself took to answer her (the rest is Dovecot's).
"""
import argparse
import http.client
import imaplib
import json
import multiprocessing
import os
import pwd
import random
import resource
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LUA_SCRIPT = os.path.join(ROOT, "contrib", "dovecot", "clientpass.lua")
CORES = os.cpu_count() or 1


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port} after {seconds} s")


def argon2id_hash(password):
    """An {ARGON2ID} hash for Dovecot's passwd-file at clientpass's app-password cost."""
    from argon2 import PasswordHasher, Type
    hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
    return "{ARGON2ID}" + hasher.hash(password)


class Lab:
    """A folder with a clientpass store, the accounts, and the servers of one line at a time."""

    def __init__(self, clientpass, accounts):
        self.clientpass = os.path.abspath(clientpass)
        self.folder = tempfile.mkdtemp(prefix="clientpass-bench-mail-")
        os.chmod(self.folder, 0o755)
        os.makedirs(self.folder + "/home", exist_ok=True)
        os.chmod(self.folder + "/home", 0o777)
        self.store = self.folder + "/store/clientpass.sqlite"
        self.env = dict(os.environ, CLIENTPASS_STORE=self.store)
        self.servers = []
        self.secret = "bench-shared-secret-" + "".join(random.choice(string.ascii_lowercase) for _ in range(24))
        with open(self.folder + "/shared-secret", "w") as file:
            file.write(self.secret + "\n")
        os.chown(self.folder + "/shared-secret", 0, grp.getgrnam("dovecot").gr_gid)
        os.chmod(self.folder + "/shared-secret", 0o640)
        self.run(["admin", "init", "--group", "dovecot"])
        self.run(["admin", "policy", "third-party-clients", "allow"])
        self.users = []
        for index in range(accounts):
            name = f"user{index:03d}@example.com"
            self.run(["admin", "account", "add", name, "--password-stdin"], stdin=f"mailbox password of {name}\n")
            issued = json.loads(self.run(["admin", "password", "issue", name, "--label", "bench", "--json"]))
            self.users.append((name, issued["password"].replace(" ", "")))
        with open(self.folder + "/passwd", "w") as file:
            for name, password in self.users:
                file.write(f"{name}:{argon2id_hash(password)}\n")
        os.chmod(self.folder + "/passwd", 0o644)

    def run(self, arguments, stdin=None):
        result = subprocess.run([self.clientpass] + arguments, input=stdin, capture_output=True, text=True, env=self.env)
        if result.returncode != 0:
            raise SystemExit(f"clientpass {' '.join(arguments)} failed: {result.stderr}")
        return result.stdout

    def start(self, arguments, log):
        process = subprocess.Popen(arguments, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=self.folder)
        self.servers.append(process)
        return process

    def stop(self):
        for process in reversed(self.servers):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.servers:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.servers = []

    def close(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    # The servers

    def serve(self, warm):
        port = free_port()
        arguments = [self.clientpass, "serve", "--store", self.store, "--listen", f"127.0.0.1:{port}",
                     "--shared-secret-file", self.folder + "/shared-secret", "--warm-cache-seconds", "300" if warm else "0",
                     "--log-level", "error"]
        if self.backend_port:
            arguments += ["--imap-backend", f"127.0.0.1:{self.backend_port}"]
        self.start(arguments, self.folder + "/serve.log")
        wait_for(port)
        return port

    backend_port = None

    def dovecot(self, name, passdb, extra=""):
        """Dovecot as docs/dovecot.md configures it, on a free port; returns the IMAP port."""
        folder = f"{self.folder}/{name}"
        os.makedirs(folder, exist_ok=True)
        os.chmod(folder, 0o755)
        port = free_port()
        config = f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
instance_name = clientpass-bench-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:{self.folder}/home/%n/Maildir
{extra}
{passdb}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={self.folder}/home/%n
}}
# Argon2id needs its memory inside the auth processes' address-space limit (docs/dovecot.md).
service auth {{
  vsz_limit = 1G
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
}}
"""
        with open(folder + "/dovecot.conf", "w") as file:
            file.write(config)
        self.start(["/usr/sbin/dovecot", "-F", "-c", folder + "/dovecot.conf"], folder + "/dovecot.out")
        wait_for(port)
        return port

    def nginx(self, serve_port):
        port = free_port()
        config = f"""
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log error;
load_module /usr/lib/nginx/modules/ngx_mail_module.so;
worker_processes auto;
events {{ worker_connections 1024; }}
mail {{
  server_name mail.test;
  auth_http 127.0.0.1:{serve_port}/auth/nginx;
  auth_http_header X-Clientpass-Secret "{self.secret}";
  server {{ listen 127.0.0.1:{port}; protocol imap; }}
}}
"""
        with open(self.folder + "/nginx.conf", "w") as file:
            file.write(config)
        self.start(["/usr/sbin/nginx", "-e", self.folder + "/nginx-startup.log", "-p", self.folder, "-c", self.folder + "/nginx.conf"],
                   self.folder + "/nginx.out")
        wait_for(port)
        return port

    def lua_passdb(self, serve_port):
        return f"""
# Enough auth workers that every login waiting for an answer is waiting in clientpass, which
# puts the account's own devices first, not in Dovecot's queue in front of it (docs/dovecot.md).
auth_worker_max_count = 128
import_environment = TZ CLIENTPASS_DECIDE_URL=http://127.0.0.1:{serve_port}/auth/decide CLIENTPASS_SHARED_SECRET_FILE={self.folder}/shared-secret
passdb {{
  driver = lua
  args = file={LUA_SCRIPT} blocking=yes
}}"""

    def configure(self, line, warm=False):
        """Starts the servers of a line; returns the port the load logs in to."""
        self.stop()
        if line == 0:
            return self.dovecot("static", "passdb {\n  driver = static\n  args = nopassword=y\n}")
        if line == "0c":
            program = self.folder + "/checkpassword-nothing.sh"
            with open(program, "w") as file:
                file.write('#!/bin/sh\n# Checks nothing: reads the request (to its end: Dovecot must not get a broken pipe) and runs\n'
                           '# the reply program, as a checkpassword program does on success.\nread -r _ <&3\nexec "$@"\n')
            os.chmod(program, 0o755)
            return self.dovecot("checkpassword-nothing", f"passdb {{\n  driver = checkpassword\n  args = {program}\n}}")
        if line == "0l":
            script = self.folder + "/lua-nothing.lua"
            with open(script, "w") as file:
                file.write("function auth_password_verify(req, password)\n  return dovecot.auth.PASSDB_RESULT_OK, {}\nend\n")
            os.chmod(script, 0o644)
            return self.dovecot("lua-nothing", f"auth_worker_max_count = 128\npassdb {{\n  driver = lua\n  args = file={script} blocking=yes\n}}")
        if line == 1:
            return self.dovecot("passwd-file", f"passdb {{\n  driver = passwd-file\n  args = {self.folder}/passwd\n}}")
        if line == 2:
            return self.dovecot("checkpassword",
                                f"passdb {{\n  driver = checkpassword\n  args = {self.clientpass} checkpassword --store {self.store}\n}}")
        self.backend_port = None
        if line in (3, 4):
            serve_port = self.serve(warm)
            return self.dovecot("lua", self.lua_passdb(serve_port))
        if line == 5:
            self.backend_port = self.dovecot("backend", "passdb {\n  driver = static\n  args = nopassword=y allow_nets=127.0.0.1/32\n}")
            serve_port = self.serve(warm)
            return self.nginx(serve_port)
        raise ValueError(line)


# The load generator

def login_once(port, user, password, source=None):
    """One IMAP connection: LOGIN, LOGOUT. Returns True when the login succeeded."""
    connection = imaplib.IMAP4("127.0.0.1", port, timeout=30) if source is None else _sourced(port, source)
    try:
        connection.login(user, password)
        ok = True
    except imaplib.IMAP4.error:
        ok = False
    try:
        connection.logout()
    except Exception:
        pass
    return ok


class _SourcedIMAP(imaplib.IMAP4):
    def __init__(self, port, source):
        self._source = source
        super().__init__("127.0.0.1", port, timeout=30)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self._source, 0))


def _sourced(port, source):
    return _SourcedIMAP(port, source)


def load_worker(port, users, seconds, results):
    latencies, failures = [], 0
    start = time.time()
    index = 0
    while time.time() - start < seconds:
        user, password = users[index % len(users)]
        index += 1
        began = time.perf_counter()
        try:
            ok = login_once(port, user, password)
        except OSError:
            ok = False
        elapsed = time.perf_counter() - began
        if ok:
            latencies.append(elapsed)
        else:
            failures += 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put({"latencies": latencies, "failures": failures, "cpu": usage.ru_utime + usage.ru_stime})


def load(port, users, seconds, workers):
    """`workers` processes logging in for `seconds`; the logins a second, latencies and the
    generator's CPU share of the machine."""
    results = multiprocessing.Queue()
    shares = [users[index::workers] for index in range(workers)]
    processes = [multiprocessing.Process(target=load_worker, args=(port, share, seconds, results)) for share in shares]
    began = time.time()
    cpu_before = process_cpu()
    for process in processes:
        process.start()
    collected = [results.get() for _ in processes]
    cpu_after = process_cpu()
    for process in processes:
        process.join()
    wall = time.time() - began
    latencies = sorted(latency for result in collected for latency in result["latencies"])
    failures = sum(result["failures"] for result in collected)
    cpu = sum(result["cpu"] for result in collected)
    if failures:
        raise SystemExit(f"{failures} logins failed on port {port}: the benchmark counts only successful logins")
    return {
        "logins_per_second": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "generator_cpu_share": cpu / (wall * CORES),
        # Long-lived processes only (per-login processes come and go): the share of the machine each used.
        "cpu_share_by_process": {kind: round((cpu_after[kind] - cpu_before.get(kind, 0)) / (wall * CORES), 3)
                                 for kind in cpu_after if cpu_after[kind] - cpu_before.get(kind, 0) > 0.05},
    }


def process_cpu():
    """CPU seconds of the processes that matter, by kind: where each configuration spends its
    work (Dovecot's auth process or its auth workers, clientpass serve, nginx, the master with
    the login processes it reaped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    kinds = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                command = [part.decode(errors="replace") for part in file.read().split(b"\0")]
            with open(f"/proc/{entry}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Its own time and that of the children it reaped: the master's includes the login and
        # imap processes, the auth process's the checkpassword processes.
        cpu = sum(int(field) for field in fields[11:15]) / ticks
        try:
            executable = os.readlink(f"/proc/{entry}/exe")
        except OSError:
            continue
        if executable.startswith("/usr/lib/dovecot/"):
            kind = "dovecot " + os.path.basename(executable)
        elif executable == "/usr/sbin/dovecot":
            kind = "dovecot master"
        elif os.path.basename(executable) == "clientpass":
            kind = "clientpass " + (command[1] if len(command) > 1 else "")
        elif executable == "/usr/sbin/nginx":
            kind = "nginx"
        else:
            continue
        kinds[kind] = kinds.get(kind, 0) + cpu
    return kinds


def percentile(values, share):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(share * len(values)))]


# The flood

def flood_worker(imap_port, addresses, stop_at, connections, results):
    """One process of the flood: `connections` threads, each logging in to Dovecot over IMAP
    again and again with a random 16-letter secret for a random name, from a random address of
    its share (127.x.y.z: every loopback address is this machine's), at most 99 guesses an
    address (under the 100 failures an address that the standard throttling allows)."""
    import threading
    os.nice(10)  # the attacker's machines are elsewhere: the generator must not take the CPU the servers need
    lock = threading.Lock()
    counts = {address: 0 for address in addresses}
    totals = {"answered": 0, "busy": 0}

    def guesser():
        rng = random.Random()
        while time.time() < stop_at:
            address = rng.choice(addresses)
            with lock:
                if counts[address] >= 99:
                    continue
                counts[address] += 1
            name = "".join(rng.choice(string.ascii_lowercase) for _ in range(10)) + "@example.com"
            guess = "".join(rng.choice(string.ascii_lowercase) for _ in range(16))
            try:
                connection = _SourcedIMAP(imap_port, address)
                try:
                    connection.login(name, guess)
                    outcome = "allowed"
                except imaplib.IMAP4.error as error:
                    outcome = "busy" if "UNAVAILABLE" in str(error) or "Temporary" in str(error) else "answered"
                try:
                    connection.logout()
                except Exception:
                    pass
            except OSError:
                outcome = "busy"
            with lock:
                totals[outcome] = totals.get(outcome, 0) + 1

    threads = [threading.Thread(target=guesser) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put({**totals, "cpu": usage.ru_utime + usage.ru_stime})


def legit_logins(port, user, password, seconds, source, decide=None):
    """Her IMAP logins, one every 50 ms for `seconds`, and after each, when `decide` is given,
    the same login asked of serve directly: the latencies of both, sorted."""
    latencies, decisions = [], []
    start = time.time()
    while time.time() - start < seconds:
        began = time.perf_counter()
        if not login_once(port, user, password, source=source):
            raise SystemExit(f"the employee's login through port {port} failed")
        latencies.append(time.perf_counter() - began)
        if decide is not None:
            decisions.append(decide())
        time.sleep(0.05)
    return sorted(latencies), sorted(decisions)


class DirectDecision:
    """Her login asked of serve's /auth/decide over one keep-alive connection, as Dovecot's Lua
    passdb asks it: returns how long serve took to answer, and insists on an allow."""

    def __init__(self, serve_port, secret, user, password, address):
        self.connection = http.client.HTTPConnection("127.0.0.1", serve_port, timeout=30)
        self.headers = {"Authorization": "Bearer " + secret, "Content-Type": "application/json"}
        self.body = json.dumps({"user": user, "password": password, "protocol": "imap", "address": address})

    def __call__(self):
        began = time.perf_counter()
        self.connection.request("POST", "/auth/decide", body=self.body, headers=self.headers)
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        elapsed = time.perf_counter() - began
        if response.status != 200 or answer.get("decision") != "allow":
            raise SystemExit(f"serve did not allow the employee: {response.status} {answer}")
        return elapsed


def flood(lab, seconds, flooders, connections, warm):
    """The employee's latency alone, then during a flood of guesses from 1,000 addresses."""
    lab.backend_port = None
    serve_port = lab.serve(warm)
    imap_port = lab.dovecot("flood", lab.lua_passdb(serve_port))
    user, password = lab.users[0]
    source = "127.0.0.1"
    # Her mail client has logged in from this address before (that is what makes it hers).
    login_once(imap_port, user, password, source=source)
    decide = DirectDecision(serve_port, lab.secret, user, password, source)
    alone, decided_alone = legit_logins(imap_port, user, password, seconds, source, decide)
    addresses = [f"127.1.{index // 250}.{index % 250 + 1}" for index in range(1000)]
    results = multiprocessing.Queue()
    stop_at = time.time() + seconds + 2
    processes = [multiprocessing.Process(target=flood_worker, args=(imap_port, addresses[index::flooders], stop_at, connections, results))
                 for index in range(flooders)]
    for process in processes:
        process.start()
    time.sleep(1)  # the flood under way
    during, decided_during = legit_logins(imap_port, user, password, seconds, source, decide)
    collected = [results.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = seconds + 2
    lab.stop()
    return {
        "guesses_per_second": sum(result["answered"] for result in collected) / elapsed,
        "busy_per_second": sum(result["busy"] for result in collected) / elapsed,
        "legit_alone_ms": statistics.median(alone) * 1000,
        "legit_during_ms": statistics.median(during) * 1000,
        "legit_during_p99_ms": percentile(during, 0.99) * 1000,
        "serve_alone_ms": statistics.median(decided_alone) * 1000,
        "serve_during_ms": statistics.median(decided_during) * 1000,
        "serve_during_p99_ms": percentile(decided_during, 0.99) * 1000,
    }


LINES = [
    (0, "Dovecot, no password check", False),
    ("0c", "Dovecot checkpassword, checking nothing", False),
    ("0l", "Dovecot Lua passdb, checking nothing", False),
    (1, "Dovecot alone (passwd-file, ARGON2ID)", False),
    (2, "clientpass checkpassword", False),
    (3, "clientpass Lua -> serve, cold", False),
    (4, "clientpass Lua -> serve, warm", True),
    (5, "nginx -> serve, cold", False),
    (5, "nginx -> serve, warm", True),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clientpass", required=True)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=12, help="load processes (enough that latency, not their number, is not the limit)")
    parser.add_argument("--accounts", type=int, default=32)
    parser.add_argument("--flooders", type=int, default=4, help="processes of the flood")
    parser.add_argument("--flood-connections", type=int, default=16, help="IMAP connections each flood process keeps busy")
    parser.add_argument("--json", default=os.path.join(ROOT, ".run", "bench-mail.json"))
    parser.add_argument("--lines", default="0,0c,0l,1,2,3,4,5,flood")
    parser.add_argument("--keep", action="store_true", help="keep the lab's folder (logs, configuration) and print where")
    arguments = parser.parse_args()
    wanted = arguments.lines.split(",")
    if os.geteuid() != 0:
        raise SystemExit("run as root: Dovecot and nginx are started on loopback as the tests start them")
    pwd.getpwnam("dovecot")

    lab = Lab(arguments.clientpass, arguments.accounts)
    lines = []
    try:
        # The lines take turns: every run measures each line once, so that the machine's drift
        # (a shared VM's neighbours) reaches every line alike, and each ratio is taken within a
        # run, then its median over the runs.
        chosen = [(number, name, warm) for number, name, warm in LINES if str(number) in wanted]
        runs = {name: [] for _, name, _ in chosen}
        for run in range(arguments.runs):
            for number, name, warm in chosen:
                port = lab.configure(number, warm=warm)
                if warm:
                    load(port, lab.users, 2, arguments.workers)  # every client has logged in once
                runs[name].append(load(port, lab.users, arguments.seconds, arguments.workers))
                lab.stop()
                print(f"  run {run + 1}: {name}: {runs[name][-1]['logins_per_second']:.0f} logins/s", file=sys.stderr, flush=True)
        anchor = next((runs[name] for number, name, _ in chosen if number == 1), None)
        ceiling = next((runs[name] for number, name, _ in chosen if number == 0), None)
        for number, name, _ in chosen:
            measured = runs[name]
            medians = {key: statistics.median(run[key] for run in measured) for key in measured[0] if key != "cpu_share_by_process"}
            line = {"name": name, "line": number, **medians, "cpu_share_by_process": measured[len(measured) // 2]["cpu_share_by_process"]}
            line["ratio_to_dovecot"] = statistics.median(mine["logins_per_second"] / theirs["logins_per_second"]
                                                         for mine, theirs in zip(measured, anchor)) if anchor else None
            line["ratio_to_ceiling"] = statistics.median(mine["logins_per_second"] / theirs["logins_per_second"]
                                                         for mine, theirs in zip(measured, ceiling)) if ceiling else None
            line["samples_logins_per_second"] = [round(run["logins_per_second"], 1) for run in measured]
            lines.append(line)
        report = {"cores": CORES, "seconds": arguments.seconds, "runs": arguments.runs, "workers": arguments.workers,
                  "accounts": arguments.accounts, "lines": lines}
        if "flood" in wanted:
            report["flood"] = flood(lab, arguments.seconds, arguments.flooders, arguments.flood_connections, warm=False)
            report["flood_warm"] = flood(lab, arguments.seconds, arguments.flooders, arguments.flood_connections, warm=True)
    finally:
        if arguments.keep:
            lab.stop()
            print(f"kept {lab.folder}", file=sys.stderr)
        else:
            lab.close()

    print(f"{'line':42} {'logins/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x Dovecot':>10} {'x ceiling':>10} {'load CPU':>9}")
    for line in lines:
        ratio = f"{line['ratio_to_dovecot']:.2f}" if line["ratio_to_dovecot"] else "-"
        to_ceiling = f"{line['ratio_to_ceiling']:.2f}" if line["ratio_to_ceiling"] else "-"
        print(f"{line['name']:42} {line['logins_per_second']:9.0f} {line['p50_ms']:8.1f} {line['p99_ms']:8.1f} {ratio:>10} {to_ceiling:>10} "
              f"{line['generator_cpu_share'] * 100:8.0f}%")
    for key in ("flood", "flood_warm"):
        if key in report:
            flood_result = report[key]
            print(f"{key}: {flood_result['guesses_per_second']:.0f} guesses/s answered, {flood_result['busy_per_second']:.0f}/s told to wait; "
                  f"the employee {flood_result['legit_alone_ms']:.1f} ms alone, {flood_result['legit_during_ms']:.1f} ms during "
                  f"({flood_result['legit_during_ms'] / flood_result['legit_alone_ms']:.2f} x, p99 {flood_result['legit_during_p99_ms']:.1f} ms); "
                  f"serve's own answer to her {flood_result['serve_alone_ms']:.2f} ms alone, {flood_result['serve_during_ms']:.2f} ms during "
                  f"(p99 {flood_result['serve_during_p99_ms']:.2f} ms)")
    os.makedirs(os.path.dirname(arguments.json), exist_ok=True)
    with open(arguments.json, "w") as file:
        json.dump(report, file, indent=2)
    print(f"written to {arguments.json}")


if __name__ == "__main__":
    main()
