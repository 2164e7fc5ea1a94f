from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, ROLE_GROUPS, QmsCase

TODO = "mail.mail_activity_data_todo"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintForwarding(QmsCase):
    """Classifying a complaint in the form, confirming it in one round, and forwarding it to the
    quality engineer with a to-do (issue 10)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.quality_zh = cls._user("qms_quality_zh", ROLE_GROUPS["quality"], lang="zh_CN")
        cls.root = cls.env.ref("base.user_root")

    def _register(self, user=None):
        """A complaint as sales registers it in the form: no quality engineer given."""
        model = self.env["qms.complaint"].with_user(user or self.users["sales"]).with_company(self.company)
        with Form(model) as form:
            form.partner_id = self.customer
            form.product_id = self.product
        return form.record

    def _forward_todos(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "qms.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.env.ref(TODO).id),
                ("summary", "ilike", "forwarded"),
            ]
        )

    # ------------------------------------------------------------------ severity and urgency
    def test_sales_classify_in_the_form_and_management_is_notified(self):
        gm = self.users["general_manager"]
        complaint = self._complaint(user=self.users["sales"])
        self.assertNotIn(gm.partner_id, complaint.message_partner_ids)
        with Form(complaint.with_user(self.users["sales"])) as form:
            form.severity = "important"
            form.urgency = "urgent"
        self.assertEqual((complaint.severity, complaint.urgency), ("important", "urgent"))
        self.assertIn(gm.partner_id, complaint.message_partner_ids)
        notes = complaint.message_ids.filtered(lambda m: gm.partner_id in m.partner_ids)
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.root.partner_id, "a system message")
        self.assertIn("Important complaint from Huadong Auto Parts", notes.body)
        # Urgent shortens the closure window: the deadline follows the form.
        self.assertLess(complaint.closure_deadline, self._complaint().closure_deadline)

    def test_severity_is_readonly_once_closed(self):
        complaint = self._complaint()
        complaint.sudo()._qms_workflow_write({"state": "cancelled", "cancel_reason": "Duplicate"})
        form = Form(complaint.with_user(self.users["quality"]))
        with self.assertRaises(AssertionError):
            form.severity = "critical"
        self.assertEqual(complaint.severity, "general")

    # ------------------------------------------------------------------ completeness and defaults
    def test_confirm_lists_everything_missing_at_once(self):
        complaint = self._register()
        self.assertFalse(complaint.quality_user_id, "no earlier complaint, no company default")
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["sales"]).action_confirm()
        message = str(error.exception)
        for label in (
            "Delivery Date",
            "Problem Description",
            "Defective Quantity",
            "Photos",
            "Customer Demands",
            "Quality Engineer",
        ):
            self.assertIn(label, message)
        self.assertEqual(complaint.state, "draft")
        # Complete but without an engineer: the engineer alone is asked for.
        self._complete(complaint)
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["sales"]).action_confirm()
        self.assertIn("Missing: Quality Engineer.", str(error.exception))
        self.assertFalse(complaint.date_forwarded)

    def test_quality_engineer_defaults_from_company_then_last_complaint(self):
        self.company.qms_default_quality_user_id = self.users["quality_manager"]
        first = self._register()
        self.assertEqual(first.quality_user_id, self.users["quality_manager"], "the company default")
        first.quality_user_id = self.quality_zh
        second = self._register()
        self.assertEqual(second.quality_user_id, self.quality_zh, "the customer's last complaint wins")
        # A customer without history gets the company default; a given engineer is kept.
        other = (
            self.env["qms.complaint"]
            .with_company(self.company)
            .create({"partner_id": self.customer2.id, "company_id": self.company.id})
        )
        self.assertEqual(other.quality_user_id, self.users["quality_manager"])
        given = self._complaint(quality_user_id=self.users["quality"].id)
        self.assertEqual(given.quality_user_id, self.users["quality"])

    def test_default_quality_engineer_in_settings(self):
        settings = self.env["res.config.settings"].with_company(self.company)
        settings.create({"qms_default_quality_user_id": self.users["quality"].id}).execute()
        self.assertEqual(self.company.qms_default_quality_user_id, self.users["quality"])

    # ------------------------------------------------------------------ forwarding
    def test_confirm_gives_the_quality_engineer_a_todo_once(self):
        quality = self.users["quality"]
        self.assertFalse(quality.email)
        complaint = self._complete(self._complaint(user=self.users["sales"]))
        complaint.with_user(self.users["sales"]).action_log_first_reply()
        complaint.with_user(self.users["sales"]).action_confirm()
        todo = self._forward_todos(complaint)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, quality)
        self.assertEqual(todo.summary, f"Complaint {complaint.name} forwarded to you")
        self.assertEqual(todo.create_uid, self.root, "created by the system, no e-mail needed")
        # Due on the written reply's day in Shanghai: received Friday 16:00, 48 h later.
        self.assertEqual(complaint.written_reply_deadline, fields.Datetime.to_datetime("2025-01-12 08:00:00"))
        self.assertEqual(str(todo.date_deadline), "2025-01-12")
        # Reopened and confirmed again: still the one to-do.
        complaint.sudo()._qms_workflow_write({"state": "draft"})
        complaint.with_user(self.users["sales"]).action_confirm()
        self.assertEqual(complaint.state, "confirmed")
        self.assertEqual(self._forward_todos(complaint), todo)

    def test_todo_due_on_the_first_open_deadline_in_the_engineers_time_zone(self):
        # The first reply (8 h: Saturday 00:00 in Shanghai, Friday 16:00 UTC) is still open.
        complaint = self._complete(self._complaint())
        complaint.action_confirm()
        todo = self._forward_todos(complaint)
        self.assertEqual(complaint.first_reply_deadline, fields.Datetime.to_datetime("2025-01-10 16:00:00"))
        self.assertEqual(str(todo.date_deadline), "2025-01-11", "Saturday in Shanghai")

    def test_todo_in_the_chinese_engineers_language(self):
        complaint = self._complete(self._complaint(quality_user_id=self.quality_zh.id))
        complaint.with_user(self.users["sales"]).action_confirm()
        todo = self.env["mail.activity"].search(
            [
                ("res_model", "=", "qms.complaint"),
                ("res_id", "=", complaint.id),
                ("user_id", "=", self.quality_zh.id),
            ]
        )
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.summary, f"投诉 {complaint.name} 已转交给您")
        self.assertIn(self.quality_zh.partner_id, complaint.message_partner_ids)
