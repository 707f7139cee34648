#!/usr/bin/env python3
"""sizes.py -- checks that production code stays small.

Usage: sizes.py [--max-file N] [--max-function N] SOURCE_DIR

Reads every .c and .h file under SOURCE_DIR/tool, SOURCE_DIR/runtime and
SOURCE_DIR/include (tests are not production code) and prints one line
per offence, "path:line: ...", then exits 1 if there was any:
  - a file longer than --max-file lines (default 800);
  - a function longer than --max-function lines (default 80), counted from
    the line of its opening brace to the line of its closing brace.

How functions are found: comments, string and character literals and
preprocessor lines are blanked (so braces in them do not count), then
braces are counted; a block opened at file level whose opener follows a
')' is a function body (struct, enum and initialiser blocks follow a name
or '='). An `extern "C" {` wrapper is seen through. The code base is
clang-formatted C, which keeps this simple: no K&R definitions, and no
function whose braces are split between #if branches (that is reported
as unbalanced braces rather than guessed at).
"""
import os
import re
import sys

DIRS = ("tool", "runtime", "include")


def blank(src):
    """src with comments, literals and preprocessor lines as spaces (newlines
    kept, so line numbers stay)."""
    token = re.compile(
        r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
        re.S)

    def space(m):
        t = m.group(0)
        if t[0] in "\"'":  # keep the quotes: `extern "C"` must stay visible
            return t[0] + re.sub(r"[^\n]", " ", t[1:-1]) + t[0]
        return re.sub(r"[^\n]", " ", t)

    text = token.sub(space, src)
    out, cont = [], False
    for line in text.split("\n"):
        directive = cont or line.lstrip().startswith("#")
        cont = directive and line.rstrip().endswith("\\")
        out.append("" if directive else line)
    return out


def functions(lines):
    """Yields (name, first line, last line) of each function body; raises
    ValueError on unbalanced braces."""
    depth, start, name, extern_c = 0, 0, "", 0
    header = ""  # file-level text since the last ';' or '}'
    for num, line in enumerate(lines, 1):
        for ch in line:
            if depth == 0 and ch == "{":
                if re.search(r'\bextern\s+"\s*"\s*$', header):
                    extern_c += 1
                    header = ""
                    continue
                start = num if header.rstrip().endswith(")") else 0
                m = re.search(r"(\w+)\s*\(",
                              re.sub(r"__attribute__\s*\(\(.*?\)\)", "", header))
                name = m.group(1) if m else "?"
                depth = 1
            elif depth == 0 and ch == "}" and extern_c:
                extern_c -= 1
                header = ""
            elif depth == 0:
                header = "" if ch in ";}" else header + ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    if start:
                        yield name, start, num
                    header = ""
        if depth == 0:
            header += " "
    if depth != 0 or extern_c:
        raise ValueError("unbalanced braces")


def sources(root):
    for d in DIRS:
        for dirpath, dirnames, files in os.walk(os.path.join(root, d)):
            dirnames.sort()
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(dirpath, f)


def main(argv):
    max_file, max_fn, args = 800, 80, list(argv[1:])
    while args and args[0].startswith("--"):
        opt, val = args.pop(0), args.pop(0)
        if opt == "--max-file":
            max_file = int(val)
        elif opt == "--max-function":
            max_fn = int(val)
        else:
            sys.exit("sizes.py: unknown option " + opt)
    if len(args) != 1:
        sys.exit(__doc__.split("\n\n")[1])
    root, bad, nfiles, nfuncs = args[0], 0, 0, 0
    for path in sources(root):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            src = f.read()
        nfiles += 1
        nlines = src.count("\n") + (0 if src.endswith("\n") else 1)
        if nlines > max_file:
            print(f"{rel}:1: file has {nlines} lines (at most {max_file})")
            bad += 1
        try:
            for name, first, last in functions(blank(src)):
                nfuncs += 1
                if last - first + 1 > max_fn:
                    print(f"{rel}:{first}: function {name} has "
                          f"{last - first + 1} lines (at most {max_fn})")
                    bad += 1
        except ValueError as e:
            print(f"{rel}:1: {e}; cannot measure its functions")
            bad += 1
    if nfiles == 0 or nfuncs == 0:
        print(f"sizes.py: no sources found under {root}")
        return 1
    print(f"sizes.py: {nfiles} files, {nfuncs} functions, {bad} too long")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
