from datetime import datetime

from odoo import Command
from odoo.tests.common import TransactionCase

# Friday 10 January 2025, 08:00 UTC = 16:00 in Shanghai: one working hour left that day.
FRIDAY_4PM_SHANGHAI = "2025-01-10 08:00:00"


ROLE_GROUPS = {
    "sales": "qms_customer.group_qms_sales",
    "quality": "qms_customer.group_qms_quality",
    "quality_manager": "qms_customer.group_qms_quality_manager",
    "technical": "qms_customer.group_qms_technical",
    "warehouse": "qms_customer.group_qms_warehouse",
    "chief_engineer": "qms_customer.group_qms_chief_engineer",
    "general_manager": "qms_customer.group_qms_general_manager",
    "management_rep": "qms_customer.group_qms_management_rep",
}
# The departments reviewing sales orders (合同评审): added by the tests that involve them.
REVIEW_ROLE_GROUPS = {
    "production": "qms_customer.group_qms_production",
    "purchasing": "qms_customer.group_qms_purchasing",
}


class QmsCase(TransactionCase):
    """A company working in Shanghai, one user per role, customers and a delivered order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Works that adopted the whole procedure, contract review included.
        cls.company = cls.env["res.company"].create({"name": "QMS Test Works", "qms_order_review": True})
        cls.company.partner_id.lang = "en_US"  # the language of its chatter notes
        cls.company.email = "quality@works.example.com"  # users have none: mail goes out from here
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "Asia/Shanghai"
        cls.other_company = cls.env["res.company"].create({"name": "QMS Other Works"})
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            cls.users[role] = cls._user(f"qms_{role}", group)
        cls.sales2 = cls._user("qms_sales2", ROLE_GROUPS["sales"])
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Huadong Auto Parts",
                "is_company": True,
                "email": "quality@huadong.example.com",
                "user_id": cls.users["sales"].id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ma Xiaodong", "parent_id": cls.customer.id, "email": "ma@huadong.example.com"}
        )
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "Jiangnan Appliance", "is_company": True, "user_id": cls.sales2.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Brake Caliper", "type": "consu", "is_storable": True, "weight": 2.6}
        )
        cls.demand_onsite = cls.env.ref("qms_customer.demand_onsite")
        cls.demand_replacement = cls.env.ref("qms_customer.demand_replacement")
        cls.photo = cls.env["ir.attachment"].create({"name": "defect.png", "raw": b"\x89PNG fake"})

    @classmethod
    def _add_review_roles(cls):
        """Production and purchasing and administration users, as the other roles."""
        for role, group in REVIEW_ROLE_GROUPS.items():
            cls.users[role] = cls._user(f"qms_{role}", group)

    @classmethod
    def _user(cls, login, group, email=False, lang="en_US"):
        """A user as the plant's administrator creates one (``_admin_creates_user``), in English
        by default: the families' tests read their messages in English."""
        return cls._admin_creates_user(login, group, email=email, lang=lang)

    @classmethod
    def _admin_creates_user(cls, login, groups, company=None, email=False, lang="zh_CN", **vals):
        """A user as a plant's administrator creates one in Settings › Users: in the administrator's
        own session (not the superuser), from the new-user form's defaults (Odoo's default access
        rights) plus the role's groups (comma-separated xml ids), in one company of several, without
        an e-mail address, in Chinese and Shanghai time. The password is the login (8 characters at
        least, padded with x)."""
        company = company or cls.company
        users = cls.env(user=cls.env.ref("base.user_admin"))["res.users"]
        defaults = users.default_get(["groups_id"])["groups_id"]
        roles = [Command.link(cls.env.ref(xmlid.strip()).id) for xmlid in groups.split(",")]
        values = {
            "name": f"{login} ({groups})",
            "login": login,
            "password": login.ljust(8, "x"),
            "email": email,
            "lang": lang,
            "tz": "Asia/Shanghai",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": defaults + roles,
        }
        return users.create({**values, **vals})

    @classmethod
    def _delivered_order(cls, qty=100, partner=None):
        order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": (partner or cls.contact).id,
                    "company_id": cls.company.id,
                    "user_id": cls.users["sales"].id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": qty})],
                }
            )
        )
        order._qms_demo_deliver()
        return order

    def _complaint(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "product_id": self.product.id,
            "quality_user_id": self.users["quality"].id,
            "date_received": datetime(2025, 1, 10, 8, 0),
        }
        values.update(vals)
        model = self.env["qms.complaint"].with_company(self.company)
        if user:
            model = model.with_user(user)
        return model.create(values)

    def _deadline_step(self, code):
        return self.env["qms.deadline.step"].search([("code", "=", code)])

    def _rule(self, code, company=None):
        """The company's rule for the step ``code`` (what the settings list edits)."""
        return self.env["qms.deadline.rule"].search(
            [
                ("step_id.code", "=", code),
                ("profile_id", "=", False),
                ("company_id", "=", (company or self.company).id),
            ]
        )

    def _complete(self, complaint):
        """Give a complaint everything the completeness check asks for."""
        complaint.sudo().write(
            {
                "delivery_date": "2025-01-02",
                "qty_delivered": 100,
                "qty_defect": 5,
                "description": "<p>Piston seizes</p>",
                "photo_ids": [Command.link(self.photo.id)],
                "customer_demand_ids": [Command.link(self.demand_replacement.id)],
            }
        )
        return complaint
