#!/usr/bin/python3
"""The review queue on documents of several pages, and on a long backlog.

A field not read has no place to crop, so the queue shows the page its
document type prints it on: a two-page death extract whose signer block
is cut off shows page 2 for the signer; one whose header is cut off
shows page 1 for the number, issuer and date (real OCR of the sample cut
in pieces).  'sohoa status' says the same page, and its JSON says
"not_read".  Then more than a thousand flagged fields and a thousand
'other' documents (rows copied in SQL: what the queue reads is the
archive, however they came there): the count is right, and following
"Bỏ qua" from the first item to the end shows every item once, in
order.  A place in the queue followed signed out comes back after the
login.  Over HTTP only.
"""
import html
import json
import os
import re
import shutil
import sqlite3
import sys
import time
import urllib.parse

from PIL import Image

from web_common import (BIN, SRC, PASSWORDS, Checks, Server, archive_of, need,
                        run, tmpdir)

# Rows added for the long queue: documents with a flagged field, and
# documents of type 'other', interleaved (over the old 1000 caps)
NFLAGGED = 1100
NOTHER = 1050


def make_archive(tmp):
    """Two 2-page death extracts cut from the sample: one without its
    signer block (A), one without its header (B)."""
    need(BIN and SRC, "set SOHOA_BIN and SOHOA_SOURCE_DIR (ctest does)")
    inbox = os.path.join(tmp, "in", "HS-2024-P")
    os.makedirs(inbox)
    im = Image.open(os.path.join(SRC, "samples", "death-clean-g4.tif"))
    w, h = im.size

    def save(name, cuts):
        pages = [im.crop((0, int(h * a), w, int(h * b))) for a, b in cuts]
        pages[0].save(os.path.join(inbox, name), compression="group4",
                      dpi=(300, 300), save_all=True,
                      append_images=pages[1:])
    # the signer's name is below 55%; the title at 16%, the body to 36%
    save("01.tif", [(0, 0.36), (0.36, 0.55)])
    save("02.tif", [(0.13, 0.36), (0.36, 1.0)])
    return archive_of(tmp, ["lan"])


def status(arch):
    return json.loads(run("status", "--archive", arch, "--json").stdout)


def item_of(page):
    """(doc, key) of the queue page's current item; key None for a
    document whose type is asked; None when the queue is done."""
    m = re.search(r'<input type="hidden" name="doc" value="(\d+)">'
                  r'(?:<input type="hidden" name="key" value="([^"]*)">)?',
                  page)
    if m is None:
        return None
    return int(m.group(1)), html.unescape(m.group(2)) if m.group(2) else None


def skip_of(page):
    m = re.search(r'id="skip" href="([^"]+)"', page)
    return html.unescape(m.group(1)) if m else None


def check_pages(c, srv, cookie, arch):
    """The queue shows each field not read on its page."""
    st = status(arch)
    unread = {(x["document"], x["key"]): x for x in st["flagged"]
              if x["not_read"]}
    docs = {k: d for d, k in unread}
    c.check("signer" in docs and "doc_number" in docs,
            f"the cut pages leave the signer and the number not read: "
            f"{sorted(unread)}")
    a, b = docs.get("signer"), docs.get("doc_number")
    for x in st["flagged"]:
        if x["value"] != "":
            c.check(x["not_read"] is False and x["document_page"] is None,
                    f"a value read is not 'not read': {x}")
    for k in ("doc_number", "issuer", "issue_date"):
        c.check((b, k) in unread, f"the header of {b} is not read: {k}")
    c.eq(2, unread.get((a, "signer"), {}).get("document_page"),
         "status --json: the signer is on the last page")
    for k in ("doc_number", "issuer", "issue_date"):
        c.eq(1, unread.get((b, k), {}).get("document_page"),
             f"status --json: {k} is on the first page")
    text = run("status", "--archive", arch).stdout
    c.check(f"document {a} signer: not read (page 2 of 2)" in text,
            f"status says where to look for the signer: {text}")
    c.check(f"document {b} doc_number: not read (page 1 of 2)" in text,
            f"status says where to look for the number: {text}")
    # show numbers the pages as its file does: the same ones here
    text = run("show", "--archive", arch, str(a)).stdout
    c.check(re.search(r"\n  signer +\(not read: look on page 2\)", text),
            f"show says where to look for the signer: {text}")
    text = run("show", "--archive", arch, str(b)).stdout
    c.check(re.search(r"\n  issuer +\(not read: look on page 1\)", text),
            f"show says where to look for the issuer: {text}")

    seen = {}
    path = "/review"
    for _ in range(50):
        code, _, page = srv.request("GET", path, cookie=cookie)
        page = page.decode()
        it = item_of(page)
        if code != 200 or it is None:
            break
        seen[it] = page
        path = skip_of(page)
    want = {(a, "signer"): (2, "Trang 2/2"),
            (b, "doc_number"): (1, "Trang 1/2"),
            (b, "issuer"): (1, "Trang 1/2"),
            (b, "issue_date"): (1, "Trang 1/2")}
    for (doc, key), (n, label) in want.items():
        page = seen.get((doc, key), "")
        c.check(f'src="/documents/{doc}/pages/{n}"' in page,
                f"{key} of document {doc}: page {n} is shown")
        c.check(f'id="review-page">{label} của giấy tờ<' in page,
                f"{key} of document {doc}: the page is named ({label})")
        c.check("chưa đọc được" in page, f"{key}: says not read")
    code, hdrs, img = srv.request("GET", f"/documents/{a}/pages/2",
                                  cookie=cookie)
    c.check(code == 200 and hdrs.get("content-type", "").startswith(
        "image/") and len(img) > 1000, f"page 2's image: {code}")


def check_login_back(c, srv):
    """A link to a place in the queue, followed signed out, comes back to
    that place after the login (its query kept)."""
    place = "/review?after=1&key=signer"
    code, hdrs, _ = srv.request("GET", place)
    loc = hdrs.get("location", "")
    c.eq(303, code, "signed out: to the login")
    nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query).get(
        "next", [""])[0]
    c.eq(place, nxt, f"the login comes back to the place: {loc}")
    body = urllib.parse.urlencode({"name": "lan", "password":
                                   PASSWORDS["lan"][1], "next": nxt})
    code, hdrs, _ = srv.request(
        "POST", "/login", body,
        {"Content-Type": "application/x-www-form-urlencoded",
         "Origin": srv.url.rstrip("/"), "Sec-Fetch-Site": "same-origin"})
    c.eq((303, place), (code, hdrs.get("location")),
         "signed in: back to the same place in the queue")


def add_backlog(arch):
    """NFLAGGED documents with a flagged signer and NOTHER of type
    'other', interleaved, as rows of the first document's file."""
    db = sqlite3.connect(os.path.join(arch, "sohoa.db"))
    file_id, dossier = db.execute(
        "SELECT file_id, dossier_id FROM documents ORDER BY id").fetchone()
    n = NFLAGGED + NOTHER
    for i in range(n):
        other = i < 2 * NOTHER and i % 2 == 1
        cur = db.execute(
            "INSERT INTO documents(dossier_id, file_id, first_page, npages,"
            " ordinal, doc_type, title, created_at) VALUES (?, ?, ?, 1, ?,"
            " ?, '', '2026-12-07T10:00:00+07:00')",
            (dossier, file_id, 1000 + i, 1000 + i,
             "other" if other else "death"))
        if not other:
            db.execute("INSERT INTO fields(document_id, key, value, raw,"
                       " conf, flagged) VALUES (?, 'signer', '', NULL, 0,"
                       " 1)", (cur.lastrowid,))
    db.commit()
    others = [r[0] for r in db.execute(
        "SELECT id FROM documents WHERE doc_type = 'other' AND"
        " deleted_at IS NULL")]
    db.close()
    return others


def check_backlog(c, srv, cookie, arch, others):
    """Every item once, in order, and the count, past a thousand."""
    st = status(arch)
    want = sorted([(x["document"], x["key"]) for x in st["flagged"]] +
                  [(d, None) for d in others],
                  key=lambda x: (x[0], x[1] or ""))
    nfields = st["counts"]["fields_flagged"]
    c.check(nfields > 1000 and len(others) > 1000,
            f"a long queue: {nfields} fields, {len(others)} documents")
    code, _, page = srv.request("GET", "/review", cookie=cookie)
    page = page.decode()
    c.check(f'id="review-count">Còn {nfields} trường và {len(others)} giấy'
            f' tờ chưa rõ loại cần kiểm tra<' in page,
            f"the count says all {nfields} fields and {len(others)} "
            "documents")
    got, path, t0 = [], "/review", time.time()
    while path is not None and len(got) <= len(want):
        code, _, page = srv.request("GET", path, cookie=cookie)
        if code != 200:
            c.eq(200, code, f"GET {path}")
            break
        page = page.decode()
        it = item_of(page)
        if it is None:
            c.check('id="review-done"' in page, "the end says so")
            break
        got.append(it)
        path = skip_of(page)
    secs = time.time() - t0
    print(f"web_review_pages: walked {len(got)} items in {secs:.1f} s "
          f"({1000 * secs / max(len(got), 1):.1f} ms a page)")
    c.eq(len(want), len(got), "as many items walked as are flagged")
    c.eq(len(got), len(set(got)), "no item shown twice")
    c.check(got == want, "every item, in the queue's order: first "
            f"difference at {next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), None)}")
    c.check('id="review-done"' in page and "Xem lại từ đầu" in page,
            "past the last item: the end, and a link back to the start")


def main():
    c = Checks("web_review_pages")
    tmp = tmpdir("web_review_pages")
    arch = make_archive(tmp)
    srv = Server(arch)
    try:
        cookie, _ = srv.api_login("lan")
        check_pages(c, srv, cookie, arch)
        check_login_back(c, srv)
    finally:
        c.eq(0, srv.stop(), "the server stops cleanly")
    others = add_backlog(arch)
    srv = Server(arch)
    try:
        cookie, _ = srv.api_login("lan")
        check_backlog(c, srv, cookie, arch, others)
    finally:
        c.eq(0, srv.stop(), "the server stops cleanly")
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(c.done())


if __name__ == "__main__":
    main()
