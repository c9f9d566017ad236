"""In a real browser (Debian's chromium, headless, driven by Selenium through chromedriver)
against a real tablo-hub, tablo-web and headless tablo-display: an operator logs in, calls
А025 to window 3 from the keyboard, and the screen shows it; the staff's, IT's and admin's
pages are refused to the operator."""
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from branch import Branch
from chromium import browser, tell_failure




def main():
    branch = Branch(screen=True)
    driver = None
    try:
        shot = f"{branch.dir}/latest.png"
        branch.wait(lambda: "started" in branch.log("display") and os.path.getsize(shot) > 0, "the screen to draw", 30)
        driver = browser()
        wait = WebDriverWait(driver, 15)
        driver.get(branch.url + "/")
        wait.until(shown.presence_of_element_located((By.ID, "name"))).send_keys("op3")
        driver.find_element(By.ID, "password").send_keys(branch.users["op3"] + Keys.ENTER)
        ticket = wait.until(shown.presence_of_element_located((By.ID, "ticket")))
        wait.until(lambda d: d.find_element(By.ID, "window").get_attribute("value") == "3")
        assert driver.switch_to.active_element == ticket, "the ticket field has the focus"
        time.sleep(0.5)  # the screen's picture before the call
        with open(shot, "rb") as f:
            before = f.read()

        ticket.send_keys("а025" + Keys.ENTER)  # lower case as typed; Enter calls
        wait.until(lambda d: "А025" in d.find_element(By.ID, "call-status").text)
        # The page's board is the live one (server-sent events, not a reload).
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#calls td.ticket").text == "А025")
        branch.wait(lambda: "call А025 → window 3 shown" in branch.log("display"), "the screen to show А025 → 3")

        def changed():
            with open(shot, "rb") as f:
                now = f.read()
            return len(now) > 0 and now != before
        branch.wait(changed, "the screen's picture to change after the call")

        # The operator's page does not open the others'.
        for page in ("/staff.html", "/screens.html", "/admin.html"):
            driver.get(branch.url + page)
            assert "403" in driver.find_element(By.TAG_NAME, "body").text, (page, driver.page_source[:300])
        print("browser_test: all checks passed")
    except Exception:
        tell_failure(branch, ("hub", "web", "display"), driver)
        raise
    finally:
        if driver:
            driver.quit()
        branch.stop()


main()
