from datetime import datetime

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintWorkflow(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-02 02:00:00"):
            cls.order = cls._delivered_order(qty=100)
        cls.delivery = cls.order.picking_ids

    def test_register_from_sales_order_prefills(self):
        sales = self.users["sales"]
        action = self.order.with_user(sales).action_new_qms_complaint()
        with Form.from_action(self.env(user=sales), action) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.contact_id, self.contact)
            self.assertEqual(form.picking_id, self.delivery)
            self.assertEqual(form.product_id, self.product)
            self.assertEqual(form.qty_delivered, 100)
            self.assertEqual(str(form.delivery_date), "2025-01-02")
            self.assertEqual(form.user_id, sales)
            form.qty_defect = 7
        complaint = form.record
        self.assertTrue(complaint.name.startswith("CC/"))
        self.assertEqual(self.order.qms_complaint_count, 1)
        self.assertEqual(self.customer.qms_complaint_count, 1)
        self.assertEqual(self.contact.qms_complaint_count, 1)
        self.assertEqual(self.delivery.qms_complaint_count, 1)
        self.assertEqual(
            self.order.action_view_qms_complaints()["domain"], [("sale_order_id", "=", self.order.id)]
        )

    def test_register_from_delivery_prefills(self):
        action = self.delivery.with_user(self.users["sales"]).action_new_qms_complaint()
        with Form.from_action(self.env(user=self.users["sales"]), action) as form:
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.qty_delivered, 100)
            form.qty_defect = 3
        self.assertEqual(form.record.picking_id, self.delivery)

    def test_full_lifecycle(self):
        sales, quality, manager = self.users["sales"], self.users["quality"], self.users["quality_manager"]
        complaint = self._complete(self._complaint(user=sales))
        complaint = complaint.with_user(sales)
        complaint.action_log_first_reply()
        complaint.action_confirm()
        self.assertEqual(complaint.state, "confirmed")
        self.assertEqual(complaint.date_forwarded, datetime(2025, 1, 10, 8, 0))
        self.assertIn(quality.partner_id, complaint.message_partner_ids)
        with self.assertRaises(UserError):
            complaint.action_start()  # analysis is quality's job
        complaint.with_user(quality).action_start()
        self.assertEqual(complaint.state, "in_progress")
        with self.assertRaises(UserError):
            complaint.with_user(quality).action_reply()  # no reply written
        complaint.with_user(quality).reply_note = "<p>Seal replaced, 8D attached.</p>"
        complaint.with_user(quality).action_reply()
        self.assertEqual(complaint.state, "replied")
        self.assertTrue(complaint.date_written_reply)
        complaint.with_user(quality).action_verify()
        with self.assertRaises(UserError):
            complaint.with_user(quality).action_close()  # only the quality / general manager closes
        complaint.with_user(quality).corrective_action_required = False  # see test_complaint_closure
        with self.assertRaises(UserError):
            complaint.with_user(manager).action_close()  # the general manager has not signed
        self.assertEqual(complaint.state, "verifying")
        complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        complaint.with_user(manager).action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)
        self.assertFalse(complaint.qms_next_deadline, "a closed complaint has nothing left to chase")
        self.assertEqual(complaint.closure_status, "done")
        self.assertEqual(complaint.first_reply_status, "done")

    def test_confirm_incomplete_is_refused_and_lists_what_is_missing(self):
        complaint = self._complaint(user=self.users["sales"])
        with self.assertRaises(UserError) as error:
            complaint.action_confirm()
        message = str(error.exception)
        for label in (
            "Delivery Date",
            "Problem Description",
            "Defective Quantity",
            "Photos",
            "Customer Demands",
        ):
            self.assertIn(label, message)
        self.assertEqual(complaint.state, "draft")
        self.assertFalse(complaint.date_forwarded)
        # The draft form shows the same list while it is filled in, and nothing once complete.
        self.assertIn("Photos", complaint.missing_before_confirm)
        self.assertIn("Customer Demands", complaint.missing_before_confirm)
        self._complete(complaint)
        complaint.quality_user_id = False
        self.assertEqual(complaint.missing_before_confirm, "Quality Engineer")
        complaint.quality_user_id = self.users["quality"]
        self.assertFalse(complaint.missing_before_confirm)

    def test_request_missing_information_email(self):
        self.contact.lang = "en_US"  # the e-mail is written in the customer's language
        complaint = self._complaint(user=self.users["sales"], contact_id=self.contact.id)
        action = complaint.action_request_information()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["name"], "Request Missing Information")  # the dialog's title, not "Odoo"
        composer = Form(
            self.env["mail.compose.message"].with_user(self.users["sales"]).with_context(**action["context"])
        )
        self.assertIn("Photos", composer.body)
        self.assertIn("Defective Quantity", composer.body)
        composer.save().action_send_mail()
        message = complaint.message_ids[0]
        self.assertIn(self.contact, message.partner_ids)
        self.assertIn("Photos", message.body)

    def test_lot_numbers_required_for_tracked_products(self):
        self.product.tracking = "lot"
        complaint = self._complete(self._complaint())
        with self.assertRaises(UserError) as error:
            complaint.action_confirm()
        self.assertIn("Lots / Serial Numbers", str(error.exception))

    def test_quantities_are_checked(self):
        complaint = self._complaint(qty_delivered=100)
        with self.assertRaises(ValidationError):
            complaint.qty_defect = -1
        with self.assertRaises(ValidationError):
            complaint.qty_defect = 101
        complaint.qty_defect = 100
        self.assertEqual(complaint.qty_defect, 100)

    def test_received_date_cannot_be_in_the_future(self):
        with self.assertRaises(ValidationError):
            self._complaint(date_received=datetime(2025, 1, 10, 9, 0))
        complaint = self._complaint()
        with self.assertRaises(ValidationError):
            complaint.date_received = datetime(2025, 2, 1)
        self.assertEqual(complaint.date_received, datetime(2025, 1, 10, 8, 0))

    def test_customer_of_another_company_is_refused(self):
        foreign = self.env["res.partner"].create({"name": "Foreign", "company_id": self.other_company.id})
        with self.assertRaises(UserError):
            self._complaint(partner_id=foreign.id)
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.partner_id = foreign
        self.assertEqual(complaint.partner_id, self.customer)

    def test_close_requires_written_reply(self):
        complaint = self._complete(self._complaint())
        complaint.action_confirm()
        complaint.action_start()
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertIn("written reply", str(error.exception))
        self.assertEqual(complaint.state, "in_progress")

    def test_cancel_needs_a_reason(self):
        complaint = self._complaint(user=self.users["sales"])
        with self.assertRaises(UserError):
            complaint.action_cancel()
        self.assertEqual(complaint.state, "draft")
        action = complaint.action_open_cancel_wizard()
        wizard = (
            self.env["qms.cancel.wizard"].with_user(self.users["sales"]).with_context(**action["context"])
        )
        wizard.create({"reason": "Duplicate of CC/2025/00001"}).action_confirm()
        self.assertEqual(complaint.state, "cancelled")
        self.assertEqual(complaint.cancel_reason, "Duplicate of CC/2025/00001")
        self.assertFalse(complaint.first_reply_status, "a cancelled complaint is no longer chased")
        with self.assertRaises(UserError):
            complaint.action_confirm()

    def test_cancel_wizard_only_cancels_qms_documents(self):
        wizard = self.env["qms.cancel.wizard"].create(
            {"res_model": "sale.order", "res_ids": self.order.ids, "reason": "No"}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.order.state, "sale")

    def test_complaint_with_history_cannot_be_deleted(self):
        complaint = self._complete(self._complaint())
        complaint.action_confirm()
        with self.assertRaises(UserError):
            complaint.with_user(self.users["quality_manager"]).unlink()
        self.assertTrue(complaint.exists())
        complaint.action_archive()
        self.assertFalse(complaint.active)
        draft = self._complaint()
        draft.with_user(self.users["quality_manager"]).unlink()
        self.assertFalse(draft.exists())

    def test_serious_complaint_notifies_general_manager(self):
        gm = self.users["general_manager"]
        general = self._complaint(severity="general")
        self.assertNotIn(gm.partner_id, general.message_partner_ids)
        critical = self._complaint(severity="critical")
        self.assertIn(gm.partner_id, critical.message_partner_ids)
        notified = critical.message_ids.filtered(lambda m: gm.partner_id in m.partner_ids)
        self.assertEqual(len(notified), 1)
        # Raising the severity later notifies too, once.
        general.severity = "important"
        general.severity = "critical"
        self.assertEqual(len(general.message_ids.filtered(lambda m: gm.partner_id in m.partner_ids)), 1)

    def test_first_reply_and_onsite_are_logged_once(self):
        complaint = self._complaint(customer_demand_ids=[Command.link(self.demand_onsite.id)])
        self.assertTrue(complaint.onsite_required)
        complaint.action_log_onsite()
        first = complaint.date_onsite
        with freeze_time("2025-01-10 09:00:00"):
            complaint.action_log_onsite()
        self.assertEqual(complaint.date_onsite, first)
