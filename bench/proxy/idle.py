#!/usr/bin/env python3
"""Idle cost: CPU ms per second of a gateway that serves nothing.

Starts `spark-control serve -c CONFIG`, waits until it answers /health, lets it settle,
then reads its CPU time (utime + stime of the process) over --seconds.

  python idle.py ../../.venv/bin/spark-control gateway.yaml --port 18090 --seconds 60
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("spark_control")
ap.add_argument("config")
ap.add_argument("--port", type=int, default=18090)
ap.add_argument("--settle", type=float, default=20.0)
ap.add_argument("--seconds", type=float, default=60.0)
a = ap.parse_args()
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


with tempfile.TemporaryDirectory() as data:
    env = dict(os.environ, SPARK_CONTROL__GATEWAY__DATA_DIR=data)
    proc = subprocess.Popen(
        [a.spark_control, "serve", "-c", a.config, "--host", "127.0.0.1", "--port", str(a.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{a.port}/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    sys.exit("the gateway did not start")
                time.sleep(0.5)
        time.sleep(a.settle)
        c0, t0 = cpu_s(proc.pid), time.monotonic()
        time.sleep(a.seconds)
        c1, t1 = cpu_s(proc.pid), time.monotonic()
        load = os.getloadavg()[0]
        print(
            f"idle {os.path.basename(a.config)}: {(c1 - c0) * 1000 / (t1 - t0):.2f} ms CPU/s "
            f"over {t1 - t0:.0f} s (load average {load:.1f})"
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
