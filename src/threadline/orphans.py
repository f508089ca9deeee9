"""Child processes that die with their parent: a killed `threadline match` or server must not
leave workers (each holding a copy of the reference, or a PDF half rendered) parented to init."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
# Added to a server's job and PDF processes' nice value: on a machine with few cores, a screening
# at the server's own priority took CPU time the requests needed (/health waited 100-200 ms).
BACKGROUND_NICENESS = 10


def die_with_parent(parent: int) -> None:
    """Call first thing in a child: Linux kills it (SIGKILL) when `parent` exits, however."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before the line above: then this process is already adopted.
    if os.getppid() != parent:
        os._exit(1)
