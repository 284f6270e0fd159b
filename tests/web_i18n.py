#!/usr/bin/python3
"""The web interface's message catalogue (web/i18n/vi.txt) has a text for
every key the pages use: the literal keys in web/*.c, and the keys built
from a name -- every document type and field key of doctypes/*.conf, every
role, every event action of include/sohoa/history.h, every page status and
every dossier metadata key of bundle/dossier.c.  A key without a text
would show a person the key itself.  Also: no key twice, every line
'key = text', and no '{N}' a page does not fill.
"""
import glob
import os
import re
import sys

SRC = os.environ.get("SOHOA_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
fails = 0


def fail(msg):
    global fails
    fails += 1
    print(f"web_i18n: FAIL: {msg}", file=sys.stderr)


def catalogue(lang):
    keys = {}
    with open(os.path.join(SRC, "web", "i18n", f"{lang}.txt"),
              encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if "=" not in s:
                fail(f"{lang}.txt line {n}: not 'key = text'")
                continue
            k, v = (x.strip() for x in s.split("=", 1))
            if k in keys:
                fail(f"{lang}.txt line {n}: '{k}' given twice")
            keys[k] = v
    return keys


def used_keys():
    """Keys passed as literals to the catalogue functions."""
    keys = set()
    pat = re.compile(r'\b(?:html_t|web_t|html_tf|web_tf|web_error_t)\s*\('
                     r'[^"()]*?"([a-z_]+(?:\.[a-z_0-9]+)+)"')
    lit = re.compile(r'"((?:error|login|search|doc|review|dossier|bundle|'
                     r'status|audit|users|check|api|history|menu|date|'
                     r'meta)\.[a-z_0-9.]+)"')
    for path in glob.glob(os.path.join(SRC, "web", "*.c")):
        text = open(path, encoding="utf-8").read()
        keys.update(pat.findall(text))
        keys.update(lit.findall(text))
    return keys


def named_keys():
    """Keys made from names: type.X, field.X, role.X, ev.X, page.X ..."""
    keys = set()
    for conf in glob.glob(os.path.join(SRC, "doctypes", "*.conf")):
        text = open(conf, encoding="utf-8").read()
        types = re.findall(r"^type\s*=\s*(\S+)", text, re.M)
        keys.add(f"type.{types[0]}")    # the document's, then fields'
        for t in types[1:]:
            keys.add(f"check.{t}")
        for k in re.findall(r"^\[field\s+([a-z0-9_]+)\]", text, re.M):
            if not k.startswith("_"):
                keys.add(f"field.{k}")
    keys.add("type.other")
    for role in ("officer", "clerk", "archivist", "admin"):
        keys.add(f"role.{role}")
    hist = open(os.path.join(SRC, "include", "sohoa", "history.h"),
                encoding="utf-8").read()
    for action in re.findall(r'#define SOHOA_EV_\w+\s+"(\w+)"', hist):
        keys.add(f"ev.{action}")
    for status in ("ok", "blank", "lowconf", "failed"):
        keys.add(f"page.{status}")
    dossier = open(os.path.join(SRC, "bundle", "dossier.c"),
                   encoding="utf-8").read()
    for k in re.findall(r'^\t\{ "([a-z_]+)", (?:"|NULL)', dossier, re.M):
        keys.add(f"meta.{k}")
        keys.add(f"meta.{k}.help")
    for s in ("unset", "set", "derived", "default"):
        keys.add(f"meta_source.{s}")
    for st in (400, 401, 403, 404, 405, 409, 413, 421, 429, 500, 503):
        keys.add(f"error.{st}")
    return keys


def main():
    cat = catalogue("vi")
    used = used_keys()
    named = named_keys()
    if len(used) < 100:
        fail(f"only {len(used)} keys found in web/*.c: the pattern broke")
    for k in sorted(used | named):
        if k not in cat:
            fail(f"'{k}' has no text in web/i18n/vi.txt")
    for k, v in cat.items():
        if not v:
            fail(f"'{k}' has an empty text")
    # {N} placeholders: a page fills {1}..{n} in order
    for k, v in cat.items():
        nums = sorted(set(int(x) for x in re.findall(r"\{(\d)\}", v)))
        if nums and nums != list(range(1, len(nums) + 1)):
            fail(f"'{k}': placeholders {nums} are not {{1}}..{{n}}")
    print(f"web_i18n: {len(cat)} texts, {len(used)} keys used in web/*.c, "
          f"{len(named)} made from names, {fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
