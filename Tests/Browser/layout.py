"""Layout at a phone's 360 px and a laptop's 1280 px: no horizontal overflow, the call to action
visible without scrolling, and Chinese and Japanese set in real CJK fonts (no missing glyphs).
Screenshots go to .build/browser-artifacts/ for a person to look at."""
import os

from selenium.webdriver.common.by import By

from common import ARTIFACTS, DEFAULT_LANG, LANGS, Site, check, chromium, main

SIZES = [(360, 740), (1280, 800)]


def run(refkit):
    site = Site(refkit, target="plain")
    codes = site.personal_pages()
    problems = []
    shots = 0
    try:
        for width, height in SIZES:
            driver = chromium(width, height)
            try:
                driver.get(site.url("404.html"))
                driver.execute_script("localStorage.setItem('refkit-variant-parrainage', 'a')")
                for lang in LANGS:
                    home = "" if lang == DEFAULT_LANG else lang + "/"
                    code = next(c for c, l in codes.items() if l == lang)
                    for kind, path in (("landing", home), ("personal", "r/%s/" % code)):
                        name = "%s-%s-%d" % (kind, lang, width)
                        driver.get(site.url(path))
                        driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))
                        shots += 1
                        scroll, inner = driver.execute_script(
                            "return [document.documentElement.scrollWidth, window.innerWidth]")
                        if scroll > inner:
                            wide = driver.execute_script(
                                "return Array.from(document.querySelectorAll('body *')).filter(function (e) {"
                                " return e.getBoundingClientRect().right > window.innerWidth + 1; }).slice(0, 5)"
                                ".map(function (e) { return e.tagName + '.' + e.className; })")
                            problems.append("%s: page is %d px wide in a %d px window (%s)" % (name, scroll, inner, wide))
                        cta = driver.find_element(By.CSS_SELECTOR, ".hero .cta")
                        bottom = driver.execute_script("return arguments[0].getBoundingClientRect().bottom", cta)
                        if bottom > height:
                            problems.append("%s: the call to action ends at %d px, below the fold (%d px)" % (name, bottom, height))
                        if lang in ("ja", "zh"):
                            problems += cjk_fonts(driver, name)
            finally:
                driver.quit()
        print("%d screenshots in %s" % (shots, ARTIFACTS))
    finally:
        site.close()
    check(not problems, "layout problems:\n  " + "\n  ".join(problems))


def cjk_fonts(driver, name):
    """Asks Chromium which fonts drew the headline: a CJK face, and every glyph found."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    out = []
    for selector in ("h1", ".hero .cta", ".form-section h2"):
        node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            out.append("%s: no %s on the page" % (name, selector))
            continue
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families = [f["familyName"] for f in fonts]
        if not any("CJK" in f for f in families):
            out.append("%s: %s is drawn in %s, not a CJK font" % (name, selector, families))
        # Chromium draws a character no font has with a fallback font; "Last Resort" or no font
        # at all for part of the text means boxes.
        if any("Last Resort" in f for f in families):
            out.append("%s: %s has characters no installed font covers" % (name, selector))
    return out


if __name__ == "__main__":
    main(run)
