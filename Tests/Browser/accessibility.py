"""axe-core 4.x on every page type in every sample language, with the WCAG 2.0, 2.1 and 2.2 A and
AA rules and axe's best practices: no violation of those rules at all.

axe.min.js comes from the pinned axe-playwright-python wheel (installed by `make test-deps` with
--no-deps): only the file is used, injected through Selenium, so Playwright is not needed and the
package is never imported (its __init__ would import Playwright)."""
import importlib.metadata
import importlib.util
import json
import os

from common import LANGS, DEFAULT_LANG, Site, check, chromium, main

AXE_PACKAGE = "axe-playwright-python"
AXE_MAJOR = "4."
# The rule sets asked for: WCAG 2.2 AA includes the 2.0 and 2.1 A/AA rules under their own tags.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def axe_source():
    spec = importlib.util.find_spec("axe_playwright_python")
    check(spec is not None and spec.submodule_search_locations,
          "%s is not installed: run `make test-deps`" % AXE_PACKAGE)
    path = os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js")
    check(os.path.isfile(path), "%s %s has no axe.min.js at %s" % (AXE_PACKAGE, importlib.metadata.version(AXE_PACKAGE), path))
    return open(path, encoding="utf-8").read()


AXE = axe_source()


def pages(site):
    codes = site.personal_pages()
    tokens = site.progress_pages()
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
        token = next((t for t, l in tokens.items() if l == lang), None)
        check(token is not None, "the sample has no progress page in " + lang)
        out.append(("progress " + lang, site.url("p/%s/" % token)))
        out.append(("leaderboard " + lang, site.url(home + "leaderboard/")))
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
                "axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: %s}})"
                ".then(function (r) { done(JSON.stringify(r.violations)); },"
                " function (e) { done(JSON.stringify({error: String(e)})); });" % json.dumps(AXE_TAGS))
            violations = json.loads(result)
            check(isinstance(violations, list), "%s: axe failed: %s" % (name, violations))
            for v in violations:
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append("%s: %s (%s): %s at %s" % (name, v["id"], v["impact"], v["help"], targets))
            checked += 1
        version = driver.execute_script("return axe.version")
        check(version.startswith(AXE_MAJOR), "axe-core %s is not 4.x" % version)
        print("axe-core %s (%s) checked %d pages" % (version, ", ".join(AXE_TAGS), checked))
    finally:
        driver.quit()
        site.close()
    check(not problems, "accessibility violations:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main(run)
