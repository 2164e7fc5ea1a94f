import re

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

HAN = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestChinese(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.users["sales"].lang = "zh_CN"

    def test_errors_read_in_chinese(self):
        complaint = self._complaint(user=self.users["sales"], qty_delivered=10)
        # A request runs with the user's language in its context.
        complaint = complaint.with_context(lang=self.users["sales"].lang)
        with self.assertRaises(ValidationError) as error:
            complaint.write({"qty_defect": 11})
        self.assertRegex(str(error.exception), HAN)

    def test_workflow_errors_read_in_chinese(self):
        complaint = self._complaint(user=self.users["sales"]).with_context(lang="zh_CN")
        with self.assertRaises(UserError) as error:
            complaint.action_confirm()
        self.assertIn("照片", str(error.exception))

    def test_reminders_are_written_in_the_assignees_language(self):
        complaint = self._complaint()
        with freeze_time("2025-01-10 14:30:00"):
            self.env["qms.complaint"]._qms_cron_deadlines()
        reminder = complaint.activity_ids
        self.assertEqual(reminder.user_id, self.users["sales"])
        self.assertRegex(reminder.summary, HAN)
        self.assertRegex(str(reminder.note), HAN)

    def test_labels_and_states_read_in_chinese(self):
        env = self.env(context={"lang": "zh_CN"})
        fields = env["qms.complaint"].fields_get(["state", "severity", "date_received"])
        self.assertEqual(dict(fields["state"]["selection"])["draft"], "草稿")
        self.assertRegex(fields["date_received"]["string"], HAN)
        self.assertRegex(dict(fields["severity"]["selection"])["critical"], HAN)
        self.assertEqual(env.ref("qms_customer.menu_qms_root").name, "客户质量")
        self.assertRegex(env.ref("qms_customer.demand_onsite").name, HAN)

    def test_alarms_and_follow_ups_are_written_in_the_assignees_language(self):
        self.users["quality_manager"].lang = "zh_CN"
        self.users["quality"].lang = "zh_CN"
        complaint = self._complaint(qty_delivered=1000, qty_defect=20)  # 2 %: special report
        alarm = complaint.activity_ids.filtered(lambda a: a.user_id == self.users["quality_manager"])
        self.assertRegex(alarm.summary, HAN)
        self.assertRegex(str(alarm.note), HAN)
        with freeze_time("2025-02-05 02:00:00"):
            self.env["qms.complaint"]._cron_monthly_followup()
        followup = complaint.activity_ids.filtered(lambda a: a.user_id == self.users["quality"])
        self.assertRegex(followup.summary, HAN)
        self.assertRegex(str(followup.note), HAN)

    def test_8d_errors_read_in_chinese(self):
        complaint = self._complete(self._complaint(requires_8d=True))
        complaint.action_confirm()
        complaint.action_start()
        with self.assertRaises(UserError) as error:
            complaint.with_context(lang="zh_CN", qms_8d_step="d1").action_8d_complete()
        self.assertIn("D0", str(error.exception))
        self.assertRegex(str(error.exception), HAN)

    def test_demo_escalation_notes_name_deadlines_in_the_company_language(self):
        """The demo's deadlines are chased after Odoo loaded the translations (post-install hook)."""
        complaint = self.env.ref("qms_customer.complaint_progress_overdue")
        lang = complaint.company_id.partner_id.lang
        notes = complaint.message_ids.filtered(lambda m: m.author_id == self.env.ref("base.partner_root"))
        body = " ".join(notes.mapped("body"))
        self.assertTrue(body, "the demo complaint was escalated")
        specs = complaint._qms_specs()
        local = complaint.with_context(lang=lang)
        self.assertTrue(any(local._qms_deadline_label(spec) in body for spec in specs))
        if lang != "en_US":
            english = complaint.with_context(lang="en_US")
            for spec in specs:
                self.assertNotIn(english._qms_deadline_label(spec), body)
