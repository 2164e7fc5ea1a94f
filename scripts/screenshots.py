"""Take screenshots of the running demo server as each role sees it (headless Chromium + CDP):
each role logs in and clicks its way from its home screen, as a user does (no typed URL).

Usage: make screenshots (scripts/screenshots.sh sets each login's language, then serves the demo
database on a spare local port and runs this script against it).
"""

import base64
import json
import os
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


def app(xmlid, *menus):
    """Clicks from the home screen: the apps menu, the app, then its menus (section, item)."""
    steps = [".o_navbar_apps_menu button", f".o_app[data-menu-xmlid='{xmlid}']"]
    for index, menu in enumerate(menus):
        where = ".o_menu_sections" if index == 0 else ".dropdown-menu"
        steps.append(f"{where} [data-menu-xmlid='{menu}']")
    return steps


COMPLAINTS = app(
    "qms_customer.menu_qms_root", "qms_customer.menu_qms_complaints", "qms_customer.menu_qms_complaint"
)
RETURNS = app(
    "qms_customer.menu_qms_root", "qms_customer.menu_qms_returns", "qms_customer.menu_qms_return_request"
)
RETURNS_TO_DECIDE = app(
    "qms_customer.menu_qms_root", "qms_customer.menu_qms_returns", "qms_customer.menu_qms_return_to_decide"
)
ALL = "facet:remove"  # drop the default "Open" filter
KANBAN = ".o_switch_view.o_kanban"
LIST = ".o_switch_view.o_list"
PROPERTY = app(
    "qms_customer.menu_qms_root",
    "qms_customer.menu_qms_properties",
    "qms_customer.menu_qms_customer_property",
)
SAMPLES = app("qms_customer.menu_qms_root", "qms_customer.menu_qms_samples", "qms_customer.menu_qms_sample")
VISITS = app("qms_customer.menu_qms_root", "qms_customer.menu_qms_visits", "qms_customer.menu_qms_visit")
SATISFACTION = app(
    "qms_customer.menu_qms_root",
    "qms_customer.menu_qms_satisfaction",
    "qms_customer.menu_qms_satisfaction_campaign",
)
SURVEYED = app(
    "qms_customer.menu_qms_root",
    "qms_customer.menu_qms_satisfaction",
    "qms_customer.menu_qms_satisfaction_participant",
)
CUSTOMER_INFO = ("qms_customer.menu_qms_root", "qms_customer.menu_qms_customer_infos")
FILE_PAGE = "qms_customer_file"
CUSTOMER_FILES = app(*CUSTOMER_INFO, "qms_customer.menu_qms_customer_file")
SERVICE_RATINGS = app(*CUSTOMER_INFO, "qms_customer.menu_qms_service_rating")
ORDER_REVIEWS = app(
    "qms_customer.menu_qms_root", "qms_customer.menu_qms_order_reviews", "qms_customer.menu_qms_order_review"
)
KEY_ACCOUNTS = ("qms_customer.menu_qms_root", "qms_customer.menu_qms_key_accounts")
KEY_ACCOUNT_PLANS = app(*KEY_ACCOUNTS, "qms_customer.menu_qms_key_account_plan")
KEY_ACCOUNT_EVALUATIONS = app(*KEY_ACCOUNTS, "qms_customer.menu_qms_key_account_evaluation")
STOCK_TOOLING = app(
    "stock.menu_stock_root",
    "stock.menu_stock_warehouse_mgmt",
    "qms_customer.menu_stock_qms_customer_property_tooling",
)

SHOTS = [
    # (file, login, lang, clicks from the home screen, notebook page to open); "row:{x}" opens the
    # list row showing the demo record x.
    ("complaint_list_en.png", "admin", "en_US", COMPLAINTS),
    ("complaint_form_en.png", "admin", "en_US", [*COMPLAINTS, "row:{overdue}"]),
    ("complaint_kanban_zh.png", "quality", "zh_CN", [*COMPLAINTS, KANBAN]),
    ("complaint_form_zh.png", "qmanager", "zh_CN", [*COMPLAINTS, "row:{overdue}"]),
    ("complaint_list_sales_zh.png", "sales", "zh_CN", COMPLAINTS),
    (
        "complaint_graph_gm_zh.png",
        "gm",
        "zh_CN",
        app(
            "qms_customer.menu_qms_root",
            "qms_customer.menu_qms_reporting",
            "qms_customer.menu_qms_complaint_analysis",
        ),
    ),
    (
        "settings_en.png",
        "admin",
        "en_US",
        app("qms_customer.menu_qms_root", "qms_customer.menu_qms_config", "qms_customer.menu_qms_settings"),
    ),
    (
        "response_profile_zh.png",
        "qmanager",
        "zh_CN",
        [
            *app(
                "qms_customer.menu_qms_root",
                "qms_customer.menu_qms_config",
                "qms_customer.menu_qms_response_profile",
            ),
            "row:{profile}",
        ],
    ),
    (
        "complaint_actions_zh.png",
        "quality",
        "zh_CN",
        app("qms_customer.menu_qms_root", "qms_customer.menu_qms_actions", "qms_customer.menu_qms_action"),
    ),
    (
        "deadline_rules_zh.png",
        "qmanager",
        "zh_CN",
        app(
            "qms_customer.menu_qms_root",
            "qms_customer.menu_qms_config",
            "qms_customer.menu_qms_deadline_rule",
        ),
    ),
    (
        "deadline_rules_en.png",
        "admin",
        "en_US",
        app(
            "qms_customer.menu_qms_root",
            "qms_customer.menu_qms_config",
            "qms_customer.menu_qms_deadline_rule",
        ),
    ),
    (
        "sale_order_zh.png",
        "sales",
        "zh_CN",
        [*app("sale.sale_menu_root", "sale.sale_order_menu", "sale.menu_sale_order"), "row:{order}"],
    ),
    ("complaint_8d_d4_zh.png", "quality", "zh_CN", [*COMPLAINTS, ALL, "row:{closed8d}"], "d4"),
    ("complaint_8d_d3_en.png", "admin", "en_US", [*COMPLAINTS, "row:{overdue}"], "d3"),
    ("complaint_signoff_gm_zh.png", "gm", "zh_CN", [*COMPLAINTS, ALL, "row:{closed8d}"], "signoff"),
    ("return_list_en.png", "admin", "en_US", RETURNS),
    (
        "return_approval_qm_zh.png",
        "qmanager",
        "zh_CN",
        [*RETURNS_TO_DECIDE, "row:{return_batch}"],
        "approvals",
    ),
    ("return_lines_sales_zh.png", "sales", "zh_CN", [*RETURNS, "row:{return_batch}"]),
    (
        "return_receipt_check_zh.png",
        "warehouse",
        "zh_CN",
        [
            *app(
                "stock.menu_stock_root",
                "stock.menu_stock_warehouse_mgmt",
                "qms_customer.menu_stock_qms_return_receipts",
            ),
            "row:江南家电",
        ],
        "qms_receipt_check",
    ),
    (
        "complaint_ledger_en.png",
        "admin",
        "en_US",
        app(
            "qms_customer.menu_qms_root",
            "qms_customer.menu_qms_reporting",
            "qms_customer.menu_qms_complaint_ledger",
        ),
    ),
    ("property_list_quality_zh.png", "quality", "zh_CN", PROPERTY),
    ("property_arrival_quality_zh.png", "quality", "zh_CN", [*PROPERTY, "row:{pa66}"], "arrival"),
    (
        "property_mould_warehouse_zh.png",
        "warehouse",
        "zh_CN",
        [*STOCK_TOOLING, "row:{mould}"],
        "identification",
    ),
    ("property_maintenance_en.png", "admin", "en_US", [*PROPERTY, "row:{mould}"], "maintenance"),
    (
        "property_order_tab_zh.png",
        "sales2",
        "zh_CN",
        [*app("sale.sale_menu_root", "sale.sale_order_menu", "sale.menu_sale_order"), "row:{order_jn}"],
        "qms_customer_property",
    ),
    ("visit_list_sales_zh.png", "sales", "zh_CN", VISITS),
    ("satisfaction_campaign_mrep_zh.png", "mrep", "zh_CN", [*SATISFACTION, ".o_data_row .o_data_cell"]),
    ("satisfaction_surveyed_mrep_zh.png", "mrep", "zh_CN", SURVEYED),
    ("satisfaction_participant_sales_zh.png", "sales2", "zh_CN", [*SURVEYED, "row:江南家电"], "scores"),
    ("visit_meeting_sales_zh.png", "sales2", "zh_CN", [*VISITS, LIST, "row:江南家电"]),
    ("customer_file_owner_zh.png", "filekeeper", "zh_CN", [*CUSTOMER_FILES, "row:江南家电"], FILE_PAGE),
    ("order_review_gm_zh.png", "gm", "zh_CN", [*ORDER_REVIEWS, "row:S00040"]),
    ("order_review_list_production_zh.png", "production", "zh_CN", ORDER_REVIEWS),
    ("key_account_plan_gm_zh.png", "gm", "zh_CN", [*KEY_ACCOUNT_PLANS, "row:2026"]),
    ("key_account_evaluation_mrep_zh.png", "mrep", "zh_CN", [*KEY_ACCOUNT_EVALUATIONS, "row:2026 H1"]),
    ("service_rating_list_quality_zh.png", "quality", "zh_CN", SERVICE_RATINGS),
    ("sample_kanban_zh.png", "quality", "zh_CN", SAMPLES),
    ("sample_form_zh.png", "quality", "zh_CN", [*SAMPLES, LIST, "row:{housing}"], "review"),
    (
        "sample_verification_plan_en.png",
        "admin",
        "en_US",
        app(
            "qms_customer.menu_qms_root",
            "qms_customer.menu_qms_samples",
            "qms_customer.menu_qms_sample_verification_plan",
        ),
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

    def wait_for_text(self, selector, text, timeout=20):
        end = time.time() + timeout
        nodes = f"[...document.querySelectorAll({json.dumps(selector)})]"
        found = f"{nodes}.some(e => e.innerText.includes({json.dumps(text)}))"
        while time.time() < end:
            if self.js(found):
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


# The demo records some screenshots open: {key: (xmlid, model)}, found in their list by name.
RECORDS = {
    "overdue": ("complaint_progress_overdue", "qms.complaint"),
    "closed8d": ("complaint_8d_closed", "qms.complaint"),
    "profile": ("profile_oem", "qms.response.profile"),
    "order": ("so_huadong", "sale.order"),
    "return_batch": ("return_huadong_batch", "qms.return.request"),
    "mould": ("property_jiangnan_mould", "qms.customer.property"),
    "pa66": ("property_jiangnan_pa66", "qms.customer.property"),
    "order_jn": ("so_jiangnan", "sale.order"),
    "housing": ("sample_jiangnan_housing", "qms.sample"),
}


def record_names(session, lang):
    """The demo records' names as the logged-in user reads them (in their language); those the
    user may not read are left out."""
    names = {}
    for key, (xmlid, model) in RECORDS.items():
        try:
            res_id = rpc(session, "ir.model.data", "check_object_reference", ["qms_customer", xmlid])[1]
            names[key] = rpc(session, model, "read", [[res_id], ["name"]], {"context": {"lang": lang}})[0][
                "name"
            ]
        except RuntimeError:
            continue
    return names


def click(browser, step, names):
    """One click of a user: a menu or button (CSS selector), a list row by the text it shows, or
    the removal of the search's default filter."""
    if step == ALL:
        selector = ".o_searchview .o_facet_remove"
        expression = f"document.querySelector({json.dumps(selector)}).click()"
    elif step.startswith("row:"):
        text = step[4:].format(**names)
        selector = ".o_data_row"
        expression = (
            "[...document.querySelectorAll('.o_data_row')]"
            f".find(r => r.innerText.includes({json.dumps(text)}))"
            ".querySelector('td.o_data_cell').click()"
        )
        if not browser.wait_for_text(selector, text):
            raise RuntimeError(f"no list row shows {text}")
    else:
        selector = step
        expression = f"document.querySelector({json.dumps(selector)}).click()"
    if not browser.wait_for(selector):
        raise RuntimeError(f"nothing to click: {selector}")
    browser.js(expression)
    time.sleep(1.2)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    browser = Browser()
    try:
        only = tuple(filter(None, os.environ.get("SHOTS_ONLY", "").split(",")))
        for file, login, lang, steps, *page in SHOTS:
            if only and not file.startswith(only):
                continue
            browser.call("Network.enable")
            browser.call("Network.clearBrowserCookies")
            # The login page remembers the database's default language in this cookie.
            browser.call("Network.setCookie", name="frontend_lang", value=lang, url=BASE)
            browser.goto(f"{BASE}/web/login", 1)
            browser.wait_for("form.oe_login_form")
            browser.js(
                f"document.querySelector('#login').value={json.dumps(login)};"
                f"document.querySelector('#password').value={json.dumps(login)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            browser.wait_for(".o_main_navbar", 30)
            time.sleep(1.5)  # the role's home screen
            cookies = browser.call("Network.getCookies", urls=[BASE])["cookies"]
            names = record_names(next(c["value"] for c in cookies if c["name"] == "session_id"), lang)
            for step in steps:
                click(browser, step, names)
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
