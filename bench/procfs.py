"""What Linux /proc says about processes: the CPU and memory figures the benchmarks and load tests print."""

import contextlib
import os


def children(pid: int) -> list[int]:
    """The live child processes of pid (gunicorn's workers)."""
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU so far of one process (0 when it is gone)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU so far of process pid and its live children (Linux /proc; gunicorn's master and workers)."""
    return sum(cpu_seconds(one) for one in [pid, *children(pid)])


def rss_now_kib() -> int:
    """This process's resident set now, in KiB (0 where /proc has no answer)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
