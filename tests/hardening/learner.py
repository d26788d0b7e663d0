"""Run ``child.main`` as a separate process and read its acknowledgements without threads.

Two ways to start it: ``spawn`` runs a fresh interpreter (``python child.py``),
exactly like a learner starting the app again; ``fork`` copies this process,
which has already imported everything, so a crash test can afford many rounds.
Either way the child opens its own engine and connections after it starts.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

from .child import main as child_main
from .conftest import CHILD, child_env


class Learner:
    def __init__(self, config: dict, home: Path, how: str = "spawn"):
        self.lines: list[str] = []
        self._buffer = b""
        self._open = True
        if how == "spawn":
            self._proc = subprocess.Popen(
                [sys.executable, str(CHILD), json.dumps(config)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(home),
            )
            self.pid = self._proc.pid
            self._out = self._proc.stdout.fileno()
            self._err = self._proc.stderr.fileno()
        else:
            self._proc = None
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into pytest
                code = 1
                try:
                    os.close(out_r)
                    os.close(err_r)
                    os.environ.update(child_env(home))
                    child_main(config, os.fdopen(out_w, "w"))
                    code = 0
                except BaseException:
                    os.write(err_w, traceback.format_exc().encode())
                finally:
                    os._exit(code)
            os.close(out_w)
            os.close(err_w)
            self.pid, self._out, self._err = pid, out_r, err_r

    @property
    def ready(self) -> bool:
        return "ready" in self.lines

    def pump(self, seconds: float, until_ready: bool = False) -> None:
        """Read acknowledgement lines for ``seconds`` (or until "ready" when asked)."""
        deadline = time.monotonic() + seconds
        while self._open and not (until_ready and self.ready):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if select.select([self._out], [], [], left)[0]:
                chunk = os.read(self._out, 65536)
                if not chunk:
                    self._open = False
                    return
                self._buffer += chunk
                *complete, self._buffer = self._buffer.split(b"\n")  # a line cut by the kill was never acknowledged
                self.lines += [line.decode() for line in complete]

    def kill(self) -> tuple[int, str]:
        """SIGKILL, then collect every line written before it; returns (returncode, stderr)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while self._open:
            self.pump(30)
        if self._proc is not None:
            self._proc.wait(30)
            returncode = self._proc.returncode
            stderr = self._proc.stderr.read().decode(errors="replace")
            self._proc.stdout.close()
            self._proc.stderr.close()
        else:
            _pid, status = os.waitpid(self.pid, 0)
            returncode = os.waitstatus_to_exitcode(status)
            stderr = b""
            while chunk := os.read(self._err, 65536):
                stderr += chunk
            os.close(self._out)
            os.close(self._err)
            stderr = stderr.decode(errors="replace")
        return returncode, stderr
