"""Shared pieces of refkit's browser tests: a sample build, a loopback static server that
applies the build's Netlify `_headers` (so the Content-Security-Policy is enforced as a host
would), a form endpoint, and headless Chromium through chromedriver.

Every server here listens on 127.0.0.1 only, and every test stops what it started."""
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACTS = os.path.join(REPO, ".build", "browser-artifacts")
LANGS = ["fr", "en", "ja", "zh", "ms"]
DEFAULT_LANG = "fr"
SUBMIT_PATH = "/__test-form"


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


class Site:
    """A copy of the sample project, built with the form posting to this server's endpoint."""

    def __init__(self, refkit, target="netlify", js_split=True):
        self.tmp = tempfile.mkdtemp(prefix="refkit-browser-")
        os.chmod(self.tmp, 0o755)  # nginx workers (nobody) read public/ in the nginx test
        self.project = os.path.join(self.tmp, "project")
        os.mkdir(self.project)
        for folder in ("content", "site-templates"):
            shutil.copytree(os.path.join(REPO, folder), os.path.join(self.project, folder))
        self.server = Server(self)
        self.port = self.server.port
        site_yaml = os.path.join(self.project, "content", "site.yaml")
        text = open(site_yaml, encoding="utf-8").read()
        form = "form:\n  provider: action\n  action: http://127.0.0.1:%d%s\n" % (self.port, SUBMIT_PATH)
        text, n = re.subn(r"(?m)^form:\n(  .*\n)+", form, text)
        check(n == 1, "could not set form.provider in the sample's site.yaml")
        open(site_yaml, "w", encoding="utf-8").write(text)
        self.public = os.path.join(self.project, "public")
        self.kit = os.path.join(self.project, "kit")
        result = subprocess.run([refkit, "build", "--root", self.project, "--now", "2026-06-01", "--target", target,
                                 "--base-url", "http://127.0.0.1:%d/" % self.port, "--quiet"],
                                capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
        check(result.returncode == 0, "refkit build failed:\n" + result.stdout + result.stderr)
        self.headers = parse_netlify_headers(os.path.join(self.public, "_headers"))
        self.submissions = []
        self.server.start()

    def url(self, path=""):
        return "http://127.0.0.1:%d/%s" % (self.port, path.lstrip("/"))

    def personal_pages(self):
        """Code → language of every personal page in the build."""
        pages = {}
        for code in sorted(os.listdir(os.path.join(self.public, "r"))):
            html = open(os.path.join(self.public, "r", code, "index.html"), encoding="utf-8").read()
            pages[code] = re.search(r'<html lang="([^"]+)"', html).group(1)
        return pages

    def progress_pages(self):
        """Token → language of every progress page in the build."""
        pages = {}
        for token in sorted(os.listdir(os.path.join(self.public, "p"))):
            html = open(os.path.join(self.public, "p", token, "index.html"), encoding="utf-8").read()
            pages[token] = re.search(r'<html lang="([^"]+)"', html).group(1)
        return pages

    def variants(self, lang_path=""):
        folder = os.path.join(self.public, lang_path, "v")
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []

    def close(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def parse_netlify_headers(path):
    """`_headers` as [(pattern, [(name, value)])]; empty when the build has none."""
    rules = []
    if not os.path.exists(path):
        return rules
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, path):
    out = []
    for pattern, headers in rules:
        regex = "^" + re.escape(pattern).replace(r"\*", ".*") + "$"
        if re.match(regex, path):
            out += headers
    return out


class Server:
    """Serves the site's public/ as a static host does, and records posts to the test endpoint."""

    def __init__(self, site):
        self.site = site
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=outer.site.public, **kwargs)

            def log_message(self, *args):
                pass

            def end_headers(self):
                for name, value in headers_for(outer.site.headers, urllib.parse.urlsplit(self.path).path):
                    self.send_header(name, value)
                super().end_headers()

            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                body = open(os.path.join(outer.site.public, "404.html"), "rb").read()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def guess_type(self, path):
                kind = super().guess_type(path)
                return kind + "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else kind

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                fields = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
                if urllib.parse.urlsplit(self.path).path != SUBMIT_PATH:
                    self.send_error(405)
                    return
                outer.site.submissions.append({k: v[0] if len(v) == 1 else v for k, v in fields.items()})
                # Like a form service: thank the visitor on the site, in the form's language.
                lang = fields.get("lang", [DEFAULT_LANG])[0]
                self.send_response(303)
                self.send_header("Location", "/thanks/" if lang == DEFAULT_LANG else "/%s/thanks/" % lang)
                self.send_header("Content-Length", "0")
                self.end_headers()

        class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.httpd = ThreadingServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium(width=1280, height=800, javascript=True, downloads=None, fake_camera=False):
    """Headless Chromium with the browser console and network events recorded; with
    `downloads`, files a page downloads go there, several from one page allowed."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=%d,%d" % (width, height)):
        options.add_argument(arg)
    prefs = {}
    if fake_camera:
        # Chromium's test camera, granted without asking.
        options.add_argument("--use-fake-device-for-media-stream")
        options.add_argument("--use-fake-ui-for-media-stream")
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    if downloads:
        prefs.update({"download.default_directory": downloads, "download.prompt_for_download": False,
                      "profile.default_content_setting_values.automatic_downloads": 1})
    if prefs:
        options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    # The window size includes no browser chrome in headless mode; make the viewport exact.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
    return driver


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def network(driver):
    """(url, transferred bytes) of every request since the last call, from Chromium's own log."""
    requests, sizes = {}, {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFinished":
            sizes[params["requestId"]] = params.get("encodedDataLength", 0)
    return [(url, sizes.get(rid, 0)) for rid, url in requests.items()]


def off_loopback(urls):
    bad = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome", "devtools"):
            continue
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            bad.append(url)
    return bad


def main(run):
    """Runs `run(refkit)` with the refkit binary named on the command line; exit 1 on failure."""
    if len(sys.argv) < 2:
        fail("usage: %s REFKIT_BINARY" % sys.argv[0])
    os.makedirs(ARTIFACTS, exist_ok=True)
    run(sys.argv[1])
    print("OK", flush=True)
