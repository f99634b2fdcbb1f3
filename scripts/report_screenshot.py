#!/usr/bin/env python3
"""Make docs/report.png: a screenshot of a real `voicemock report`.

A STAR answer is spoken by espeak-ng, answered in `voicemock practice --answer-file`
(transcribed by the bundled model), written out by `voicemock report`, opened in headless
Chromium (Debian's package, through Playwright), clicked on a word so the playhead and
the current word show, and photographed. The PNG is reduced to a palette to stay small.

    .venv/bin/python scripts/report_screenshot.py            # writes docs/report.png
    .venv/bin/python scripts/report_screenshot.py -o /tmp/shot.png --keep-html /tmp/r.html
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWER = [
    # (sentence, pause after in ms): a STAR answer of about 2:40 with a few fillers.
    ("So, last spring I owned the checkout page for our grocery delivery app.", 500),
    ("About twenty two percent of customers dropped off at the payment step.", 600),
    ("That was the biggest leak in the whole funnel, and it was growing every month.", 500),
    ("Um, the payments team had a fix planned, but it was two quarters away.", 700),
    ("My task was to cut that drop off before the holiday peak, eight weeks out.", 600),
    ("It was not my area, and nobody had asked me to fix it.", 500),
    ("I dug into the session data myself and watched about forty recordings.", 500),
    ("I found that half of the drop off came from one slow address form.", 600),
    ("People typed their card, waited, and then the form cleared itself.", 700),
    (
        "I decided to replace it with a one tap saved card, because customers were paying "
        "for our delay.",
        600,
    ),
    ("I wrote a one page memo with the data and two options.", 400),
    ("Uh, the first option was a quick patch, the second a proper rebuild.", 500),
    ("I chose the patch because the peak was close and the rebuild could follow.", 600),
    ("I think the hardest part was convincing the payments lead.", 500),
    ("She worried about fraud, so I added a limit for new cards.", 500),
    ("The payments team agreed in two days.", 400),
    ("We shipped it in six weeks.", 2300),
    ("The result was that drop off fell from twenty two to nine percent.", 600),
    ("That was about one point two million dollars a year in orders we kept.", 600),
    ("Support tickets about payments went down by a third.", 700),
    ("What I learned is that I should measure the problem before I debate the solution.", 500),
    ("Next time I would bring legal in on day one, because their review cost us a week.", 400),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def speak(path: Path) -> None:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("needs espeak-ng (apt-get install espeak-ng)")
    ssml = "<speak>" + " ".join(f'{s} <break time="{p}ms"/>' for s, p in ANSWER) + "</speak>"
    subprocess.run(
        [espeak, "-m", "-v", "en-us", "-s", "150", "-w", str(path), ssml],
        check=True,
        capture_output=True,
    )


def voicemock(home: Path, *args: str) -> None:
    env = {**os.environ, "VOICEMOCK_HOME": str(home), "NO_COLOR": "1"}
    subprocess.run(
        [sys.executable, "-m", "voicemock", *args],
        check=True,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def screenshot(page_path: Path, out: Path, width: int, height: int) -> int:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("needs chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("document.querySelector('audio').readyState >= 1")
        word = page.locator(".transcript .w.current, .transcript .k-strong .w").first
        word.click()
        page.wait_for_timeout(900)
        page.evaluate("document.querySelector('audio').pause()")
        page.wait_for_timeout(100)
        png = page.screenshot()
        browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out.parent.mkdir(parents=True, exist_ok=True)
    small.save(out, optimize=True)
    return out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--keep-html", type=Path, help="Also keep the report here.")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="voicemock-shot-") as tmp:
        home, wav, page = Path(tmp) / "home", Path(tmp) / "answer.wav", Path(tmp) / "r.html"
        speak(wav)
        voicemock(home, "practice", "--answer-file", str(wav), "--fast", "--no-voice",
                  "--think", "0", "--question", "ow-outside-scope")  # fmt: skip
        voicemock(home, "report", "latest", "-o", str(page))
        size = screenshot(page, args.output, args.width, args.height)
        if args.keep_html:
            shutil.copyfile(page, args.keep_html)
    print(f"wrote {args.output} ({size / 1000:.0f} kB)")


if __name__ == "__main__":
    main()
