#!/usr/bin/env python3
"""The libFuzzer jobs (docs/RELIABILITY.md).

  scripts/fuzz.py seed   BUILD          seeds BUILD/fuzz/seeds/<target> from ../shared/data and data/
  scripts/fuzz.py run    BUILD SECONDS  fuzzes every target for SECONDS over seeds + committed corpus
  scripts/fuzz.py replay BUILD SECONDS  runs every committed input once, then fuzzes SECONDS each

BUILD is a build directory configured with -DCLEARANCE_FUZZ=ON (clang). The committed corpus is
fuzz/corpus/<target> (a few KB each, written for the project) and fuzz/regressions/<target> (every
crash or hang found, also a gtest). A finding stops with libFuzzer's report and the input under
BUILD/fuzz/artifacts/<target>/; the script then exits non-zero. Targets: FUZZ_TARGETS (space-separated)
limits the run to some.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "data")
DATA = os.path.join(ROOT, "data")
TARGETS = ["csl_csv", "csl_json", "ofac_csv", "ofac_xml", "un_xml", "ftm_json", "us_layouts", "rule_pack",
           "catalogue", "item_spec", "orders", "alias_table", "snapshot", "http", "name"]
SEED_BYTES = 16 << 10  # a seed longer than this is cut: small inputs fuzz faster


def read(path):
    with open(path, "rb") as f:
        return f.read()


def lines_windows(data, header_lines, window, count):
    """`count` windows of `window` lines spread over the file, each after the first header_lines."""
    lines = data.splitlines(keepends=True)
    head, body = lines[:header_lines], lines[header_lines:]
    if not body:
        return [data]
    step = max(1, len(body) // count)
    out = []
    for start in range(0, len(body), step):
        out.append(b"".join(head + body[start:start + window]))
        if len(out) == count:
            break
    return out


def shared(*parts):
    p = os.path.join(SHARED, *parts)
    return p if os.path.exists(p) else None


def seeds_csl_csv():
    out = lines_windows(read(os.path.join(DATA, "lists/sample-us.csv")), 1, 20, 8)
    for name in ["csl/consolidated-2022-05.csv", "csl/consolidated-2026-07-converted.csv",
                 "csl/samples/consolidated-sample.csv", "csl/samples/consolidated-2019-old-layout.csv"]:
        if p := shared("us", name):
            out += lines_windows(read(p), 1, 12, 12)
    return out


def seeds_csl_json():
    p = shared("us/csl/consolidated-2022-05-converted.json")
    if not p:
        return []
    doc = json.loads(read(p))
    rows = doc["results"]
    out = []
    for start in range(0, len(rows), max(1, len(rows) // 24)):
        part = dict(doc)
        part["results"] = rows[start:start + 4]
        out.append(json.dumps(part).encode())
    return out


def seeds_ofac_csv():
    out = []
    for d, names in [("sdn-2021-07", ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]),
                     ("nonsdn-2025-12", ["cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"]),
                     ("sdn-2025-12", ["alt.csv", "add.csv", "sdn_comments.csv"]), ("sdn-2024-05", ["sdn.csv"])]:
        files = {n: read(p) for n in names if (p := shared("us/ofac", d, n))}
        if not files:
            continue
        primary = files.get(names[0], b"")
        ids_lines = primary.splitlines(keepends=True)
        for start in range(0, max(1, len(ids_lines)), max(1, len(ids_lines) // 10)):
            chunk = ids_lines[start:start + 10]
            ids = {l.split(b",", 1)[0] for l in chunk}
            seed = b""
            for n, data in files.items():
                rows = chunk if n == names[0] else [l for l in data.splitlines(keepends=True)
                                                    if l.split(b",", 1)[0] in ids][:20]
                if not rows and n != names[0]:
                    rows = data.splitlines(keepends=True)[:5]
                seed += b"#FILE " + n.encode() + b"\n" + b"".join(rows)
            out.append(seed)
    for n in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]:
        if p := shared("invalid", n):
            out.append(b"#FILE " + n.encode() + b"\n" + read(p)[:SEED_BYTES])
    return out


def xml_records(data, tag, per_seed, count, wrap_open, wrap_close):
    recs = re.findall(rb"<%s[ >].*?</%s>" % (tag, tag), data, re.S)
    out = []
    for start in range(0, len(recs), max(1, len(recs) // count)):
        out.append(wrap_open + b"".join(recs[start:start + per_seed]) + wrap_close)
    return out


def seeds_ofac_xml():
    out = []
    for n in ["sdn-sample-2014.xml", "nonsdn-sample.xml"]:
        if p := shared("us/ofac/samples", n):
            data = read(p)
            out.append(data)
            head = data[:data.find(b"<sdnEntry>")] if b"<sdnEntry>" in data else b""
            if head:
                out += xml_records(data, b"sdnEntry", 2, 8, head, b"</sdnList>")
    return out


def seeds_un_xml():
    p = shared("un/consolidated-2026-02.xml")
    if not p:
        return []
    data = read(p)
    head = data[:data.find(b"<INDIVIDUALS>")]
    out = xml_records(data, b"INDIVIDUAL", 2, 10, head + b"<INDIVIDUALS>",
                      b"</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>")
    out += xml_records(data, b"ENTITY", 2, 10, head + b"<INDIVIDUALS/><ENTITIES>",
                       b"</ENTITIES></CONSOLIDATED_LIST>")
    return out


def seeds_ftm_json():
    out = lines_windows(read(os.path.join(DATA, "lists/sample-cn.ftm.json")), 0, 6, 6)
    for d in ["us/other", "cn"]:
        if p := shared(d):
            for n in sorted(os.listdir(p)):
                if n.endswith(".ftm.json"):
                    out += lines_windows(read(os.path.join(p, n)), 0, 5, 3)
    return out


def seeds_us_layouts():
    out = []
    for fmt, name in [("bis-dpl", "dpl.txt"), ("bis-csv", "el.csv"), ("bis-csv", "meu.csv"), ("state-isn", "isn.csv"),
                      ("bis-uvl", "uvl.csv"), ("ddtc-debarred", "itar_debarred_parties.csv")]:
        if p := shared("us/samples", name):
            out += [fmt.encode() + b"\n" + w for w in lines_windows(read(p), 1, 10, 3)]
    if p := shared("us/bis/dpl-2022-09.txt"):
        out += [b"bis-dpl\n" + w for w in lines_windows(read(p), 1, 10, 6)]
    return out


def tree_seeds(sub):
    out = []
    base = os.path.join(DATA, sub)
    for d, _, files in os.walk(base):
        for n in sorted(files):
            if n.endswith(".yaml"):
                full = os.path.join(d, n)
                out.append(os.path.relpath(full, base).encode() + b"\n" + read(full))
    return out


def seeds_item_spec():
    out = []
    for d, _, files in os.walk(os.path.join(ROOT, "tests")):
        for n in files:
            if "spec" in n and n.endswith((".yaml", ".yml", ".json")):
                out.append(read(os.path.join(d, n)))
    # Each chip of the catalogue as a spec of its own.
    chips = read(os.path.join(DATA, "items/chips.yaml")).decode()
    for block in re.split(r"\n  - ", chips)[1:12]:
        out.append(("- " + block).encode())
    return out


def seeds_orders():
    out = [read(os.path.join(DATA, "orders/sample-orders.csv"))]
    out += lines_windows(out[0], 1, 5, 6)
    out.append(b"currency,rate\nUSD,1\nCNY,0.1378\nEUR,1.08\n")
    return out


def seeds_alias_table():
    return lines_windows(read(os.path.join(DATA, "text/zh_aliases.tsv")), 1, 10, 10)


def seeds_snapshot(build):
    """Snapshots written by the built binary: `lists import` of small lists into a scratch home."""
    binary = os.path.join(build, "clearance")
    out = []
    if not os.access(binary, os.X_OK):
        return out
    with tempfile.TemporaryDirectory() as home:
        for i, src in enumerate(seeds_csl_csv()[:4] + seeds_ftm_json()[:2]):
            name = os.path.join(home, "src%d.%s" % (i, "csv" if i < 4 else "ftm.json"))
            with open(name, "wb") as f:
                f.write(src)
            subprocess.run([binary, "--home", home, "lists", "import", name, "--name", "l%d" % i],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for d, _, files in os.walk(home):
            out += [read(os.path.join(d, n)) for n in files if n.endswith(".snap")]
    return out


def seeds_name():
    """Names in every script the evaluation sets hold (Arabic, Cyrillic, Hangul, Hebrew, Thai, Chinese)."""
    out = []
    for f in ("world-scripts-dev.csv", "cross-script-dev.csv"):
        path = os.path.join(SHARED, "..", "eval", f)
        if os.path.exists(path):
            with open(path, newline="", encoding="utf-8") as fh:
                out += [row["name"].encode() for row in csv.DictReader(fh)][::4]
    return out


def seeds_http():
    return []  # the committed corpus (fuzz/corpus/http) holds a request for every endpoint


def seed(build):
    root = os.path.join(build, "fuzz", "seeds")
    shutil.rmtree(root, ignore_errors=True)
    if not os.path.isdir(SHARED):
        print("fuzz seeds: ../shared/data is absent; only the committed corpus and data/ seed the targets")
    made = {}
    for t in TARGETS:
        fn = globals().get("seeds_" + t)
        if t in ("rule_pack", "catalogue"):
            items = tree_seeds("rules" if t == "rule_pack" else "items")
        elif t == "snapshot":
            items = seeds_snapshot(build)
        else:
            items = fn()
        d = os.path.join(root, t)
        os.makedirs(d, exist_ok=True)
        for i, data in enumerate(items):
            with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
                f.write(data[:SEED_BYTES] if t not in ("snapshot",) else data)
        made[t] = len(items)
    print("fuzz seeds:", ", ".join("%s %d" % kv for kv in made.items()))


def selected():
    only = os.environ.get("FUZZ_TARGETS", "").split()
    return [t for t in TARGETS if not only or t in only]


def corpus_dirs(t):
    return [d for d in (os.path.join(ROOT, "fuzz", "corpus", t), os.path.join(ROOT, "fuzz", "regressions", t))
            if os.path.isdir(d) and os.listdir(d)]


def fuzz(build, t, seconds, dirs):
    binary = os.path.join(build, "fuzz", "fuzz_" + t)
    artifacts = os.path.join(build, "fuzz", "artifacts", t)
    work = os.path.join(build, "fuzz", "work", t)  # new inputs found go here, never into the source tree
    os.makedirs(artifacts, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    dict_path = os.path.join(ROOT, "fuzz", "dict", t + ".dict")
    cmd = [binary, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2560", "-max_len=16384",
           "-print_final_stats=1", "-artifact_prefix=" + artifacts + "/"]
    if os.path.exists(dict_path):
        cmd.append("-dict=" + dict_path)
    cmd += [work] + dirs
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    stats = dict(re.findall(r"stat::(\w+):\s+(\d+)", p.stdout))
    line = "fuzz_%-12s %5.0f s  %8s runs  %6s exec/s  cov %s  rc %d" % (
        t, time.time() - t0, stats.get("number_of_executed_units", "?"), stats.get("average_exec_per_sec", "?"),
        (re.findall(r"cov: (\d+)", p.stdout) or ["?"])[-1], p.returncode)
    print(line, flush=True)
    if p.returncode != 0:
        print(p.stdout[-6000:])
    return p.returncode == 0


def replay(build, t):
    """Every committed input once (libFuzzer runs files given by name once each)."""
    binary = os.path.join(build, "fuzz", "fuzz_" + t)
    files = [os.path.join(d, n) for d in corpus_dirs(t) for n in sorted(os.listdir(d))]
    if not files:
        print("fuzz_%s: no committed corpus" % t)
        return False
    p = subprocess.run([binary, "-timeout=10", "-rss_limit_mb=2560"] + files, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace")
    print("fuzz_%-12s replayed %d committed inputs, rc %d" % (t, len(files), p.returncode), flush=True)
    if p.returncode != 0:
        print(p.stdout[-6000:])
    return p.returncode == 0


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("seed", "run", "replay"):
        print(__doc__)
        return 2
    build = os.path.abspath(sys.argv[2])
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    if sys.argv[1] == "seed":
        seed(build)
        return 0
    ok = True
    if sys.argv[1] == "run":
        if os.environ.get("FUZZ_SEED", "1") != "0":  # FUZZ_SEED=0: keep the seeds of an earlier run
            seed(build)
        for t in selected():
            seeds = os.path.join(build, "fuzz", "seeds", t)
            ok = fuzz(build, t, seconds, [seeds] + corpus_dirs(t)) and ok
    else:
        for t in selected():
            ok = replay(build, t) and ok
        for t in selected():
            ok = fuzz(build, t, seconds, corpus_dirs(t)) and ok
    print("fuzz: " + ("no findings" if ok else "FINDINGS (inputs under %s/fuzz/artifacts)" % build))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
