from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase, QmsCase):
    """Issue 10's first week, in the browser, each role from its home screen: sales registers and
    confirms an important complaint for a lot-tracked product; the quality engineer finds it among
    their activities; the general manager is told at once; the quality manager's activity list
    shows what the deadline engine escalated to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.tracking = "lot"
        cls.lot = cls.env["stock.lot"].create(
            {"name": "BC-LOT-OWN", "product_id": cls.product.id, "company_id": cls.company.id}
        )
        stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        cls.env["stock.quant"].with_company(cls.company)._update_available_quantity(
            cls.product, stock, 100, lot_id=cls.lot
        )
        cls.order = cls._delivered_order(qty=100)
        cls.company.qms_default_quality_user_id = cls.users["quality"]
        cls.users["quality"].name = "QMS Quality"
        # Users as a company creates them: one company of several, no e-mail address.
        for user in cls.users.values():
            user.write({"company_ids": [(4, cls.other_company.id)], "company_id": cls.company.id})

    def authenticate(self, user, password, browser=None):
        """The plant's browsers run in its time zone (the date filters of the web client use the
        browser's day); the test machine's Chromium runs in UTC, a day behind after 16:00 UTC."""
        session = super().authenticate(user, password, browser=browser)
        if browser:
            browser._websocket_request(
                "Emulation.setTimezoneOverride", params={"timezoneId": self.calendar.tz}
            )
        return session

    def _complaint_of_order(self):
        return self.env["qms.complaint"].search([("sale_order_id", "=", self.order.id)])

    def test_important_lot_complaint_from_sales_to_quality_and_managers(self):
        self.start_tour("/odoo", "qms_sales_register_from_home", login="qms_sales")
        complaint = self._complaint_of_order()
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "confirmed",
                    "severity": "important",
                    "user_id": self.users["sales"].id,
                    "quality_user_id": self.users["quality"].id,
                    "qty_defect": 4,
                }
            ],
        )
        self.assertEqual(complaint.lot_ids, self.lot)
        self.assertEqual(complaint.photo_ids.mapped("name"), ["seized_piston.png"])
        todo = complaint.activity_ids.filtered(lambda a: a.user_id == self.users["quality"])
        self.assertEqual(len(todo), 1)
        local = complaint.with_context(tz=self.calendar.tz)
        first_reply_day = fields.Datetime.context_timestamp(local, complaint.first_reply_deadline).date()
        self.assertEqual(todo.date_deadline, first_reply_day, "due on the next step's deadline")

        self.start_tour("/odoo", "qms_quality_forward_activity", login="qms_quality")

        gm = self.users["general_manager"]
        notified = self.env["mail.notification"].search(
            [("res_partner_id", "=", gm.partner_id.id), ("mail_message_id.res_id", "=", complaint.id)]
        )
        self.assertEqual(len(notified), 1, "told once, by the system")
        self.start_tour("/odoo", "qms_general_manager_notified", login="qms_general_manager")

    def test_quality_manager_finds_escalations_in_the_activity_list(self):
        late = self._complaint(date_received=fields.Datetime.now() - timedelta(days=10))
        self.env["qms.complaint"]._qms_cron_deadlines()
        manager = self.users["quality_manager"]
        escalation = late.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(len(escalation), 1)
        self.assertLessEqual(escalation.date_deadline, self.company._qms_local_today())
        self.start_tour("/odoo", "qms_manager_activity_list", login="qms_quality_manager")
