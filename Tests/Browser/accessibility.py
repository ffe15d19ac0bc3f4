"""axe-core (bundled by axe-selenium-python) on every page type in every sample language:
no serious or critical violation."""
import json
import os

import axe_selenium_python

from common import LANGS, DEFAULT_LANG, Site, check, chromium, main

AXE = open(os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js"),
           encoding="utf-8").read()


def pages(site):
    codes = site.personal_pages()
    out = [("404", site.url("404.html"))]
    for lang in LANGS:
        home = "" if lang == DEFAULT_LANG else lang + "/"
        out.append(("landing " + lang, site.url(home)))
        out += [("variant %s %s" % (v, lang), site.url(home + "v/%s/" % v)) for v in site.variants(home)]
        out.append(("thanks " + lang, site.url(home + "thanks/")))
        out.append(("terms " + lang, site.url(home + "terms/")))
        code = next((c for c, l in codes.items() if l == lang), None)
        check(code is not None, "the sample has no personal page in " + lang)
        out.append(("personal " + lang, site.url("r/%s/" % code)))
    return out


def run(refkit):
    site = Site(refkit, target="plain")
    driver = chromium()
    problems = []
    try:
        # Stay on the page asked for: the split would otherwise move a fresh visitor.
        driver.get(site.url("404.html"))
        driver.execute_script("localStorage.setItem('refkit-variant-parrainage', 'a')")
        checked = 0
        for name, url in pages(site):
            driver.get(url)
            # The CSP of a real host would refuse an injected script; this server sends none.
            driver.execute_script(AXE)
            result = driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(JSON.stringify(r.violations)); },"
                " function (e) { done(JSON.stringify({error: String(e)})); });")
            violations = json.loads(result)
            check(isinstance(violations, list), "%s: axe failed: %s" % (name, violations))
            for v in violations:
                if v["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in v["nodes"]][:3]
                    problems.append("%s: %s (%s): %s at %s" % (name, v["id"], v["impact"], v["help"], targets))
            checked += 1
        print("axe-core %s checked %d pages" % (driver.execute_script("return axe.version"), checked))
    finally:
        driver.quit()
        site.close()
    check(not problems, "serious or critical accessibility violations:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main(run)
