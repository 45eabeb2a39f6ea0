#!/usr/bin/env python3
"""Runs one command and prints, as one JSON line, what it cost: wall ms (from spawn to exit),
CPU ms (user + system, from the kernel's rusage of the child), peak RSS MB, exit code and its
stderr. The bench spawns both checkers through this, so both are measured the same way."""
import json
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = (time.perf_counter() - t0) * 1000
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wallMs": wall,
    "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000,
    "maxRssMb": ru.ru_maxrss / 1024,
    "code": proc.returncode,
    "stderr": proc.stderr.decode("utf-8", "replace")[:2000],
}))
