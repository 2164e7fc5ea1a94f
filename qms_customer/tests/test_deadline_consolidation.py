from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


@tagged("post_install", "-at_install")
class TestDeadlineConsolidation(QmsCase):
    """One open reminder and one open escalation per record and person, listing its deadlines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "qms_customer.group_qms_quality_manager"
        cls.managers = cls.users["quality_manager"] | cls.env["res.users"].union(
            *(cls._user(f"qms_qm_{n}", group) for n in range(4))
        )

    def _open(self, complaint, xmlid):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _run(self):
        self.env["qms.complaint"]._qms_cron_deadlines()

    def test_three_overdue_deadlines_five_managers(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            # On-site support demanded: first reply and on-site are both due 8 h after receipt.
            complaint = self._complaint(customer_demand_ids=[Command.link(self.demand_onsite.id)])
            self.assertEqual(complaint.first_reply_deadline, complaint.onsite_deadline)
        with freeze_time("2025-01-12 09:00:00"):  # first reply, on-site, written reply overdue
            self._run()
            escalations = self._open(complaint, ESCALATION)
            self.assertEqual(len(escalations), 5)
            self.assertEqual(escalations.user_id, self.managers)
            for activity in escalations:
                for label in ("First Reply Deadline", "On-site Deadline", "Written Reply Deadline"):
                    self.assertIn(label, activity.note)
                self.assertNotIn("Forward Deadline", activity.note)
                self.assertEqual(activity.create_uid, self.env.ref("base.user_root"), "raised by the system")
            reminders = self._open(complaint, REMINDER)
            for user in reminders.user_id:
                self.assertEqual(len(reminders.filtered(lambda a, u=user: a.user_id == u)), 1)
            self._run()
            self.assertEqual(self._open(complaint, ESCALATION), escalations, "running twice changes nothing")
        with freeze_time("2025-01-13 04:00:00"):  # the forwarding (4 working hours) falls overdue too
            self._run()
            self.assertEqual(self._open(complaint, ESCALATION), escalations, "updated, not duplicated")
            for activity in escalations:
                self.assertIn("Forward Deadline", activity.note)
                self.assertIn("Written Reply Deadline", activity.note)
            # Meeting deadlines one by one: the escalation stays until the last is met.
            complaint.action_log_first_reply()
            complaint.action_log_onsite()
            self.assertEqual(len(self._open(complaint, ESCALATION)), 5)
            self.assertNotIn("First Reply Deadline", escalations[0].note)
            self._complete(complaint).action_confirm()
            complaint.action_start()
            complaint.write({"reply_note": "<p>Answer</p>"})
            complaint.action_reply()
            self.assertFalse(self._open(complaint, ESCALATION), "every escalated deadline is met")
            done = self.env["mail.message"].search(
                [
                    ("model", "=", "qms.complaint"),
                    ("res_id", "=", complaint.id),
                    ("mail_activity_type_id", "=", self.env.ref(ESCALATION).id),
                ]
            )
            self.assertEqual(len(done), 5, "one escalation done per manager")

    def test_administrator_only_when_no_quality_manager(self):
        company = self.env["res.company"].create({"name": "QMS Small Works"})
        company.resource_calendar_id.tz = "Asia/Shanghai"
        sales = self._user("qms_small_sales", "qms_customer.group_qms_sales")
        sales.write({"company_ids": [Command.set(company.ids)], "company_id": company.id})
        customer = self.env["res.partner"].create({"name": "Small Customer", "is_company": True})
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            complaint = self._complaint(partner_id=customer.id, company_id=company.id, quality_user_id=False)
        with (
            freeze_time("2025-01-12 09:00:00"),
            self.assertLogs("odoo.addons.qms_customer.models.res_company", "WARNING") as logs,
        ):
            self._run()
        self.assertIn("has no quality manager", logs.output[0])
        self.assertEqual(self._open(complaint, ESCALATION).user_id, self.env.ref("base.user_admin"))
        # The company's own managers take over as soon as there is one.
        self.assertEqual(self.company._qms_quality_managers(), self.managers)
