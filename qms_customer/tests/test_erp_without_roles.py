import xmlrpc.client

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestErpWithoutRoles(HttpCase, QmsCase):
    """Most users of the ERP we are installed into have no Customer Quality role: Odoo's own
    salespeople, stock users and the customers' portal users. What we add to Odoo's models must
    not break their daily work (issue 27 §3), and the errors of an external RPC call come in the
    caller's language (§4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        # The administrator created these companies in the plant: they are among theirs.
        admin.company_ids |= cls.company | cls.other_company
        users = (
            cls.env["res.users"]
            .with_user(admin)
            .with_company(cls.company)
            .with_context(no_reset_password=True)
        )
        common = {
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
            "lang": "zh_CN",
            "tz": "Asia/Shanghai",
        }
        cls.odoo_sales = users.create(
            {
                **common,
                "name": "Odoo Salesperson",
                "login": "odoo_sales",
                "password": "odoo_sales_pw1",
                "groups_id": [Command.set(cls.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        cls.odoo_stock = users.create(
            {
                **common,
                "name": "Odoo Stock User",
                "login": "odoo_stock",
                "password": "odoo_stock_pw1",
                "groups_id": [Command.set(cls.env.ref("stock.group_stock_user").ids)],
            }
        )
        cls.buyer = cls.env["res.partner"].create({"name": "Portal Buyer", "parent_id": cls.customer.id})
        cls.portal = users.create(
            {
                **common,
                "name": "Portal Buyer",
                "login": "portal_buyer",
                "password": "portal_buyer_pw1",
                "partner_id": cls.buyer.id,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.customer.user_id = cls.odoo_sales
        cls.order = cls._delivered_order(qty=10, partner=cls.buyer)
        cls.order.user_id = cls.odoo_sales
        cls.delivery = cls.order.picking_ids
        cls.complaint = (
            cls.env["qms.complaint"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "product_id": cls.product.id,
                    "quality_user_id": cls.users["quality"].id,
                    "sale_order_id": cls.order.id,
                    "picking_id": cls.delivery[:1].id,
                }
            )
        )

    def test_odoo_salesperson_reads_and_edits_orders_customers_and_deliveries(self):
        """Odoo's Sales / User without a Customer Quality role: every field of an order with a
        complaint, of its customer and of its delivery reads (as ``read()`` with all fields, the
        form and the list), and the order still confirms."""
        self.assertTrue(self.order.qms_complaint_ids, "the order has a complaint the user may not read")
        order = self.order.with_user(self.odoo_sales)
        self.assertEqual(order.read()[0]["name"], self.order.name)
        self.assertNotIn("qms_complaint_ids", order.read()[0])
        for model, records in (
            ("sale.order", order),
            ("res.partner", self.customer.with_user(self.odoo_sales)),
        ):
            with self.subTest(model=model):
                self.assertTrue(records.read())
                for view_type in ("form", "list"):
                    view = records.get_views([(False, view_type)])["views"][view_type]
                    records.web_read(self._specification(records, view["arch"]))

    def test_own_preferences(self):
        """The user's own preferences (what Odoo's top-right menu opens) read and save."""
        me = self.odoo_sales.with_user(self.odoo_sales)
        view = self.env.ref("base.view_users_form_simple_modif")
        arch = me.get_views([(view.id, "form")])["views"]["form"]["arch"]
        me.web_read(self._specification(me, arch))
        me.write({"tz": "Asia/Shanghai", "signature": "<p>Odoo Salesperson</p>"})

    def test_contract_review_is_a_company_setting(self):
        """A company that has not adopted contract review confirms orders as Odoo does; one that
        has refuses a special contract (no payment terms) until it is reviewed."""
        quotations = self.env["sale.order"].with_user(self.odoo_sales).with_company(self.company)
        values = {
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        }
        special = quotations.create(values)
        self.assertEqual(special.qms_review_type, "special")
        with self.assertRaisesRegex(UserError, "special contract"):
            special.action_confirm()
        self.assertEqual(special.state, "draft")
        self.company.qms_order_review = False
        self.assertFalse(special.qms_review_enabled)
        special.action_confirm()
        self.assertEqual(special.state, "sale")
        self.assertFalse(special.sudo().qms_review_ids, "no review round where contracts are not reviewed")
        sales = self.users["sales"]
        quotation = quotations.with_user(sales).create({**values, "user_id": sales.id})
        with self.assertRaisesRegex(UserError, "does not review contracts"):
            quotation.action_qms_request_review()

    def test_odoo_stock_user_reads_deliveries_and_lots(self):
        picking = self.delivery.with_user(self.odoo_stock)
        self.assertTrue(picking.read())
        self.assertNotIn("qms_complaint_ids", picking.read()[0])
        view = picking.get_views([(False, "form")])["views"]["form"]
        picking.web_read(self._specification(picking, view["arch"]))

    def test_portal_user_opens_own_order(self):
        self.authenticate("portal_buyer", "portal_buyer_pw1")
        response = self.url_open(f"/my/orders/{self.order.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.url_open("/my", allow_redirects=False).status_code, 200)

    def test_rpc_errors_in_the_users_language(self):
        """An XML-RPC client gives no context: our refusal reads in the user's language (Chinese)
        as Odoo's own errors do; a context that names a language still wins."""
        db = self.env.cr.dbname
        uid = self.odoo_sales.id
        call = self.xmlrpc_object.execute_kw
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call(db, uid, "odoo_sales_pw1", "res.partner", "action_qms_file_approve", [[self.customer.id]])
        self.assertIn("您无权审批客户档案", caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call(
                db,
                uid,
                "odoo_sales_pw1",
                "res.partner",
                "action_qms_file_approve",
                [[self.customer.id]],
                {"context": {"lang": "en_US"}},
            )
        self.assertIn("You are not allowed to approve customer files", caught.exception.faultString)
        # Wrong credentials are refused as before, and nothing is looked up for them.
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call(db, uid, "wrong", "res.partner", "read", [[self.customer.id]])
        self.assertIn("Access Denied", caught.exception.faultString)

    def test_file_guard_fires_only_on_a_real_change(self):
        """The administrator is no customer file owner: a partner arriving with the file's
        defaults (a user's partner through ``_inherits``, an import that names every column) is
        no change of the file; setting the file's status or content is refused to them."""
        admin = self.env.ref("base.user_admin")
        partners = self.env["res.partner"].with_user(admin)
        partner = partners.create(
            {"name": "Imported Customer", "is_company": True, "qms_file_state": "draft"}
        )
        partners.with_context(default_qms_file_state="draft").create({"name": "Another Customer"})
        # (Writing a field of the file back, even unchanged, Odoo itself refuses to whoever may not
        # read it: Odoo's write checks the access to every field it is given.)
        partner.write({"name": "Imported Customer Ltd"})
        self.assertEqual(partner.sudo().qms_file_state, "draft")
        for vals in ({"qms_file_state": "approved"}, {"qms_file_credit_notes": "limit 1M"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                partners.create({"name": "Forged", **vals})
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                partner.write(vals)
        self.assertFalse(partner.sudo().qms_file_credit_notes)
        user = self.env["res.users"].with_user(admin).create({"name": "New Hire", "login": "new_hire"})
        self.assertEqual(user.partner_id.sudo().qms_file_state, "draft")

    def _specification(self, records, arch):
        """What the web client reads for a view: every field of the arch that the user gets."""
        names = {node.get("name") for node in etree.fromstring(arch).iter("field")}
        return {name: {} for name in names if name in records._fields}
