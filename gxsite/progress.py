"""Progress of a long build, one stage at a time, on stderr.

On a terminal a bar redraws in place; elsewhere (CI=true, a pipe, a log file)
plain lines appear at most every few seconds, so logs stay short but show that
the build is alive.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

_BAR_WIDTH = 30


def is_interactive(stream: TextIO) -> bool:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Stage:
    """One stage's counter: advance() as items finish, done() at the end."""

    def __init__(self, name: str, total: int, stream: TextIO, interactive: bool, interval: float):
        self.name = name
        self.total = total
        self.count = 0
        self.stream = stream
        self.interactive = interactive
        self.interval = interval
        self.started = time.perf_counter()
        self._last_shown = self.started
        if not interactive:
            self._line(f"gxsite: {name}: started ({total} items)")

    def advance(self, n: int = 1) -> None:
        self.count += n
        now = time.perf_counter()
        if now - self._last_shown < self.interval:
            return
        self._last_shown = now
        if self.interactive:
            self._bar()
        else:
            self._line(f"gxsite: {self.name}: {self.count}/{self.total} ({self._percent()}%)")

    def done(self) -> float:
        elapsed = time.perf_counter() - self.started
        if self.interactive:
            self.stream.write("\r\x1b[K")
        self._line(f"gxsite: {self.name}: {self.count}/{self.total} done in {elapsed:.1f} s")
        return elapsed

    def _percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.count * 100 // self.total)

    def _bar(self) -> None:
        filled = _BAR_WIDTH * self._percent() // 100
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        self.stream.write(f"\r{self.name:<24} [{bar}] {self.count}/{self.total}")
        self.stream.flush()

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class Progress:
    """Makes stages; Progress(quiet=True) shows nothing (library use, tests)."""

    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.interactive = is_interactive(self.stream) if interactive is None else interactive
        self.quiet = quiet
        # A bar can redraw often; a log line every few seconds is plenty.
        self.interval = 0.1 if self.interactive else 5.0

    def note(self, text: str) -> None:
        if not self.quiet:
            self.stream.write(f"gxsite: {text}\n")
            self.stream.flush()

    def stage(self, name: str, total: int) -> Stage:
        stream = _Null() if self.quiet else self.stream
        return Stage(name, total, stream, self.interactive and not self.quiet, self.interval)


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass
