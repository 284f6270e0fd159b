#!/usr/bin/python3
"""A field every form of its type carries that was not read at all is in
the review queue (doctypes' "expect = yes"): a death extract whose top
lines and signer block are cut off leaves its number, issuer, issue date
and signer unread.  The queue says "not read" and shows the page instead
of a crop; a clerk types the value, which is then a correction with who
and when; the document page offers the empty box.  Over HTTP only.
"""
import json
import os
import re
import shutil
import sys
import urllib.parse

from PIL import Image

from web_common import (BIN, SRC, Checks, Server, archive_of, need, run,
                        tmpdir)

UNREAD = ["doc_number", "issue_date", "issuer", "signer"]


def make_archive(tmp):
    """The sample death extract without its header and signer block."""
    need(BIN and SRC, "set SOHOA_BIN and SOHOA_SOURCE_DIR (ctest does)")
    inbox = os.path.join(tmp, "in", "HS-2024-M")
    os.makedirs(inbox)
    im = Image.open(os.path.join(SRC, "samples", "death-clean-g4.tif"))
    w, h = im.size
    im.crop((0, int(h * 0.13), w, int(h * 0.55))).save(
        os.path.join(inbox, "01.tif"), compression="group4", dpi=(300, 300))
    return archive_of(tmp, ["lan"])


def show(arch, doc):
    return json.loads(run("show", "--archive", arch, "--json",
                          str(doc)).stdout)


def main():
    c = Checks("web_missing")
    tmp = tmpdir("web_missing")
    arch = make_archive(tmp)
    fields = show(arch, 1)["fields"]
    for k in UNREAD:
        f = fields.get(k, {})
        c.check(f.get("value") == "" and f.get("raw") is None and
                f.get("flagged"), f"{k} is listed not read: {f}")
    c.eq("BÙI LINH LAN", fields.get("full_name", {}).get("value"),
         "what was read is kept")
    c.check(not run("show", "--archive", arch, "1").stdout.startswith(
        "document 1: death: \n"), "the title is not made of an empty name")
    status = json.loads(run("status", "--archive", arch, "--json").stdout)
    c.eq(UNREAD, sorted(x["key"] for x in status["flagged"]),
         "status lists the fields not read")
    srv = Server(arch)
    try:
        cookie, token = srv.api_login("lan")
        st, _, page = srv.request("GET", "/review", cookie=cookie)
        page = page.decode()
        c.eq(200, st, "the review queue")
        c.check("chưa đọc được" in page, "the queue says the value was not "
                "read")
        c.check('src="/documents/1/pages/1"' in page,
                "the page is shown, not a crop of nothing")
        c.check('name="key" value="doc_number"' in page,
                "the first field of the queue is the number")
        body = urllib.parse.urlencode({
            "csrf": token, "doc": "1", "key": "signer", "skip": "0",
            "value": "Hoàng Thế Thuật"})
        st, _, _ = srv.request(
            "POST", "/review/fields", body,
            {"Content-Type": "application/x-www-form-urlencoded"},
            cookie=cookie)
        c.check(st in (200, 303), f"the typed value is saved: {st}")
        f = show(arch, 1)["fields"]["signer"]
        c.eq("Hoàng Thế Thuật", f.get("value"), "the signer typed in")
        c.check(f.get("corrected") and not f.get("flagged"),
                f"a correction, out of the queue: {f}")
        hist = run("history", "--archive", arch, "1").stdout
        c.check(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d +field_set +lan +"
                          r"signer: +-> Hoàng Thế Thuật", hist),
                f"who typed it and when, in the history: {hist}")
        st, _, page = srv.request("GET", "/documents/1", cookie=cookie)
        c.check('placeholder="chưa đọc được"' in page.decode(),
                "the document page offers the empty box")
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(c.done())


if __name__ == "__main__":
    main()
