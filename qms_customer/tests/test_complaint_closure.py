from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

FOLLOWUP = "qms_customer.mail_activity_qms_followup"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintClosure(QmsCase):
    def _replied(self, **vals):
        complaint = self._complete(self._complaint(**vals))
        complaint.action_confirm()
        complaint.action_start()
        complaint.reply_note = "<p>Seal replaced</p>"
        complaint.action_reply()
        return complaint

    def _effective_action(self, complaint):
        action = self.env["qms.action"].create(
            {
                "complaint_id": complaint.id,
                "action_type": "corrective",
                "description": "New seal supplier",
                "user_id": self.users["technical"].id,
                "date_deadline": date(2025, 1, 15),
            }
        )
        action.action_done()
        action.action_verify_effective()
        return action

    # ------------------------------------------------------------------ corrective action
    def test_corrective_action_required_follows_severity_and_responsibility(self):
        self.assertTrue(self._complaint().corrective_action_required)
        self.assertFalse(self._complaint(severity="minor").corrective_action_required)
        misuse = self._complaint()
        misuse.responsibility = "customer"
        self.assertFalse(misuse.corrective_action_required)

    def test_close_needs_an_effective_corrective_action(self):
        complaint = self._replied()
        complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertIn("corrective action", str(error.exception))
        self.assertEqual(complaint.state, "replied")
        self._effective_action(complaint)
        complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertEqual(complaint.state, "closed")

    # ------------------------------------------------------------------ sign-off
    def test_closing_needs_the_general_managers_sign_off_by_default(self):
        complaint = self._replied(severity="minor")
        complaint.with_user(self.users["quality_manager"]).action_sign_quality_manager()
        self.assertEqual(complaint.qm_signed_by_id, self.users["quality_manager"])
        self.assertEqual(complaint.qm_signed_on, datetime(2025, 1, 10, 8, 0))
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertIn("General Manager", str(error.exception))
        gm = self.users["general_manager"]
        complaint.with_user(gm).action_sign_general_manager()
        self.assertEqual(complaint.gm_signed_by_id, gm)
        complaint.with_user(gm).action_close()  # the general manager may close, read-only otherwise
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.date_closed, datetime(2025, 1, 10, 8, 0))

    def test_quality_managers_sign_off_when_the_company_says_so(self):
        self.company.qms_complaint_signoff = "quality_manager"
        complaint = self._replied(severity="minor")
        with self.assertRaises(UserError):
            complaint.with_user(self.users["quality_manager"]).action_close()
        complaint.with_user(self.users["quality_manager"]).action_sign_quality_manager()
        complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_only_the_managers_sign_and_close(self):
        complaint = self._replied(severity="minor")
        for user in (self.users["quality"], self.users["sales"], self.users["general_manager"]):
            with self.assertRaises(UserError):
                complaint.with_user(user).action_sign_quality_manager()
        for user in (self.users["quality"], self.users["sales"], self.users["quality_manager"]):
            with self.assertRaises(UserError):
                complaint.with_user(user).action_sign_general_manager()
        complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        for user in (self.users["quality"], self.users["sales"], self.users["technical"]):
            with self.assertRaises(UserError):
                complaint.with_user(user).action_close()
        self.assertEqual(complaint.state, "replied")
        self.assertFalse(complaint.qm_signed_on)

    # ------------------------------------------------------------------ reply
    def _in_progress(self, **vals):
        complaint = self._complete(self._complaint(contact_id=self.contact.id, **vals))
        complaint.action_confirm()
        complaint.action_start()
        complaint.reply_note = "<p>Seal replaced on all open orders.</p>"
        return complaint

    def test_send_reply_mails_the_letter_and_marks_the_reply(self):
        self.contact.lang = "en_US"
        complaint = self._in_progress(requires_8d=True)
        action = complaint.with_user(self.users["quality"]).action_send_reply()
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertEqual(composer.partner_ids, self.contact)
        names = sorted(composer.attachment_ids.mapped("name"))
        self.assertEqual(len(names), 2, names)
        self.assertTrue(any(name.startswith("Reply") for name in names), names)
        self.assertTrue(any(name.startswith("8D") for name in names), names)
        self.assertFalse(complaint.date_written_reply)
        composer.with_user(self.users["quality"]).with_context(**action["context"]).action_send_mail()
        self.assertEqual(complaint.state, "replied")
        self.assertEqual(complaint.date_written_reply, datetime(2025, 1, 10, 8, 0))
        message = complaint.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertEqual(len(message.attachment_ids), 2)
        self.assertIn(self.contact, message.partner_ids)

    def test_send_reply_sends_the_customers_own_8d_form(self):
        complaint = self._in_progress(requires_8d=True)
        form = self.env["ir.attachment"].create({"name": "OEM-8D-form.xlsx", "raw": b"8D"})
        complaint.write({"eightd_customer_form": True, "eightd_customer_form_ids": [Command.link(form.id)]})
        action = complaint.action_send_reply()
        composer = self.env["mail.compose.message"].browse(action["res_id"])
        self.assertIn("OEM-8D-form.xlsx", composer.attachment_ids.mapped("name"))
        self.assertFalse(any(name.startswith("8D") for name in composer.attachment_ids.mapped("name")))

    def test_send_reply_without_customer_email_is_refused(self):
        self.customer.email = False
        self.contact.email = False
        complaint = self._in_progress()
        with self.assertRaises(UserError) as error:
            complaint.with_user(self.users["sales"]).action_send_reply()
        self.assertIn("e-mail", str(error.exception))
        self.assertEqual(complaint.state, "in_progress")
        self.assertFalse(complaint.date_written_reply)

    # ------------------------------------------------------------------ monthly follow-up
    def _followups(self, complaints):
        return complaints.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(FOLLOWUP))

    def test_monthly_follow_up_on_the_first_working_day_once(self):
        open_ = self._complaint()
        closed = self._replied(severity="minor")
        confirmed = self._replied(severity="minor")
        for complaint in closed | confirmed:
            complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
            complaint.with_user(self.users["quality_manager"]).action_close()
        confirmed.with_user(self.users["sales"]).action_confirm_customer_closure()
        self.assertTrue(confirmed.customer_closure_confirmed)
        with freeze_time("2025-01-25 00:00:00"):
            later = self._complaint(date_received=datetime(2025, 1, 24))
        # Spring Festival: 3 and 4 February 2025 are holidays, 1 and 2 a weekend.
        self.calendar.write(
            {
                "global_leave_ids": [
                    Command.create(
                        {
                            "name": "Spring Festival",
                            "date_from": datetime(2025, 2, 2, 16, 0),
                            "date_to": datetime(2025, 2, 4, 15, 59),
                        }
                    )
                ]
            }
        )
        everything = open_ | closed | confirmed | later
        for moment in ("2025-02-01 02:00:00", "2025-02-03 02:00:00", "2025-02-04 02:00:00"):
            with freeze_time(moment):
                self.env["qms.complaint"]._cron_monthly_followup()
            self.assertFalse(self._followups(everything), moment)
        with freeze_time("2025-02-05 01:00:00"):  # Wednesday 09:00 in Shanghai
            this_month = self._complaint(date_received=datetime(2025, 2, 4))
            everything |= this_month
            self.env["qms.complaint"]._cron_monthly_followup()
            self.env["qms.complaint"]._cron_monthly_followup()
        followups = self._followups(everything)
        self.assertEqual(set(followups.mapped("res_id")), set((open_ | closed | later).ids))
        self.assertEqual(len(followups), 3, "once per complaint and month")
        self.assertEqual(followups.mapped("user_id"), self.users["quality"])
        self.assertEqual(open_.followup_month, "2025-02")
        with freeze_time("2025-02-06 01:00:00"):
            self.env["qms.complaint"]._cron_monthly_followup()
        self.assertEqual(len(self._followups(everything)), 3)
        closed.with_user(self.users["quality"]).action_confirm_customer_closure()
        self.assertTrue(closed.customer_closure_confirmed)
        self.assertFalse(self._followups(closed), "confirming closes the follow-up")
        with self.assertRaises(UserError):
            open_.with_user(self.users["quality"]).action_confirm_customer_closure()
        self.assertFalse(open_.customer_closure_confirmed)
