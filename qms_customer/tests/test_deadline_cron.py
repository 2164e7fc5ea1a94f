from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


@tagged("post_install", "-at_install")
class TestDeadlineCron(QmsCase):
    def _activities(self, complaint, xmlid):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _run(self):
        return self.env["qms.complaint"]._qms_cron_deadlines()

    def test_remind_then_escalate_once(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint()
            self._run()
            self.assertFalse(complaint.activity_ids, "nothing is due yet")
        # 6.5 of the 8 hours of the first reply are gone: due soon.
        with freeze_time("2025-01-10 14:30:00"):
            self._run()
            reminders = self._activities(complaint, REMINDER)
            self.assertEqual(len(reminders), 1)
            self.assertEqual(reminders.user_id, self.users["sales"])
            self.assertIn("First Reply Deadline", reminders.summary)
            self._run()
            self.assertEqual(len(self._activities(complaint, REMINDER)), 1, "running twice changes nothing")
        with freeze_time("2025-01-10 16:30:00"):
            messages = len(complaint.message_ids)
            self._run()
            escalations = self._activities(complaint, ESCALATION)
            self.assertEqual(escalations.user_id, self.users["quality_manager"])
            self.assertEqual(len(complaint.message_ids), messages + 1, "one chatter note")
            self.assertIn("Overdue", complaint.message_ids[0].body)
            self._run()
            self.assertEqual(len(self._activities(complaint, ESCALATION)), 1)
            self.assertEqual(len(complaint.message_ids), messages + 1)
            # Meeting the deadline closes its reminder and escalation.
            complaint.action_log_first_reply()
            self.assertFalse(self._activities(complaint, REMINDER) | self._activities(complaint, ESCALATION))

    def test_archived_responsible_is_replaced_by_quality_managers(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint()
        self.users["sales"].active = False
        with freeze_time("2025-01-10 14:30:00"):
            self._run()
        self.assertEqual(self._activities(complaint, REMINDER).user_id, self.users["quality_manager"])

    def test_overdue_without_reminder_escalates_directly(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint()
        with freeze_time("2025-01-20 00:00:00"):
            self._run()
            escalations = self._activities(complaint, ESCALATION)
            # first reply, forward, written reply and closure are all overdue: one escalation per
            # quality manager lists them all.
            self.assertEqual(len(escalations), 1)
            for label in ("First Reply", "Forward", "Written Reply", "Closure"):
                self.assertIn(label, escalations.note)
            # Never reminded before: each responsible person gets one reminder listing theirs.
            reminders = self._activities(complaint, REMINDER)
            self.assertEqual(reminders.user_id, self.users["sales"] | self.users["quality"])
            self.assertEqual(len(reminders), 2)
            self.assertFalse(complaint.qms_next_alert)

    def test_changed_deadline_is_chased_again(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint()
        with freeze_time("2025-01-10 16:30:00"):
            self._run()
            first = self._activities(complaint, ESCALATION)
            notes = len(complaint.message_ids)
            self._rule("complaint_first_reply").number = 1  # 09:00: still overdue, new deadline
            complaint.date_received = "2025-01-10 08:01:00"
            self._run()
            # Escalated again (a new chatter note), in the same activity, which now gives the new date.
            self.assertEqual(self._activities(complaint, ESCALATION), first)
            self.assertIn("5:01 PM", first.note)
            self.assertGreater(len(complaint.message_ids), notes)

    def test_closed_and_cancelled_are_not_chased(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint(cancel_reason="Duplicate")
            complaint.action_cancel()
        with freeze_time("2025-01-20 00:00:00"):
            self._run()
            self.assertFalse(complaint.activity_ids)

    def test_one_bad_record_does_not_stop_the_rest(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            bad, good = self._complaint(), self._complaint()
        complaint_class = type(self.env["qms.complaint"])
        original = complaint_class._qms_process_alerts

        def process(records, now):
            if bad in records:  # fails its batch, then alone
                raise ValueError("corrupted record")
            return original(records, now)

        with (
            freeze_time("2025-01-10 16:30:00"),
            patch.object(complaint_class, "_qms_process_alerts", process),
            self.assertLogs("odoo.addons.qms_customer.models.qms_deadline_mixin", "ERROR") as logs,
        ):
            self._run()
        self.assertIn("corrupted record", "\n".join(logs.output))
        self.assertTrue(self._activities(good, ESCALATION))
        self.assertFalse(bad.activity_ids)
        self.assertTrue(bad.qms_next_alert, "the bad record stays pending for the next run")

    def test_rows_locked_by_another_worker_are_skipped(self):
        complaint = self.env.ref("qms_customer.complaint_progress_overdue")
        with self.registry.cursor() as other_cr:
            other_cr.execute("SELECT id FROM qms_complaint WHERE id = %s FOR UPDATE", [complaint.id])
            self.assertFalse(complaint._qms_lock_for_update(), "a second worker skips the locked row")
            other_cr.rollback()
        self.assertEqual(complaint._qms_lock_for_update(), complaint)

    def test_cron_reads_only_due_rows(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            for _i in range(20):
                self._complaint()
            self._run()  # demo records may be due: clear them first
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=1):  # one indexed select
                processed = self._run()
        self.assertFalse(processed)

    def test_scheduled_action_runs(self):
        cron = self.env.ref("qms_customer.ir_cron_qms_complaint_deadlines")
        self.assertEqual(cron.code.strip(), "model._qms_cron_deadlines()")
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint()
        with freeze_time("2025-01-10 16:30:00"):
            cron.method_direct_trigger()
        self.assertTrue(self._activities(complaint, ESCALATION))
