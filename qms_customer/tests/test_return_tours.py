from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestReturnTours(HttpCase, QmsCase):
    """The return flow in the browser: the salesperson requests a 600 kg return from the order;
    the warehouse checks and receives the approved return into the returns location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._delivered_order(qty=300)
        cls.delivery = cls.order.picking_ids
        cls.complaint = cls._complaint(
            cls, sale_order_id=cls.order.id, picking_id=cls.delivery.id, date_received=fields.Datetime.now()
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        for user in cls.users.values():
            user.write({"company_ids": [(4, cls.other_company.id)], "company_id": cls.company.id})

    def test_sales_requests_a_600_kg_return_from_the_order(self):
        self.start_tour("/odoo", "qms_sales_request_return", login="qms_sales")
        request = self.env["qms.return.request"].search([("sale_order_ids", "=", self.order.id)])
        self.assertRecordValues(
            request,
            [
                {
                    "state": "quality_check",
                    "kind": "batch",
                    "complaint_id": self.complaint.id,
                    "approval_tier": "chief_engineer",
                    "requested_by_id": self.users["sales"].id,
                }
            ],
        )
        self.assertAlmostEqual(request.total_weight, 600.6)
        self.assertEqual(request.line_ids.qty_return, 231)
        self.assertEqual(request.approval_user_id, self.users["quality"])

    def test_warehouse_checks_and_receives_the_return(self):
        request = (
            self.env["qms.return.request"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "kind": "exchange",
                    "line_ids": [
                        Command.create({"move_line_id": self.delivery.move_line_ids.id, "qty_return": 20})
                    ],
                }
            )
        )
        request.action_submit()
        request.action_create_receipt()
        self.start_tour("/odoo", "qms_warehouse_receipt_check", login="qms_warehouse")
        receipt = request.receipt_ids
        self.assertRecordValues(
            receipt,
            [{"state": "done", "qms_check_state": "passed", "qms_checked_by_id": self.users["warehouse"].id}],
        )
        self.assertEqual(request.state, "received")
        quants = self.env["stock.quant"]._gather(self.product, self.warehouse.qms_return_location_id)
        self.assertEqual(sum(quants.mapped("quantity")), 20)

    def _exchange(self, qty=20):
        request = (
            self.env["qms.return.request"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "kind": "exchange",
                    "line_ids": [
                        Command.create({"move_line_id": self.delivery.move_line_ids.id, "qty_return": qty})
                    ],
                }
            )
        )
        request.action_submit()
        return request

    def test_quality_manager_reviews_from_returns_to_decide(self):
        request = (
            self.env["qms.return.request"]
            .with_user(self.users["sales"])
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "complaint_id": self.complaint.id,
                    "reason": "Whole lot porous",
                    "quality_user_id": self.users["quality"].id,
                    "line_ids": [
                        Command.create({"move_line_id": self.delivery.move_line_ids.id, "qty_return": 231})
                    ],
                }
            )
        )
        request.action_submit()
        request.with_user(self.users["quality"]).action_decide("approved", "Anomaly confirmed")
        self.users["technical"].name = "Technical Liu"
        self.start_tour("/odoo", "qms_quality_manager_decides_return", login="qms_quality_manager")
        step = request.approval_ids.filtered(lambda a: a.role == "quality_manager")
        self.assertRecordValues(
            step,
            [
                {
                    "decision": "approved",
                    "decided_by_id": self.users["quality_manager"].id,
                    "comment": "Weight checked against the delivery; agreed",
                }
            ],
        )
        self.assertEqual(
            request.approval_user_id, self.users["technical"], "new customer: technical reviews next"
        )

    def test_quality_inspects_and_disposes_in_the_form(self):
        request = self._exchange()
        request.action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 52}
        )
        receipt.action_qms_check_passed()
        receipt.button_validate()
        self.start_tour("/odoo", "qms_quality_inspects_and_disposes", login="qms_quality")
        self.assertEqual(request.state, "disposed")
        self.assertRecordValues(request.line_ids, [{"qty_defect": 6, "qty_rework": 14, "qty_scrap": 6}])
        self.assertEqual(request.sudo().scrap_ids.scrap_qty, 6)
