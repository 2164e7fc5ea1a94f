from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintCost(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department = cls.env["hr.department"].create({"name": "Machining", "company_id": cls.company.id})

    def test_costs_add_up_and_cannot_be_negative(self):
        complaint = self._complaint()
        complaint.cost_ids = [
            Command.create({"cost_type": "replacement", "amount": 2160, "department_id": self.department.id}),
            Command.create({"cost_type": "premium_freight", "amount": 850}),
        ]
        self.assertEqual(complaint.cost_total, 3010)
        with self.assertRaises(ValidationError):
            complaint.cost_ids = [Command.create({"cost_type": "claim", "amount": -10})]
        self.assertEqual(complaint.cost_total, 3010)
        complaint.cost_ids.filtered(lambda c: c.cost_type == "replacement").amount = 1000
        self.assertEqual(complaint.cost_total, 1850)
        totals = self.env["qms.complaint.cost"]._read_group(
            [("partner_id", "=", self.customer.id)], ["department_id"], ["amount:sum"]
        )
        self.assertIn((self.department, 1000), totals)

    def test_supplier_responsibility_needs_the_supplier(self):
        complaint = self._complaint()
        with self.assertRaises(ValidationError):
            complaint.responsibility = "supplier"
        self.assertFalse(complaint.responsibility)
        supplier = self.env["res.partner"].create({"name": "Seal Supplier Ltd", "is_company": True})
        complaint.write({"responsibility": "supplier", "supplier_id": supplier.id})
        self.assertEqual(complaint.supplier_id, supplier)

    def test_costs_follow_their_complaint_access(self):
        own = self._complaint()
        other = self._complaint(partner_id=self.customer2.id)
        own.cost_ids = [Command.create({"cost_type": "sorting", "amount": 100})]
        other.cost_ids = [Command.create({"cost_type": "sorting", "amount": 200})]
        sales = self.users["sales"]
        visible = self.env["qms.complaint.cost"].with_user(sales).search([])
        self.assertEqual(visible, own.cost_ids)
        with self.assertRaises(AccessError):
            other.cost_ids.with_user(sales).read(["amount"])
        with self.assertRaises(AccessError):
            own.cost_ids.with_user(sales).write({"amount": 1})  # quality records the costs
        self.assertEqual(
            self.env["qms.complaint.cost"].with_user(self.users["general_manager"]).search([]),
            (own | other).cost_ids,
        )
