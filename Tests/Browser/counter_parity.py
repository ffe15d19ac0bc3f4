"""Runs a table of inputs (written by CounterTests.parity, with the Swift answers) through the
counter page's JavaScript in headless Chromium and reports every difference.

Run: python3 counter_parity.py TABLE.json"""
import json
import sys

from common import check, chromium, console_errors, fail


def main():
    table = json.load(open(sys.argv[1], encoding="utf-8"))
    driver = chromium()
    try:
        driver.get("file://" + table["page"])
        check(driver.execute_script("return document.body.getAttribute('data-ready')") == "true", "the page is not ready")
        check(not console_errors(driver), "console errors: %s" % console_errors(driver))
        got = driver.execute_script("""
            var C = window.RefkitCounter, codes = arguments[0], cells = arguments[1];
            function match(x) {
              var m = C.lookup(x);
              if (m.kind === 'exact') return 'exact:' + m.entry.code;
              if (m.kind === 'corrected') return 'corrected:' + m.code;
              if (m.kind === 'ambiguous') return 'ambiguous:' + m.codes.join(',');
              return 'unknown';
            }
            return {
              codes: codes.map(function (c) { return {normalize: C.normalize(c.input), parse: C.parse(c.input, null), match: match(c.input)}; }),
              cells: cells.map(function (c) { return {guard: C.needsGuard(c.input), cell: C.csvCell(c.input), line: C.csvLine([c.input, 'x'])}; })
            };""", table["codes"], table["cells"])
    finally:
        driver.quit()
    problems = []
    for case, js in zip(table["codes"], got["codes"]):
        for key in ("normalize", "parse", "match"):
            if case[key] != js[key]:
                problems.append("code %r: %s Swift %r, JavaScript %r" % (case["input"], key, case[key], js[key]))
    for case, js in zip(table["cells"], got["cells"]):
        for key in ("guard", "cell", "line"):
            if case[key] != js[key]:
                problems.append("cell %r: %s Swift %r, JavaScript %r" % (case["input"], key, case[key], js[key]))
    if problems:
        fail("%d difference(s):\n  " % len(problems) + "\n  ".join(problems[:40]))
    print("%d code inputs and %d cells: JavaScript and Swift agree" % (len(table["codes"]), len(table["cells"])))
    print("OK", flush=True)


if __name__ == "__main__":
    main()
