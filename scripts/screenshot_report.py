"""Retake docs/report-example.png: the bundled example run into a temporary folder, its report.html
opened in headless Chromium (tests/report/browser.py) and the top of the page captured (``make screenshot``).

Needs Debian's chromium (or Chrome) on the PATH; nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import base64
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.report.browser import Chromium, find_chromium  # noqa: E402  (the checkout's test browser driver)

WIDTH = 1400  # CSS pixels: the report's four outlet columns side by side
MAX_HEIGHT = 2600  # the top of the index: the story list, the first story's facts summary, outlets, frames and tone


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", nargs="?", default=str(REPO / "docs" / "report-example.png"))
    parser.add_argument("--height", type=int, default=MAX_HEIGHT, help=f"most pixels captured (default {MAX_HEIGHT})")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if not executable:
        print("screenshot: no chromium on the PATH (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="presslens-screenshot-") as tmp:
        out = Path(tmp) / "processed"
        command = [sys.executable, "-m", "presslens.cli", "run", "--local", "--raw", str(REPO / "raw")]
        command += ["--out", str(out), "--outlets-file", str(REPO / "outlets.yaml")]
        command += ["--stories-file", str(Path(tmp) / "no-stories.yaml")]
        subprocess.run(command, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        browser = Chromium(executable)
        try:
            visit = browser.visit(
                (out / "report.html").as_uri(), "document.documentElement.scrollHeight", Path(tmp) / "full.png"
            )
            height = min(int(visit.evaluated or args.height), args.height)
            shot = browser.call(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
                },
            )
        finally:
            browser.close()
    Path(args.output).write_bytes(base64.b64decode(shot["data"]))
    print(f"wrote {args.output} ({WIDTH}x{height} of a {visit.evaluated}-pixel page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
