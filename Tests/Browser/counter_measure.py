"""Measures a built counter page (not a test): its size, and the time from navigation start to
the page's `counter-ready` mark in headless Chromium from file://, five loads, and how long a
check of a valid code and of a typo takes. For the figures at 100,000 referrers:

    refkit bench --referrers 100000 --work-dir DIR --keep
    python3 Tests/Browser/counter_measure.py DIR/project/kit/counter/index.html"""
import os
import statistics
import sys

from common import check, chromium, console_errors


def main():
    page = os.path.abspath(sys.argv[1])
    driver = chromium(768, 1024)
    try:
        times = []
        for _ in range(5):
            driver.get("file://" + page)
            check(driver.execute_script("return document.body.getAttribute('data-ready')") == "true", "the page is not ready")
            times.append(driver.execute_script("return performance.getEntriesByName('counter-ready')[0].startTime"))
        check(not console_errors(driver), "console errors: %s" % console_errors(driver))
        codes, checks = driver.execute_script("""
            var data = JSON.parse(document.getElementById('counter-data').textContent), block = data.codes[0];
            var n = block.s.length / block.n, code = block.s.substr(Math.floor(n / 2) * block.n, block.n);
            var typo = code.slice(0, 3) + (code[3] === 'X' ? 'Y' : 'X') + code.slice(4);
            var t0 = performance.now(), a = RefkitCounter.lookup(code), t1 = performance.now(), b = RefkitCounter.lookup(typo), t2 = performance.now();
            return [data.n.length, [a.kind, t1 - t0, b.kind, t2 - t1]];""")
    finally:
        driver.quit()
    print("%s: %d bytes, %d codes" % (page, os.path.getsize(page), codes))
    print("load to ready: median %.0f ms (%s)" % (statistics.median(times), ", ".join("%.0f" % t for t in times)))
    print("check: %s in %.2f ms; typo: %s in %.2f ms" % tuple(checks))


if __name__ == "__main__":
    main()
