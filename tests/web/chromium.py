"""Headless Chromium for the browser tests, through Debian's chromium and chromium-driver."""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(*flags):
    """A headless Chromium of 1280×900; `flags`: more of its command line."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                 *flags):
        options.add_argument(flag)
    # Debian's driver, so that Selenium never tries to download one.
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def tell_failure(branch, logs, driver=None):
    """What a failed test leaves to read: the tail of each program's log, and the browser's console."""
    for name in logs:
        print(f"--- {name}.log\n{branch.log(name)[-3000:]}", file=sys.stderr)
    if driver:
        print("--- browser console\n", driver.get_log("browser"), file=sys.stderr)
