"""Helpers shared by the web interface's tests (tests/web_*.py): a fresh
archive with a few real ingested samples and users, 'sohoa serve' on a
loopback port (stopped by its PID), plain HTTP requests, and a check
list that reports every failure before the test exits non-zero.
"""
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("SOHOA_BIN")
SRC = os.environ.get("SOHOA_SOURCE_DIR")

PASSWORDS = {
    "admin1": ("admin", "quản trị 2025"),
    "lan": ("clerk", "hộ tịch 2025"),
    "minh": ("officer", "tra cứu 2025"),
    "thu": ("archivist", "lưu trữ 2025"),
}


class Checks:
    def __init__(self, name):
        self.name = name
        self.failures = 0
        self.count = 0

    def check(self, cond, what):
        self.count += 1
        if not cond:
            self.failures += 1
            print(f"{self.name}: FAIL: {what}", file=sys.stderr, flush=True)
        return cond

    def eq(self, want, got, what):
        return self.check(want == got, f"{what}: want {want!r}, got {got!r}")

    def done(self):
        print(f"{self.name}: {self.count} checks, {self.failures} failed")
        return 1 if self.failures else 0


def need(cond, msg):
    if not cond:
        print(msg, file=sys.stderr)
        sys.exit(1)


def run(*args, stdin=None, check=True):
    p = subprocess.run([BIN] + list(args), input=stdin, capture_output=True,
                       text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"sohoa {' '.join(args)}: exit {p.returncode}: "
                           f"{p.stderr.strip()}")
    return p


def make_archive(tmp, samples):
    """An archive in TMP/A with SAMPLES ingested in dossier HS-2024-W and
    the users of PASSWORDS."""
    need(BIN and SRC, "set SOHOA_BIN and SOHOA_SOURCE_DIR (ctest does)")
    inbox = os.path.join(tmp, "in", "HS-2024-W")
    os.makedirs(inbox)
    for i, s in enumerate(samples):
        ext = os.path.splitext(s)[1]
        shutil.copy(os.path.join(SRC, "samples", s),
                    os.path.join(inbox, f"{i + 1:02d}{ext}"))
    return archive_of(tmp)


def archive_of(tmp, users=None):
    """TMP/A: a new archive with TMP/in ingested and USERS (names of
    PASSWORDS; all of them when None) added."""
    arch = os.path.join(tmp, "A")
    run("init", "--archive", arch)
    run("ingest", "--archive", arch, "--jobs", "2", os.path.join(tmp, "in"))
    for name in users if users is not None else PASSWORDS:
        role, pw = PASSWORDS[name]
        run("user", "add", name, "--role", role, "--password-stdin",
            "--archive", arch, stdin=pw + "\n")
    return arch


class Server:
    """sohoa serve on 127.0.0.1, a free port."""

    def __init__(self, arch, *extra):
        self.err_path = os.path.join(os.path.dirname(arch), "serve.err")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--archive", arch, "--listen", "127.0.0.1:0"] +
            list(extra), stdout=subprocess.DEVNULL, stderr=self.err)
        self.url = None
        deadline = time.time() + 30
        while time.time() < deadline and self.proc.poll() is None:
            with open(self.err_path) as f:
                m = re.search(r"at (http://127\.0\.0\.1:(\d+)/)", f.read())
            if m:
                self.url = m.group(1)
                self.port = int(m.group(2))
                break
            time.sleep(0.05)
        need(self.url, f"sohoa serve did not start: {self.log()}")

    def log(self):
        """The server's log; it must be UTF-8 (a path sent with broken
        bytes is logged escaped)."""
        with open(self.err_path, encoding="utf-8") as f:
            return f.read()

    def stop(self):
        """SIGTERM by PID; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        return self.proc.returncode

    def request(self, method, path, body=None, headers=None, cookie=None,
                host=None):
        """One request with the path sent exactly as given."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if cookie:
            h["Cookie"] = cookie
        if host is not None:
            c.putrequest(method, path, skip_host=True)
            h["Host"] = host
        else:
            c.putrequest(method, path)
        if body is not None:
            if isinstance(body, str):
                body = body.encode()
            h.setdefault("Content-Length", str(len(body)))
        for k, v in h.items():
            c.putheader(k, v)
        c.endheaders(body)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, data

    def api_login(self, name):
        st, h, data = self.request(
            "POST", "/api/login",
            json.dumps({"user": name, "password": PASSWORDS[name][1]}),
            {"Content-Type": "application/json"})
        if st != 200:
            raise RuntimeError(f"login {name}: {st} {data!r}")
        cookie = h["set-cookie"].split(";")[0]
        return cookie, json.loads(data)["csrf_token"]


def tmpdir(name):
    """A folder of the test's own, and TMPDIR inside it for every process
    the test starts: another suite on the machine sweeping what it takes
    for stale folders in /tmp (sohoa-bundle-*) cannot reach ours."""
    d = tempfile.mkdtemp(prefix=f"{name}.")
    os.makedirs(os.path.join(d, "tmp"))
    os.environ["TMPDIR"] = os.path.join(d, "tmp")
    return d
