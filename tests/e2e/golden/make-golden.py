#!/usr/bin/env python3
"""Writes the golden README markdown of the end-to-end fetch test from the feeds it serves.

An independent, deliberately plain reading of shared/FORMAT.md (standard library only, like the
reference script), so the golden file does not come from the app under test. Its output was
reviewed by hand, line by line, against FORMAT.md. The "Last update:" date is left as
YYYY-MM-DD: the test puts in the day of the fetch.

Usage: python3 tests/e2e/golden/make-golden.py > tests/e2e/golden/three-keywords.md
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REAL = HERE.parent.parent / "fixtures" / "arxiv"
OURS = HERE.parent / "fixtures"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
ALLOWED = {"cs", "stat"}

# The keywords of tests/e2e/fetch.test.mjs, in the user's order, with the feed each one gets.
SECTIONS = [
    ("Video Anomaly Detection", OURS / "edge-cases.xml"),
    ("Graphs", OURS / "legacy-layout-cs.xml"),
    ("Software Testing", REAL / "search-10-entries.xml"),
]

HEADER = (
    "# Daily Papers\n"
    "The project automatically fetches the latest papers from arXiv based on keywords.\n\n"
    "The subheadings in the README file represent the search keywords.\n\n"
    "Only the most recent articles for each keyword are retained, up to a maximum of 100 papers.\n\n"
    "You can click the 'Watch' button to receive daily email notifications.\n\n"
    "Last update: YYYY-MM-DD\n\n"
)


def clean(text):
    return re.sub(r"\s+", " ", text or "").strip()


def cell(text):
    return text.replace("|", "\\|")


def comment_cell(comment):
    if len(comment) > 20:
        return f"<details><summary>{comment[:5]}...</summary><p>{comment}</p></details>"
    return comment


def rows(feed_path):
    for entry in ET.parse(feed_path).getroot().findall(ATOM + "entry"):
        cats = [c.get("term") for c in entry.findall(ATOM + "category")]
        if not any(c.split(".")[0] in ALLOWED for c in cats):
            continue
        title = clean(entry.findtext(ATOM + "title"))
        abstract = clean(entry.findtext(ATOM + "summary"))
        comment = clean(entry.findtext(ARXIV + "comment"))
        date = entry.findtext(ATOM + "updated").split("T")[0]
        link = next(l.get("href") for l in entry.findall(ATOM + "link") if l.get("rel") == "alternate")
        yield "| " + " | ".join([
            f"**[{cell(title)}]({link})**",
            date,
            f"<details><summary>Show</summary><p>{cell(abstract)}</p></details>",
            cell(comment_cell(comment)),
        ]) + " |\n"


def main():
    out = [HEADER]
    for keyword, feed in SECTIONS:
        out.append(f"## {keyword}\n")
        out.append("| **Title** | **Date** | **Abstract** | **Comment** |\n")
        out.append("| --- | --- | --- | --- |\n")
        out.extend(rows(feed))
        out.append("\n")
    sys.stdout.write("".join(out))


main()
