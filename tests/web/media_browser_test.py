"""In a real browser (Debian's chromium, headless, through Selenium and chromedriver) against a
real tablo-hub, tablo-web and headless tablo-display: staff upload a blue clip made with
ffmpeg on the media page, and a larger one across a line that goes down mid-upload; put the blue
one in the zone's playlist, publish, watch the screen's progress
reach "in step", and the screen shows blue; the day's preview lists it; an operator is refused
the media page."""
import hashlib
import os
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from branch import Branch
from chromium import browser, tell_failure




def centre_colour(png):
    """The mean colour of the middle of a screenshot, as (r, g, b)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", png, "-vf", "crop=iw/2:ih/2,scale=1:1", "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], check=True, capture_output=True).stdout
    return tuple(raw[:3])


def log_in(driver, wait, branch, name):
    driver.delete_all_cookies()
    driver.get(branch.url + "/login.html")
    wait.until(shown.presence_of_element_located((By.ID, "name"))).send_keys(name)
    driver.find_element(By.ID, "password").send_keys(branch.users[name] + Keys.ENTER)
    wait.until(lambda d: "/login.html" not in d.current_url)


def main():
    branch = Branch()
    branch.screen_config = f'[display.media]\nregion = "full"\n[display.fetch]\ncache_dir = "{branch.dir}/cache"\n'
    branch.start_screen()
    driver = None
    try:
        shot = f"{branch.dir}/latest.png"
        branch.wait(lambda: os.path.getsize(shot) > 0, "the screen to draw", 30)
        clip = f"{branch.dir}/blue.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=blue:size=320x240:rate=25", "-t", "3",
                        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip], check=True)
        r, g, b = centre_colour(shot)
        assert not (b > 180 and r < 70 and g < 70), f"the screen is blue before the clip: {(r, g, b)}"

        driver = browser()
        wait = WebDriverWait(driver, 30)
        log_in(driver, wait, branch, "staff")
        driver.get(branch.url + "/media.html")
        wait.until(shown.presence_of_element_located((By.ID, "files"))).send_keys(clip)  # as a file chosen (or dropped)
        wait.until(lambda d: "blue.mp4" in d.find_element(By.ID, "uploads").text and
                   d.find_element(By.CSS_SELECTOR, "#uploads .status.ok"))
        wait.until(lambda d: "blue.mp4" in d.find_element(By.ID, "library").text)
        assert "видео" in driver.find_element(By.ID, "library").text, driver.find_element(By.ID, "library").text

        # A larger clip, four chunks, on a slow line that goes down after the first chunk: the
        # page waits, asks the hub where it stands, and goes on; the hub ends with one whole file.
        big = f"{branch.dir}/big.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x480:rate=25", "-t", "5",
                        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-pix_fmt", "yuv420p", big], check=True)
        driver.set_network_conditions(latency=5, download_throughput=10_000_000, upload_throughput=400_000)
        driver.find_element(By.ID, "files").send_keys(big)
        bar = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#uploads li:nth-child(2) progress"))[0]
        WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: float(bar.get_attribute("value")) >= 1024 * 1024)
        driver.set_network_conditions(offline=True, latency=5, download_throughput=0, upload_throughput=0)
        line = driver.find_element(By.CSS_SELECTOR, "#uploads li:nth-child(2)")
        wait.until(lambda d: "Нет связи" in line.text)
        driver.delete_network_conditions()
        wait.until(lambda d: "Добавлен: big.mp4" in line.text)
        with open(big, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        library = f"{branch.dir}/journal/media"
        assert os.path.exists(f"{library}/files/{sha}") and not os.listdir(f"{library}/parts"), os.listdir(library)
        with open(f"{library}/files/{sha}", "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == sha, "the hub's big.mp4 is not the clip"

        driver.get(branch.url + "/staff.html")
        wait.until(shown.presence_of_element_located((By.CSS_SELECTOR, "#items input[name=file]"))).send_keys("blue.mp4")
        driver.find_element(By.ID, "publish").click()
        wait.until(lambda d: "✓" in d.find_element(By.ID, "playlist-status").text)
        # Each screen of the zone and its progress, until every one is in step.
        wait.until(lambda d: d.find_element(By.ID, "publish-summary").get_attribute("data-done") == "yes")
        row = driver.find_element(By.CSS_SELECTOR, "#publishing tr")
        assert row.get_attribute("data-state") == "in step" and "hall-1" in row.text, row.text

        def blue():
            r, g, b = centre_colour(shot)
            return b > 180 and r < 70 and g < 70
        branch.wait(blue, "the screen to show the blue clip", 30)

        # What plays when: the draft in the editor, today, all day.
        driver.find_element(By.ID, "preview-show").click()
        wait.until(lambda d: "blue.mp4" in d.find_element(By.ID, "preview").text)
        assert "00:00–24:00" in driver.find_element(By.ID, "preview").text, driver.find_element(By.ID, "preview").text

        # An operator is refused the media page.
        log_in(driver, wait, branch, "op3")
        driver.get(branch.url + "/media.html")
        assert "403" in driver.find_element(By.TAG_NAME, "body").text, driver.page_source[:300]
        print("media_browser_test: all checks passed")
    except Exception:
        tell_failure(branch, ("hub", "web", "display"), driver)
        raise
    finally:
        if driver:
            driver.quit()
        branch.stop()


main()
