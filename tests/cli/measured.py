"""Run the command line in a fresh process and measure its peak memory (bounded input must
mean bounded memory, whatever a hostile file declares)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from tests.conftest import PASSPHRASE

PEAK_LIMIT_MB = 300  # the CLI alone peaks at about 100 MB
# The peak is this process's own: VmHWM of its memory map. (ru_maxrss would not do: Linux
# carries it across exec, so a child would report the peak of the test run that forked it.)
_RUN = ("import sys\n"
        "from firstcontact.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "hwm = [line.split()[1] for line in open('/proc/self/status')\n"
        "       if line.startswith('VmHWM:')][0]\n"
        "print(hwm, file=sys.stderr)\n"
        "sys.exit(code)\n")


@dataclass
class Run:
    code: int
    out: str
    err: str  # without the measurement line
    peak_mb: float


def run_cli(data_dir, *argv: str, stdin: bytes | None = None, timeout: float = 120) -> Run:
    env = {**os.environ, "FIRSTCONTACT_PASSPHRASE": PASSPHRASE}
    done = subprocess.run([sys.executable, "-c", _RUN, "--data-dir", str(data_dir), *argv],
                          input=stdin, capture_output=True, env=env, timeout=timeout,
                          check=False)
    lines = done.stderr.decode().splitlines()
    return Run(done.returncode, done.stdout.decode(), "\n".join(lines[:-1]) + "\n",
               int(lines[-1]) / 1024)
