#!/usr/bin/python3
"""Drives clientpass's self-service page in headless Chromium, as an employee would, for the
end-to-end tests (Debian's chromium, chromedriver and python3-selenium).

usage: browser.py URL ACCOUNT PASSWORD-FILE [--screenshots FOLDER]

The mailbox password is the first line of PASSWORD-FILE. Signs in (after one wrong try),
creates an app password, reads it, sees its QR code and downloads its Mail profile through the
one-time link (once), finds it in the list, creates a second one, renames and revokes that one,
visits "Your access" and "Activity", issues a device password on the help desk's page and reads
its card (ACCOUNT must be a member of the help desk), does it again at a phone's width (360 CSS
pixels), signs out, and creates one more with JavaScript turned off. Checks along the way that
every field has a label, the keyboard reaches the form in order, nothing scrolls sideways on the
phone and the copy button copies.

Prints one JSON object: {"kept": [app passwords that should work], "revoked": [...], "devices":
[device passwords, SMTP only]}. Exit 0: every check passed; 1: a check failed (the message says
which); 2: the browser could not run.
"""
import argparse
import json
import os
import re
import shutil
import signal
import sys
import plistlib
import tempfile
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

PASSWORD_SHAPE = re.compile(r"^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$")


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


class Employee:
    def __init__(self, url, account, password, screenshots, javascript=True, phone=False):
        self.url = url.rstrip("/")
        self.account = account
        self.password = password
        self.screenshots = screenshots
        self.profile = tempfile.mkdtemp(prefix="clientpass-chromium-")
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--user-data-dir=" + self.profile, "--lang=en-US",
                         "--hide-scrollbars", "--force-color-profile=srgb"]:
            options.add_argument(argument)
        if not javascript:
            options.add_argument("--blink-settings=scriptEnabled=false")
        if os.path.exists("/usr/lib/chromium/chromium"):
            options.binary_location = "/usr/lib/chromium/chromium"
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)
        self.phone = False
        if phone:
            self.use_phone()
        if javascript:
            origin = self.url
            self.driver.execute_cdp_cmd("Browser.grantPermissions", {
                "origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})

    def close(self):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    def use_phone(self):
        """A 360 × 780 CSS-pixel screen at twice the density, as a mid-range Android phone."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": True})
        self.phone = True

    # Helpers

    def go(self, path):
        self.driver.get(self.url + path)

    def follow(self, action):
        """Does something that loads a new page (a click, Enter in a form) and waits for it: the
        old page's window carries a mark the new one does not."""
        self.driver.execute_script("window.clientpassOldPage = true")
        action()

        def loaded(driver):
            try:
                return driver.execute_script("return !window.clientpassOldPage && document.readyState === 'complete'")
            except WebDriverException:
                return False  # between the two pages
        WebDriverWait(self.driver, 15).until(loaded)

    def path(self):
        return "/" + self.driver.current_url.split("/", 3)[3] if self.driver.current_url.count("/") >= 3 else "/"

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        elements = self.find_all(css)
        return elements[0].text if elements else ""

    def h1(self):
        return self.text("h1")

    def snap(self, name):
        """Checks the page as it is (labels, contrast, width) and keeps a screenshot when asked to."""
        self.check_labels(name)
        self.check_contrast(name)
        if self.phone:
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            check(overflow <= 0, f"{name}: the page scrolls sideways by {overflow} px on a 360 px screen")
        if self.screenshots:
            # The whole page, not just the first screenful.
            kind = "phone" if self.phone else "desktop"
            width = 360 if self.phone else 1280
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": max(780, height), "deviceScaleFactor": 2 if self.phone else 1, "mobile": self.phone})
            self.driver.save_screenshot(os.path.join(self.screenshots, f"{kind}-{name}.png"))
            if self.phone:
                self.use_phone()
            else:
                self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def check_labels(self, name):
        unlabeled = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name);""")
        check(not unlabeled, f"{name}: fields without a label: {unlabeled}")
        check(self.driver.execute_script("return document.documentElement.lang") == "en", f"{name}: the page has no language")
        check(len(self.find_all("h1")) == 1, f"{name}: a page has exactly one main heading")

    def check_contrast(self, name):
        """WCAG 2 contrast of every visible piece of text against what is behind it: at least
        4.5:1, or 3:1 for large text (24 px, or 18.66 px bold)."""
        failures = self.driver.execute_script("""
            function rgba(text) {
                const parts = text.match(/[\\d.]+/g).map(Number);
                return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
            }
            function luminance(c) {
                const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
            }
            function background(element) {
                for (let e = element; e; e = e.parentElement) {
                    const color = rgba(getComputedStyle(e).backgroundColor);
                    if (color.a > 0) { return color; }
                }
                return {r: 255, g: 255, b: 255, a: 1};
            }
            const failures = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const element = node.parentElement;
                if (!node.textContent.trim() || !element.getClientRects().length) { continue; }
                const style = getComputedStyle(element);
                if (style.visibility === "hidden" || element.closest(".visually-hidden, .skip")) { continue; }
                const fg = rgba(style.color), bg = background(element);
                const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
                const ratio = (hi + 0.05) / (lo + 0.05);
                const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
                const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
                if (ratio < needed) { failures.push(node.textContent.trim().slice(0, 40) + " (" + ratio.toFixed(2) + ":1)"); }
            }
            return failures;""")
        check(not failures, f"{name}: text below WCAG AA contrast: {failures}")

    def notice(self):
        return self.text("p.notice")

    def error(self):
        return self.text("p.error")

    # What an employee does

    def sign_in(self, password=None, expect_error=False):
        self.go("/")
        check(self.path().startswith("/sign-in"), f"an unsigned visit to / lands on the sign-in page, not {self.path()}")
        check(self.h1() == "Sign in", f"the sign-in page says 'Sign in', not {self.h1()!r}")
        check(not self.find_all("p.error"), f"the sign-in page shows no error before any attempt: {self.error()!r}")
        if not expect_error:
            self.snap("sign-in")
        account = self.find("#account")
        account.clear()
        account.send_keys(self.account)
        # The keyboard goes from the account name to the password to the button, in that order.
        account.send_keys(Keys.TAB)
        active = self.driver.switch_to.active_element
        check(active.get_attribute("id") == "password", "Tab from the account goes to the mailbox password")
        active.send_keys(password or self.password)
        self.follow(lambda: active.send_keys(Keys.ENTER))
        if expect_error:
            check(self.path().startswith("/sign-in"), "a wrong password stays on the sign-in page")
            check("wrong" in self.error(), f"a wrong password is explained, not {self.error()!r}")
            return
        check(self.path() == "/", f"signing in leads to the app passwords, not {self.path()}")
        check(self.h1() == "Your app passwords", f"signed in, the page is 'Your app passwords', not {self.h1()!r}")
        check(self.account in self.text("header"), "the header shows who is signed in")

    def check_profile(self, password):
        """The QR code shows, and its link serves the Mail profile with the password in it, once."""
        qr = self.find("#setup-qr svg")
        check(qr.is_displayed() and qr.size["width"] >= 150, f"the QR code shows, {qr.size['width']} px wide")
        check("Not Verified" in self.text("#profile-signature") or "signed by" in self.text("#profile-signature"),
              f"the page says whether the profile is signed: {self.text('#profile-signature')!r}")
        link = self.find("#setup-link").get_attribute("href")
        check(link.startswith(self.url + "/setup/"), f"the download link is a set-up link: {link}")
        with urllib.request.urlopen(link, timeout=10) as response:
            check(response.headers.get("Content-Type") == "application/x-apple-aspen-config",
                  f"the profile is served as a configuration profile, not {response.headers.get('Content-Type')}")
            profile = plistlib.loads(response.read())
        mail = profile["PayloadContent"][0]
        check(mail["PayloadType"] == "com.apple.mail.managed" and mail["EmailAddress"] == self.account, "the profile sets up this account's Mail")
        check(mail["IncomingPassword"] == password.replace(" ", ""), "the profile holds the new password")
        try:
            urllib.request.urlopen(link, timeout=10)
            raise CheckFailed("the set-up link worked twice")
        except urllib.error.HTTPError as error:
            check(error.code == 410, f"a used set-up link answers 410, not {error.code}")

    def issue_device_password(self, label, screenshot=None):
        """On the help desk's page: a password for a scanner of this account, SMTP only, and its card."""
        self.follow(self.driver.find_element(By.LINK_TEXT, "Devices").click)
        check(self.h1() == "Issue a device password", f"the help desk's page opens from the navigation: {self.h1()!r}")
        check(self.find("input[name=smtp]").is_selected() and not self.find("input[name=imap]").is_selected(),
              "a device password starts as SMTP only")
        self.find("#account").send_keys(self.account)
        self.find("#label").send_keys(label)
        if screenshot:
            self.snap("devices")
        self.follow(self.find("form[action='/devices'] button[type=submit]").click)
        check(self.h1() == "Mail settings for a device", f"issuing shows the device card, not {self.h1()!r}")
        password = self.text("#new-password")
        check(PASSWORD_SHAPE.match(password), f"the card shows a password of four groups, not {password!r}")
        card = self.text(".device-card")
        check(label in card and "SMTP server" in card and "IMAP server" not in card, f"the card shows the device and its server: {card!r}")
        if screenshot:
            self.snap(screenshot)
        self.follow(self.driver.find_element(By.LINK_TEXT, "Done").click)
        return password

    def create(self, label, protocols=(), javascript=True, screenshot=None, profile=False):
        self.go("/")
        self.find("#label").send_keys(label)
        for protocol in protocols:
            self.find(f"input[name={protocol}]").click()
        self.follow(self.find("form[action='/passwords'] button[type=submit]").click)
        check(self.h1() == f"Your new app password for “{label}”", f"creating {label!r} shows the new password, not {self.h1()!r}")
        password = self.text("#new-password")
        check(PASSWORD_SHAPE.match(password), f"the new password is four groups of four letters, not {password!r}")
        check("will not be shown again" in self.text("p.warning"), "the page says the password will not be shown again")
        check("alice@example.com" in self.text("main"), "the mail client's user name is shown")
        check("IMAP (incoming)" in self.text(".servers") or "imap" not in protocols, "the IMAP server settings are shown")
        copy = self.find("button.copy")
        if javascript:
            check(copy.is_displayed(), "with JavaScript, the copy button shows")
            copy.click()
            WebDriverWait(self.driver, 5).until(lambda driver: self.text("p.copied") != "")
            check(self.text("p.copied") == "Copied.", f"the copy button copies, it said {self.text('p.copied')!r}")
            pasted = self.driver.execute_async_script(
                "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('error: ' + e));")
            check(pasted == password, f"the clipboard holds the password, not {pasted!r}")
        else:
            check(not copy.is_displayed(), "without JavaScript, the copy button stays hidden")
        if profile:
            self.check_profile(password)
        if screenshot:
            self.snap(screenshot)
        self.follow(self.driver.find_element(By.LINK_TEXT, "Done").click)
        check(self.path() == "/", "Done leads back to the list")
        items = [item.text for item in self.find_all("li.password h2")]
        check(label in items, f"the list shows {label!r}: {items}")
        check(password not in self.text("main"), "the list never shows the password itself")
        return password

    def item(self, label):
        for item in self.find_all("li.password"):
            if item.find_element(By.CSS_SELECTOR, "h2").text == label:
                return item
        raise CheckFailed(f"no app password {label!r} in the list")

    def rename(self, label, new_label):
        self.go("/")
        self.follow(self.item(label).find_element(By.PARTIAL_LINK_TEXT, "Rename").click)
        field = self.find("#label")
        check(field.get_attribute("value") == label, "the rename form starts from the current label")
        field.clear()
        field.send_keys(new_label)
        self.follow(self.find("main form button[type=submit]").click)
        check(self.path() == "/", "renaming leads back to the list")
        check(f"to “{new_label}”" in self.notice(), f"renaming says so: {self.notice()!r}")
        self.item(new_label)

    def revoke(self, label):
        self.go("/")
        self.follow(self.item(label).find_element(By.PARTIAL_LINK_TEXT, "Revoke").click)
        check(self.h1() == f"Revoke “{label}”?", f"revoking asks first: {self.h1()!r}")
        self.snap("revoke")
        self.follow(self.find("main form button.danger").click)
        check(f"Revoked “{label}”" in self.notice(), f"revoking says so: {self.notice()!r}")
        labels = [item.text for item in self.find_all("li.password h2")]
        check(label not in labels, f"{label!r} is gone from the list: {labels}")

    def visit_access_and_activity(self):
        self.follow(self.driver.find_element(By.LINK_TEXT, "Your access").click)
        check(self.h1() == "Your access", "the access page opens from the navigation")
        check("You are on 127.0.0.1" in self.text("#here"), f"the access page names this address: {self.text('#here')!r}")
        self.snap("access")
        self.follow(self.driver.find_element(By.LINK_TEXT, "Activity").click)
        check(self.h1() == "Recent activity", "the activity page opens from the navigation")
        check("You signed in to this page" in self.text("ol.activity"), "the activity shows the sign-in")
        self.snap("activity")

    def sign_out(self):
        self.go("/")
        self.follow(self.find("form.sign-out button").click)
        check(self.path().startswith("/sign-in"), "signing out leads to the sign-in page")
        check(self.notice() == "You are signed out.", f"signing out says so: {self.notice()!r}")
        self.go("/")
        check(self.path().startswith("/sign-in"), "after signing out, the list needs a new sign-in")


def main():
    # Launched from a test runner's thread, this process may inherit blocked signals; Chromium
    # and chromedriver need them (SIGCHLD above all).
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("account")
    parser.add_argument("password_file")
    parser.add_argument("--screenshots")
    arguments = parser.parse_args()
    with open(arguments.password_file, encoding="utf-8") as file:
        password = file.readline().rstrip("\n")
    if arguments.screenshots:
        os.makedirs(arguments.screenshots, exist_ok=True)

    kept, revoked, devices = [], [], []
    employee = None
    try:
        # On a desktop screen.
        employee = Employee(arguments.url, arguments.account, password, arguments.screenshots)
        employee.sign_in(password="not the mailbox password", expect_error=True)
        employee.sign_in()
        kept.append(employee.create("Thunderbird", protocols=("imap", "smtp"), screenshot="created", profile=True))
        revoked.append(employee.create("Old phone"))
        employee.rename("Old phone", "Old phone (lost)")
        employee.snap("passwords")
        employee.revoke("Old phone (lost)")
        employee.visit_access_and_activity()
        devices.append(employee.issue_device_password("Scanner, 3rd floor", screenshot="device-card"))
        # The same on a phone's screen.
        employee.use_phone()
        kept.append(employee.create("iPhone Mail", protocols=("imap", "smtp"), screenshot="created", profile=True))
        employee.go("/")
        employee.snap("passwords")
        employee.visit_access_and_activity()
        devices.append(employee.issue_device_password("Printer, lobby", screenshot="device-card"))
        employee.sign_out()
        employee.snap("sign-in")
        employee.close()
        # Without JavaScript: everything but the copy button works.
        employee = Employee(arguments.url, arguments.account, password, None, javascript=False)
        employee.sign_in()
        kept.append(employee.create("No-script client", javascript=False))
        employee.sign_out()
        employee.close()
        employee = None
    except CheckFailed as failure:
        print(json.dumps({"kept": kept, "revoked": revoked, "devices": devices, "failed": str(failure)}))
        return 1
    except WebDriverException as error:
        print(json.dumps({"kept": kept, "revoked": revoked, "devices": devices, "failed": "the browser failed: " + error.msg}))
        return 2
    finally:
        if employee is not None:
            employee.close()
    print(json.dumps({"kept": kept, "revoked": revoked, "devices": devices}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
