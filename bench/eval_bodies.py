#!/usr/bin/env python3
"""Request bodies for the load benchmarks: one POST /v1/screen JSON object a line (name, type,
country) from each query of an evaluation CSV. usage: eval_bodies.py QUERIES.csv OUT.jsonl"""
import csv
import json
import sys

with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    for row in csv.DictReader(f):
        body = {"name": row["name"]}
        if row.get("type"): body["type"] = row["type"]
        if row.get("country"): body["country"] = row["country"]
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
