#!/usr/bin/python3
"""The web interface end to end (issue 12): 'sohoa serve' on a loopback
port with a fresh archive of real ingested scans, driven over plain HTTP
for the attacks (anonymous access, traversal in every path parameter,
CSRF, roles, Host, Origin, login limit, sizes) and by headless Chromium
through Selenium for what a person does: sign in, search a name typed
without diacritics, open the hit, see the page image load and the fields,
correct a field as a clerk and find the change in the history and in
'sohoa show'; an officer's correction from the browser gets 403.

Screenshots of each page go to $SOHOA_SCREENSHOTS (default
./web-screenshots).  Needs Debian's chromium, chromium-driver and
python3-selenium (scripts/deps.sh --test installs them).
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_common import (BIN, SRC, Checks, Server, make_archive,  # noqa: E402
                        need, run, tmpdir, PASSWORDS)

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    need(False, "web_browser: python3-selenium is missing "
         "(apt-get install python3-selenium chromium chromium-driver)")

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
NAME = "Nguyễn Bích Ban"          # full_name of samples/birth-clean.jpg
CORRECTED = "Nguyễn Bích Bản"


STARTED = time.time()


def show(arch, doc):
    return json.loads(run("show", "--archive", arch, "--json",
                          str(doc)).stdout)


# ---- over plain HTTP -------------------------------------------------------

def check_anonymous(c, srv):
    for path in ("/documents/1", "/documents/2", "/search?q=nguyen"):
        st, h, body = srv.request("GET", path)
        c.eq(303, st, f"anonymous GET {path}")
        c.check(h.get("location", "").startswith("/login"),
                f"anonymous {path} goes to the login page: {h}")
        c.check("Bích".encode() not in body, f"anonymous {path} leaks")
    for path in ("/documents/1/pages/1", "/api/documents/1",
                 "/api/documents/1/pages/1", "/api/search?q=nguyen",
                 "/api/documents/1/history", "/api/status", "/api/me"):
        st, h, body = srv.request("GET", path)
        c.eq(401, st, f"anonymous GET {path}")
        c.check(b"Bich" not in body and "Bích".encode() not in body and
                not body.startswith(b"\xff\xd8"), f"anonymous {path} leaks")
    st, h, body = srv.request(
        "POST", "/api/documents/1/fields", '{"full_name": "x"}',
        {"Content-Type": "application/json"})
    c.eq(401, st, "anonymous correction")
    c.check(json.loads(body).get("error"), "401 is a JSON error")


TRAVERSALS = [
    "/documents/../sohoa.db", "/documents/1/../../sohoa.db",
    "/documents/%2e%2e/sohoa.db", "/documents/%2E%2E%2Fsohoa.db",
    "/documents/..%2f..%2fsohoa.db", "/documents/%252e%252e%252fsohoa.db",
    "/documents/..%5c..%5csohoa.db", "/documents/%c0%ae%c0%ae/sohoa.db",
    "/documents/1%00", "/documents/1/pages/..%2f..%2fsohoa.db",
    "/documents/1/pages/%2e%2e", "/documents/1/pages/../../../etc/passwd",
    "/documents/1/pages/1%2f..%2f..%2fsohoa.db", "/api/documents/..%2f1",
    "/api/documents/1/pages/../../sohoa.db", "/api/documents/%2e%2e",
    "/api/documents/1/pages/%2e%2e%2f%2e%2e%2fsohoa.db",
    "/api/documents/1/history/..", "/assets/..%2f..%2fsohoa.db",
    "/assets/../sohoa.db", "/dossiers/..%2f1", "/documents/.%2e/1",
    "/./documents/1", "/documents//1",
]


def check_traversal(c, srv, cookie):
    for path in TRAVERSALS:
        for method in ("GET", "POST"):
            st, h, body = srv.request(method, path, cookie=cookie,
                                      body="" if method == "POST" else None)
            c.eq(400, st, f"{method} {path}")
            c.check(b"SQLite format" not in body and b"root:" not in body,
                    f"{method} {path} leaks a file")
    # not numbers where numbers go: not found, and no file either
    for path in ("/documents/abc", "/documents/-1", "/documents/0",
                 "/documents/1/pages/0", "/documents/1/pages/9",
                 "/documents/99999999999999999999", "/api/documents/999",
                 "/documents/1/pages/1.jpg"):
        st, h, body = srv.request("GET", path, cookie=cookie)
        c.eq(404, st, f"GET {path}")


def check_api(c, srv, arch, cookie, token):
    st, h, body = srv.request("GET", "/api/documents/1", cookie=cookie)
    c.eq(200, st, "GET /api/documents/1")
    c.eq(show(arch, 1), json.loads(body),
         "/api/documents/1 is what 'sohoa show --json 1' prints")
    st, h, body = srv.request("GET", "/api/search?q=nguyen%20bich%20ban",
                              cookie=cookie)
    c.eq(200, st, "GET /api/search")
    cli = json.loads(run("search", "--archive", arch, "--json",
                         "nguyen bich ban").stdout)
    c.eq(cli, json.loads(body),
         "/api/search is what 'sohoa search --json' prints")
    c.check(cli and cli[0]["doc_id"] == 1, f"search finds document 1: {cli}")
    st, h, body = srv.request("GET", "/api/search?q=x&from=32/13/2020",
                              cookie=cookie)
    c.eq(400, st, "a bad date is 400")
    c.check("error" in json.loads(body), "400 is a JSON error")
    st, h, body = srv.request("GET", "/api/documents/1/pages/1",
                              cookie=cookie)
    c.eq(200, st, "GET the page image")
    c.check(h.get("content-type") in ("image/jpeg", "image/png"),
            f"image type {h.get('content-type')}")
    c.eq(show(arch, 1)["pages"][0]["image_sha256"],
         hashlib.sha256(body).hexdigest(), "the image is the stored one")
    st, h, body = srv.request("GET", "/api/documents/999", cookie=cookie)
    c.eq(404, st, "a missing document is 404")
    c.check("error" in json.loads(body), "404 is a JSON error")
    # headers every response carries
    csp = h.get("content-security-policy", "")
    c.check("script-src 'self'" in csp and "unsafe-inline" not in csp,
            f"CSP without inline script: {csp}")
    c.eq("nosniff", h.get("x-content-type-options"), "nosniff")
    c.eq("no-store", h.get("cache-control"), "no caching of records")


def check_csrf_roles(c, srv, arch, cookie, token):
    before = show(arch, 2)["fields"]
    body = json.dumps({"full_name": "Kẻ Gian"})
    js = {"Content-Type": "application/json"}
    st, _, _ = srv.request("POST", "/api/documents/2/fields", body, js,
                           cookie=cookie)
    c.eq(403, st, "a correction without the CSRF token")
    st, _, _ = srv.request("POST", "/api/documents/2/fields", body,
                           dict(js, **{"X-CSRF-Token": "0" * 64}),
                           cookie=cookie)
    c.eq(403, st, "a correction with a wrong CSRF token")
    st, _, _ = srv.request("POST", "/documents/2/fields",
                           "key=full_name&value=K",
                           {"Content-Type":
                            "application/x-www-form-urlencoded"},
                           cookie=cookie)
    c.eq(403, st, "a form correction without the CSRF token")
    st, _, _ = srv.request("POST", "/api/documents/2/fields", body,
                           dict(js, **{"X-CSRF-Token": token,
                                       "Origin": "http://evil.example"}),
                           cookie=cookie)
    c.eq(403, st, "a correction from another site's page")
    ocookie, otoken = srv.api_login("minh")
    st, _, data = srv.request("POST", "/api/documents/2/fields", body,
                              dict(js, **{"X-CSRF-Token": otoken}),
                              cookie=ocookie)
    c.eq(403, st, "an officer's correction")
    c.check("error" in json.loads(data), "403 is a JSON error")
    c.eq(before, show(arch, 2)["fields"], "refused corrections changed "
         "nothing")
    # a correction through the API, as 'sohoa set --json' reports it
    st, _, data = srv.request(
        "POST", "/api/documents/2/fields",
        json.dumps({"death_cause": "Xơ gan cổ trướng"}),
        dict(js, **{"X-CSRF-Token": token}), cookie=cookie)
    c.eq(200, st, "a clerk's correction through the API")
    got = json.loads(data)
    c.eq({"document": 2, "who": "lan", "changes": [
        {"key": "death_cause", "old": before.get("death_cause", {}).get(
            "value"), "new": "Xơ gan cổ trướng"}]}, got, "what it reports")
    c.eq("Xơ gan cổ trướng", show(arch, 2)["fields"]["death_cause"]["value"],
         "the API's correction is stored")
    st, _, data = srv.request("POST", "/api/documents/2/fields",
                              '{"bad key!": "x"}',
                              dict(js, **{"X-CSRF-Token": token}),
                              cookie=cookie)
    c.eq(400, st, "a bad field name")
    st, _, data = srv.request("POST", "/api/documents/2/fields", "[1, 2",
                              dict(js, **{"X-CSRF-Token": token}),
                              cookie=cookie)
    c.eq(400, st, "a body that is not JSON")
    st, _, data = srv.request("POST", "/api/documents/2/fields",
                              '{"a": "' + "x" * 300000 + '"}',
                              dict(js, **{"X-CSRF-Token": token}),
                              cookie=cookie)
    c.eq(413, st, "a body over the limit")


def check_retry(c, srv, arch, cookie, token):
    """A clerk reads the failed pages again from the status page."""
    db = sqlite3.connect(os.path.join(arch, "sohoa.db"))
    with db:
        db.execute("UPDATE pages SET status = 'failed', error = 'lỗi thử'"
                   " WHERE id = (SELECT min(id) FROM pages)")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    st, _, page = srv.request("GET", "/status", cookie=cookie)
    c.check(st == 200 and b'action="/status/retry"' in page,
            "the status page offers a clerk to read failed pages again")
    ocookie, otoken = srv.api_login("minh")
    st, _, page = srv.request("GET", "/status", cookie=ocookie)
    c.check(b'action="/status/retry"' not in page,
            "no retry button for an officer")
    st, _, _ = srv.request("POST", "/status/retry", f"csrf={otoken}", form,
                           cookie=ocookie)
    c.eq(403, st, "an officer's retry")
    st, _, _ = srv.request("POST", "/status/retry", "", form, cookie=cookie)
    c.eq(403, st, "a retry without the CSRF token")
    st, h, _ = srv.request("POST", "/status/retry", f"csrf={token}", form,
                           cookie=cookie)
    c.check(st in (302, 303) and "retried=1&of=1" in h.get("location", ""),
            f"the retry reads the page again: {st} {h.get('location')}")
    failed = db.execute("SELECT count(*) FROM pages WHERE status = 'failed'"
                        ).fetchone()[0]
    db.close()
    c.eq(0, failed, "no page is failed after the retry")
    st, _, page = srv.request("GET", "/status?retried=1&of=1", cookie=cookie)
    c.check("1 trên 1".encode() in page, "the status page says what was read")


def check_login(c, srv):
    st, h, _ = srv.request("GET", "/login", host="evil.example:80")
    c.eq(421, st, "a Host header of another name (DNS rebinding)")
    st, h, _ = srv.request("GET", "/login", host=f"localhost:{srv.port}")
    c.eq(200, st, "Host localhost:PORT")
    js = {"Content-Type": "application/json"}
    st, h, body = srv.request("POST", "/api/login",
                              '{"user": "lan", "password": "wrong one"}', js)
    c.eq(401, st, "a wrong password")
    c.check("set-cookie" not in h, "no session for a wrong password")
    st, h, _ = srv.request("POST", "/api/login",
                           "user=lan&password=x",
                           {"Content-Type":
                            "application/x-www-form-urlencoded"})
    c.eq(400, st, "the API login takes JSON only")
    # after the login form, only a path of ours (no open redirect)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    pw = urllib.parse.quote(PASSWORDS["lan"][1])
    for nxt, want in (("/documents/1", "/documents/1"),
                      ("//evil.example/", "/search"),
                      ("/%09/evil.example/", "/search"),
                      ("/\\evil.example", "/search"),
                      ("https://evil.example/", "/search"),
                      ("/search%0d%0aSet-Cookie:%20x=1", "/search")):
        st, h, _ = srv.request("POST", "/login", f"name=lan&password={pw}"
                               f"&next={urllib.parse.quote(nxt, safe='%/')}",
                               form)
        c.eq((303, want), (st, h.get("location")), f"login next={nxt!r}")
    cookie, _ = srv.api_login("lan")
    st, h, _ = srv.request("POST", "/api/login", json.dumps(
        {"user": "lan", "password": PASSWORDS["lan"][1]}), js)
    attrs = [a.strip() for a in h.get("set-cookie", "").split(";")]
    c.check("HttpOnly" in attrs and "SameSite=Strict" in attrs and
            "Path=/" in attrs and "Secure" not in attrs,
            f"session cookie attributes: {attrs}")
    c.check(attrs[0] != cookie, "a new session id at each login")
    # the limiter: five wrong passwords for a name, then wait
    for i in range(5):
        st, _, _ = srv.request("POST", "/api/login", json.dumps(
            {"user": "ghost", "password": f"guess {i}"}), js)
        c.eq(401, st, f"wrong login {i + 1}")
    st, h, body = srv.request("POST", "/api/login", json.dumps(
        {"user": "ghost", "password": "guess 6"}), js)
    c.eq(429, st, "the sixth wrong login in a row waits")
    c.check("error" in json.loads(body), "429 is a JSON error")
    st, _, _ = srv.request("POST", "/api/login", json.dumps(
        {"user": "lan", "password": PASSWORDS["lan"][1]}), js)
    c.eq(200, st, "another user still signs in from the same address")


# ---- in the browser ----------------------------------------------------------

def browser(tmp):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
              "--lang=vi", "--window-size=1366,900",
              f"--user-data-dir={os.path.join(tmp, 'chromium')}"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


def shot(d, shots, name):
    """The whole page, as tall as it is (up to 4000 px)."""
    h = d.execute_script("return Math.max(document.body.scrollHeight,"
                         " document.documentElement.scrollHeight)")
    d.set_window_size(1366, min(max(h, 900), 4000))
    d.execute_script("window.scrollTo(0, 0)")
    path = os.path.join(shots, name)
    d.save_screenshot(path)
    d.set_window_size(1366, 900)
    return path


def then_new_page(d, wait, action):
    """Do ACTION (a click, a key) and wait until the page it leads to has
    replaced this one: an element of the old page could be found before."""
    old = d.find_element(By.TAG_NAME, "html")
    action()
    wait.until(EC.staleness_of(old))
    wait.until(lambda x: x.execute_script(
        "return document.readyState") == "complete")


def sign_in(d, wait, name):
    wait.until(EC.presence_of_element_located((By.ID, "name")))
    d.find_element(By.ID, "name").clear()
    d.find_element(By.ID, "name").send_keys(name)
    d.find_element(By.ID, "password").send_keys(PASSWORDS[name][1])
    d.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "logout")))


def images_loaded(d):
    return d.execute_script(
        "var i = document.querySelectorAll('img.page-img');"
        "return i.length > 0 && Array.prototype.every.call(i,"
        " function (x) { return x.complete && x.naturalWidth > 0; });")


def check_browser(c, srv, arch, d, shots):
    wait = WebDriverWait(d, 30)
    # a link to a document leads to the login page, then back to it
    d.get(srv.url + "documents/1")
    c.check("/login" in d.current_url, f"login first: {d.current_url}")
    shot(d, shots, "01-login.png")
    d.find_element(By.ID, "name").send_keys("lan")
    d.find_element(By.ID, "password").send_keys("not the password")
    d.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "login-error")))
    c.check("Sai tên đăng nhập" in d.page_source, "wrong password said")
    sign_in(d, wait, "lan")
    c.check(d.current_url.endswith("/documents/1"),
            f"back to the document: {d.current_url}")

    # search a name typed without diacritics
    d.get(srv.url + "search")
    box = wait.until(EC.presence_of_element_located((By.ID, "q")))
    box.send_keys("nguyen bich ban\n")
    wait.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#hits li.hit")))
    first = d.find_element(By.CSS_SELECTOR, "#hits li.hit a.hit-link")
    c.eq(NAME, first.text, "the hit shows the person's name")
    hit = d.find_element(By.CSS_SELECTOR, "#hits li.hit")
    c.check("Giấy khai sinh" in hit.text, f"type in words: {hit.text}")
    c.check("05/07/2022" in hit.text, f"date as DD/MM/YYYY: {hit.text}")
    c.check("HS-2024-W" in hit.text, f"dossier: {hit.text}")
    marks = " ".join(m.text for m in
                     hit.find_elements(By.TAG_NAME, "mark")).split()
    c.check(all(w in marks for w in NAME.split()),
            f"every query word marked: {marks}")
    shot(d, shots, "02-search.png")

    # open the hit: image, fields, marked OCR text
    first.click()
    wait.until(EC.presence_of_element_located((By.ID, "doc-title")))
    c.eq(NAME, d.find_element(By.ID, "doc-title").text, "title")
    wait.until(lambda x: images_loaded(x))
    c.check(images_loaded(d), "the page image loads")
    fields = d.find_element(By.ID, "fields").text
    c.check("Họ, chữ đệm, tên" in fields and "Số định danh cá nhân" in
            fields, "fields with Vietnamese labels")
    c.check("26/05/2022" in d.find_element(By.ID, "v-birth_date")
            .get_attribute("value"), "a date field as DD/MM/YYYY")
    c.check(len(d.find_elements(By.CSS_SELECTOR, "pre.text mark")) >= 3,
            "the search words are marked in the OCR text")
    w0 = d.execute_script(
        "return document.querySelector('img.page-img').clientWidth")
    d.find_element(By.CSS_SELECTOR, "[data-zoom='1']").click()
    d.find_element(By.CSS_SELECTOR, "[data-zoom='1']").click()
    w1 = d.execute_script(
        "return document.querySelector('img.page-img').clientWidth")
    c.check(w1 > w0, f"zoom makes the page bigger: {w0} -> {w1}")
    d.find_element(By.CSS_SELECTOR, "[data-zoom='0']").click()
    shot(d, shots, "03-document.png")

    # a clerk corrects a field in place
    box = d.find_element(By.ID, "v-full_name")
    box.clear()
    box.send_keys(CORRECTED)
    then_new_page(d, wait, box.submit)
    wait.until(EC.presence_of_element_located((By.ID, "saved")))
    hist = d.find_element(By.ID, "history").text
    c.check(CORRECTED in hist and NAME in hist and "lan" in hist,
            f"the correction is in the history: {hist}")
    c.eq(CORRECTED, d.find_element(By.ID, "v-full_name")
         .get_attribute("value"), "the new value in the form")
    f = show(arch, 1)["fields"]["full_name"]
    c.eq(CORRECTED, f["value"], "'sohoa show' has the correction")
    c.check(f["corrected"] and not f["flagged"], f"marked corrected: {f}")
    shot(d, shots, "04-corrected.png")

    # read page 1 again (the pipeline's own way: the same reading back)
    d.find_element(By.CSS_SELECTOR, "details.page-tools summary").click()
    d.find_element(By.NAME, "why").send_keys("kiểm thử đọc lại")
    then_new_page(d, wait, lambda: d.find_element(By.ID, "reread-1")
                  .click())
    c.check("Đã đọc lại trang 1" in d.find_element(By.ID, "saved").text,
            "the page was read again")
    hist = json.loads(run("history", "--archive", arch, "--json",
                          "1").stdout)
    c.check(any(e["action"].startswith("page_") and e["who"] == "lan" and
                e["source"] == "web" for e in hist),
            f"the re-read is in the history: {[e['action'] for e in hist]}")
    c.eq(CORRECTED, show(arch, 1)["fields"]["full_name"]["value"],
         "a re-read keeps what a person set")
    # correct one line of the OCR text: click it, fix it, save
    line = next(x for x in d.find_elements(By.CSS_SELECTOR,
                                           "#page-text-1 span.ln")
                if "Họ, chữ đệm, tên:" in x.text)
    line.click()
    box = d.find_element(By.ID, "line-text-1")
    c.check("Nguyễn Bích Ban" in box.get_attribute("value"),
            f"a click puts the line in the form: "
            f"{box.get_attribute('value')!r}")
    box.clear()
    box.send_keys("Họ, chữ đệm, tên: " + CORRECTED)
    then_new_page(d, wait, box.submit)
    wait.until(EC.presence_of_element_located((By.ID, "saved")))
    c.check(("Họ, chữ đệm, tên: " + CORRECTED) in show(arch, 1)["text"],
            "'sohoa show' has the corrected line")
    c.check("Sửa văn bản nhận dạng" in d.find_element(By.ID, "history")
            .text, "the line's correction is in the page's history")

    # the browser's own request without the token is refused
    st = d.execute_script(
        "var x = new XMLHttpRequest();"
        "x.open('POST', '/api/documents/1/fields', false);"
        "x.setRequestHeader('Content-Type', 'application/json');"
        "x.send(JSON.stringify({full_name: 'X'})); return x.status;")
    c.eq(403, st, "a browser request without the CSRF token")

    d.find_element(By.ID, "logout").click()
    wait.until(EC.presence_of_element_located((By.ID, "name")))
    d.get(srv.url + "documents/1")
    c.check("/login" in d.current_url, "signed out")

    # an officer reads, and a correction from their browser is 403
    sign_in(d, wait, "minh")
    c.check(not d.find_elements(By.ID, "v-full_name"),
            "no correction form for an officer")
    c.check(CORRECTED in d.find_element(By.ID, "fields").text,
            "the officer sees the corrected value")
    shot(d, shots, "05-officer.png")
    st = d.execute_script(
        "var t = document.querySelector('meta[name=csrf-token]')"
        ".content; var x = new XMLHttpRequest();"
        "x.open('POST', '/api/documents/1/fields', false);"
        "x.setRequestHeader('Content-Type', 'application/json');"
        "x.setRequestHeader('X-CSRF-Token', t);"
        "x.send(JSON.stringify({full_name: 'X'})); return x.status;")
    c.eq(403, st, "an officer's correction from the browser")
    c.eq(CORRECTED, show(arch, 1)["fields"]["full_name"]["value"],
         "the officer changed nothing")
    # no console errors: CSP violations would show up here
    console_clean(c, d)
    d.find_element(By.ID, "logout").click()
    wait.until(EC.presence_of_element_located((By.ID, "name")))


def console_clean(c, d):
    """No errors in the console: a CSP violation would show up here."""
    refused = ("status of 400", "status of 401", "status of 403",
               "status of 409")
    logs = [e for e in d.get_log("browser")
            if e.get("level") == "SEVERE" and not (
                e.get("source") == "network" and
                any(x in e.get("message", "") for x in refused))]
    c.eq([], logs, "no errors in the browser console")


def check_review(c, srv, arch, d, shots):
    """A clerk clears the queue with the keyboard only."""
    wait = WebDriverWait(d, 30)
    d.get(srv.url + "review")
    sign_in(d, wait, "lan")
    wait.until(EC.presence_of_element_located((By.ID, "review-item")))
    before = json.loads(run("status", "--archive", arch, "--json").stdout)
    flagged = before["flagged"]
    c.check(len(flagged) >= 2, f"the samples leave fields to review: "
            f"{flagged}")
    first = (flagged[0]["document"], flagged[0]["key"])
    wait.until(lambda x: x.execute_script(
        "var i = document.getElementById('crop');"
        "return i && i.complete && i.naturalWidth > 0;"))
    c.check(d.execute_script("return document.getElementById('crop')"
                             ".naturalWidth > 0"), "the crop loads")
    shot(d, shots, "06-review.png")
    # Enter: the value is right as read; the next item comes up
    then_new_page(d, wait, lambda: d.find_element(
        By.TAG_NAME, "body").send_keys("\n"))
    after = json.loads(run("show", "--archive", arch, "--json",
                           str(first[0])).stdout)["fields"][first[1]]
    c.check(not after["flagged"], f"Enter accepted {first}: {after}")
    # Tab: into the box; type; Enter saves and goes on
    label = d.find_element(By.ID, "review-label").text
    second = json.loads(run("status", "--archive", arch, "--json")
                        .stdout)["flagged"][0]
    d.find_element(By.TAG_NAME, "body").send_keys("\t")
    c.eq("review-input", d.switch_to.active_element.get_attribute("id"),
         "Tab goes to the box")
    # a value of the field's type: a date, a number, a name
    value = ("01/02/2003" if "date" in second["key"] else
             "46/UBND-XNTTHN" if second["key"] == "doc_number" else
             "Nguyễn Văn Tám")
    d.switch_to.active_element.send_keys(value)
    then_new_page(d, wait, lambda: d.switch_to.active_element.send_keys(
        "\n"))
    wait.until(EC.presence_of_element_located((By.ID, "review-count")))
    got = json.loads(run("show", "--archive", arch, "--json",
                         str(second["document"])).stdout)["fields"]
    want = "2003-02-01" if "date" in second["key"] else value
    c.eq(want, got[second["key"]]["value"], f"Tab, type, Enter corrected "
         f"{label}")
    console_clean(c, d)
    d.find_element(By.ID, "logout").click()
    wait.until(EC.presence_of_element_located((By.ID, "name")))


def check_archivist(c, srv, arch, d, shots, tmp):
    """Dossier metadata, export, upload to verify, status."""
    wait = WebDriverWait(d, 30)
    d.get(srv.url + "dossiers")
    sign_in(d, wait, "thu")
    link = wait.until(EC.presence_of_element_located(
        (By.LINK_TEXT, "HS-2024-W")))
    shot(d, shots, "07-dossiers.png")
    link.click()
    wait.until(EC.presence_of_element_located((By.ID, "meta-problems")))
    dossier_url = d.current_url
    c.check(not d.find_elements(By.ID, "export-go"),
            "no export before the metadata is complete")
    for key, value in (("title", "Hồ sơ đăng ký hộ tịch 2024"),
                       ("paper_file_code", "H49.64.33.2024.007")):
        box = d.find_element(By.ID, "mv-" + key)
        box.clear()
        box.send_keys(value)
        then_new_page(d, wait, box.submit)
        wait.until(EC.presence_of_element_located((By.ID, "saved")))
    box = d.find_element(By.ID, "mv-maintenance")
    box.clear()
    box.send_keys("99")
    then_new_page(d, wait, box.submit)
    wait.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#m-maintenance .msg.bad")))
    c.check(True, "a bad code is refused by its field")
    d.get(dossier_url)
    wait.until(EC.presence_of_element_located((By.ID, "export-go")))
    meta = json.loads(run("dossier", "show", "HS-2024-W", "--json",
                          "--archive", arch).stdout)["meta"]
    c.eq("H49.64.33.2024.007", meta["paper_file_code"]["value"],
         "'sohoa dossier show' has the metadata set in the browser")
    shot(d, shots, "08-dossier.png")
    # the download itself, with this browser's session
    cookie = "sohoa_sid=" + d.get_cookie("sohoa_sid")["value"]
    token = d.find_element(By.CSS_SELECTOR, "meta[name=csrf-token]") \
        .get_attribute("content")
    dossier = dossier_url.rstrip("/").split("/")[-1]
    st, h, body = srv.request(
        "POST", f"/dossiers/{dossier}/export", f"csrf={token}&format=eark",
        {"Content-Type": "application/x-www-form-urlencoded"},
        cookie=cookie)
    c.eq(200, st, "export")
    c.check("attachment" in h.get("content-disposition", "") and
            "HS-2024-W.zip" in h.get("content-disposition", ""),
            f"a download: {h.get('content-disposition')}")
    bundle = os.path.join(tmp, "HS-2024-W.zip")
    with open(bundle, "wb") as f:
        f.write(body)
    v = run("verify", bundle, check=False)
    c.eq(0, v.returncode, f"'sohoa verify' of the download: {v.stdout}"
         f"{v.stderr}")
    # upload it back: verified in the browser
    d.get(srv.url + "dossiers")
    wait.until(EC.presence_of_element_located((By.ID, "bundle-file")))
    d.find_element(By.ID, "bundle-file").send_keys(bundle)
    d.find_element(By.ID, "bundle-verify").click()
    wait.until(EC.presence_of_element_located((By.ID, "bundle-report")))
    c.check(d.find_elements(By.ID, "bundle-valid"), "the upload verifies")
    shot(d, shots, "09-bundle.png")
    # import: the demo signer is not trusted here until a person says so
    for untrusted in (False, True):
        d.get(srv.url + "dossiers")
        wait.until(EC.presence_of_element_located((By.ID, "bundle-file")))
        d.find_element(By.ID, "bundle-file").send_keys(bundle)
        if untrusted:
            d.find_element(By.ID, "bundle-untrusted").click()
        d.find_element(By.ID, "bundle-import").click()
        wait.until(EC.presence_of_element_located((By.ID, "bundle-report")))
        want = "imported" if untrusted else "import-untrusted"
        c.check(d.find_elements(By.ID, want), f"import (untrusted taken: "
                f"{untrusted}) says {want}")
    shot(d, shots, "09b-import.png")
    d.get(srv.url + "status")
    wait.until(EC.presence_of_element_located((By.ID, "counts")))
    c.check("giấy tờ" in d.find_element(By.ID, "counts").text, "counts")
    # the day of the ingest: the test may run across midnight
    days = sorted({time.strftime("%d/%m/%Y", time.localtime(t))
                   for t in (STARTED, time.time())})
    recent = d.find_element(By.ID, "recent").text
    c.check(any(day in recent for day in days),
            f"the recent ingests list the day of the ingest ({' or '.join(days)})"
            " as the office writes it")
    shot(d, shots, "10-status.png")
    console_clean(c, d)
    d.find_element(By.ID, "logout").click()
    wait.until(EC.presence_of_element_located((By.ID, "name")))


def check_admin(c, srv, arch, d, shots):
    """The audit log and the users, for an admin."""
    wait = WebDriverWait(d, 30)
    d.get(srv.url + "audit")
    sign_in(d, wait, "admin1")
    wait.until(EC.presence_of_element_located((By.ID, "audit")))
    text = d.find_element(By.ID, "audit").text
    for what in ("Đăng nhập", "Sửa trường", "Xem giấy tờ",
                 "Đăng nhập thất bại", "Xuất gói hồ sơ",
                 "Sửa thông tin hồ sơ"):
        c.check(what in text, f"the audit page shows '{what}'")
    shot(d, shots, "11-audit.png")
    d.get(srv.url + "users")
    wait.until(EC.presence_of_element_located((By.ID, "new-name")))
    d.find_element(By.ID, "new-name").send_keys("hoa")
    d.find_element(By.ID, "new-password").send_keys("mật khẩu mới 1")
    d.find_element(By.ID, "add-user").click()
    wait.until(EC.presence_of_element_located((By.ID, "users-msg")))
    users = {u["name"]: u for u in json.loads(run(
        "user", "list", "--json", "--archive", arch).stdout)}
    c.check("hoa" in users and users["hoa"]["role"] == "officer",
            f"a user added in the browser: {users.get('hoa')}")
    shot(d, shots, "12-users.png")
    console_clean(c, d)


def check_ingest_beside(c, srv, arch, tmp):
    """A CLI ingest while the server serves: searches keep answering, and
    find the new document once it is stored."""
    inbox = os.path.join(tmp, "in2", "HS-2024-X")
    os.makedirs(inbox)
    shutil.copy(os.path.join(SRC, "samples", "marriage-clean.jpg"), inbox)
    p = subprocess.Popen([BIN, "ingest", "--archive", arch,
                          os.path.dirname(inbox)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    cookie, _ = srv.api_login("minh")
    statuses = []
    while p.poll() is None:
        st, _, _ = srv.request("GET", "/api/search?q=nguyen", cookie=cookie)
        statuses.append(st)
        time.sleep(0.1)
    err = p.stderr.read()
    c.eq(0, p.returncode, f"an ingest beside the server: {err}")
    c.check(statuses and set(statuses) == {200},
            f"searches while it wrote: {statuses}")
    st, _, body = srv.request("GET", "/api/search?dossier=HS-2024-X",
                              cookie=cookie)
    hits = json.loads(body) if st == 200 else []
    c.check(len(hits) == 1 and "Nguyễn Phúc Cường" in hits[0]["title"],
            f"the server finds what the ingest stored: {hits}")


def check_audit(c, arch):
    ev = json.loads(run("audit", "--archive", arch, "--json", "--limit",
                        "0").stdout)
    acts = {(e["who"], e["source"], e["action"]) for e in ev}
    for want in (("lan", "web", "login"), ("ghost", "web", "login_failed"),
                 ("lan", "web", "view"), ("lan", "web", "field_set"),
                 ("minh", "web", "login")):
        c.check(want in acts, f"audit has {want}")
    sets = [e for e in ev if e["action"] == "field_set" and
            e["document"] == 1 and e["key"] == "full_name"]
    c.check(sets and sets[0]["old"] == NAME and sets[0]["new"] == CORRECTED
            and sets[0]["who"] == "lan", f"the correction's event: {sets}")


def main():
    c = Checks("web_browser")
    need(os.path.exists(CHROMIUM) and os.path.exists(DRIVER),
         "web_browser: chromium and chromium-driver are missing "
         "(apt-get install chromium chromium-driver)")
    shots = os.path.abspath(os.environ.get("SOHOA_SCREENSHOTS",
                                           "web-screenshots"))
    os.makedirs(shots, exist_ok=True)
    tmp = tmpdir("web_browser")
    t0 = time.time()
    # the third, a hard 200 dpi page, leaves fields to review (the review
    # queue's checks need two): the clean pages are read surely now
    arch = make_archive(tmp, ["birth-clean.jpg", "death-clean-g4.tif",
                              "marital-status-hard-g4.tif"])
    print(f"web_browser: archive ready in {time.time() - t0:.1f} s")
    run("keygen", "-o", os.path.join(tmp, "keys"))
    srv = Server(arch, "--sign-cert", os.path.join(tmp, "keys", "cert.pem"),
                 "--sign-key", os.path.join(tmp, "keys", "key.pem"))
    try:
        check_anonymous(c, srv)
        check_login(c, srv)
        cookie, token = srv.api_login("lan")
        check_traversal(c, srv, cookie)
        check_api(c, srv, arch, cookie, token)
        check_csrf_roles(c, srv, arch, cookie, token)
        check_retry(c, srv, arch, cookie, token)
        t1 = time.time()
        d = browser(tmp)
        try:
            for step in (check_browser, check_review):
                step(c, srv, arch, d, shots)
            check_archivist(c, srv, arch, d, shots, tmp)
            check_admin(c, srv, arch, d, shots)
        finally:
            d.quit()
        print(f"web_browser: browser part {time.time() - t1:.1f} s")
        check_ingest_beside(c, srv, arch, tmp)
    finally:
        rc = srv.stop()
    c.eq(0, rc, "serve stops cleanly on SIGTERM (and, under ASan, "
         "without leaks)")
    log = srv.log()
    c.check("runtime error" not in log and "Sanitizer" not in log,
            "no sanitizer report in the server's log")
    if rc != 0 or "Sanitizer" in log or "runtime error" in log:
        print(log[-4000:], file=sys.stderr)
    check_audit(c, arch)
    print(f"web_browser: screenshots in {shots}")
    status = c.done()
    if status == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"web_browser: left {tmp} to look at", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
