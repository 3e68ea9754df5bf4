#!/usr/bin/env python3
"""Writes the golden issue digest (.github/ISSUE_TEMPLATE.md, shared/FORMAT.md section 4) of the
end-to-end move-in test: the three sections of make-golden.py (same feeds, same plain reading),
dated 2026-01-02 (the date of the README the test imports) and linking the repository the test
sets. Each section lists its first 15 papers without the abstract column.

Usage: python3 tests/e2e/golden/make-digest-golden.py > tests/e2e/golden/three-keywords-ISSUE_TEMPLATE.md
"""
import contextlib
import io
import runpy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
# make-golden.py's helpers and sections (its own output, written to stdout on load, is dropped).
with contextlib.redirect_stdout(io.StringIO()):
    G = runpy.run_path(str(HERE / "make-golden.py"))

REPO = "https://github.com/octocat/daily-papers"
TITLE_DATE = "January 02, 2026"


def rows(feed_path):
    ATOM, ARXIV = G["ATOM"], G["ARXIV"]
    for entry in ET.parse(feed_path).getroot().findall(ATOM + "entry"):
        cats = [c.get("term") for c in entry.findall(ATOM + "category")]
        if not any(c.split(".")[0] in G["ALLOWED"] for c in cats):
            continue
        title = G["clean"](entry.findtext(ATOM + "title"))
        comment = G["clean"](entry.findtext(ARXIV + "comment"))
        date = entry.findtext(ATOM + "updated").split("T")[0]
        link = next(l.get("href") for l in entry.findall(ATOM + "link") if l.get("rel") == "alternate")
        yield "| " + " | ".join([
            f"**[{G['cell'](title)}]({link})**",
            date,
            G["cell"](G["comment_cell"](comment)),
        ]) + " |\n"


def main():
    out = [
        f"---\ntitle: Latest 15 Papers - {TITLE_DATE}\nlabels: documentation\n---\n",
        f"**Please check the [Github]({REPO}) page for a better reading experience and more papers.**\n\n",
    ]
    for keyword, feed in G["SECTIONS"]:
        out.append(f"## {keyword}\n")
        out.append("| **Title** | **Date** | **Comment** |\n")
        out.append("| --- | --- | --- |\n")
        out.extend(list(rows(feed))[:15])
        out.append("\n")
    sys.stdout.write("".join(out))


main()
