"""Replace the merge-conflict blocks of a file, in order, with the given texts.

Usage (from Python): resolve(path, [text1, text2, ...]); a text of None keeps both sides
(ours then theirs)."""

from __future__ import annotations

import re
import sys

BLOCK = re.compile(r"<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n", re.S)


def resolve(path: str, texts: list[str | None]) -> None:
    with open(path) as f:
        s = f.read()
    blocks = list(BLOCK.finditer(s))
    assert len(blocks) == len(texts), (path, len(blocks), len(texts))
    out, last = [], 0
    for m, text in zip(blocks, texts, strict=True):
        out.append(s[last : m.start()])
        out.append(m.group(1) + m.group(2) if text is None else text)
        last = m.end()
    out.append(s[last:])
    with open(path, "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    print(len(BLOCK.findall(open(sys.argv[1]).read())))
