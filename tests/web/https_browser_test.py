"""The console over HTTPS in a real browser (Debian's chromium, headless, Selenium): tablo-web
serves HTTPS with a certificate made by `openssl req`; an operator logs in, the session cookie
is Secure and HttpOnly, a call from the keyboard shows on the page's live board (server-sent
events over TLS), and a reload keeps the session."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from branch import Branch
from chromium import browser, tell_failure




def main():
    branch = Branch(https=True)
    driver = None
    try:
        assert branch.url.startswith("https://")
        driver = browser("--ignore-certificate-errors")  # the test's self-signed certificate
        wait = WebDriverWait(driver, 15)
        driver.get(branch.url + "/")
        wait.until(shown.presence_of_element_located((By.ID, "name"))).send_keys("op3")
        driver.find_element(By.ID, "password").send_keys(branch.users["op3"] + Keys.ENTER)
        ticket = wait.until(shown.presence_of_element_located((By.ID, "ticket")))
        cookie = next(c for c in driver.get_cookies() if c["name"] == "tablo_session")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie

        wait.until(lambda d: d.find_element(By.ID, "window").get_attribute("value") == "3")
        ticket.send_keys("а025" + Keys.ENTER)
        wait.until(lambda d: "А025" in d.find_element(By.ID, "call-status").text)
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#calls td.ticket").text == "А025")

        driver.refresh()  # the Secure cookie comes back over HTTPS: still logged in, the board as it is
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#calls td.ticket").text == "А025")
        assert driver.current_url.endswith("/operator.html"), driver.current_url
        print("https_browser_test: all checks passed")
    except Exception:
        tell_failure(branch, ("hub", "web"), driver)
        raise
    finally:
        if driver:
            driver.quit()
        branch.stop()


main()
