"""Take screenshots of the running demo server as each role sees it (headless Chromium + CDP).

Usage: make screenshots (scripts/screenshots.sh sets each login's language, then serves the demo
database on a spare local port and runs this script against it).
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
BASE = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8069"
PORT = 9333

SHOTS = [
    # (file, login, password, lang, path)
    ("complaint_list_en.png", "admin", "admin", "en_US", "/odoo/action-qms_customer.action_qms_complaint"),
    (
        "complaint_form_en.png",
        "admin",
        "admin",
        "en_US",
        "/odoo/action-qms_customer.action_qms_complaint/{overdue}",
    ),
    (
        "complaint_kanban_zh.png",
        "quality",
        "quality",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint?view_type=kanban",
    ),
    (
        "complaint_form_zh.png",
        "qmanager",
        "qmanager",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint/{overdue}",
    ),
    (
        "complaint_list_sales_zh.png",
        "sales",
        "sales",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint",
    ),
    (
        "complaint_graph_gm_zh.png",
        "gm",
        "gm",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint_analysis",
    ),
    ("settings_en.png", "admin", "admin", "en_US", "/odoo/action-qms_customer.action_qms_config_settings"),
    (
        "response_profile_zh.png",
        "qmanager",
        "qmanager",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_response_profile/{profile}",
    ),
    (
        "complaint_actions_zh.png",
        "quality",
        "quality",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_action",
    ),
    (
        "deadline_rules_zh.png",
        "qmanager",
        "qmanager",
        "zh_CN",
        "/odoo/action-qms_customer.action_server_qms_deadline_rules",
    ),
    (
        "deadline_rules_en.png",
        "admin",
        "admin",
        "en_US",
        "/odoo/action-qms_customer.action_server_qms_deadline_rules",
    ),
    ("sale_order_en.png", "admin", "admin", "en_US", "/odoo/action-sale.action_orders/{order}"),
    # 8D pages: (..., notebook page to open)
    (
        "complaint_8d_d4_zh.png",
        "quality",
        "quality",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint/{closed8d}",
        "d4",
    ),
    (
        "complaint_8d_d3_en.png",
        "admin",
        "admin",
        "en_US",
        "/odoo/action-qms_customer.action_qms_complaint/{overdue}",
        "d3",
    ),
    (
        "complaint_signoff_gm_zh.png",
        "gm",
        "gm",
        "zh_CN",
        "/odoo/action-qms_customer.action_qms_complaint/{closed8d}",
        "signoff",
    ),
    (
        "complaint_ledger_en.png",
        "admin",
        "admin",
        "en_US",
        "/odoo/action-qms_customer.action_qms_complaint_ledger_wizard",
    ),
]


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="qms-chrome-")
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={PORT}",
                "--window-size=1440,900",
                "--hide-scrollbars",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{PORT}/json"))
                break
            except OSError:
                time.sleep(0.2)
        page = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False
        )
        self.call("Emulation.setTimezoneOverride", timezoneId="Asia/Shanghai")

    def call(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                return message.get("result", {})

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result.get("result", {}).get("value")

    def goto(self, url, settle=3.0):
        self.call("Page.navigate", url=url)
        time.sleep(settle)

    def wait_for(self, selector, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return True
            time.sleep(0.3)
        return False

    def close(self):
        self.proc.terminate()


def rpc(session, model, method, args, kwargs=None):
    data = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/web/dataset/call_kw",
        data,
        {"Content-Type": "application/json", "Cookie": f"session_id={session}"},
    )
    response = json.load(urllib.request.urlopen(request))
    if "result" not in response:
        raise RuntimeError(response.get("error"))
    return response["result"]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
        ids = {}
        for file, login, password, lang, path, *page in SHOTS:
            browser.call("Network.enable")
            browser.call("Network.clearBrowserCookies")
            # The login page remembers the database's default language in this cookie.
            browser.call("Network.setCookie", name="frontend_lang", value=lang, url=BASE)
            browser.goto(f"{BASE}/web/login", 1)
            browser.wait_for("form.oe_login_form")
            browser.js(
                f"document.querySelector('#login').value={json.dumps(login)};"
                f"document.querySelector('#password').value={json.dumps(password)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            browser.wait_for(".o_main_navbar", 30)
            cookies = browser.call("Network.getCookies", urls=[BASE])["cookies"]
            session = next(c["value"] for c in cookies if c["name"] == "session_id")
            if not ids:
                ids["overdue"] = rpc(
                    session,
                    "ir.model.data",
                    "check_object_reference",
                    ["qms_customer", "complaint_progress_overdue"],
                )[1]
                ids["profile"] = rpc(
                    session, "ir.model.data", "check_object_reference", ["qms_customer", "profile_oem"]
                )[1]
                ids["order"] = rpc(
                    session, "ir.model.data", "check_object_reference", ["qms_customer", "so_huadong"]
                )[1]
                ids["closed8d"] = rpc(
                    session,
                    "ir.model.data",
                    "check_object_reference",
                    ["qms_customer", "complaint_8d_closed"],
                )[1]
            browser.goto(BASE + path.format(**ids), 2)
            browser.wait_for(".o_action_manager .o_view_controller, .o_form_view, .o_setting_container", 20)
            time.sleep(2.5)
            if page:
                browser.js(
                    f"document.querySelector('.o_notebook a[name={json.dumps(page[0])}]').click();"
                    "document.querySelector('.o_notebook').scrollIntoView();"
                )
                time.sleep(1.5)
            shot = browser.call("Page.captureScreenshot", format="png")
            (OUT / file).write_bytes(base64.b64decode(shot["data"]))
            print("wrote", OUT / file)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
