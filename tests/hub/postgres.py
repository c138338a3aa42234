"""A throwaway PostgreSQL cluster on loopback in a temp dir, with the machine's initdb/pg_ctl.

initdb refuses to run as root (CI runs as root): then the cluster runs as the ``postgres`` user
that Debian's package creates (runuser). Where no cluster can be started, ``start`` returns the
reason, and the PostgreSQL half of the hub suite is skipped with it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    base: Path
    port: int
    run_as: list[str]
    pg_ctl: str

    @property
    def data(self) -> Path:
        return self.base / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://fc@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"postgresql://fc@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def dump(self, database: str) -> bytes:
        pg_dump = _tool("pg_dump")
        assert pg_dump, "pg_dump comes with initdb"
        return subprocess.run([pg_dump, "-h", "127.0.0.1", "-p", str(self.port), "-U", "fc",
                               database], check=True, capture_output=True).stdout

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-m", "immediate",
                        "stop"], capture_output=True, check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def start() -> Cluster | str:
    """A running cluster, or why none could be started."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if not initdb or not pg_ctl:
        return "no initdb/pg_ctl on this machine (Debian package postgresql; `make deps`)"
    run_as: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="fc-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            return "running as root and there is no postgres user to run initdb as"
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    cluster = Cluster(base, port, run_as, pg_ctl)
    steps = [
        [*run_as, initdb, "-D", str(cluster.data), "-U", "fc", "-A", "trust", "-E", "UTF8",
         "--no-sync"],
        [*run_as, pg_ctl, "-D", str(cluster.data), "-l", str(base / "server.log"), "-w",
         "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off "
         "-c full_page_writes=off -c synchronous_commit=off -c max_connections=200", "start"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            cluster.stop()
            return f"PostgreSQL could not be started: {reason[0]}"
    return cluster
