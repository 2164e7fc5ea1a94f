from datetime import date

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase, QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._delivered_order(qty=100)

    def test_register_complaint_from_order_in_the_browser(self):
        self.start_tour(
            f"/odoo/action-sale.action_orders/{self.order.id}", "qms_complaint_from_order", login="qms_sales"
        )
        complaint = self.env["qms.complaint"].search([("sale_order_id", "=", self.order.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.qty_defect, 4)
        self.assertEqual(complaint.severity, "important")
        self.assertEqual(complaint.urgency, "urgent")
        self.assertEqual(complaint.user_id, self.users["sales"])
        self.assertTrue(complaint.date_first_reply)
        self.assertEqual(complaint.state, "draft")

    def test_complete_an_8d_discipline_in_the_browser(self):
        complaint = self._complete(self._complaint(requires_8d=True))
        complaint.action_confirm()
        complaint.action_start()
        now = fields.Datetime.now()
        complaint.write(
            {
                "d0_emergency_response": "Stock frozen",
                "eightd_leader_id": self.users["quality"].id,
                "eightd_team_ids": [(6, 0, self.users["quality"].ids)],
                "d2_what": "Piston seizes",
                **{f"d{n}_done_on": now for n in range(3)},
                **{f"d{n}_done_by_id": self.users["quality"].id for n in range(3)},
            }
        )
        self.env["qms.action"].create(
            {
                "complaint_id": complaint.id,
                "action_type": "containment",
                "description": "Sort all calipers in stock",
                "user_id": self.users["quality"].id,
                "date_deadline": date.today(),
            }
        )
        self.start_tour(
            f"/odoo/action-qms_customer.action_qms_complaint/{complaint.id}",
            "qms_complaint_8d",
            login="qms_quality",
        )
        self.assertEqual(complaint.d3_done_by_id, self.users["quality"])
        self.assertEqual(complaint.d3_qty_customer, 240)
        self.assertFalse(complaint.d4_done_on)
        self.assertEqual(complaint.eightd_step, "d4")
