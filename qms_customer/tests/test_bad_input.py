from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestBadInput(QmsCase):
    """Bad input gets a clear error and changes nothing."""

    def test_negative_sorted_quantity(self):
        complaint = self._complaint(requires_8d=True)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            complaint.with_user(self.users["quality"]).write({"d3_qty_plant": -5})
        self.env.cr.clear()  # drop the refused values left in the cache by the rolled-back write
        self.assertEqual(complaint.d3_qty_plant, 0)

    def test_delivery_after_the_complaint_was_received(self):
        with self.assertRaisesRegex(ValidationError, "after the complaint was received"):
            self._complaint(user=self.users["sales"], delivery_date="2025-01-11")
        complaint = self._complaint(delivery_date="2025-01-10")  # the same day is fine
        with self.assertRaises(ValidationError):
            complaint.write({"delivery_date": "2025-02-01"})
        self.env.cr.clear()  # drop the refused values left in the cache by the rolled-back write
        self.assertEqual(str(complaint.delivery_date), "2025-01-10")

    def test_order_or_delivery_of_another_customer(self):
        with freeze_time("2025-01-05 08:00:00"):
            order = self._delivered_order(partner=self.customer2)
        for vals in ({"sale_order_id": order.id}, {"picking_id": order.picking_ids[:1].id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, "belongs to"):
                self._complaint(partner_id=self.customer.id, **vals)

    def test_action_without_description(self):
        complaint = self._complaint()
        with self.assertRaises(ValidationError) as caught:  # Odoo's assertRaises rolls back
            self.env["qms.action"].with_user(self.users["quality"]).create(
                {
                    "complaint_id": complaint.id,
                    "description": "   ",
                    "user_id": self.users["technical"].id,
                    "date_deadline": date(2025, 1, 15),
                }
            )
        self.assertIn("Describe", str(caught.exception))
        self.env.cr.clear()  # drop the refused values left in the cache by the rolled-back write
        self.assertFalse(complaint.action_ids)

    def test_five_why_step_without_question_or_answer(self):
        complaint = self._complaint(requires_8d=True)
        for why in ({"question": " ", "answer": "Worn tool"}, {"question": "Why?", "answer": "  "}):
            with self.subTest(why=why), self.assertRaises(ValidationError) as caught:
                complaint.with_user(self.users["quality"]).write({"why_ids": [Command.create(why)]})
            self.assertIn("question and its answer", str(caught.exception))
        self.env.cr.clear()  # drop the refused values left in the cache by the rolled-back write
        self.assertFalse(complaint.why_ids)
