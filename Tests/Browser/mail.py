"""The HTML part of email drafts in headless Chromium, at 600 px (a desktop mail program's reading
pane) and 360 px (a phone), in light and dark mode, with screenshots kept in the test output.

usage: mail.py HTML_FOLDER ASSETS_FOLDER PORT OUT_FOLDER

Serves ASSETS_FOLDER on 127.0.0.1:PORT (the drafts' logo points there, as it points at the
published site in a real build) and opens every HTML_FOLDER/*.html. For each it checks what
a reader would see: the logo loaded, the button a link whose text is a label and not the URL,
the code large, the incentives side by side at 600 px and stacked at 360 px, nothing wider than
the window, and in dark mode light text on a dark background. Prints OK last when all held."""
import functools
import http.server
import os
import socketserver
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from common import check, chromium, fail  # noqa: E402

html_folder, assets, port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


socketserver.TCPServer.allow_reuse_address = True
httpd = socketserver.TCPServer(("127.0.0.1", port), functools.partial(Quiet, directory=assets))
threading.Thread(target=httpd.serve_forever, daemon=True).start()

LAYOUT = """
const q = s => document.querySelector(s);
const button = [...document.querySelectorAll('a')].find(a => a.style.display === 'inline-block');
const boxes = [...document.querySelectorAll('td.rk-box')];
const codeBox = boxes.find(td => td.style.borderStyle === 'dashed');
const incentives = boxes.filter(td => td !== codeBox);
const rect = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width}; };
const img = q('img');
const body = q('td.rk-text');
return {
  scrollWidth: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
  logo: img ? {src: img.src, loaded: img.complete && img.naturalWidth > 0} : null,
  button: button ? {text: button.textContent, href: button.href, rect: rect(button),
                    bg: getComputedStyle(button).backgroundColor, color: getComputedStyle(button).color} : null,
  code: codeBox ? {text: codeBox.innerText, size: parseFloat(getComputedStyle(codeBox.lastElementChild).fontSize)} : null,
  incentives: incentives.map(rect),
  links: [...document.querySelectorAll('a')].map(a => ({text: a.textContent.trim(), href: a.href})),
  pageBg: getComputedStyle(q('table.rk-card')).backgroundColor,
  textColor: body ? getComputedStyle(body).color : '',
};
"""


def luminance(css):
    parts = [float(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
    return sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), parts)) / 255


shots = 0
files = sorted(f for f in os.listdir(html_folder) if f.endswith(".html"))
check(files, "no HTML parts in " + html_folder)
for width in (600, 360):
    driver = chromium(width=width, height=900)
    try:
        for scheme in ("light", "dark"):
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                                   {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            for name in files:
                driver.get("file://" + os.path.join(html_folder, name))
                driver.execute_async_script("const done = arguments[0]; const img = document.querySelector('img');"
                                            "if (!img || img.complete) done(); else { img.onload = done; img.onerror = done; }")
                facts = driver.execute_script(LAYOUT)
                where = "%s at %d px, %s" % (name, width, scheme)
                check(facts["scrollWidth"] <= width, "%s: the page is %d px wide" % (where, facts["scrollWidth"]))
                if facts["logo"] is not None:
                    check(facts["logo"]["loaded"], "%s: the logo did not load from %s" % (where, facts["logo"]["src"]))
                for link in facts["links"]:
                    check(not link["text"].startswith("http"), "%s: a link shows its URL as its text: %r" % (where, link["text"]))
                if facts["button"] is not None:
                    b = facts["button"]
                    check(b["href"].startswith("http"), "%s: the button goes to %r" % (where, b["href"]))
                    check(b["rect"]["width"] >= 120 and b["rect"]["right"] <= width, "%s: the button is %r" % (where, b["rect"]))
                    check(b["bg"] != b["color"], "%s: the button's text and background are one colour" % where)
                if facts["code"] is not None:
                    check(facts["code"]["size"] >= 24, "%s: the code is %s px" % (where, facts["code"]["size"]))
                boxes = facts["incentives"]
                if len(boxes) == 2:
                    first, second = boxes
                    if width >= 600:
                        check(abs(first["top"] - second["top"]) < 2 and second["left"] >= first["right"] - 1
                              or first["left"] >= second["right"] - 1,
                              "%s: the incentives are not side by side: %r" % (where, boxes))
                    else:
                        check(second["top"] >= first["bottom"] - 1, "%s: the incentives are not stacked: %r" % (where, boxes))
                page, text = luminance(facts["pageBg"]), luminance(facts["textColor"])
                if scheme == "dark":
                    check(page < 0.25 and text > 0.6, "%s: background %s, text %s" % (where, facts["pageBg"], facts["textColor"]))
                else:
                    check(page > 0.9 and text < 0.3, "%s: background %s, text %s" % (where, facts["pageBg"], facts["textColor"]))
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": min(facts["height"], 4000), "deviceScaleFactor": 1,
                                        "mobile": width < 500})
                driver.save_screenshot(os.path.join(out, "%s-%d-%s.png" % (name[:-5], width, scheme)))
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
                shots += 1
    except Exception as error:  # a Selenium error is a failure, with its message
        fail("%s: %s" % (type(error).__name__, error))
    finally:
        driver.quit()
httpd.shutdown()
print("%d screenshots in %s" % (shots, out))
print("OK")
