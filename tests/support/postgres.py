"""A throwaway PostgreSQL server for the test suite, or the one the caller names.

``DQP_TEST_POSTGRES_URL`` (postgresql://user:password@host:port/dbname) points
the tests at an existing server. Otherwise a private cluster is created with
``initdb`` in a temporary directory and started with ``pg_ctl`` on a free
loopback port; PostgreSQL refuses to run as root, so as root the cluster is
owned by and run as the ``postgres`` OS user. It is stopped and removed at the
end of the session. Failing to get a server is an error, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    def env(self) -> dict[str, str]:
        """The DQP_PG_* variables the integration profiles read."""
        return {
            "DQP_PG_HOST": self.host,
            "DQP_PG_PORT": str(self.port),
            "DQP_PG_USER": self.user,
            "DQP_PG_PASSWORD": self.password,
            "DQP_PG_DBNAME": self.dbname,
        }

    def url(self) -> str:
        """postgresql://user:password@host:port/dbname, as from_url reads it."""
        credentials = f"{quote(self.user, safe='')}:{quote(self.password, safe='')}"
        return f"postgresql://{credentials}@{self.host}:{self.port}/{self.dbname}"


def from_url(url: str) -> PostgresServer:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DQP_TEST_POSTGRES_URL must be a postgresql:// URL, got {url!r}")
    return PostgresServer(
        host=parsed.hostname or "localhost",
        port=parsed.port or 5432,
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password or ""),
        dbname=(parsed.path or "/postgres").lstrip("/") or "postgres",
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """initdb + pg_ctl start on a free port; stop() shuts it down and deletes it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dqp-pg-"))
        self.data_dir = self.root / "data"
        self.port = _free_port()
        self.as_postgres_user = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_postgres_user:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> PostgresServer:
        for tool in ("initdb", "pg_ctl"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"{tool} is not on PATH; install PostgreSQL or set DQP_TEST_POSTGRES_URL")
        if self.as_postgres_user:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        )
        return PostgresServer("127.0.0.1", self.port, "postgres", "", "postgres")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
