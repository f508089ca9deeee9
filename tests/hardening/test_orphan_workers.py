"""Issue 16, failure 6: killing `threadline match` while forked workers encode the reference left
them alive, parented to init. Workers now die with the process that forked them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

_PARENT = """
import sys, time
from threadline.matching import worker_pool

def work(_):
    time.sleep(120)

pool = worker_pool(2)
futures = [pool.submit(work, i) for i in range(2)]
time.sleep(1.0)
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_forked_workers_die_with_their_parent(how: signal.Signals) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        os.kill(parent.pid, how)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)


_PDF_PARENT = """
import multiprocessing, threading, time
from threadline.server.pdf import render_pdf

html = "<html><body><table>" + "<tr><td>x</td></tr>" * 200000 + "</table></body></html>"
threading.Thread(
    target=render_pdf, args=(html,), kwargs={"timeout_s": 300, "memory_bytes": 4 << 30}, daemon=True
).start()
while not multiprocessing.active_children():
    time.sleep(0.05)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_pdf_renderer_dies_with_the_server() -> None:
    """Found by the soak bench: a server stopped mid-render left its renderer (880 MB) alive."""
    with subprocess.Popen(
        [sys.executable, "-c", _PDF_PARENT], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert children
        time.sleep(1.0)  # past the renderer's start, into its imports
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
