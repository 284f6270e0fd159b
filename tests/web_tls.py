#!/usr/bin/python3
"""'sohoa serve --tls-cert/--tls-key' (libmicrohttpd's GnuTLS): HTTPS on a
loopback port, the session cookie marked Secure, HSTS sent, a plain HTTP
request to the port not answered as HTTP, and a certificate without its
key refused at start.  A fresh archive with one user, no ingest.
"""
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from web_common import Checks, need, run, tmpdir  # noqa: E402

BIN = os.environ.get("SOHOA_BIN")


def start(args, err_path):
    err = open(err_path, "w")
    p = subprocess.Popen([BIN, "serve"] + args, stdout=subprocess.DEVNULL,
                         stderr=err)
    deadline = time.time() + 30
    while time.time() < deadline and p.poll() is None:
        m = re.search(r"at (https?)://127\.0\.0\.1:(\d+)/",
                      open(err_path).read())
        if m:
            return p, err, m.group(1), int(m.group(2))
        time.sleep(0.05)
    return p, err, None, None


def main():
    c = Checks("web_tls")
    need(BIN, "set SOHOA_BIN (ctest does)")
    tmp = tmpdir("web_tls")
    arch = os.path.join(tmp, "A")
    run("init", "--archive", arch)
    run("user", "add", "an", "--role", "officer", "--password-stdin",
        "--archive", arch, stdin="mật khẩu an toàn\n")
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-subj",
                    "/CN=localhost", "-days", "1", "-keyout", key, "-out",
                    cert], check=True, capture_output=True)

    # half a TLS configuration is refused with a clear line
    p = subprocess.run([BIN, "serve", "--archive", arch, "--listen",
                        "127.0.0.1:0", "--tls-cert", cert],
                       capture_output=True, text=True, timeout=30)
    c.eq(1, p.returncode, "--tls-cert without --tls-key")
    c.check("--tls-key" in p.stderr, f"says what is missing: {p.stderr}")

    err_path = os.path.join(tmp, "serve.err")
    proc, err, scheme, port = start(
        ["--archive", arch, "--listen", "127.0.0.1:0", "--tls-cert", cert,
         "--tls-key", key], err_path)
    need(port, f"web_tls: serve did not start: {open(err_path).read()}")
    try:
        c.eq("https", scheme, "the URL it prints is https")
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False      # the certificate names localhost
        h = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                        timeout=30)
        h.request("POST", "/api/login", json.dumps(
            {"user": "an", "password": "mật khẩu an toàn"}),
            {"Content-Type": "application/json"})
        r = h.getresponse()
        r.read()
        c.eq(200, r.status, "login over HTTPS")
        attrs = [x.strip() for x in (r.getheader("Set-Cookie") or "")
                 .split(";")]
        c.check("Secure" in attrs and "HttpOnly" in attrs and
                "SameSite=Strict" in attrs, f"a Secure cookie: {attrs}")
        c.check("max-age=" in (r.getheader("Strict-Transport-Security") or
                               ""), "HSTS over HTTPS")
        cookie = attrs[0]
        h.request("GET", "/api/me", headers={"Cookie": cookie})
        r = h.getresponse()
        c.eq("an", json.loads(r.read()).get("user"), "the session works")
        # a page posted from http:// is another origin under TLS
        h.request("POST", "/api/logout", "{}",
                  {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}",
                   "Content-Type": "application/json"})
        r = h.getresponse()
        r.read()
        c.eq(403, r.status, "an http:// Origin is refused under TLS")
        h.close()
        # plain HTTP to the TLS port gets no HTTP answer
        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            plain.request("GET", "/login")
            status = plain.getresponse().status
        except (http.client.HTTPException, OSError):
            status = None
        c.check(status is None, f"plain HTTP is not served: {status}")
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=60)
        err.close()
    c.eq(0, rc, "serve stops cleanly")
    log = open(err_path).read()
    c.check("runtime error" not in log and "Sanitizer" not in log,
            "no sanitizer report in the server's log")
    if rc != 0:
        print(open(err_path).read()[-3000:], file=sys.stderr)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
