"""Real-browser behaviour of a built site, served with its Netlify headers (so the strict
Content-Security-Policy is in force): pages load without console errors or requests leaving
loopback, ?ref= fills the code, the form posts the expected fields and lands on thanks/, the
client split sticks across reloads, the form works without JavaScript, and the landing page
stays within its weight budget."""
import time
import os
import re

from selenium.webdriver.common.by import By

from common import Site, check, chromium, console_errors, main, network, off_loopback

BUDGET = 100 * 1024


def load(driver, url, what):
    network(driver)
    driver.get_log("browser")
    driver.get(url)
    errors = console_errors(driver)
    check(not errors, "%s: console errors: %s" % (what, errors))
    requests = network(driver)
    bad = off_loopback([u for u, _ in requests])
    check(not bad, "%s: requests leaving loopback: %s" % (what, bad))
    return requests


def norm(code):
    """Codes as their folder names spell them: no hyphens (the form shows them grouped)."""
    return code.replace("-", "").upper()


def fill_and_submit(driver, name, email):
    driver.find_element(By.ID, "friend-name").send_keys(name)
    driver.find_element(By.ID, "friend-email").send_keys(email)
    driver.find_element(By.ID, "consent").click()
    driver.find_element(By.CSS_SELECTOR, ".referral-form button[type=submit]").click()


def wait_until(predicate, seconds=30):
    """Polls: the browser posts the form after the click returns, and a loaded machine (make
    test runs every suite at once) can take seconds to get there."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def run(refkit):
    site = Site(refkit, target="netlify")
    try:
        check(any(p == "/*" for p, _ in site.headers), "the netlify build has no _headers rule for /*")
        csp = dict(dict(site.headers)["/*"]).get("Content-Security-Policy", "")
        check("script-src 'self'" in csp and "unsafe-inline" not in csp, "weak or missing CSP: " + csp)
        pages = site.personal_pages()
        code = next(c for c, lang in pages.items() if lang == "fr")
        variants = site.variants()
        check(variants, "the sample has no variant pages under public/v/")

        # Pages load cleanly under the CSP, from loopback only. The split script would move a
        # fresh visitor off the control, so the control is checked with the choice fixed.
        driver = chromium()
        try:
            driver.get(site.url("404.html"))
            driver.execute_script("localStorage.setItem('refkit-variant-parrainage', 'a')")
            requests = load(driver, site.url("/"), "landing page")
            check(driver.current_url == site.url("/"), "the control stayed on / with the choice fixed, not " + driver.current_url)
            weight = sum(size for url, size in requests if "/assets/theme/" in url or url.rstrip("/") == site.url("").rstrip("/"))
            print("landing page weight (HTML, CSS, JS transferred): %d bytes" % weight)
            check(weight <= BUDGET, "landing page weighs %d bytes with CSS and JS; the budget is %d" % (weight, BUDGET))
            styled = driver.execute_script("return getComputedStyle(document.querySelector('.cta')).backgroundColor")
            check(styled == "rgb(138, 59, 18)", "the brand colour from site.yaml is not applied: " + styled)
            for variant in variants:
                load(driver, site.url("v/%s/" % variant), "variant page " + variant)
            load(driver, site.url("r/%s/" % code), "personal page")
            hidden = driver.find_element(By.NAME, "code").get_attribute("value")
            check(norm(hidden) == code, "personal page's code field is %r, not %r" % (hidden, code))
            load(driver, site.url("terms/"), "terms page")
            load(driver, site.url("thanks/"), "thanks page")

            # ?ref=CODE fills the hidden code on a landing page.
            load(driver, site.url("en/?ref=" + code.lower()), "landing page with ?ref=")
            filled = driver.find_element(By.NAME, "code").get_attribute("value")
            check(norm(filled) == code, "?ref= filled the code field with %r, not %r" % (filled, code))

            # The form posts every field to the endpoint and lands on thanks/.
            fill_and_submit(driver, "Ami Test", "ami@example.org")
            check(wait_until(lambda: len(site.submissions) == 1), "the form did not reach the endpoint")
            got = site.submissions[-1]
            expected = {"code": filled, "variant": "a", "name": "Ami Test", "email": "ami@example.org", "consent": "yes",
                        "bot-field": "", "program": "parrainage", "lang": "en"}
            for key, value in expected.items():
                check(got.get(key) == value, "form field %s is %r, expected %r (all: %r)" % (key, got.get(key), value, got))
            check(driver.current_url == site.url("en/thanks/"), "after submitting, the browser is on " + driver.current_url)
            check(not console_errors(driver), "console errors after submitting: %s" % console_errors(driver))
        finally:
            driver.quit()

        # The client split: a fresh visitor gets one arm and keeps it across reloads.
        driver = chromium()
        try:
            load(driver, site.url("/"), "landing page with the split")
            first = driver.current_url
            check(first == site.url("/") or any(first == site.url("v/%s/" % v) for v in variants),
                  "the split sent the visitor to " + first)
            for _ in range(3):
                load(driver, site.url("/"), "landing page reloaded")
                check(driver.current_url == first, "the split moved the visitor from %s to %s" % (first, driver.current_url))
            arm = driver.find_element(By.NAME, "variant").get_attribute("value")
            check(first.endswith("/v/%s/" % arm) or (arm == "a" and first == site.url("/")),
                  "the page at %s submits variant %r" % (first, arm))
            print("split kept the visitor on %s (variant %s) across 3 reloads" % (first, arm))
        finally:
            driver.quit()

        # Without JavaScript: the control stays, the personal page's form still posts its code.
        driver = chromium(javascript=False)
        try:
            load(driver, site.url("/"), "landing page without JavaScript")
            check(driver.current_url == site.url("/"), "without JavaScript the landing page moved to " + driver.current_url)
            load(driver, site.url("r/%s/" % code), "personal page without JavaScript")
            fill_and_submit(driver, "Sans Script", "noscript@example.org")
            check(wait_until(lambda: len(site.submissions) == 2), "without JavaScript the form did not reach the endpoint")
            got = site.submissions[-1]
            check(norm(got.get("code", "")) == code and got.get("consent") == "yes" and got.get("bot-field") == "",
                  "without JavaScript the form sent %r" % got)
            check(driver.current_url == site.url("thanks/"), "without JavaScript, after submitting: " + driver.current_url)
        finally:
            driver.quit()
    finally:
        site.close()


if __name__ == "__main__":
    main(run)
