"""Outbox, sync and endpoint throughput. Prints exactly one JSON object.

- enqueues_per_s: durable submits (one transaction each, WAL + synchronous FULL, on disk)
- deliveries_per_s: one kiosk delivering a backlog in batches to `kiosk endpoint serve` (SQLite)
- resume_after_kill_s: a kiosk killed with SIGKILL mid-sync; a new process opens the outbox,
  resets the stale claims and delivers its first batch (interpreter start included)
- endpoint_accepted_per_s: 100 simulated kiosks (each its own outbox, signing key and sync) in
  4 client processes syncing at once against PostgreSQL behind several uvicorn workers
- duplicates: after every answer is "lost" and everything is resent, dossiers stored twice
Targets (2 cores): >= 300 enqueues/s, >= 500 deliveries/s, >= 1000 accepted/s, 0 duplicates.
Usage: python benchmarks/outbox.py [--kiosks 100] [--per-kiosk 100] [--workers 3]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.outbox import Outbox  # noqa: E402
from app.sync import make_client, sync_once  # noqa: E402
from tests.fixtures.endpoint import EndpointProcess  # noqa: E402
from tests.fixtures.postgres import PgServer  # noqa: E402

PAYLOAD = {"guest": {"full_name": "Nguyễn Văn Bench", "id_number": "079000000000",
                     "date_of_birth": "1990-01-01", "address": "Phường Bến Nghé, TP.HCM"},
           "stay": {"arrival": "2026-11-23T14:00", "room": "101", "reason": "du lịch"}}


def bench_enqueue(tmp: Path, n: int = 1000) -> float:
    ob = Outbox.open(tmp / "enq.db", tmp / "enq.key")
    t = time.perf_counter()
    for _ in range(n):
        ob.submit("lodging.notify", PAYLOAD)
    dt = time.perf_counter() - t
    ob.close()
    return n / dt


def bench_deliver(tmp: Path, n: int = 3000, batch: int = 100) -> tuple[float, EndpointProcess]:
    ep = EndpointProcess(str(tmp / "ep.sqlite3")).start()
    secret = os.urandom(32)
    ep.register_kiosk("bench-1", secret)
    ob = Outbox.open(tmp / "d.db", tmp / "d.key")
    for i in range(0, n, 500):
        ob.submit_many([("lodging.notify", PAYLOAD, None, 0)] * min(500, n - i))
    client = make_client(ep.url, "bench-1", secret, timeout=30)
    t = time.perf_counter()
    report = sync_once(ob, client, batch_size=batch, statuses=False)
    dt = time.perf_counter() - t
    assert report.delivered == n, report
    client.close()
    ob.close()
    return n / dt, ep


RESUME_CHILD = r"""
import sys, time
t0 = float(sys.argv[5])
from pathlib import Path
from app.outbox import Outbox
from app.sync import make_client, sync_once
ob = Outbox.open(Path(sys.argv[1]), Path(sys.argv[2]))
opened = time.time() - t0
c = make_client(sys.argv[3], "bench-r", bytes.fromhex(sys.argv[4]), timeout=30)
r = sync_once(ob, c, batch_size=int(sys.argv[6]), max_batches=int(sys.argv[7]), statuses=False)
print(opened, time.time() - t0, r.delivered, flush=True)
"""


def bench_resume(tmp: Path, ep: EndpointProcess) -> dict:
    secret = os.urandom(32)
    ep.register_kiosk("bench-r", secret)
    ob = Outbox.open(tmp / "r.db", tmp / "r.key")
    for _ in range(10):
        ob.submit_many([("lodging.notify", PAYLOAD, None, 0)] * 500)
    ob.close()
    args = [str(tmp / "r.db"), str(tmp / "r.key"), ep.url, secret.hex()]
    p = subprocess.Popen([sys.executable, "-c", RESUME_CHILD, *args, str(time.time()), "20",
                          "1000"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    # kill once the child is delivering: some rows are in `sending` (claimed, unanswered)
    conn = sqlite3.connect(tmp / "r.db", timeout=10)
    stale = 0
    deadline = time.time() + 30
    while time.time() < deadline and not stale:
        time.sleep(0.005)
        stale = conn.execute("SELECT count(*) FROM outbox WHERE state='sending'").fetchone()[0]
    p.send_signal(signal.SIGKILL)
    p.wait()
    p.stdout.close()
    stale = conn.execute("SELECT count(*) FROM outbox WHERE state='sending'").fetchone()[0]
    left = conn.execute("SELECT count(*) FROM outbox WHERE state='queued'").fetchone()[0]
    conn.close()
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", RESUME_CHILD, *args, str(t0), "50", "1"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return {"resume_stale_rows": stale, "resume_backlog": left + stale,
            "resume_open_s": round(float(out[0]), 3),
            "resume_after_kill_s": round(float(out[1]), 3), "resume_first_batch": int(out[2])}


def _kiosk_group(url: str, tmp: str, kiosks: list[tuple[str, str]], resend: bool, start,
                 results) -> None:
    import threading

    logging.disable(logging.CRITICAL)
    outboxes = []
    for kid, secret_hex in kiosks:
        ob = Outbox.open(Path(tmp) / f"{kid}.db", Path(tmp) / f"{kid}.key")
        if resend:  # every answer "lost": the rows go again
            ob.db.execute("UPDATE outbox SET state='queued', next_attempt_at=0")
        outboxes.append((ob, make_client(url, kid, bytes.fromhex(secret_hex), timeout=60)))
    delivered = []

    def run(ob, client):
        delivered.append(sync_once(ob, client, batch_size=100, statuses=False).delivered)

    threads = [threading.Thread(target=run, args=oc) for oc in outboxes]
    start.wait()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for ob, client in outboxes:
        client.close()
        ob.close()
    results.put(sum(delivered))


def bench_endpoint(tmp: Path, n_kiosks: int, per_kiosk: int, workers: int) -> dict:
    pg = PgServer(durable=True).start()  # fsync and synchronous_commit on, as in production
    ep = None
    try:
        ep = EndpointProcess(pg.create_database(), workers=workers).start()
        kiosks = []
        for k in range(n_kiosks):
            kid, secret = f"kiosk-{k:03d}", os.urandom(32)
            ep.register_kiosk(kid, secret)
            ob = Outbox.open(tmp / f"{kid}.db", tmp / f"{kid}.key")
            ob.submit_many([("lodging.notify", PAYLOAD, None, 0)] * per_kiosk)
            ob.close()
            kiosks.append((kid, secret.hex()))
        rounds = {}
        for resend in (False, True):
            start, results = mp.Event(), mp.Queue()
            groups = [kiosks[i::4] for i in range(4)]
            procs = [mp.Process(target=_kiosk_group, args=(ep.url, str(tmp), g, resend, start,
                                                           results)) for g in groups]
            for p in procs:
                p.start()
            time.sleep(2.0)  # let every group open its outboxes
            t = time.perf_counter()
            start.set()
            delivered = sum(results.get(timeout=600) for _ in procs)
            dt = time.perf_counter() - t
            for p in procs:
                p.join()
            rounds[resend] = (delivered, dt)
        rows = ep.dossiers()
        keys = Counter((r["kiosk_id"], r["idempotency_key"]) for r in rows)
        total = n_kiosks * per_kiosk
        return {
            "endpoint_db": "postgresql (fsync on)", "endpoint_kiosks": n_kiosks, "endpoint_workers": workers,
            "endpoint_dossiers": total,
            "endpoint_accepted_per_s": round(rounds[False][0] / rounds[False][1], 1),
            "endpoint_resend_answers_per_s": round(rounds[True][0] / rounds[True][1], 1),
            "endpoint_stored": len(rows),
            "resent": rounds[True][0],
            "duplicates": sum(n - 1 for n in keys.values()) + max(0, len(rows) - total),
        }
    finally:
        if ep:
            ep.stop()
        pg.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosks", type=int, default=100)
    ap.add_argument("--per-kiosk", type=int, default=100)
    ap.add_argument("--workers", type=int, default=3)
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-", dir=os.environ.get("BENCH_DIR")))
    ep = None
    try:
        out: dict = {"benchmark": "outbox"}
        out["enqueues_per_s"] = round(bench_enqueue(tmp), 1)
        rate, ep = bench_deliver(tmp)
        out["deliveries_per_s"] = round(rate, 1)
        out["delivery_batch"] = 100
        out.update(bench_resume(tmp, ep))
        ep.stop()
        ep = None
        out.update(bench_endpoint(tmp, args.kiosks, args.per_kiosk, args.workers))
        out["targets"] = {"enqueues_per_s": 300, "deliveries_per_s": 500,
                          "endpoint_accepted_per_s": 1000, "duplicates": 0}
        out["met"] = (out["enqueues_per_s"] >= 300 and out["deliveries_per_s"] >= 500
                      and out["endpoint_accepted_per_s"] >= 1000 and out["duplicates"] == 0)
        out["cpus"] = os.cpu_count()
        print(json.dumps(out))
    finally:
        if ep:
            ep.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
