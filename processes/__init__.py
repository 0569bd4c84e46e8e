"""Processes of this machine, read from the kernel: whether one is alive, and when it started.

The media watchdog (is an encode's worker still running?) and the search rebuild markers
(is the rebuild's owner still running?) ask the same questions. Standard library only, so
any package may use it; Linux ``/proc`` answers the start time and the zombie state.
"""

import os
from pathlib import Path


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (which may hold spaces), or []."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return stat.rpartition(")")[2].split()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine. Another user's process counts as alive;
    a killed process that nobody has reaped yet (a zombie) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return _stat_fields(pid)[:1] != ["Z"]


def process_start(pid: int) -> str:
    """The kernel's start time of a process (field 22 of its stat), or "" if unknown:
    with the pid it names one process, even after the pid is reused."""
    fields = _stat_fields(pid)
    return fields[19] if len(fields) > 19 else ""
