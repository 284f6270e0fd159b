#!/usr/bin/python3
"""Load benchmark of 'sohoa serve' (issue 12), on loopback only and
bounded: N clients, each with its own session and keep-alive connection,
search and open documents (the JSON API, the HTML document page, the page
image) while a CLI ingest writes to the same archive; every response must
be right (200, or a 404 for a document not there yet) -- any other is an
error and the run fails.  Then the same searches through the command line
('sohoa search --json'), one process each, for the side-by-side p50/p99.

    bench/web_load.py --bin build/sohoa --search-bench build/bench/search_bench
                      [--pages 100000] [--clients 8] [--requests 200]
                      [--dir DIR] [--threads 4]

The archive is made by search_bench (N synthetic pages, kept in DIR and
reused when already there), plus real scans of samples/ ingested before
(so there are page images) and during the run.  notes/web.md has numbers.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

# The same queries the search benchmark runs, typed as people type them
QUERIES = [
    "nguyen", "nguyen van duc", "Nguyễn Văn Đức", "Lê Thị Hoa",
    "ong ich khiem", '"Hòn Đất"', '"kien giang"', '"tran thi mai"',
    "Nguy*", "pham thi ng*", "dao OR cuc", 'le thi hoa NOT "ha noi"',
    "khai sinh", "hoang duc tho", "nguyen bich ban", "bui linh lan",
]
BEFORE = ["birth-clean.jpg", "death-clean-g4.tif", "marriage-clean.jpg",
          "decision-clean.jpg"]
DURING = ["marital-status-mild.jpg", "birth-clean-gray.png",
          "death-hard.jpg", "marriage-hard-rot180.jpg", "birth-mild-nodpi.jpg",
          "decision-mild-200dpi.jpg"]
PASSWORD = "tải thử 2025"


def pct(v, p):
    if not v:
        return float("nan")
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          **kw)


def make_archive(a, arch):
    if not os.path.exists(os.path.join(arch, "sohoa.db")):
        t = time.time()
        sh([a.search_bench, "--pages", str(a.pages), "--dir", arch,
            "--keep", "--runs", "1"])
        print(f"web_load: {a.pages} synthetic pages in "
              f"{time.time() - t:.0f} s", flush=True)
    inbox = os.path.join(a.dir, "in-before", "HS-WEB-LOAD")
    if not os.path.isdir(inbox):
        os.makedirs(inbox)
        for s in BEFORE:
            shutil.copy(os.path.join(SRC, "samples", s), inbox)
        sh([a.bin, "ingest", "--archive", arch, "--jobs", "2",
            os.path.dirname(inbox)])
    users = json.loads(sh([a.bin, "user", "list", "--json", "--archive",
                           arch]).stdout)
    for i in range(a.clients):
        name = f"load{i}"
        if not any(u["name"] == name for u in users):
            sh([a.bin, "user", "add", name, "--role", "officer",
                "--password-stdin", "--archive", arch], input=PASSWORD)


class Server:
    def __init__(self, a, arch):
        self.log = open(os.path.join(a.dir, "serve.err"), "w")
        self.p = subprocess.Popen(
            [a.bin, "serve", "--archive", arch, "--listen", "127.0.0.1:0",
             "--quiet", "--threads", str(a.threads)],
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline and self.p.poll() is None:
            m = re.search(r"127\.0\.0\.1:(\d+)/",
                          open(self.log.name).read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            sys.exit(f"web_load: serve did not start: "
                     f"{open(self.log.name).read()}")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=60)
        self.log.close()
        return rc


class Client(threading.Thread):
    def __init__(self, i, a, port, results, errors, scans):
        super().__init__()
        self.i, self.a, self.port = i, a, port
        self.results, self.errors = results, errors
        self.rnd = random.Random(i)
        self.scans = scans      # documents with page images

    def req(self, c, path, kind, body=None, headers=None):
        h = {"Cookie": self.cookie} if hasattr(self, "cookie") else {}
        h.update(headers or {})
        t = time.perf_counter()
        c.request("POST" if body is not None else "GET", path, body, h)
        r = c.getresponse()
        data = r.read()
        ms = (time.perf_counter() - t) * 1000
        self.results.setdefault(kind, []).append(ms)
        return r, data

    def run(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            r, data = self.req(c, "/api/login", "login", json.dumps(
                {"user": f"load{self.i}", "password": PASSWORD}),
                {"Content-Type": "application/json"})
            if r.status != 200:
                self.errors.append(f"login {r.status} {data[:200]!r}")
                return
            self.cookie = r.getheader("Set-Cookie").split(";")[0]
            for n in range(self.a.requests):
                q = self.rnd.choice(QUERIES)
                r, data = self.req(c, "/api/search?q=" +
                                   urllib.parse.quote(q), "api search")
                if r.status != 200:
                    self.errors.append(f"search {q!r}: {r.status}")
                    continue
                hits = json.loads(data)
                if not hits:
                    continue
                doc = self.rnd.choice(hits[:5])["doc_id"]
                kind = ("api document", "document page")[n % 2]
                path = (f"/api/documents/{doc}", f"/documents/{doc}")[n % 2]
                r, data = self.req(c, path, kind)
                if r.status != 200:
                    self.errors.append(f"{path}: {r.status}")
                    continue
                if n % 4 == 0 and self.scans:
                    doc = self.rnd.choice(self.scans)
                    r, data = self.req(c, f"/api/documents/{doc}/pages/1",
                                       "page image")
                    if r.status != 200 or len(data) < 1000:
                        self.errors.append(f"image {doc}: {r.status}")
        except Exception as e:                  # noqa: BLE001
            self.errors.append(f"client {self.i}: {e!r}")
        finally:
            c.close()


def cli_searches(a, arch, n, stop=None):
    """The queries through 'sohoa search --json', one process each (N
    rounds, or until STOP is set)."""
    times = []
    i = 0
    while (stop is None and i < n) or (stop is not None and
                                       not stop.is_set()):
        q = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        p = subprocess.run([a.bin, "search", "--archive", arch, "--json",
                            q], capture_output=True, check=False)
        times.append((time.perf_counter() - t) * 1000)
        if p.returncode != 0:
            raise RuntimeError(f"sohoa search {q!r}: {p.stderr}")
        i += 1
    return times


def login(port, user):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/api/login", json.dumps(
        {"user": user, "password": PASSWORD}),
        {"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    return c, r.getheader("Set-Cookie").split(";")[0]


def api_searches(port, n):
    """The same queries through the API, one client, one at a time."""
    c, cookie = login(port, "load0")
    times = []
    for i in range(n):
        q = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        c.request("GET", "/api/search?q=" + urllib.parse.quote(q),
                  headers={"Cookie": cookie})
        r = c.getresponse()
        r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            raise RuntimeError(f"/api/search {q!r}: {r.status}")
    c.close()
    return times


def api_documents(port, docs):
    """Open each of DOCS through the API, one at a time."""
    c, cookie = login(port, "load0")
    times = []
    for doc in docs:
        t = time.perf_counter()
        c.request("GET", f"/api/documents/{doc}",
                  headers={"Cookie": cookie})
        r = c.getresponse()
        r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            raise RuntimeError(f"/api/documents/{doc}: {r.status}")
    c.close()
    return times


def row(name, v, note=""):
    print(f"{name:<24}{len(v):>7}{pct(v, 50):>10.1f}{pct(v, 99):>10.1f}"
          f"{note}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--search-bench", required=True)
    ap.add_argument("--pages", type=int, default=100000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--dir")
    a = ap.parse_args()
    if a.dir is None:
        a.dir = tempfile.mkdtemp(prefix="web_load.")
    os.makedirs(a.dir, exist_ok=True)
    arch = os.path.join(a.dir, f"archive-{a.pages}")
    make_archive(a, arch)
    # a dossier and file contents of this run's own, so that the ingest
    # reads every page again (a file already stored would be skipped)
    code = f"HS-LOAD-{int(time.time())}"
    during = os.path.join(a.dir, "in-during", code)
    shutil.rmtree(os.path.dirname(during), ignore_errors=True)
    os.makedirs(during)
    for s in DURING:
        with open(os.path.join(SRC, "samples", s), "rb") as f:
            data = f.read()
        with open(os.path.join(during, s), "wb") as f:
            # bytes after the image's end: readers ignore them
            f.write(data + f"\nweb_load {code}\n".encode())

    srv = Server(a, arch)
    # quiet: the same queries, one at a time, through the API and the CLI
    rounds = 5 * len(QUERIES)
    quiet_api = api_searches(srv.port, rounds)
    quiet_cli = cli_searches(a, arch, rounds)
    quiet_doc = api_documents(srv.port, random.Random(1).sample(
        range(1, a.pages + 1), rounds))
    c, cookie = login(srv.port, "load0")
    c.request("GET", "/api/search?dossier=HS-WEB-LOAD&limit=100",
              headers={"Cookie": cookie})
    scans = [h["doc_id"] for h in json.loads(c.getresponse().read())]
    c.close()

    # under load: N clients while a CLI ingest writes, and the CLI
    # searching beside them
    results, errors = {}, []
    ingest = subprocess.Popen(
        [a.bin, "ingest", "--archive", arch, "--jobs", "1",
         os.path.dirname(during)], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    stop = threading.Event()
    busy_cli = []
    cli_thread = threading.Thread(
        target=lambda: busy_cli.extend(cli_searches(a, arch, 0, stop)))
    t0 = time.time()
    clients = [Client(i, a, srv.port, results, errors, scans)
               for i in range(a.clients)]
    for cl in clients:
        cl.start()
    cli_thread.start()
    for cl in clients:
        cl.join()
    stop.set()
    cli_thread.join()
    wall = time.time() - t0
    ingest_rc = ingest.wait()
    ingest_err = ingest.stderr.read()
    ingest_wall = time.time() - t0
    # the new documents are found through the server once ingested
    c, cookie = login(srv.port, "load0")
    c.request("GET", f"/api/search?dossier={code}&limit=100",
              headers={"Cookie": cookie})
    r = c.getresponse()
    new_docs = len(json.loads(r.read())) if r.status == 200 else -1
    c.close()
    rc = srv.stop()

    n = sum(len(v) for v in results.values())
    print(f"\nweb_load: archive of {a.pages} synthetic pages + "
          f"{len(BEFORE)} scans, {a.threads} server threads")
    print(f"\nquiet (one client, one query at a time, {rounds} each):")
    print(f"{'':<24}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}")
    row("api search", quiet_api)
    row("cli search", quiet_cli, "   (a 'sohoa search --json' process each)")
    row("api document", quiet_doc, "   (with its view recorded)")
    print(f"\nunder load ({a.clients} clients x {a.requests} rounds, "
          f"{n} requests in {wall:.1f} s = {n / wall:.0f}/s, while 'sohoa "
          f"ingest' of {len(DURING)} scans ran: exit {ingest_rc}, "
          f"{ingest_wall:.1f} s):")
    print(f"{'':<24}{'n':>7}{'p50 ms':>10}{'p99 ms':>10}")
    for kind in ("login", "api search", "api document", "document page",
                 "page image"):
        row(kind, results.get(kind, []))
    row("cli search (beside)", busy_cli)
    print(f"\nweb_load: the ingest's {len(DURING)} documents found through "
          f"the server after it: {new_docs}")
    print(f"web_load: errors: {len(errors)}; serve exit status {rc}")
    for e in errors[:20]:
        print(f"  {e}")
    ok = not errors and rc == 0 and ingest_rc == 0 and new_docs == len(
        DURING)
    if ingest_rc != 0:
        print(ingest_err[-2000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
