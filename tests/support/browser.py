"""Open an HTML file in Debian's headless Chromium and say what happened.

No driver library: `chromium-headless-shell --dump-dom` prints the DOM after
the scripts ran, `--enable-logging=stderr` prints every console message, and
`--log-net-log` records every network request the page made. The proxy points
at a closed port, so a page that needed the network would also fail to draw.
scripts/install_test_tools.sh installs the browser (`make test` runs it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BROWSERS = ("chromium-headless-shell", "chromium")
CONSOLE_LINE = re.compile(r":INFO:CONSOLE[^\]]*\] (.*)")


@dataclass(frozen=True)
class PageLoad:
    dom: str
    console_messages: list[str]
    network_urls: set[str]  # every URL the page requested but itself (file:// of the page, data: URLs excluded)


def browser() -> str:
    """The installed headless Chromium; an AssertionError (never a skip) when there is none."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(
        "no headless Chromium on PATH: run scripts/install_test_tools.sh as root "
        "(apt-get install chromium-headless-shell)"
    )


def load_page(page: Path, screenshot: Path | None = None, budget_ms: int = 20000) -> PageLoad:
    """Load the page offline, let its scripts run for up to budget_ms of virtual time, report what it did."""
    with tempfile.TemporaryDirectory(prefix="dqp_browser_") as scratch:
        net_log = Path(scratch) / "net.json"
        common = [
            browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0", f"--user-data-dir={scratch}/profile",
            "--proxy-server=http://127.0.0.1:9", "--no-first-run", "--disable-background-networking",
            f"--log-net-log={net_log}", f"--virtual-time-budget={budget_ms}", "--window-size=1400,2400",
        ]
        url = page.resolve().as_uri()
        dumped = subprocess.run(
            [*common, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=False
        )
        if dumped.returncode != 0:
            raise AssertionError(f"chromium failed ({dumped.returncode}):\n{dumped.stderr[-3000:]}")
        console = [match.group(1) for match in CONSOLE_LINE.finditer(dumped.stderr)]
        urls = _requested_urls(net_log)
        if screenshot is not None:
            shot = subprocess.run(
                [*common, f"--screenshot={screenshot}", url], capture_output=True, text=True, timeout=120, check=False
            )
            if shot.returncode != 0 or not screenshot.is_file():
                raise AssertionError(f"chromium screenshot failed ({shot.returncode}):\n{shot.stderr[-3000:]}")
    return PageLoad(dumped.stdout, console, {u for u in urls if not u.startswith(("file:", "data:"))})


def _requested_urls(net_log: Path) -> set[str]:
    if not net_log.is_file():
        raise AssertionError("chromium wrote no net log: cannot tell whether the page used the network")
    text = net_log.read_text()
    try:
        document = json.loads(text)
    except ValueError:  # the log is closed on exit; a killed browser leaves it open-ended
        document = json.loads(text.rstrip().rstrip(",") + "]}")
    return {
        str(event["params"]["url"])
        for event in document.get("events", [])
        if isinstance(event.get("params"), dict) and "url" in event["params"]
    }
