"""A throwaway dbt project that declares the two bench tables as dqp sources,
and the `dbt` / `dqp` processes run on it, each under /usr/bin/time -v."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.data import CURRENT_TABLE, REFERENCE_TABLE

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TIME_BINARY = Path("/usr/bin/time")
SOURCE_NAME = "bench"
DATASET_NAME = CURRENT_TABLE  # dqp's default dataset_name is the node name

DBT_PROJECT_YML = """\
name: dqp_bench
version: "1.0.0"
config-version: 2
profile: dqp_bench
model-paths: ["models"]
clean-targets: ["target", "dbt_packages", "logs"]
"""

PROFILES_YML = """\
dqp_bench:
  target: "{{ env_var('DQP_BENCH_TARGET') }}"
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('DQP_DUCKDB_PATH') }}"
      schema: "{{ env_var('DQP_SCHEMA') }}"
      threads: 1
    postgres:
      type: postgres
      host: "{{ env_var('DQP_PG_HOST') }}"
      port: "{{ env_var('DQP_PG_PORT') | as_number }}"
      user: "{{ env_var('DQP_PG_USER') }}"
      password: "{{ env_var('DQP_PG_PASSWORD', '') }}"
      dbname: "{{ env_var('DQP_PG_DBNAME') }}"
      schema: "{{ env_var('DQP_SCHEMA') }}"
      threads: 1
"""

SOURCES_YML = f"""\
version: 2
sources:
  - name: {SOURCE_NAME}
    schema: "{{{{ env_var('DQP_BENCH_SOURCE_SCHEMA') }}}}"
    tables:
      - name: {REFERENCE_TABLE}
      - name: {CURRENT_TABLE}
        config:
          meta:
            dqp:
              reference: {{relation: '{SOURCE_NAME}.{REFERENCE_TABLE}'}}
"""


@dataclass(frozen=True)
class ProcessRun:
    """One timed process: wall seconds, peak RSS, exit code and output."""

    args: list[str]
    seconds: float
    max_rss_kb: int | None
    returncode: int
    stdout: str
    stderr: str
    log_dir: Path | None = None

    def require(self, allowed: Sequence[int] = (0,)) -> ProcessRun:
        if self.returncode not in allowed:
            raise RuntimeError(
                f"{' '.join(self.args)} exited {self.returncode}:\n{self.stdout[-4000:]}\n{self.stderr[-4000:]}"
            )
        return self


# Without GNU time: a fresh Python parent whose only child is the command, so
# getrusage(RUSAGE_CHILDREN) is that command's peak RSS (kB on Linux).
RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(f'Maximum resident set size (kbytes): {peak}\\n')\n"
    "sys.exit(code)\n"
)


def timed_process(args: Sequence[str], cwd: Path, env: dict[str, str]) -> ProcessRun:
    """Run a process, timing its wall clock here and its peak RSS with /usr/bin/time -v."""
    handle, name = tempfile.mkstemp(prefix="dqp-bench-", suffix=".time")
    os.close(handle)
    rss_file = Path(name)
    if TIME_BINARY.exists():
        command = [str(TIME_BINARY), "-v", "-o", str(rss_file), *args]
    else:
        command = [sys.executable, "-c", RUSAGE_WRAPPER, str(rss_file), *args]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rss_file.read_text())
    rss_file.unlink()
    max_rss_kb = int(match.group(1)) if match else None
    return ProcessRun(list(args), seconds, max_rss_kb, result.returncode, result.stdout, result.stderr)


@dataclass
class BenchProject:
    path: Path
    env: dict[str, str] = field(default_factory=dict)
    _log_counter: int = 0

    @classmethod
    def create(
        cls,
        path: Path,
        engine_env: dict[str, str],
        source_schema: str,
        sources_yml: str = SOURCES_YML,
        project_vars: dict[str, object] | None = None,
    ) -> BenchProject:
        """project_vars go in the project's dbt_project.yml, so every run (and its --vars) keeps them."""
        (path / "models").mkdir(parents=True, exist_ok=True)
        extra_vars = f"vars: {json.dumps(project_vars)}\n" if project_vars else ""
        (path / "dbt_project.yml").write_text(DBT_PROJECT_YML + extra_vars)
        (path / "profiles.yml").write_text(PROFILES_YML)
        (path / "packages.yml").write_text(f"packages:\n  - local: {json.dumps(str(REPO_ROOT))}\n")
        (path / "models" / "sources.yml").write_text(sources_yml)
        env = {
            **engine_env,
            "DBT_PROFILES_DIR": str(path),
            "DQP_BENCH_SOURCE_SCHEMA": source_schema,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            # The hook logs megabytes of SQL; keep the whole run in one log file.
            "DBT_LOG_FILE_MAX_BYTES": "0",
        }
        project = cls(path, env)
        project.dbt("deps").require()
        return project

    def set_storage_schema(self, schema: str) -> None:
        """The dbt target schema, where dqp's storage and audit tables go."""
        self.env["DQP_SCHEMA"] = schema

    def dbt(self, *args: str, target_path: str = "target") -> ProcessRun:
        """`dbt <args>` with a fresh JSON file log (dbt logs to file at debug level by default).

        A run with other --vars should get its own target_path: dbt discards its
        partial parse when the vars change, which would penalise the next run.
        """
        self._log_counter += 1
        log_dir = self.path / "logs" / f"{self._log_counter:04d}"
        shutil.rmtree(log_dir, ignore_errors=True)
        extra = ["--log-path", str(log_dir), "--log-format-file", "json"]
        env = {**self.env, "DBT_TARGET_PATH": target_path}
        run = timed_process([str(BIN / "dbt"), *args, *extra], self.path, env)
        return ProcessRun(run.args, run.seconds, run.max_rss_kb, run.returncode, run.stdout, run.stderr, log_dir)

    def dqp_check(self, *args: str) -> ProcessRun:
        return timed_process([str(BIN / "dqp"), "check", "--format", "json", *args], self.path, self.env)


def check_summary(run: ProcessRun) -> dict[str, Any]:
    """Decision and signal count per dataset from `dqp check --format json`."""
    try:
        payload = json.loads(run.stdout)
    except json.JSONDecodeError:
        return {}
    return {
        item["dataset_name"]: {"decision": item["decision"], "signals": len(item["signals"])}
        for item in payload.get("datasets", [])
    }
