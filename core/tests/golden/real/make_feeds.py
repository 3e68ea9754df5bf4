#!/usr/bin/env python3
"""Builds the Atom feeds in tests/fixtures/hand/daily-arxiv-*.xml from the real README excerpt
next to this script, in the shape arXiv sends them. Run from this folder:

    python3 make_feeds.py

The rows of README.md are the ground truth; the feeds are what arXiv would have answered for
them. Titles, abstracts and long comments are wrapped over several indented lines (as arXiv's
older feeds do), text is XML-escaped, the pdf link is derived from the abs link, and two entries
outside cs/stat are slipped in so that the category filter has something to drop.
"""
import re
import textwrap
from xml.sax.saxutils import escape, quoteattr

ROW = re.compile(
    r"^\| \*\*\[(?P<title>.*)\]\((?P<link>[^)]*)\)\*\* \| (?P<date>\d{4}-\d\d-\d\d) \| "
    r"<details><summary>Show</summary><p>(?P<abstract>.*)</p></details> \| (?P<comment>.*) \|$"
)
FOLDED = re.compile(r"^<details><summary>.{5}\.\.\.</summary><p>(?P<c>.*)</p></details>$")


def sections(path):
    current = None
    out = {}
    for line in open(path, encoding="utf-8").read().split("\n"):
        if line.startswith("## "):
            current = line[3:]
            out[current] = []
        elif current and line.startswith("| **["):
            m = ROW.match(line)
            assert m, line
            row = m.groupdict()
            folded = FOLDED.match(row["comment"])
            if folded:
                row["comment"] = folded.group("c")
            out[current].append(row)
    return out


def wrap(text, indent, width=78):
    text = escape(text, {'"': "&quot;"})
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    return ("\n" + indent).join(lines)


def entry(row, n, per_element_ns, categories):
    arxiv = ' xmlns:arxiv="http://arxiv.org/schemas/atom"' if per_element_ns else ""
    link = row["link"]
    pdf = link.replace("/abs/", "/pdf/")
    time = "T%02d:%02d:%02dZ" % (n % 24, (n * 7) % 60, (n * 13) % 60)
    parts = [
        "  <entry>",
        "    <id>%s</id>" % escape(link),
        "    <updated>%s%s</updated>" % (row["date"], time),
        "    <published>%s%s</published>" % (row["date"], time),
        "    <title>%s</title>" % wrap(row["title"], "  ", 70),
        "    <summary>  %s\n</summary>" % wrap(row["abstract"], ""),
        "    <author>\n      <name>Author %d</name>\n    </author>" % n,
    ]
    if row["comment"]:
        parts.append("    <arxiv:comment%s>%s</arxiv:comment>" % (arxiv, wrap(row["comment"], "      ", 60)))
    parts += [
        '    <link href=%s rel="alternate" type="text/html"/>' % quoteattr(link),
        '    <link title="pdf" href=%s rel="related" type="application/pdf"/>' % quoteattr(pdf),
        '    <arxiv:primary_category%s term="%s" scheme="http://arxiv.org/schemas/atom"/>' % (arxiv, categories[0]),
    ]
    parts += ['    <category term="%s" scheme="http://arxiv.org/schemas/atom"/>' % c for c in categories]
    parts.append("  </entry>")
    return "\n".join(parts)


DROPPED = {
    "title": "A paper in other archives only, which the category filter drops",
    "link": "http://arxiv.org/abs/2504.99999v1",
    "date": "2025-04-22",
    "abstract": "Kept out of the README: its categories are math.ST and physics.data-an only.",
    "comment": "5 pages",
}

# Every kept paper has a cs or stat category somewhere, not always first.
KEPT_CATEGORIES = [["cs.LG"], ["eess.SP", "cs.CV"], ["stat.ME", "math.ST"], ["cs.AI", "cs.LG"], ["physics.data-an", "stat.ML"]]


def feed(name, rows, per_element_ns):
    if per_element_ns:
        head = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        total = '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">%d</opensearch:totalResults>\n'
    else:
        head = ("<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" "
                "xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n")
        total = "  <opensearch:totalResults>%d</opensearch:totalResults>\n"
    entries = []
    for n, row in enumerate(rows):
        entries.append(entry(row, n, per_element_ns, KEPT_CATEGORIES[n % len(KEPT_CATEGORIES)]))
        if n in (2, 9):
            entries.append(entry(DROPPED, 90 + n, per_element_ns, ["math.ST", "physics.data-an"]))
    with open(name, "w", encoding="utf-8", newline="\n") as f:
        f.write(head + "  <title>arXiv Query</title>\n" + total % (len(rows) + 2) + "\n".join(entries) + "\n</feed>\n")


s = sections("README.md")
feed("../../fixtures/hand/daily-arxiv-time-series.xml", s["Time Series"], per_element_ns=False)
feed("../../fixtures/hand/daily-arxiv-trajectory.xml", s["Trajectory"], per_element_ns=True)
