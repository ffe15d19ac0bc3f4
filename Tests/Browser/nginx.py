"""Debian's nginx on loopback with the server block `refkit build --target nginx` writes: the
landing page, a personal page with its X-Robots-Tag: noindex header, the 404 page, the slash
redirect and a year-long cache on hashed theme files, all through nginx itself."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from common import Site, check, main


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(refkit):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check(os.path.exists(nginx), "nginx is not installed (Debian package nginx)")
    site = Site(refkit, target="nginx")
    prefix = tempfile.mkdtemp(prefix="refkit-nginx-")
    process = None
    try:
        snippet = open(os.path.join(site.kit, "deploy", "nginx.conf"), encoding="utf-8").read()
        check(not os.path.exists(os.path.join(site.public, "nginx.conf")), "the nginx config landed in public/")
        port = free_port()
        # Only where it listens and where the files are change for the test.
        snippet, n1 = re.subn(r"(?m)^(\s*)listen 80;$", r"\1listen 127.0.0.1:%d;" % port, snippet)
        snippet, n2 = re.subn(r"(?m)^\s*listen \[::\]:80;\n", "", snippet)
        snippet, n3 = re.subn(r"(?m)^(\s*)root [^;]+;$", lambda m: m.group(1) + "root %s;" % site.public, snippet)
        check((n1, n2, n3) == (1, 1, 1), "the nginx snippet's listen/root lines changed shape")
        os.makedirs(os.path.join(prefix, "logs"))
        open(os.path.join(prefix, "site.conf"), "w").write(snippet)
        open(os.path.join(prefix, "nginx.conf"), "w").write("""
worker_processes 1;
pid %(p)s/nginx.pid;
error_log %(p)s/logs/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path %(p)s/body;
    proxy_temp_path %(p)s/proxy;
    fastcgi_temp_path %(p)s/fastcgi;
    uwsgi_temp_path %(p)s/uwsgi;
    scgi_temp_path %(p)s/scgi;
    include %(p)s/site.conf;
}
""" % {"p": prefix})
        test = subprocess.run([nginx, "-t", "-p", prefix, "-c", os.path.join(prefix, "nginx.conf")], capture_output=True, text=True)
        check(test.returncode == 0, "nginx -t refused the generated config:\n" + test.stderr)
        process = subprocess.Popen([nginx, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf"), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = "http://127.0.0.1:%d/" % port
        for _ in range(100):  # up to 10 s for nginx to listen
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                check(process.poll() is None, "nginx stopped: " + process.stderr.read().decode())
                time.sleep(0.1)

        status, headers, body = fetch(base)
        check(status == 200 and "<h1" in body, "landing page through nginx: %d" % status)
        check(headers.get("Content-Type", "").startswith("text/html") and "utf-8" in headers.get("Content-Type", "").lower(),
              "landing page content type: %s" % headers.get("Content-Type"))
        check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "no CSP on the landing page")
        check(headers.get("X-Content-Type-Options") == "nosniff", "no nosniff header")
        check(headers.get("X-Robots-Tag") is None, "the landing page is marked noindex")

        code = sorted(site.personal_pages())[0]
        status, headers, body = fetch(base + "r/%s/" % code)
        check(status == 200 and code in body, "personal page through nginx: %d" % status)
        check(headers.get("X-Robots-Tag") == "noindex", "personal page X-Robots-Tag: %r" % headers.get("X-Robots-Tag"))
        check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "no CSP on the personal page")

        status, headers, _ = fetch(base + "r/%s" % code)
        check(status == 301 and headers.get("Location") == "/r/%s/" % code,
              "without the final slash: %d to %r" % (status, headers.get("Location")))

        status, headers, body = fetch(base + "r/NOPE-NOPE-0/")
        not_found = open(os.path.join(site.public, "404.html"), encoding="utf-8").read()
        check(status == 404 and body == not_found, "a missing page gives %d and %s" % (status, "the 404 page" if body == not_found else "another body"))

        css = [f for f in os.listdir(os.path.join(site.public, "assets", "theme")) if re.match(r"style\.[0-9a-f]{8}\.css$", f)]
        check(len(css) == 1, "no hashed stylesheet in public/assets/theme: %s" % os.listdir(os.path.join(site.public, "assets", "theme")))
        status, headers, _ = fetch(base + "assets/theme/" + css[0])
        check(status == 200 and "immutable" in headers.get("Cache-Control", ""), "hashed CSS cache: %r" % headers.get("Cache-Control"))
        check(headers.get("Content-Type", "").startswith("text/css"), "CSS content type: %s" % headers.get("Content-Type"))
        print("nginx served the landing page, /r/%s/ (noindex), the 404 page and %s (immutable)" % (code, css[0]))
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        site.close()
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    main(run)
