#!/usr/bin/env python3
"""Writes sources that are awkward to quote in a diagnostic (issue #18).

usage: make_hostile_sources.py DIR
  long.tt      an error at column 1000014 of a line of 2 MB
  control.tt   an error on a line holding ESC, BEL, CR and DEL characters
  control2.tt  an error after an ESC on its line
  sum.tt       a flat sum of 5000 terms (length, not depth)
  elif.tt      an if with 1000 elif branches
  tall.tt      a sum of 10001 terms (a tree taller than the parser's limit)
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
head = "import triton\nimport triton.language as tl\n@triton.jit\ndef k(out: *fp32):\n"
with open(os.path.join(out, "long.tt"), "w") as f:
    f.write(head + "    x = '" + "a" * 1000000 + "' + undefined_name + '" + "b" * 1000000 + "'\n")
with open(os.path.join(out, "control.tt"), "w") as f:
    f.write(head + "    y = undefined_name  # \x1b[2J\x07 bell\r\x7f\n")
with open(os.path.join(out, "control2.tt"), "w") as f:
    f.write(head + "    x = '\x1b[31m' + undefined_name\n")
with open(os.path.join(out, "sum.tt"), "w") as f:
    f.write(head + "    x = 0" + "".join(" + %d" % i for i in range(5000)) + "\n"
            + "    tl.store(out, x.to(tl.float32) if False else 1.0)\n")
with open(os.path.join(out, "tall.tt"), "w") as f:
    f.write(head + "    x = 0" + " + 1" * 10001 + "\n")
with open(os.path.join(out, "elif.tt"), "w") as f:
    body = "    i = tl.program_id(0)\n    x = 0.0\n    if i == 0:\n        x = 1.0\n"
    for b in range(1, 1000):
        body += "    elif i == %d:\n        x = %d.0\n" % (b, b + 1)
    f.write(head + body + "    tl.store(out, x)\n")
