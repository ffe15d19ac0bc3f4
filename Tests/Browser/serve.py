"""`refkit serve`'s live reload in headless Chromium, and what serve answers.

usage: serve.py REFKIT

- A language page opened through serve shows a new headline saved in content/ without the
  test reloading it (a marker set in the page is gone: the page reloaded itself); the time from
  the save to the new headline is printed.
- A change to the stylesheet only is swapped in without a reload (the marker stays).
- A build error shows over the page, styled by serve's own stylesheet under the site's CSP,
  and goes with the next good build, again without the test reloading.
- No CSP violation in the console: the live-reload script and stylesheet load by src/href.
- serve sends the headers `refkit build --target netlify` writes into _headers (CSP included).
- A port in use moves to the next free one and says so; --bind to a non-loopback address
  warns that personal pages carry names and codes; the loopback default does not.

Prints OK last when all held. Every serve started here is stopped here."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from common import REPO, check, chromium, console_errors, fail  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REFKIT = sys.argv[1]
WAIT = 60  # generous: the machine is shared; no assertion on how fast beyond this
TMP = tempfile.mkdtemp(prefix="refkit-serve-")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def project(name):
    root = os.path.join(TMP, name)
    os.mkdir(root)
    for folder in ("content", "site-templates"):
        shutil.copytree(os.path.join(REPO, folder), os.path.join(root, folder))
    return root


class Serve:
    """`refkit serve` on a copy of the sample, its output in a log file."""

    def __init__(self, root, *arguments):
        self.log_path = os.path.join(root, "..", os.path.basename(root) + ".log")
        self.log = open(self.log_path, "w")
        env = dict(os.environ, NO_COLOR="1")
        self.process = subprocess.Popen([REFKIT, "serve", "--root", root, "--now", "2026-06-01"] + list(arguments),
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def output(self):
        return open(self.log_path, encoding="utf-8").read()

    def wait_for(self, pattern, seconds=WAIT):
        deadline = time.time() + seconds
        while time.time() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            check(self.process.poll() is None, "serve stopped: " + self.output())
            time.sleep(0.2)
        fail("serve never printed %r: %s" % (pattern, self.output()))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def fetch_headers(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return {k.lower(): v for k, v in response.getheaders()}


def netlify_headers():
    """The `/*` and `/r/*` blocks of _headers from a netlify build of the sample."""
    root = project("netlify")
    result = subprocess.run([REFKIT, "build", "--root", root, "--now", "2026-06-01", "--target", "netlify", "--quiet"],
                            capture_output=True, text=True)
    check(result.returncode == 0, "the netlify build failed: " + result.stderr)
    blocks, current = {}, None
    for line in open(os.path.join(root, "public", "_headers"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith(" "):
            current = blocks.setdefault(line.strip(), {})
        else:
            name, _, value = line.strip().partition(": ")
            current[name.lower()] = value
    return blocks


def open_streams(port):
    """Established TCP connections to `port` from the browser (Linux's /proc/net/tcp): pages
    close after each answer, so what stays open is event streams."""
    count = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(name).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote_port = int(fields[2].split(":")[1], 16)
            if remote_port == port and fields[3] == "01":
                count += 1
    return count


def replace_in(path, old, new):
    text = open(path, encoding="utf-8").read()
    check(old in text, "%r not found in %s" % (old, path))
    open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))


def main():
    root = project("live")
    port = free_port()
    serve = Serve(root, "--port", str(port))
    driver = None
    try:
        serve.wait_for(r"Built the preview")
        check("warning" not in serve.output(), "a warning on 127.0.0.1: " + serve.output())
        base = "http://127.0.0.1:%d/" % port

        # The headers `--target netlify` publishes, on a page and a personal page.
        blocks = netlify_headers()
        page = fetch_headers(base + "en/")
        for name, value in blocks["/*"].items():
            if name == "cache-control":
                continue  # the preview never lets a browser keep an old build
            check(page.get(name) == value, "serve sends %s: %r, netlify %r" % (name, page.get(name), value))
        check(page.get("cache-control") == "no-store", "cache-control %r" % page.get("cache-control"))
        personal = next(f for f in os.listdir(os.path.join(root, ".refkit-preview")) if f.startswith("serve-"))
        codes = os.listdir(os.path.join(root, ".refkit-preview", personal, "site", "r"))
        personal_headers = fetch_headers(base + "r/%s/" % codes[0])
        for name, value in blocks["/r/*"].items():
            check(personal_headers.get(name) == value, "a personal page's %s: %r" % (name, personal_headers.get(name)))

        driver = chromium(width=1280, height=900)
        driver.get(base + "en/")
        # A script run while the page reloads may fail: try again until the deadline.
        wait = WebDriverWait(driver, WAIT, poll_frequency=0.1, ignored_exceptions=[WebDriverException])
        headline = lambda d: d.execute_script("var h = document.querySelector('h1'); return h ? h.textContent.trim() : ''")
        old = headline(driver)
        check(old, "no headline on the English page")
        listening = lambda d: d.execute_script("return document.documentElement.getAttribute('data-refkit-live') === 'open'")
        wait.until(listening)

        # 1. The headline, saved in content/: the open page reloads itself.
        driver.execute_script("window.__refkitMarker = 42")
        english = os.path.join(root, "content", "programs", "parrainage.en.md")
        new = "Fresh bread for your friends, live"
        text = open(english, encoding="utf-8").read()
        line = re.search(r"(?m)^headline: .*$", text).group(0)
        saved = time.time()
        open(english, "w", encoding="utf-8").write(text.replace(line, "headline: " + new, 1))
        wait.until(lambda d: headline(d) == new)
        reload_seconds = time.time() - saved
        check(driver.execute_script("return window.__refkitMarker") is None, "the page changed without a reload?")
        print("saved file to reloaded page: %.2f s" % reload_seconds)

        # 2. A stylesheet change only: swapped in, no reload.
        wait.until(listening)
        driver.execute_script("window.__refkitMarker = 43")
        css = os.path.join(root, "site-templates", "static", "style.css")
        with open(css, "a", encoding="utf-8") as f:
            f.write("\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
        saved = time.time()
        wait.until(lambda d: d.execute_script("return getComputedStyle(document.body).outlineColor") == "rgb(1, 2, 3)")
        check(driver.execute_script("return window.__refkitMarker") == 43, "a stylesheet change reloaded the page")
        print("saved stylesheet to swapped stylesheet: %.2f s" % (time.time() - saved))
        serve.wait_for(r"open pages swap their stylesheets")

        # 3. A build error shows over the page, styled under the CSP, and goes with the next good build.
        site_yaml = os.path.join(root, "content", "site.yaml")
        good = open(site_yaml, encoding="utf-8").read()
        open(site_yaml, "w", encoding="utf-8").write(good.replace("\nname:", "\nnmae:", 1))
        wait.until(lambda d: d.execute_script("var b = document.getElementById('refkit-build-errors'); return !!b && b.textContent.indexOf('nmae') >= 0"))
        styled = driver.execute_script("var b = document.getElementById('refkit-build-errors'); var s = getComputedStyle(b); return [s.position, s.borderTopStyle, b.getBoundingClientRect().top]")
        check(styled[0] == "sticky" and styled[1] == "solid" and styled[2] <= 1, "the banner is not styled by /_refkit/live.css: %r" % styled)
        open(site_yaml, "w", encoding="utf-8").write(good)
        wait.until(lambda d: d.execute_script("return !document.getElementById('refkit-build-errors')"))
        check(headline(driver) == new, "after the fix the page shows %r" % headline(driver))

        errors = [e for e in console_errors(driver) if "Content Security Policy" in e or "Refused" in e]
        check(not errors, "CSP violations: %r" % errors)

        # 3b. Eight preview tabs: a browser allows 6 connections per host over HTTP/1.1, so
        # the tabs share one event stream (attack on #20, F5: the 7th tab once waited ~41 s).
        # Every tab listens, and the browser holds one stream open, not one per tab.
        for path in ["", "ja/", "ms/", "zh/", "v/cadeau/", "en/v/cadeau/", "en/thanks/"]:
            driver.switch_to.new_window("tab")
            driver.get(base + path)
            wait.until(listening)
        WebDriverWait(driver, WAIT, poll_frequency=0.2).until(lambda d: open_streams(port) == 1)
        for handle in driver.window_handles:
            driver.switch_to.window(handle)
            check(listening(driver), "a tab is not listening: %s" % driver.current_url)
        # A save reloads every tab, the leader's and those that follow it.
        for handle in driver.window_handles:
            driver.switch_to.window(handle)
            driver.execute_script("window.__refkitMarker = 44")
        text = open(english, encoding="utf-8").read()
        open(english, "w", encoding="utf-8").write(text.replace("headline: " + new, "headline: " + new + " again", 1))
        for handle in driver.window_handles:
            driver.switch_to.window(handle)
            wait.until(lambda d: d.execute_script("return window.__refkitMarker") is None)
        driver.quit()
        driver = None
        serve.stop()

        # 4. A port in use: the next free one, said. The test holds the port itself.
        held = socket.socket()
        held.bind(("127.0.0.1", 0))
        held.listen()
        busy = held.getsockname()[1]
        other = Serve(project("busy"), "--port", str(busy))
        try:
            found = other.wait_for(r"Port %d is in use; serving on port (\d+) instead" % busy)
            moved = int(found.group(1))
            check(moved > busy, "moved to %d" % moved)
            other.wait_for(r"Serving a preview at http://127\.0\.0\.1:%d/" % moved)
            check(urllib.request.urlopen("http://127.0.0.1:%d/_refkit/live.js" % moved, timeout=10).status == 200,
                  "nothing answers on the port serve moved to")
        finally:
            other.stop()
            held.close()

        # 5. --bind: a warning for any address but loopback; a bad address is refused.
        wide = Serve(project("wide"), "--port", str(free_port()), "--bind", "0.0.0.0")
        try:
            wide.wait_for(r"warning: --bind 0\.0\.0\.0 .*names and invite codes")
        finally:
            wide.stop()
        bad = subprocess.run([REFKIT, "serve", "--root", root, "--bind", "my-laptop"], capture_output=True, text=True)
        check(bad.returncode != 0 and "not an IP address" in bad.stderr, "--bind my-laptop: %r" % bad.stderr)
    finally:
        if driver is not None:
            driver.quit()
        serve.stop()
        shutil.rmtree(TMP, ignore_errors=True)
    print("OK")


main()
