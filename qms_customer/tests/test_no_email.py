from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, ROLE_GROUPS, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestUsersWithoutEmail(QmsCase):
    """Users as a plant creates them: a login, Chinese, one company of several, no e-mail address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "quality@works.example.com"
        cls.plain = {
            role: cls._user(f"plain_{role}", group, lang="zh_CN") for role, group in ROLE_GROUPS.items()
        }
        cls.customer.user_id = cls.plain["sales"]
        cls.root = cls.env.ref("base.partner_root")

    def _as(self, role, record):
        return record.with_user(self.plain[role])

    def _action(self, complaint, kind, user):
        return self._as("quality", self.env["qms.action"]).create(
            {
                "complaint_id": complaint.id,
                "action_type": kind,
                "description": f"{kind} action",
                "user_id": user.id,
                "date_deadline": date(2025, 1, 15),
            }
        )

    def test_serious_complaint_from_registration_to_closure(self):
        sales, quality = self.plain["sales"], self.plain["quality"]
        self.assertFalse(sales.email or quality.email)
        photo = self._as("sales", self.env["ir.attachment"]).create({"name": "defect.jpg", "raw": b"jpeg"})
        # Sales registers a critical complaint at 1.2 % defects: the alarm and the management
        # notification are raised by the system, not by the salesperson (who has no e-mail).
        complaint = self._as("sales", self.env["qms.complaint"].with_company(self.company)).create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "product_id": self.product.id,
                "quality_user_id": quality.id,
                "date_received": "2025-01-10 07:00:00",
                "severity": "critical",
                "delivery_date": "2025-01-02",
                "qty_delivered": 1000,
                "qty_defect": 12,
                "description": "<p>活塞卡死</p>",
                "photo_ids": [Command.link(photo.id)],
                "customer_demand_ids": [Command.link(self.demand_replacement.id)],
            }
        )
        self.assertEqual(complaint.alarm_level, "special")
        alarms = complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("qms_customer.mail_activity_qms_special_report")
        )
        self.assertTrue(alarms)
        self.assertEqual(alarms.create_uid, self.env.ref("base.user_root"))
        notice = complaint.message_ids.filtered(lambda m: "complaint from" in (m.body or ""))
        self.assertEqual(notice.author_id, self.root)
        self.assertIn(self.users["general_manager"].partner_id, notice.partner_ids)
        self.assertEqual(photo.res_id, complaint.id)
        self._as("sales", complaint).action_confirm()
        self._as("sales", complaint).action_log_first_reply()

        # Quality runs the 8D.
        self._as("quality", complaint).action_start()
        self._as("quality", complaint).write(
            {
                "requires_8d": True,
                "d0_emergency_response": "冻结客户库存",
                "eightd_leader_id": quality.id,
                "eightd_team_ids": [Command.set((quality | self.plain["technical"]).ids)],
                "d2_what": "活塞卡死",
            }
        )
        for step in ("d0", "d1", "d2"):
            self._as("quality", complaint).with_context(qms_8d_step=step).action_8d_complete()
        containment = self._action(complaint, "containment", quality)
        self._as("quality", complaint).with_context(qms_8d_step="d3").action_8d_complete()
        self._as("quality", complaint).write(
            {"d4_occurrence_cause": "刀具磨损", "d4_escape_cause": "抽检频次低", "cause_category": "machine"}
        )
        self._as("quality", complaint).with_context(qms_8d_step="d4").action_8d_complete()
        first = self._action(complaint, "corrective", self.plain["technical"])
        self._as("quality", complaint).with_context(qms_8d_step="d5").action_8d_complete()
        # The technical engineer reports it done; quality finds it not effective: D5 reopens with a
        # system note and a to-do for quality, then a second action works.
        self._as("technical", first).write({"result": "换刀"})
        self._as("technical", first).action_done()
        self._as("quality", first).action_verify_not_effective()
        self.assertFalse(complaint.d5_done_on)
        reopen = complaint.message_ids.filtered(lambda m: m.author_id == self.root and "D5" in (m.body or ""))
        self.assertTrue(reopen)
        todo = complaint.activity_ids.filtered(lambda a: a.user_id == quality)
        self.assertTrue(todo)
        second = self._action(complaint, "corrective", self.plain["technical"])
        self._as("quality", containment).action_done()
        self._as("technical", second).action_done()
        self._as("quality", second).action_verify_effective()
        self._as("quality", complaint).write(
            {"d6_evidence": "CPK 1.67", "d7_lessons_learned": "刀具寿命管理"}
        )
        for step in ("d5", "d6", "d7", "d8"):
            self._as("quality", complaint).with_context(qms_8d_step=step).action_8d_complete()
        self.assertEqual(complaint.eightd_step, "done")

        # The written reply goes out from the company's address.
        self._as("quality", complaint).write({"reply_note": "<p>已更换刀具</p>"})
        action = self._as("quality", complaint).action_send_reply()
        composer = self._as("quality", self.env["mail.compose.message"]).browse(action["res_id"])
        composer.with_context(**action["context"]).action_send_mail()
        self.assertEqual(complaint.state, "replied")
        reply = complaint.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn("quality@works.example.com", reply.email_from)

        # The managers sign and close.
        self._as("quality_manager", complaint).action_sign_quality_manager()
        self._as("general_manager", complaint).action_sign_general_manager()
        self._as("quality_manager", complaint).action_close()
        self.assertEqual(complaint.state, "closed")
        self._as("sales", complaint).action_confirm_customer_closure()
        self.assertTrue(complaint.customer_closure_confirmed)

    def test_no_sender_address_anywhere_is_a_clear_message(self):
        self.company.email = False
        complaint = self._complete(self._complaint(user_id=self.plain["sales"].id))
        complaint.quality_user_id = self.plain["quality"]
        with self.assertRaisesRegex(UserError, "Settings › Companies"):
            self._as("sales", complaint).action_request_information()
        complaint.action_confirm()
        complaint.action_start()
        complaint.reply_note = "<p>Answer</p>"
        with self.assertRaisesRegex(UserError, "Settings › Companies"):
            self._as("quality", complaint).action_send_reply()
        self.assertEqual(complaint.state, "in_progress")

    def test_deadline_met_by_a_user_without_email(self):
        complaint = self._complaint(user_id=self.plain["sales"].id)
        with freeze_time("2025-01-12 09:00:00"):
            self.env["qms.complaint"]._qms_cron_deadlines()
            self.assertTrue(complaint.activity_ids)
            self._as("sales", complaint).action_log_first_reply()
        note = complaint.message_ids.filtered(lambda m: "Escalated to" in (m.body or ""))
        self.assertEqual(note.author_id, self.root, "the escalation note is the system's")

    def test_notifications_reach_the_inbox_of_users_without_email(self):
        """Odoo's default preference is "by e-mail": for a user without an address that is a
        notification born read and a mail to nobody. Ours go to the inbox; users with an
        address keep their e-mail."""
        gm = self.plain["general_manager"]
        self.assertEqual(gm.notification_type, "email")
        with_address = self._user(
            "gm_with_email", ROLE_GROUPS["general_manager"], email="gm@works.example.com"
        )
        complaint = self._as("sales", self.env["qms.complaint"]).create(
            {"partner_id": self.customer.id, "company_id": self.company.id, "severity": "critical"}
        )
        notifications = self.env["mail.notification"].search(
            [("mail_message_id.model", "=", "qms.complaint"), ("mail_message_id.res_id", "=", complaint.id)]
        )
        by_partner = {n.res_partner_id: (n.notification_type, n.is_read) for n in notifications}
        self.assertEqual(by_partner[gm.partner_id], ("inbox", False))
        self.assertEqual(by_partner[with_address.partner_id][0], "email")
        inbox = self.env["mail.message"].with_user(gm).search([("needaction", "=", True)])
        self.assertEqual(inbox.filtered(lambda m: m.res_id == complaint.id).model, "qms.complaint")
