#!/usr/bin/env python3
"""Crash safety: SIGKILL at random moments (issue 17 item 4, docs/RELIABILITY.md).

Kills the real `clearance` binary, at a random moment of its run, while it is
  import  - `lists import` of a real list (alternating two versions of it),
  update  - `lists update` from a local HTTP server (alternating two versions),
  batch   - `screen --input` of a CSV of names, every row recorded,
  serve   - `clearance serve` under load from three client threads,
and after every kill checks that the data home opens (`lists`), that the list in force is the last
good snapshot (the one before, or the new one complete with all its entries, its file loading),
that `audit verify` passes, and that every answer a client received (a complete output line, a 200
response) has its record on the audit trail.

usage: kill_loop.py BINARY [--shared DIR] [--kills N] [--seed S] [--keep]
Prints the kills per kind and exits 1 on the first failed check. Exits 0 with a message (skip) when
the shared real data is absent.
"""
import argparse
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

UN = "un/consolidated-2026-02.xml"
ECL = "cn/cn_mofcom_export_control_list.ftm.json"


class Failure(Exception):
    pass


class Clearance:
    def __init__(self, binary, home):
        self.binary = binary
        self.home = home

    def argv(self, *args):
        return [self.binary, "--home", self.home, *args]

    def run(self, *args, ok=True, timeout=120):
        p = subprocess.run(self.argv(*args), capture_output=True, text=True, timeout=timeout)
        if ok and p.returncode != 0:
            raise Failure(f"`clearance {' '.join(args)}` exited {p.returncode}: {p.stderr.strip()[:800]}")
        return p

    def lists(self):
        """name -> (id, entries) of the lists in force; the home must open."""
        out = json.loads(self.run("lists", "--format", "json").stdout)
        items = out["lists"] if isinstance(out, dict) else out
        return {l["name"]: (l["snapshot_id"], l["entries"]) for l in items}

    def record_seqs(self):
        """The sequence numbers on the audit trail (audit export)."""
        seqs = set()
        for line in self.run("audit", "export").stdout.splitlines():
            if line.strip():
                seqs.add(json.loads(line)["seq"])
        return seqs


def trimmed_xml(text, share):
    """The UN XML with only the first `share` of its individuals and entities."""
    out, pos = [], 0
    for tag in ("INDIVIDUAL", "ENTITY"):
        open_, close = f"<{tag}>", f"</{tag}>"
        spans, p = [], text.find(open_, pos)
        while p != -1:
            e = text.find(close, p) + len(close)
            spans.append((p, e))
            p = text.find(open_, e)
        keep = int(len(spans) * share)
        out.append(text[pos:spans[0][0]])
        out.extend(text[a:b] for a, b in spans[:keep])
        pos = spans[-1][1]
    out.append(text[pos:])
    return "".join(out)


def killed_at_random(argv, duration, rng, stdout_lines=None):
    """Runs argv and SIGKILLs it after a random part of `duration`; True when it was killed while
    running (not after it had finished). Complete stdout lines read go to stdout_lines."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    reader = None
    if stdout_lines is not None:
        def read():
            for line in proc.stdout:
                if line.endswith("\n"):
                    stdout_lines.append(line)
        reader = threading.Thread(target=read)
        reader.start()
    time.sleep(rng.uniform(0.02, 1.0) * duration)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    if reader:
        reader.join()
    else:
        proc.stdout.close()
    return killed and proc.returncode == -signal.SIGKILL


def timed(f):
    t = time.monotonic()
    f()
    return time.monotonic() - t


class Loop:
    def __init__(self, binary, shared, workdir, rng):
        self.binary = binary
        self.shared = shared
        self.work = workdir
        self.rng = rng
        self.kills = {"import": 0, "update": 0, "batch": 0, "serve": 0}
        self.runs = {k: 0 for k in self.kills}
        self.answers_checked = {k: 0 for k in self.kills}
        un = open(os.path.join(shared, UN), encoding="utf-8").read()
        self.versions = [os.path.join(workdir, "un-a.xml"), os.path.join(workdir, "un-b.xml")]
        with open(self.versions[0], "w", encoding="utf-8") as f:
            f.write(un)
        with open(self.versions[1], "w", encoding="utf-8") as f:
            f.write(trimmed_xml(un, 0.93))

    def home(self, kind):
        path = os.path.join(self.work, "home-" + kind)
        os.makedirs(path, exist_ok=True)
        return Clearance(self.binary, path)

    # ---- the checks after every kill

    def check_home(self, c, what, list_name, before, new_entries):
        """The home opens, the list in force is the previous snapshot or the new one complete (its
        file loads: `lists diff` decodes it and checks its checksum), and the chain verifies."""
        now = c.lists()
        if list_name in now:
            snap = now[list_name]
            if snap != before and snap[1] not in new_entries:
                raise Failure(f"{what}: {list_name} in force is {snap}, neither the previous {before} "
                              f"nor a new snapshot with {sorted(new_entries)} entries")
            c.run("lists", "diff", snap[0], snap[0])
        elif before is not None:
            raise Failure(f"{what}: {list_name} is no longer in force (was {before})")
        c.run("audit", "verify")
        return now.get(list_name)

    def check_answers(self, c, what, seqs):
        have = c.record_seqs()
        missing = sorted(set(seqs) - have)
        if missing:
            raise Failure(f"{what}: {len(missing)} answers a client received have no record, e.g. {missing[:5]}")

    # ---- the kinds

    def run_import(self, target):
        c = self.home("import")
        entries = {}
        for i, v in enumerate(self.versions):  # uninterrupted: the entries of each version
            c.run("lists", "import", v, "--name", "un-kill")
            entries[i] = c.lists()["un-kill"][1]
        duration = timed(lambda: c.run("lists", "import", self.versions[0], "--name", "un-kill"))
        before = c.lists()["un-kill"]
        i = 0
        while self.kills["import"] < target and self.runs["import"] < target * 4:
            i += 1
            v = i % 2
            self.runs["import"] += 1
            if killed_at_random(c.argv("lists", "import", self.versions[v], "--name", "un-kill"), duration,
                                self.rng):
                self.kills["import"] += 1
            before = self.check_home(c, f"import #{i}", "un-kill", before, {entries[v]})

    def run_update(self, target):
        c = self.home("update")
        www = os.path.join(self.work, "www")
        os.makedirs(www, exist_ok=True)
        served = os.path.join(www, "consolidated.xml")

        served_at = [time.time()]

        def serve(version):
            tmp = served + ".tmp"
            shutil.copyfile(self.versions[version], tmp)
            # Each version served is newer by whole seconds: Last-Modified has one-second resolution,
            # and two serves within a second answered the second update 304 Not Modified, so the
            # entries recorded for a version were the other version's (a flaky "neither" failure).
            served_at[0] += 2
            os.utime(tmp, (served_at[0], served_at[0]))
            os.replace(tmp, served)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=www, **kw)

            def log_message(self, *a):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            config = os.path.join(c.home, "sources.yaml")
            with open(config, "w") as f:
                f.write("sources:\n  - name: un-local\n"
                        f"    url: http://127.0.0.1:{server.server_address[1]}/consolidated.xml\n"
                        "    format: un-xml\n    list: un-kill\ndefaults:\n  retries: 0\n")
            entries = {}
            for v in (0, 1):
                serve(v)
                c.run("lists", "update", "un-local")
                entries[v] = c.lists()["un-kill"][1]
            serve(0)
            duration = timed(lambda: c.run("lists", "update", "un-local"))
            before = c.lists()["un-kill"]
            i = 0
            while self.kills["update"] < target and self.runs["update"] < target * 4:
                i += 1
                v = i % 2
                serve(v)
                self.runs["update"] += 1
                if killed_at_random(c.argv("lists", "update", "un-local"), duration, self.rng):
                    self.kills["update"] += 1
                before = self.check_home(c, f"update #{i}", "un-kill", before, {entries[v]})
        finally:
            server.shutdown()

    def run_batch(self, target):
        c = self.home("batch")
        c.run("lists", "import", self.versions[0], "--name", "un-kill")
        before = c.lists()["un-kill"]
        names = os.path.join(self.work, "names.csv")
        rng = random.Random(7)
        words = ["Korea", "Mining", "Trading", "Company", "Bank", "Al", "Ahmad", "Global", "Shipping", "Kim",
                 "Industrial", "Development", "Omar", "Holdings", "Petroleum", "Ali", "General", "Corporation"]
        with open(names, "w") as f:
            f.write("id,name\n")
            for k in range(4000):
                f.write(f"R{k},{' '.join(rng.sample(words, 3))}\n")
        argv = c.argv("screen", "--input", names, "--format", "jsonl")
        duration = timed(lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True))
        i = 0
        while self.kills["batch"] < target and self.runs["batch"] < target * 4:
            i += 1
            self.runs["batch"] += 1
            lines = []
            if killed_at_random(argv, duration, self.rng, lines):
                self.kills["batch"] += 1
            self.check_home(c, f"batch #{i}", "un-kill", before, set())
            seqs = []
            for line in lines:
                j = json.loads(line)
                if "record" not in j:
                    raise Failure(f"batch #{i}: an answer line without its record: {line[:200]}")
                seqs.append(j["record"])
            self.check_answers(c, f"batch #{i}", seqs)
            self.answers_checked["batch"] += len(seqs)

    def run_serve(self, target):
        c = self.home("serve")
        c.run("lists", "import", self.versions[0], "--name", "un-kill")
        before = c.lists()["un-kill"]
        i = 0
        while self.kills["serve"] < target and self.runs["serve"] < target * 4:
            i += 1
            self.runs["serve"] += 1
            port_file = os.path.join(c.home, ".port")
            if os.path.exists(port_file):
                os.remove(port_file)
            proc = subprocess.Popen(c.argv("serve", "--listen", "127.0.0.1:0", "--port-file", port_file,
                                           "--anonymous-role", "analyst", "--rate-limit", "0", "--log",
                                           os.path.join(c.home, "server.log"), "--threads", "2", "--workers", "2"),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            port = None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    text = open(port_file).read()
                    if text.endswith("\n"):
                        port = int(text)
                        break
                except FileNotFoundError:
                    pass
                time.sleep(0.02)
            if port is None:
                proc.kill()
                proc.wait()
                raise Failure(f"serve #{i}: the server did not start (exit {proc.returncode})")
            stop = threading.Event()
            received = []
            lock = threading.Lock()

            def client(n):
                conn = None
                k = 0
                while not stop.is_set():
                    k += 1
                    body = json.dumps({"name": f"Kim Trading {n}-{k}", "country": "KP"})
                    try:
                        if conn is None:
                            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                        conn.request("POST", "/v1/screen", body, {"Content-Type": "application/json"})
                        r = conn.getresponse()
                        data = r.read()
                    except (OSError, http.client.HTTPException):
                        conn = None
                        if stop.is_set():
                            return
                        time.sleep(0.01)
                        continue
                    if r.status == 200:
                        with lock:
                            received.append(json.loads(data)["meta"]["audit_id"])

            threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
            for t in threads:
                t.start()
            time.sleep(self.rng.uniform(0.05, 1.5))
            killed = proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            stop.set()
            for t in threads:
                t.join()
            if killed and proc.returncode == -signal.SIGKILL:
                self.kills["serve"] += 1
            self.check_home(c, f"serve #{i}", "un-kill", before, set())
            self.check_answers(c, f"serve #{i}", received)
            self.answers_checked["serve"] += len(received)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--kills", type=int, default=13, help="kills per kind (default 13: 52 in all)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.shared, UN)):
        print(f"kill-test: skipped: {os.path.join(a.shared, UN)} is absent (the shared real data)")
        return 0
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="clearance-kill-")
    started = time.monotonic()
    loop = Loop(os.path.abspath(a.binary), a.shared, work, rng)
    try:
        for kind in ("import", "update", "batch", "serve"):
            t = time.monotonic()
            getattr(loop, "run_" + kind)(a.kills)
            print(f"kill-test: {kind}: {loop.kills[kind]} kills in {loop.runs[kind]} runs, "
                  f"{loop.answers_checked[kind]} received answers checked, {time.monotonic() - t:.1f} s", flush=True)
    except Failure as e:
        print(f"kill-test: FAILED (seed {seed}, work directory {work} kept): {e}")
        return 1
    total = sum(loop.kills.values())
    print("kills: " + " ".join(f"{k}={v}" for k, v in loop.kills.items()) +
          f" total={total} (seed {seed}, {time.monotonic() - started:.0f} s)")
    short = [k for k, v in loop.kills.items() if v < a.kills]
    if short:
        print(f"kill-test: FAILED: too few kills landed while running for {short}")
        return 1
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
