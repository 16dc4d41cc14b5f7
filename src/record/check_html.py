#!/usr/bin/python3
"""Checks that Faro's HTML reports and manuals are well-formed and self-contained.

Usage: check_html.py FILE...

Each file is read with Python's html.parser. It must close every element in order (void
elements and SVG's "/>" excepted), hold no <script>, <iframe>, <object>, <embed>, <link> or
<img>, no event-handler attribute ("on..."), no link or source outside the file (http:, https:,
//, javascript:, data:) and no stylesheet that fetches anything (url(), @import). Exit status 0
when every file passes, 1 otherwise (each problem printed as FILE:LINE:COLUMN: what).
"""
import html.parser
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FORBIDDEN = {"script", "iframe", "object", "embed", "link", "img", "frame", "applet"}
OUTSIDE = ("http:", "https:", "//", "javascript:", "data:")


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.problems = []
        self.in_style = False

    def problem(self, what):
        line, col = self.getpos()
        self.problems.append(f"{line}:{col + 1}: {what}")

    def check_attrs(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"<{tag}> has an event handler {name}")
            if name in ("href", "src", "action", "xlink:href") and value is not None:
                if value.strip().lower().startswith(OUTSIDE):
                    self.problem(f"<{tag}> points outside the file: {value}")

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.problem(f"forbidden element <{tag}>")
        self.check_attrs(tag, attrs)
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.problem(f"forbidden element <{tag}>")
        self.check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if not self.open or self.open[-1] != tag:
            self.problem(f"</{tag}> closes <{self.open[-1]}>" if self.open else f"</{tag}> closes nothing")
            return
        self.open.pop()

    def handle_data(self, data):
        if self.in_style and ("url(" in data or "@import" in data):
            self.problem("the stylesheet fetches something")


def check(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    c = Checker()
    c.feed(text)
    c.close()
    problems = list(c.problems)
    if c.open:
        problems.append(f"end: <{c.open[-1]}> is never closed")
    if not text.startswith("<!DOCTYPE html>"):
        problems.append("1:1: no <!DOCTYPE html>")
    return [f"{path}:{p}" for p in problems]


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
