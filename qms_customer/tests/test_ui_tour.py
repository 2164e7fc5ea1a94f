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
        self.assertEqual(complaint.user_id, self.users["sales"])
        self.assertTrue(complaint.date_first_reply)
        self.assertEqual(complaint.state, "draft")
