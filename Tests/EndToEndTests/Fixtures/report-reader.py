"""The site report as a reader's browser sees it (SPEC §13, §15), for ReportLanguageTests.

Opens each page given in Debian's Chromium through chromedriver and
  - runs axe-core (axe-selenium-python) on it: any violation of impact serious or critical fails;
  - names the fonts Chromium drew the page's first heading with (DevTools'
    CSS.getPlatformFontsForNode): a Chinese page must draw its CJK characters with a CJK font,
    never as boxes;
  - saves a screenshot beside the page (PAGE.png).

usage: python3 report-reader.py PAGE.html [PAGE.html ...]
prints one line per page: `PAGE lang=… violations=N fonts=Family:glyphs,…` and exits 1 on a
serious or critical violation.
"""
import json
import sys

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1000",
                 "--allow-file-access-from-files"):
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
failed = False
try:
    for page in sys.argv[1:]:
        driver.get("file://" + page)
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in bad:
            failed = True
            nodes = [node["target"] for node in violation["nodes"]][:5]
            print("VIOLATION", page, violation["id"], violation["impact"], violation["help"], json.dumps(nodes), file=sys.stderr)
        driver.execute_cdp_cmd("DOM.enable", {})
        driver.execute_cdp_cmd("CSS.enable", {})
        root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        heading = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
        lang = driver.execute_script("return document.documentElement.lang")
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(page + ".png")
        described = ",".join("%s:%d" % (font["familyName"], font["glyphCount"]) for font in fonts)
        print("%s lang=%s violations=%d fonts=%s" % (page, lang, len(bad), described))
finally:
    driver.quit()
sys.exit(1 if failed else 0)
