"""The counter page (kit/counter/index.html) in headless Chromium, opened from file:// as the
shop's tablet opens it: the page's own CSP (inline script and style by hash only) holds with no
console error and no request; a valid code, a typo, an inactive and an unknown code; hostile
first names and offers shown as text; two recordings of the same code or friend ask first;
exports from two devices, one exported twice, fed together to `refkit report --conversions`,
where each redemption counts once; axe-core finds nothing; and the time from navigation start
to the page's `counter-ready` mark is printed.

Run with the refkit binary: python3 counter.py REFKIT"""
import csv
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By

from selenium.webdriver.support.ui import Select

from common import ARTIFACTS, REPO, check, chromium, console_errors, fail, main
from accessibility import AXE, AXE_TAGS

HOSTILE_NAME = '</script><script>window.pwned=1</script><!--"\u0301'
HOSTILE_OFFER = "20% off </script><script>window.pwned=2</script> <!-- \"\u0301 \u2028 &amp; evil"
FRIEND = "ami.counter@example.org"


def build(refkit, project, *extra):
    result = subprocess.run([refkit, "build", "--root", project, "--now", "2026-06-01", "--quiet"] + list(extra),
                            capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    check(result.returncode == 0, "refkit build failed:\n" + result.stdout + result.stderr)


def ledger(project):
    """email → (code, status) from kit/codes.csv (latest row wins)."""
    out = {}
    with open(os.path.join(project, "kit", "codes.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[row["email"]] = (row["code"].replace("-", ""), row["status"])
    return out


def wait_until(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def browser(downloads, fake_camera=False):
    driver = chromium(768, 1024, downloads=downloads, fake_camera=fake_camera)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


def open_page(driver, page, what):
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get("file://" + page)
    check(wait_until(lambda: driver.execute_script("return document.body.getAttribute('data-ready')") == "true"),
          what + ": the page never became ready")
    errors = console_errors(driver)
    check(not errors, what + ": console errors (a CSP refusal is one): %s" % errors)
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    others = [u for u in requests if not u.startswith("file://")]
    check(not others, what + ": the page made requests: %s" % others)
    check(driver.execute_script("return typeof window.pwned") == "undefined", what + ": a hostile value ran as script")


def check_code(driver, typed):
    field = driver.find_element(By.ID, "code")
    field.clear()
    field.send_keys(typed)
    driver.find_element(By.ID, "check").click()
    return driver.find_element(By.ID, "result").get_attribute("data-kind")


def record(driver, email="", value="", staff=""):
    for name, text in (("email", email), ("value", value), ("staff", staff)):
        field = driver.find_element(By.ID, name)
        field.clear()
        field.send_keys(text)
    driver.find_element(By.ID, "record-button").click()


def saved(driver):
    return driver.execute_script("return JSON.parse(localStorage.getItem('refkit-counter:' + JSON.parse("
                                 "document.getElementById('counter-data').textContent).site) || '[]').length")


def exported(downloads, keep):
    """The one file the export downloaded, named redemptions-YYYY-MM-DD.csv, moved out of the
    download folder (into `keep`, numbered) so that the next export lands there afresh."""
    files = lambda: [p for p in glob.glob(os.path.join(downloads, "*")) if not p.endswith(".crdownload")]
    check(wait_until(lambda: len(files()) == 1), "the export did not download one file: %s" % os.listdir(downloads))
    path = files()[0]
    check(re.match(r"redemptions-\d{4}-\d{2}-\d{2}\.csv$", os.path.basename(path)), "export named " + path)
    os.makedirs(keep, exist_ok=True)
    target = os.path.join(keep, "%d-%s" % (len(os.listdir(keep)) + 1, os.path.basename(path)))
    shutil.move(path, target)
    return target


def run(refkit):
    tmp = tempfile.mkdtemp(prefix="refkit-counter-")
    project = os.path.join(tmp, "project")
    os.mkdir(project)
    for folder in ("content", "site-templates"):
        shutil.copytree(os.path.join(REPO, folder), os.path.join(project, folder))
    referrers = os.path.join(project, "content", "referrers.csv")
    with open(referrers, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(["hostile.counter@example.com", "Hostile Counterfeit", HOSTILE_NAME, "en", "", ""])
    english = os.path.join(project, "content", "programs", "parrainage.en.md")
    text = open(english, encoding="utf-8").read()
    text = text.replace("  friend: 20% off the first purchase", "  friend: " + json.dumps(HOSTILE_OFFER), 1)
    # The variant `cadeau` has an offer of its own: hostile too, whichever variant the code gets.
    text = re.sub(r'(?m)^(\s+friend: )"?20% off your first visit, courtesy of a regular"?$', lambda m: m.group(1) + json.dumps(HOSTILE_OFFER), text)
    check(text.count(json.dumps(HOSTILE_OFFER)) == 2, "could not set the hostile offers")
    open(english, "w", encoding="utf-8").write(text)
    downloads = os.path.join(tmp, "downloads")
    os.mkdir(downloads)
    drivers = []
    try:
        build(refkit, project)
        # Thomas leaves: his code stays in the ledger as inactive.
        lines = open(referrers, encoding="utf-8").read().splitlines(True)
        open(referrers, "w", encoding="utf-8").writelines(l for l in lines if not l.startswith("thomas.renaud@"))
        build(refkit, project)
        codes = ledger(project)
        lea, emily, thomas = codes["lea.fontaine@example.fr"], codes["emily.clarke@example.com"], codes["thomas.renaud@example.fr"]
        hostile = codes["hostile.counter@example.com"]
        check(thomas[1] == "inactive" and lea[1] == "active", "ledger statuses: %s %s" % (thomas, lea))
        page = os.path.join(project, "kit", "counter", "index.html")
        html = open(page, encoding="utf-8").read()
        check(html.count("</script>") == 2 and "<!--" not in html, "a value ended the data script or opened a comment")
        check("default-src &#39;none&#39;" in html, "the page has no strict CSP")
        print("counter page: %d bytes for %d codes" % (len(html.encode()), len(codes)))

        driver = browser(downloads)
        drivers.append(driver)
        open_page(driver, page, "device 1")
        # Valid, typed as staff type: lower case, spaces, O for 0 where there is a 0.
        typed = " ".join([lea[0][:4].lower(), lea[0][4:8], lea[0][8:]]).replace("0", "o")
        check(check_code(driver, typed) == "valid", "Léa's code typed %r is not valid" % typed)
        result = driver.find_element(By.ID, "result").text
        check("Léa" in result and "Fontaine" not in result, "the valid result does not show the first name only: " + result)
        # The hostile name and offer, as text.
        check(check_code(driver, hostile[0]) == "valid", "the hostile referrer's code is not valid")
        shown = driver.execute_script("return Array.from(document.querySelectorAll('#result bdi')).map(function (b) { return b.textContent; })")
        check(HOSTILE_NAME in shown, "the hostile first name is not shown as text: %r" % shown)
        check(HOSTILE_OFFER in shown, "the hostile offer is not shown as text: %r" % shown)
        check(driver.execute_script("return typeof window.pwned") == "undefined", "a hostile value ran as script")
        # A typo: one symbol changed. The page offers the only issued code one edit away.
        wrong = emily[0][:3] + ("X" if emily[0][3] != "X" else "Y") + emily[0][4:]
        check(check_code(driver, wrong) == "corrected", "the typo %s was not offered a correction" % wrong)
        driver.find_element(By.ID, "use-suggestion").click()
        check(driver.find_element(By.ID, "result").get_attribute("data-kind") == "valid", "the suggested code is not valid")
        check(check_code(driver, thomas[0]) == "inactive", "Thomas's inactive code is not shown as inactive")
        check(check_code(driver, "ZZZZ-ZZZZ-Z") in ("unknown", "ambiguous"), "ZZZZ-ZZZZ-Z is not unknown")
        check(driver.find_element(By.ID, "record").get_attribute("hidden") is not None, "Record is offered for an unknown code")

        # Records: Léa's friend with an email, Emily's friend without.
        check_code(driver, lea[0])
        record(driver, email=FRIEND, value="12,50", staff="=AB")
        check(wait_until(lambda: saved(driver) == 1), "the first recording was not kept")
        check_code(driver, emily[0])
        record(driver, staff="cd")
        check(wait_until(lambda: saved(driver) == 2), "the second recording was not kept")
        # The same friend again: asked first; cancel keeps one.
        check_code(driver, lea[0])
        record(driver, email=FRIEND.upper())
        dialog = driver.find_element(By.ID, "confirm")
        check(wait_until(lambda: dialog.get_attribute("open") is not None), "recording the same friend twice did not ask first")
        check("2026" in driver.find_element(By.ID, "confirm-text").text or re.search(r"\d{4}-\d\d-\d\d", driver.find_element(By.ID, "confirm-text").text),
              "the question does not say when: " + driver.find_element(By.ID, "confirm-text").text)
        driver.find_element(By.ID, "confirm-cancel").click()
        check(wait_until(lambda: dialog.get_attribute("open") is None) and saved(driver) == 2, "cancel recorded anyway")
        # The same code again without an email: asked; confirmed, it is a second walk-in.
        check_code(driver, emily[0])
        record(driver)
        check(wait_until(lambda: dialog.get_attribute("open") is not None), "recording the same code twice did not ask first")
        driver.find_element(By.ID, "confirm-again").click()
        check(wait_until(lambda: saved(driver) == 3), "confirming did not record")

        driver.find_element(By.ID, "export").click()
        first_export = exported(downloads, os.path.join(tmp, "exports"))
        # One more visit, then the whole list exported again: the two files overlap.
        check_code(driver, codes["siti.nurhaliza@example.my"][0])
        record(driver)
        check(wait_until(lambda: saved(driver) == 4), "the fourth recording was not kept")
        driver.find_element(By.ID, "export").click()
        second_export = exported(downloads, os.path.join(tmp, "exports"))
        rows = list(csv.DictReader(open(second_export, encoding="utf-8-sig", newline="")))
        check(len(rows) == 4 and len({r["redemption_id"] for r in rows}) == 4, "the export's rows: %s" % rows)
        check(rows[0]["staff"] == "'=AB", "the formula guard was not applied to the export: %r" % rows[0]["staff"])

        # axe on the page with a result and the record form shown.
        check_code(driver, lea[0])
        driver.execute_script(AXE)
        violations = json.loads(driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: %s}})"
            ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done(JSON.stringify({error: String(e)})); });"
            % json.dumps(AXE_TAGS)))
        check(violations == [], "axe on the counter page: %s" % [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
              if isinstance(violations, list) else violations)
        print("axe-core: no violation on the counter page")
        # A 768 px tablet and a 360 px phone: no sideways scrolling, targets of at least 44 px.
        for width, height in ((768, 1024), (360, 740)):
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            check(overflow <= 0, "%d px: the page scrolls sideways by %d px" % (width, overflow))
            small = driver.execute_script(
                "return Array.from(document.querySelectorAll('button, input, select')).filter(function (e) {"
                " var r = e.getBoundingClientRect(); return r.width > 0 && (r.height < 44 || r.width < 44); }).map(function (e) { return e.id; })")
            check(not small, "%d px: touch targets under 44 px: %s" % (width, small))
            driver.save_screenshot(os.path.join(ARTIFACTS, "counter-%d.png" % width))
        # The language switch relabels the page.
        Select(driver.find_element(By.ID, "language")).select_by_value("ja")
        check(driver.execute_script("return document.documentElement.lang") == "ja"
              and "招待コード" in driver.find_element(By.ID, "check-form").text, "the switch to Japanese did not relabel the page")
        driver.save_screenshot(os.path.join(ARTIFACTS, "counter-360-ja.png"))
        Select(driver.find_element(By.ID, "language")).select_by_value("fr")
        # Load to ready, from the navigation's start (the page's own performance mark).
        ready = driver.execute_script("return performance.getEntriesByName('counter-ready')[0].startTime")
        print("load to ready: %.0f ms" % ready)

        # Desktop Chromium on Linux has no BarcodeDetector: no scan button.
        check(driver.execute_script("return 'BarcodeDetector' in window") is False
              and driver.find_element(By.ID, "scan").get_attribute("hidden") is not None, "a scan button without BarcodeDetector")

        # A second device (a fresh browser profile) with a camera and a BarcodeDetector (a stand-in
        # that reads the personal page's address off a postcard): one walk-in of its own.
        other = browser(downloads, fake_camera=True)
        drivers.append(other)
        hanako = codes["hanako.yamada@example.jp"][0]
        other.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
            window.BarcodeDetector = class {
              static getSupportedFormats() { return Promise.resolve(['qr_code', 'ean_13']); }
              constructor(options) { this.formats = options.formats; }
              detect(source) {
                window.scannedFrom = source.tagName;
                return Promise.resolve([{format: 'qr_code', rawValue: 'https://parrainage.example.fr/r/%s/?utm_source=postcard'}]);
              }
            };""" % hanako})
        open_page(other, page, "device 2")
        scan = other.find_element(By.ID, "scan")
        check(wait_until(lambda: scan.get_attribute("hidden") is None), "no scan button where BarcodeDetector reads QR codes")
        scan.click()
        check(wait_until(lambda: other.find_element(By.ID, "result").get_attribute("data-kind") == "valid"),
              "scanning the postcard's QR code did not check Hanako's code: %s" % other.find_element(By.ID, "scan-status").text)
        check(other.execute_script("return window.scannedFrom") == "VIDEO" and other.find_element(By.ID, "code").get_attribute("value") == hanako,
              "the scan did not read the camera's video or fill the code")
        check(other.execute_script("return document.getElementById('scan-video').srcObject") is None, "the camera was left on")
        record(other, staff="XY")
        other.find_element(By.ID, "export").click()
        third_export = exported(downloads, os.path.join(tmp, "exports"))

        submissions = os.path.join(tmp, "submissions.csv")
        today = time.strftime("%Y-%m-%d")
        with open(submissions, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["date", "code", "variant", "friend_name", "friend_email", "utm_source"])
            w.writerow([today, lea[0], "a", "Ami", FRIEND, "postcard"])
        arguments = [refkit, "report", submissions, "--root", project, "--conversions", first_export,
                     "--conversions", second_export, "--conversions", third_export]
        report = subprocess.run(arguments, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
        check(report.returncode == 0, "refkit report failed:\n" + report.stdout + report.stderr)
        print(report.stdout)
        # Unique redemptions: Léa's friend (converts the form), Emily ×2 and Siti (walk-ins),
        # Hanako on device 2 (walk-in); the first export's 3 rows are all in the second.
        m = re.search(r"converted:\s+(\d+) friend\(s\) \([^)]*\), (\d+) of them at the till without the form; (\d+) conversion row\(s\) not counted", report.stdout)
        check(m is not None, "no conversions line in the report's summary")
        check((int(m.group(1)), int(m.group(2)), int(m.group(3))) == (5, 4, 0),
              "converted, walk-ins, not counted = %s, expected (5, 4, 0)" % (m.groups(),))
        check("3 redemption(s) already in an earlier export, counted once" in report.stdout, "the repeats were not reported")
        # The same files again, in another order: still each redemption once.
        again = subprocess.run([refkit, "report", submissions, "--root", project, "--conversions", second_export,
                                "--conversions", first_export, "--conversions", third_export, "--conversions", second_export],
                               capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
        check(again.returncode == 0 and re.search(r"converted:\s+5 friend\(s\)", again.stdout), "a second report counted differently:\n" + again.stdout + again.stderr)
        check("rewards:    0 new" in again.stdout, "the second report added rewards again:\n" + again.stdout)
    finally:
        for d in drivers:
            d.quit()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(run)
