"""A small closed-loop HTTP load generator (processes x threads, keep-alive http.client), and wrk.

Each client thread repeats one "transaction" (one or more requests) as fast as the server answers and
records its latency; throughput is transactions per second over the measured window, after a warm-up.
The generator runs on the same machine as the server and takes CPU from it: its own CPU time is
measured and reported next to every figure. wrk (Debian package `wrk`, written in C) is used as well
for the single-URL targets when it is installed: it needs far less CPU per request.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import re
import resource
import shutil
import statistics
import subprocess
import threading
import time
from urllib.parse import urlsplit

BROWSER_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends; the app compresses its pages


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _client_thread(base, transaction, jobs, warm_until, stop_at, out, lock):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    latencies, errors, statuses = [], 0, {}
    job_index = 0
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            break
        job = None
        if jobs is not None:
            if job_index >= len(jobs):
                break
            job = jobs[job_index]
            job_index += 1
        t0 = time.perf_counter()
        try:
            for method, path, body, headers, expect in transaction(job):
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status != expect:
                    errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            continue
        t1 = time.perf_counter()
        if t0 >= warm_until and t1 <= stop_at:
            latencies.append(t1 - t0)
    conn.close()
    with lock:
        out["latencies"].extend(latencies)
        out["errors"] += errors
        for status, n in statuses.items():
            out["statuses"][status] = out["statuses"].get(status, 0) + n


def _process(base, transaction_name, jobs_per_thread, threads, warm_until, stop_at, queue):
    from bench import transactions

    transaction = getattr(transactions, transaction_name)
    out = {"latencies": [], "errors": 0, "statuses": {}}
    lock = threading.Lock()
    pool = [threading.Thread(target=_client_thread,
                             args=(base, transaction, jobs_per_thread[i] if jobs_per_thread else None,
                                   warm_until, stop_at, out, lock)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu"] = usage.ru_utime + usage.ru_stime
    queue.put(out)


def run(base: str, transaction_name: str, *, connections: int = 16, processes: int = 2, warmup: float = 2.0,
        duration: float = 10.0, jobs: list | None = None, server_cpu=None) -> dict:
    """Drive base with `connections` keep-alive clients for warmup + duration seconds.

    transaction_name names a function in bench.transactions: job -> [(method, path, body, headers,
    expected status), ...]. jobs (optional) are handed out round-robin, each used once.
    """
    per_process = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    start = time.perf_counter() + 0.5
    warm_until, stop_at = start + warmup, start + warmup + duration
    queue = mp.get_context("fork").Queue()
    children = []
    thread_index = 0
    cpu_before = server_cpu() if server_cpu else None
    for threads in per_process:
        jobs_per_thread = None
        if jobs is not None:
            jobs_per_thread = [jobs[i::connections] for i in range(thread_index, thread_index + threads)]
        thread_index += threads
        child = mp.get_context("fork").Process(
            target=_process, args=(base, transaction_name, jobs_per_thread, threads, warm_until, stop_at, queue))
        child.start()
        children.append(child)
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    latencies = [x for r in results for x in r["latencies"]]
    statuses: dict = {}
    for r in results:
        for status, n in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    server_used = (server_cpu() - cpu_before) if server_cpu else None
    client_cpu = sum(r["cpu"] for r in results)
    wall = warmup + duration
    return {
        "transactions": len(latencies),
        "per_second": len(latencies) / duration,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
        "errors": sum(r["errors"] for r in results),
        "statuses": statuses,
        "client_cpu_share": client_cpu / (wall * (os.cpu_count() or 1)),
        "server_cpu_share": (server_used / (wall * (os.cpu_count() or 1))) if server_used is not None else None,
        "connections": connections,
        "generator": f"python {processes}x{connections // processes}",
    }


# --- wrk ------------------------------------------------------------------------------------------------

def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, connections=16, threads=2, duration=10, headers=None, server_cpu=None) -> dict:
    """Run wrk once (after a 2 s warm-up run) and parse req/s and the 50 %/99 % latencies."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", "--latency"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    subprocess.run(args + ["-d2s", url], check=True, capture_output=True, text=True)  # warm-up
    cpu_before = server_cpu() if server_cpu else None
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(args + [f"-d{int(duration)}s", url], check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - t0
    server_used = (server_cpu() - cpu_before) if server_cpu else None
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "per_second": rate, "p50_ms": p50, "p99_ms": p99,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "client_cpu_share": client_cpu / (wall * (os.cpu_count() or 1)),
        "server_cpu_share": (server_used / (wall * (os.cpu_count() or 1))) if server_used is not None else None,
        "connections": connections, "generator": f"wrk {threads}x{connections // threads}",
    }
