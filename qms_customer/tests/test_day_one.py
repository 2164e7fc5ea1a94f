"""Issue 27, day one in a new plant: the administrator creates the users (through the API, the
Users form and an import), picks their roles in the form's Customer Quality section; a salesperson
gives a customer portal access. Each logs in and opens their home screen, and does the first things
of their job with the rights their role carries, nobody adding any by hand."""

import base64
import re
from datetime import date, datetime
from urllib.parse import parse_qs, urlparse

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, http
from odoo.addons.base.models.res_users import name_selection_groups
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import REVIEW_ROLE_GROUPS, ROLE_GROUPS, QmsCase

ALL_ROLES = {
    **ROLE_GROUPS,
    **REVIEW_ROLE_GROUPS,
    "customer_file": "qms_customer.group_qms_customer_file",
}
# The app each role lands in: the warehouse works in Inventory, everybody else in Customer Quality.
HOME_APP = dict.fromkeys(ALL_ROLES, "qms_customer.menu_qms_root") | {"warehouse": "stock.menu_stock_root"}
# Rights a new user must not get unless the administrator gives them.
MANAGER_GROUPS = (
    "base.group_system",
    "base.group_erp_manager",
    "sales_team.group_sale_manager",
    "sales_team.group_sale_salesman_all_leads",
    "stock.group_stock_manager",
    "account.group_account_manager",
    "account.group_account_invoice",
    "hr.group_hr_manager",
    "hr.group_hr_user",
    "product.group_product_manager",
)
# Odoo's core rights each role carries (README, Roles and who sees what).
CORE_RIGHTS = {
    "sales": ("sales_team.group_sale_salesman", "base.group_partner_manager"),
    "warehouse": ("stock.group_stock_user",),
    "management_rep": ("survey.group_survey_user",),
}


@tagged("post_install", "-at_install")
class TestDayOne(HttpCase, QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin_env = cls.env(user=cls.admin)
        # The plant's administrator works in both plants (the Users form's company fields).
        cls.admin.write({"company_ids": [Command.link(cls.company.id), Command.link(cls.other_company.id)]})
        cls.day_one = {
            role: cls._admin_creates_user(f"day1_{role}", group) for role, group in ALL_ROLES.items()
        }

    # ------------------------------------------------------------------ helpers
    def _form_defaults(self):
        """The groups a new user gets from the Users form (Odoo's default access rights)."""
        commands = self.admin_env["res.users"].default_get(["groups_id"])["groups_id"]
        self.assertEqual(len(commands), 1)
        return self.env["res.groups"].browse(commands[0][2])

    def _expected_groups(self, *xmlids):
        groups = self._form_defaults().union(*(self.env.ref(xmlid) for xmlid in xmlids))
        return groups | groups.trans_implied_ids

    def _assert_least_rights(self, user, *roles):
        self.assertEqual(user.groups_id, self._expected_groups(*roles), user.login)
        managers = self.env["res.groups"].union(*(self.env.ref(xmlid) for xmlid in MANAGER_GROUPS))
        extra = user.groups_id & managers
        self.assertFalse(extra, f"{user.login}: {extra.mapped('full_name')}")

    def _set_password(self, users, password):
        """The administrator's Change Password action (Users list, Actions)."""
        wizard = (
            self.admin_env["change.password.wizard"]
            .with_context(active_model="res.users", active_ids=users.ids)
            .create({})
        )
        wizard.user_ids.new_passwd = password
        wizard.change_password_button()

    def _eval(self, text, user):
        values = {
            "uid": user.id,
            "context_today": date.today,
            "datetime": datetime,
            "relativedelta": relativedelta,
            "allowed_company_ids": user.company_ids.ids,
            "current_company_id": user.company_id.id,
        }
        return safe_eval(text, values) if isinstance(text, str) else text

    def _open_home(self, user, password):
        """Log in and open the role's home screen as the web client does: the menus, the app's first
        action, its views and the records of its first view."""
        self.authenticate(user.login, password)
        menus = self.url_open("/web/webclient/load_menus/day-one").json()
        app = next((menu for menu in menus.values() if menu["xmlid"] == HOME_APP[self._role_of(user)]), None)
        self.assertTrue(app, f"{user.login} sees its app")
        action = self.make_jsonrpc_request("/web/action/load", {"action_id": app["actionID"]})
        self.assertEqual(action["type"], "ir.actions.act_window", user.login)
        model = action["res_model"]
        context = {**self._eval(action.get("context") or "{}", user), "lang": user.lang}
        views = [[view_id or False, view_type] for view_id, view_type in action["views"]]
        loaded = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/get_views",
            {
                "model": model,
                "method": "get_views",
                "args": [],
                "kwargs": {
                    "views": views,
                    "options": {"load_filters": True, "toolbar": True},
                    "context": context,
                },
            },
        )
        arch = etree.fromstring(loaded["views"][views[0][1]]["arch"])
        names = {
            node.get("name")
            for node in arch.iter("field")
            if not any(parent.tag == "field" for parent in node.iterancestors())
        }
        result = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/web_search_read",
            {
                "model": model,
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": self._eval(action.get("domain") or "[]", user),
                    "specification": {name: {} for name in names},
                    "limit": 80,
                    "context": context,
                },
            },
        )
        self.assertIn("records", result)
        return model

    def _role_of(self, user):
        return next(role for role, xmlid in ALL_ROLES.items() if user.has_group(xmlid) and role in HOME_APP)

    # ------------------------------------------------------------------ the Users form
    def test_new_user_starts_with_employee_rights(self):
        """Odoo's template user holds the manager groups of sales, inventory, accounting and
        employees; the new-user form gives a new user only the Employee rights."""
        param = self.env["ir.config_parameter"].get_param("base_setup.default_user_rights")
        self.assertFalse(param, "Default Access Rights is off")
        employee = self.env.ref("base.group_user")
        self.assertEqual(self._form_defaults(), employee | employee.trans_implied_ids)
        template = self.env.ref("base.default_user").groups_id
        self.assertIn(self.env.ref("stock.group_stock_manager"), template, "the template is left as it is")
        for role, user in self.day_one.items():
            with self.subTest(role=role):
                self._assert_least_rights(user, ALL_ROLES[role])
                for xmlid in CORE_RIGHTS.get(role, ()):
                    self.assertTrue(user.has_group(xmlid), f"{role}: {xmlid}")

    def test_roles_are_picked_in_the_users_form_without_developer_mode(self):
        """Each department is a sub-category of Customer Quality whose roles form a chain: the
        generated Users form shows one selection each, outside the developer-mode part, in the
        administrator's session as the web client loads it."""
        parent = self.env.ref("qms_customer.module_category_qms")
        by_category = {
            app: (kind, groups)
            for app, kind, groups, _section in self.env["res.groups"].get_groups_by_application()
            if app.parent_id == parent
        }
        ours = self.env["res.groups"].union(*(self.env.ref(xmlid) for xmlid in ALL_ROLES.values()))
        self.assertEqual(ours.category_id.parent_id, parent)
        self.assertFalse(
            self.env["res.groups"].search([("category_id", "=", parent.id)]), "no group left in the parent"
        )
        self.assertEqual(set(by_category), set(ours.category_id))
        self.assertEqual({kind for kind, _groups in by_category.values()}, {"selection"})
        quality = self.env.ref("qms_customer.module_category_qms_quality")
        self.assertEqual(
            by_category[quality][1].mapped("name"), ["Quality Engineer", "Quality Manager"], "a chain"
        )
        technical = self.env.ref("qms_customer.module_category_qms_technical")
        self.assertEqual(by_category[technical][1].mapped("name"), ["Technical / R&D", "Chief Engineer"])

        self.authenticate("admin", "admin")
        loaded = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.users/get_views",
            {
                "model": "res.users",
                "method": "get_views",
                "args": [],
                "kwargs": {"views": [[self.env.ref("base.view_users_form").id, "form"]], "options": {}},
            },
        )
        arch = etree.fromstring(loaded["views"]["form"]["arch"])
        fields = loaded["models"]["res.users"]["fields"]
        section = next(
            node for node in arch.iter("group") if node.get("string") == parent.with_context(lang=None).name
        )
        shown = {}
        for node in section.iter("field"):
            if node.get("invisible") in ("1", "True"):
                continue
            for group_id, _label in fields[node.get("name")]["selection"]:
                if group_id:
                    shown[group_id] = node.get("name")
        self.assertEqual(set(shown), set(ours.ids), "every role, in the Customer Quality section")
        for category, (_kind, groups) in by_category.items():
            self.assertEqual(shown[groups[:1].id], name_selection_groups(groups.ids))
            self.assertEqual(fields[name_selection_groups(groups.ids)]["string"], category.name)

    def test_user_created_in_the_users_form(self):
        """The administrator fills the Users form: name, login, the quality role in its selection,
        Chinese, Shanghai, one plant of two; then sets the password from the Users list."""
        quality = self.env.ref("qms_customer.module_category_qms_quality")
        by_app = self.env["res.groups"].get_groups_by_application()
        groups = next(groups for app, _kind, groups, _section in by_app if app == quality)
        manager = self.env.ref("qms_customer.group_qms_quality_manager")
        with Form(self.admin_env["res.users"], view="base.view_users_form") as form:
            form.name = "陈杰"
            form.login = "day1_form_qm"
            form[name_selection_groups(groups.ids)] = manager.id
            form.company_ids.clear()
            form.company_ids.add(self.company)
            form.company_id = self.company
            form.lang = "zh_CN"
            form.tz = "Asia/Shanghai"
        user = form.record
        self.assertRecordValues(
            user, [{"lang": "zh_CN", "tz": "Asia/Shanghai", "company_id": self.company.id, "email": False}]
        )
        self.assertEqual(user.company_ids, self.company)
        self._assert_least_rights(user, "qms_customer.group_qms_quality_manager")
        self.assertTrue(user.has_group("qms_customer.group_qms_quality"), "a quality engineer too")
        self._set_password(user, "day1-form-qm")
        self.assertEqual(self._open_home(user, "day1-form-qm"), "qms.complaint")

    def test_users_imported_from_a_csv_file(self):
        """The administrator imports the plant's staff (Users, Import records): the columns map
        by themselves, the roles are named as the Users form shows them."""
        sales_group = self.env.ref("qms_customer.group_qms_sales")
        warehouse_group = self.env.ref("qms_customer.group_qms_warehouse")
        csv = "\n".join(
            [
                "name,login,lang,tz,company_id,company_ids,groups_id",
                f"李雷,day1_import_sales,zh_CN,Asia/Shanghai,{self.company.name},{self.company.name},"
                f'"{sales_group.full_name}"',
                f"韩梅,day1_import_warehouse,zh_CN,Asia/Shanghai,{self.company.name},{self.company.name},"
                f'"{warehouse_group.full_name}"',
            ]
        )
        wizard = self.admin_env["base_import.import"].create(
            {"res_model": "res.users", "file": csv.encode(), "file_type": "text/csv", "file_name": "staff"}
        )
        preview = wizard.parse_preview(
            {"has_headers": True, "quoting": '"', "separator": ",", "encoding": "utf-8"}
        )
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = ["/".join(match) for match in preview["matches"].values()]
        self.assertEqual(fields, ["name", "login", "lang", "tz", "company_id", "company_ids", "groups_id"])
        result = wizard.execute_import(
            fields,
            preview["headers"],
            {
                "import_skip_records": [],
                "import_set_empty_fields": [],
                "fallback_values": {},
                "name_create_enabled_fields": {},
                "encoding": "utf-8",
                "separator": ",",
                "quoting": '"',
                "date_format": "",
                "datetime_format": "",
                "float_thousand_separator": ",",
                "float_decimal_separator": ".",
                "advanced": True,
                "has_headers": True,
                "keep_matches": False,
                "limit": 2000,
                "skip": 0,
            },
        )
        self.assertFalse(result["messages"], result["messages"])
        users = self.env["res.users"].browse(result["ids"])
        self.assertEqual(users.mapped("login"), ["day1_import_sales", "day1_import_warehouse"])
        roles = ("qms_customer.group_qms_sales", "qms_customer.group_qms_warehouse")
        for user, group in zip(users, roles, strict=True):
            self.assertRecordValues(
                user, [{"lang": "zh_CN", "tz": "Asia/Shanghai", "company_id": self.company.id}]
            )
            self._assert_least_rights(user, group)
        self._set_password(users, "day1-imported")
        self.assertEqual(self._open_home(users[0], "day1-imported"), "qms.complaint")
        self.assertEqual(self._open_home(users[1], "day1-imported"), "stock.picking.type")

    def test_every_role_created_by_the_administrator_opens_its_home(self):
        for role, user in self.day_one.items():
            with self.subTest(role=role):
                self._open_home(user, user.login.ljust(8, "x"))

    def test_salesperson_grants_a_customer_portal_access(self):
        """The customer's salesperson grants portal access to its contact (Contact Creation comes
        with the role); the customer signs up from the invitation and reaches its portal."""
        sales = self.day_one["sales"]
        customer = self.env["res.partner"].create(
            {"name": "华东汽车零部件", "is_company": True, "user_id": sales.id, "company_id": self.company.id}
        )
        contact = (
            self.env["res.partner"]
            .with_user(sales)
            .create({"name": "马晓东", "parent_id": customer.id, "email": "ma.xd@huadong.example.com"})
        )
        wizard = (
            self.env["portal.wizard"]
            .with_user(sales)
            .with_context(active_model="res.partner", active_ids=contact.ids)
            .create({})
        )
        # The invitation goes out (from the company's address: the salesperson has none).
        with self.assertNoLogs("odoo.addons.mail.models.mail_mail", level="ERROR"):
            wizard.user_ids.action_grant_access()
        portal_user = contact.user_ids
        self.assertEqual(portal_user.login, "ma.xd@huadong.example.com")
        self.assertTrue(portal_user.share)
        self.assertFalse(portal_user.has_group("base.group_user"))
        # The invitation's link: the customer chooses a password.
        url = contact._get_signup_url_for_action()[contact.id]
        token = parse_qs(urlparse(url).query)["token"][0]
        page = self.url_open(f"/web/signup?token={token}")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        signed_up = self.url_open(
            "/web/signup",
            data={
                "csrf_token": csrf,
                "token": token,
                "login": portal_user.login,
                "name": "马晓东",
                "password": "huadong-2025",
                "confirm_password": "huadong-2025",
            },
        )
        self.assertEqual(signed_up.status_code, 200)
        self.authenticate(portal_user.login, "huadong-2025")
        my = self.url_open("/my")
        self.assertEqual(my.status_code, 200)
        self.assertIn("/my", my.url)
        self.assertNotIn("/odoo", self.url_open("/odoo").url, "no back office")

    # ------------------------------------------------------------------ daily paths
    def test_salesperson_creates_a_customer_and_moves_it_to_intention(self):
        sales = self.day_one["sales"]
        Partner = self.env["res.partner"].with_user(sales)
        customer = Partner.create(
            {"name": "星河机电", "is_company": True, "user_id": sales.id, "qms_lifecycle": "potential"}
        )
        contact = Partner.create({"name": "李工", "parent_id": customer.id, "function": "采购"})
        self.assertEqual(contact.commercial_partner_id, customer)
        customer.write({"qms_lifecycle": "intention"})
        self.assertEqual((customer.qms_lifecycle, contact.qms_lifecycle), ("intention", "intention"))
        # Active comes with the first confirmed order only.
        with self.assertRaisesRegex(UserError, "首个确认订单|first confirmed order"):
            customer.write({"qms_lifecycle": "active"})
        with self.assertRaisesRegex(UserError, "首个确认订单|first confirmed order"):
            customer.write({"qms_date_active": "2025-01-10"})
        with self.assertRaisesRegex(UserError, "首个确认订单|first confirmed order"):
            Partner.create({"name": "Active Co", "is_company": True, "qms_lifecycle": "active"})
        self.assertEqual(customer.qms_lifecycle, "intention")
        customer.write({"qms_lifecycle": "intention", "name": "星河机电有限公司"})  # written back: no change
        self._delivered_order(partner=contact)
        self.assertEqual(customer.qms_lifecycle, "active", "its first confirmed order")
        self.assertTrue(customer.qms_date_active)
        # A role without Contact Creation registers none.
        for role in ("quality", "warehouse", "production"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(self.day_one[role]).create({"name": "Nobody"})

    def test_each_role_attaches_files_and_comments_on_its_records(self):
        """Attach a file in the chatter (an upload, then the message with it) as the web client
        does, on each role's own records; the warehouse on the receipt it checks, without an e-mail
        address."""
        sales, quality = self.day_one["sales"], self.day_one["quality"]
        self.customer.user_id = sales
        complaint = self._complaint(user=sales, quality_user_id=quality.id)
        picking = self._delivered_order().picking_ids[:1]
        plan = (
            self.env["qms.key.account.plan"]
            .with_user(sales)
            .with_company(self.company)
            .create({"name": "重要客户 2025", "year": 2025})
        )
        evaluation = (
            self.env["qms.key.account.evaluation"]
            .with_user(self.day_one["management_rep"])
            .with_company(self.company)
            .create({"company_id": self.company.id, "year": 2025, "half": "1"})
        )
        cases = [
            ("sales", complaint),
            ("quality", complaint),
            ("general_manager", complaint),
            ("warehouse", picking),
            ("management_rep", plan),
            ("general_manager", evaluation),
        ]
        for role, record in cases:
            with self.subTest(role=role, model=record._name):
                user = self.day_one[role]
                self.authenticate(user.login, user.login.ljust(8, "x"))
                upload = self.url_open(
                    "/mail/attachment/upload",
                    data={
                        "csrf_token": http.Request.csrf_token(self),
                        "thread_id": record.id,
                        "thread_model": record._name,
                        "is_pending": "true",
                    },
                    files={"ufile": ("photo.png", base64.b64decode(b"iVBORw0KGgo="), "image/png")},
                )
                self.assertEqual(upload.status_code, 200)
                data = upload.json()
                self.assertNotIn("error", data, data)
                attachment_id = data["data"]["ir.attachment"][0]["id"]
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {
                        "thread_model": record._name,
                        "thread_id": record.id,
                        "post_data": {
                            "body": "见附件照片",
                            "attachment_ids": [attachment_id],
                            "message_type": "comment",
                            "subtype_xmlid": "mail.mt_note",
                        },
                    },
                )
                message = record.message_ids[:1]
                self.assertEqual(message.author_id, user.partner_id)
                self.assertEqual(message.attachment_ids.ids, [attachment_id])
                attached = message.attachment_ids
                self.assertEqual((attached.res_model, attached.res_id), (record._name, record.id))

    def test_salesperson_schedules_a_visit_meeting_and_roles_print_their_reports(self):
        sales = self.day_one["sales"]
        self.customer.user_id = sales
        visit = (
            self.env["qms.visit"]
            .with_user(sales)
            .with_company(self.company)
            .create({"partner_id": self.customer.id, "reason": "半年走访", "date_planned": "2025-02-10"})
        )
        action = visit.action_schedule_meeting()
        meeting = (
            self.env["calendar.event"]
            .with_user(sales)
            .with_context(**action["context"])
            .create({"start": "2025-02-11 01:30:00", "stop": "2025-02-11 03:00:00"})
        )
        self.assertEqual((meeting.res_model, meeting.res_id), ("qms.visit", visit.id))
        self.assertEqual(str(visit.date_planned), "2025-02-11", "the meeting's day plans the visit")
        # Technical / R&D read visits: a meeting of theirs linked to it does not plan it.
        self.env["calendar.event"].with_user(self.day_one["technical"]).with_context(
            default_res_model="qms.visit", default_res_id=visit.id
        ).create({"name": "R&D", "start": "2025-02-14 01:30:00", "stop": "2025-02-14 03:00:00"})
        self.assertEqual(str(visit.date_planned), "2025-02-11")
        complaint = self._complaint(user=sales, quality_user_id=self.day_one["quality"].id)
        prints = [
            ("sales", "qms_customer.report_qms_complaint_reply", complaint),
            ("sales", "qms_customer.report_qms_visit_reply", visit),
            ("quality", "qms_customer.report_qms_complaint_8d", complaint),
            ("technical", "qms_customer.report_qms_complaint_8d", complaint),
            ("general_manager", "qms_customer.report_qms_complaint_reply", complaint),
            ("management_rep", "qms_customer.report_qms_visit_reply", visit),
        ]
        for role, report, record in prints:
            with self.subTest(role=role, report=report):
                user = self.day_one[role]
                self.authenticate(user.login, user.login.ljust(8, "x"))
                response = self.url_open(f"/report/html/{report}/{record.id}")
                self.assertEqual(response.status_code, 200)
                self.assertIn(record.name, response.text)
        # The warehouse reads no complaint: its report is refused.
        warehouse = self.day_one["warehouse"]
        self.authenticate(warehouse.login, warehouse.login.ljust(8, "x"))
        with mute_logger("odoo.http"):  # the refusal is logged by Odoo's request handler
            refused = self.url_open(f"/report/html/qms_customer.report_qms_complaint_reply/{complaint.id}")
        self.assertNotEqual(refused.status_code, 200)

    # ------------------------------------------------------------------ demo
    def test_demo_users_have_what_the_administrator_gives(self):
        """The demo logins carry their role on top of the new-user form's defaults, nothing more."""
        demo = self.env["ir.model.data"].search(
            [("module", "=", "qms_customer"), ("model", "=", "res.users"), ("name", "=like", "user_qms_%")]
        )
        if not demo:
            self.skipTest("installed without demo data")
        roles = {f"qms_customer.group_qms_{role}": role for role in ALL_ROLES}
        for user in self.env["res.users"].browse(demo.mapped("res_id")):
            with self.subTest(login=user.login):
                own = [xmlid for xmlid in roles if self.env.ref(xmlid) in user.groups_id]
                self.assertTrue(own, user.login)
                self._assert_least_rights(user, *own)
