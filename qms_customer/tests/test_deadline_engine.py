from datetime import datetime, timedelta

import pytz

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestDeadlineEngine(QmsCase):
    def test_default_deadlines_of_a_complaint(self):
        complaint = self._complaint()
        # 8 hours, 48 hours and 7 days are calendar time from receipt.
        self.assertEqual(complaint.first_reply_deadline, datetime(2025, 1, 10, 16, 0))
        self.assertEqual(complaint.written_reply_deadline, datetime(2025, 1, 12, 8, 0))
        self.assertEqual(complaint.closure_deadline, datetime(2025, 1, 17, 8, 0))
        # Half a working day: 1 h on Friday (16-17 Shanghai) + 3 h on Monday (8-11) = Monday 11:00.
        self.assertEqual(complaint.forward_deadline, datetime(2025, 1, 13, 3, 0))
        # No on-site support demanded, no on-site deadline.
        self.assertFalse(complaint.onsite_deadline)

    def test_urgent_and_onsite(self):
        complaint = self._complaint(
            urgency="urgent", customer_demand_ids=[Command.link(self.demand_onsite.id)]
        )
        self.assertEqual(complaint.closure_deadline, datetime(2025, 1, 12, 8, 0))
        self.assertEqual(complaint.onsite_deadline, datetime(2025, 1, 10, 16, 0))
        complaint.urgency = "normal"
        self.assertEqual(complaint.closure_deadline, datetime(2025, 1, 17, 8, 0))

    def test_public_holiday_moves_working_time_deadline(self):
        # Monday 13 January is a public holiday in the company's calendar (in Shanghai time).
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2025, 1, 12, 16, 0),
                "date_to": datetime(2025, 1, 13, 15, 59, 59),
            }
        )
        complaint = self._complaint()
        self.assertEqual(complaint.forward_deadline, datetime(2025, 1, 14, 3, 0))

    def test_batch_working_time_equals_odoo_plan_hours(self):
        """The batch planner (a window's working time read once) gives what Odoo's plan_hours
        gives, holidays and window boundaries included, for starts every 5 hours over 6 weeks."""
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2025, 1, 12, 16, 0),
                "date_to": datetime(2025, 1, 14, 15, 59, 59),
            }
        )
        tz = pytz.timezone(self.calendar.tz)
        cache, company = {}, self.company
        for step in range(0, 6 * 7 * 24, 5):
            start = pytz.utc.localize(datetime(2025, 1, 1, 3, 0) + timedelta(hours=step)).astimezone(tz)
            for hours in (0.5, 4, 8, 16, 40, 120):
                with self.subTest(start=start, hours=hours):
                    self.assertEqual(
                        company._qms_plan_hours(self.calendar, hours, start, cache),
                        self.calendar.plan_hours(hours, start, compute_leaves=True),
                    )
        self.assertTrue(cache, "the windows were kept for the batch")

    def test_units(self):
        start = datetime(2025, 1, 31, 8, 0)
        company = self.company
        self.assertEqual(company._qms_add_duration(start, 1, "months"), datetime(2025, 2, 28, 8, 0))
        self.assertEqual(company._qms_add_duration(start, 2, "days"), datetime(2025, 2, 2, 8, 0))
        self.assertEqual(company._qms_add_duration(start, 3, "hours"), datetime(2025, 1, 31, 11, 0))
        # Friday 16:00 Shanghai + 2 working days (16 working hours) = Tuesday 16:00 Shanghai.
        friday = datetime(2025, 1, 10, 8, 0)
        self.assertEqual(company._qms_add_duration(friday, 2, "working_days"), datetime(2025, 1, 14, 8, 0))
        # Outside working hours (Saturday) the count starts on Monday morning.
        saturday = datetime(2025, 1, 11, 2, 0)
        self.assertEqual(company._qms_add_duration(saturday, 4, "working_hours"), datetime(2025, 1, 13, 4, 0))

    def test_company_setting_changes_new_deadlines(self):
        self._rule("complaint_first_reply").write({"number": 2, "unit": "working_hours"})
        complaint = self._complaint()
        # 1 working hour on Friday, 1 on Monday morning: Monday 09:00 Shanghai.
        self.assertEqual(complaint.first_reply_deadline, datetime(2025, 1, 13, 1, 0))

    def test_response_profile_overrides_step_by_step(self):
        profile = self.env["qms.response.profile"].create(
            {
                "name": "OEM",
                "requires_8d": True,
                "rule_ids": [
                    Command.create(
                        {
                            "step_id": self._deadline_step("complaint_first_reply").id,
                            "number": 4,
                            "unit": "hours",
                        }
                    ),
                    Command.create(
                        {
                            "step_id": self._deadline_step("complaint_written_reply").id,
                            "number": 24,
                            "unit": "hours",
                        }
                    ),
                ],
            }
        )
        self.customer.qms_response_profile_id = profile
        self.assertEqual(self.contact.qms_response_profile_id, profile, "commercial field reaches contacts")
        complaint = self._complaint(partner_id=self.contact.id)
        self.assertEqual(complaint.partner_id, self.customer, "complaints belong to the commercial customer")
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertTrue(complaint.requires_8d)
        self.assertEqual(complaint.first_reply_deadline, datetime(2025, 1, 10, 12, 0))
        self.assertEqual(complaint.written_reply_deadline, datetime(2025, 1, 11, 8, 0))
        # Steps the profile does not name keep the company default.
        self.assertEqual(complaint.closure_deadline, datetime(2025, 1, 17, 8, 0))

    def test_invalid_settings_are_refused(self):
        before = self._rule("complaint_first_reply").number
        for code, vals in (
            ("complaint_first_reply", {"number": 0}),
            ("complaint_written_reply", {"number": -5}),
            ("complaint_forward", {"unit": "fortnights"}),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._rule(code).write(vals)
        with self.assertRaises(ValidationError):
            self.company.write({"qms_due_soon_percent": 120})
        self.assertEqual(self._rule("complaint_first_reply").number, before)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({"qms_due_soon_percent": 0})
        profile = self.env["qms.response.profile"].create({"name": "Strict"})
        step = self._deadline_step("complaint_first_reply")
        with self.assertRaises(ValidationError):
            self.env["qms.deadline.rule"].create(
                {"profile_id": profile.id, "step_id": step.id, "number": 4, "unit": "weeks"}
            )
        with self.assertRaises(ValidationError):
            self.env["qms.deadline.rule"].create(
                {"profile_id": profile.id, "step_id": step.id, "number": 0, "unit": "hours"}
            )
        self.assertFalse(profile.rule_ids)

    def test_settings_save_to_company(self):
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company)
            .create({"qms_overdue_report_interval_type": "days"})
        )
        action = settings.action_qms_deadline_rules()
        rules = self.env["qms.deadline.rule"].search(action["domain"])
        rules.filtered(lambda r: r.step_id.code == "complaint_written_reply").number = 24
        settings.execute()
        self.assertEqual(self.company._qms_deadline_rule("complaint_written_reply"), (24, "hours"))
        cron = self.env.ref("qms_customer.ir_cron_qms_overdue_report")
        self.assertEqual(cron.interval_type, "days")

    def test_deadline_state_and_filters(self):
        complaint = self._complaint()
        self.assertEqual(complaint.qms_deadline_state, "on_time")
        Complaint = self.env["qms.complaint"]
        with freeze_time("2025-01-10 14:30:00"):  # 6.5 of the 8 hours gone: due soon
            complaint.invalidate_recordset(["qms_deadline_state"])
            self.assertEqual(complaint.qms_deadline_state, "due_soon")
            self.assertIn(complaint, Complaint.search([("qms_deadline_state", "=", "due_soon")]))
            self.assertIn(
                complaint, Complaint.search([("qms_deadline_state", "in", ["overdue", "due_soon"])])
            )
            self.assertIn(
                complaint, Complaint.search([("qms_deadline_state", "not in", ["overdue", "on_time"])])
            )
            self.assertEqual(complaint.first_reply_status, "due_soon")
        with freeze_time("2025-01-10 16:30:00"):
            complaint.invalidate_recordset(["qms_deadline_state", "first_reply_status"])
            self.assertEqual(complaint.qms_deadline_state, "overdue")
            self.assertEqual(complaint.first_reply_status, "overdue")
            self.assertIn(complaint, Complaint.search([("qms_deadline_state", "=", "overdue")]))
            self.assertNotIn(complaint, Complaint.search([("qms_deadline_state", "=", "on_time")]))
            self.assertIn(
                complaint, Complaint.search([("qms_deadline_state", "in", ["due_soon", "overdue"])])
            )
            self.assertNotIn(complaint, Complaint.search([("qms_deadline_state", "!=", "overdue")]))
            complaint.action_log_first_reply()
            complaint.invalidate_recordset(["first_reply_status"])
            self.assertEqual(complaint.first_reply_status, "done")
            # Met deadlines drop out: the written reply (Sunday 16:00 Shanghai) is next.
            self.assertEqual(complaint.qms_next_deadline, complaint.written_reply_deadline)

    def test_due_today_in_the_users_time_zone(self):
        Complaint = self.env["qms.complaint"].with_user(self.users["quality"])  # in Shanghai
        # Received 09:00 Shanghai: first reply due 17:00 Shanghai today.
        today = self._complaint(date_received=datetime(2025, 1, 10, 1, 0))
        # Received 16:00 Shanghai: first reply due at midnight, i.e. tomorrow in Shanghai.
        tomorrow = self._complaint()
        found = Complaint.search([("qms_due_today", "=", True), ("id", "in", (today | tomorrow).ids)])
        self.assertEqual(found, today)
        self.assertTrue(today.with_user(self.users["quality"]).qms_due_today)
        self.assertFalse(tomorrow.with_user(self.users["quality"]).qms_due_today)
        not_today = Complaint.search([("qms_due_today", "=", False), ("id", "in", (today | tomorrow).ids)])
        self.assertEqual(not_today, tomorrow)
