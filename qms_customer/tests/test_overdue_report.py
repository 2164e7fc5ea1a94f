import base64
import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
class TestOverdueReport(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            cls.late = (
                cls.env["qms.complaint"]
                .with_company(cls.company)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "company_id": cls.company.id,
                        "date_received": "2025-01-10 08:00:00",
                    }
                )
            )

    def _sheet(self, data):
        return openpyxl.load_workbook(io.BytesIO(data)).active

    def test_every_family_using_the_engine_reports(self):
        self.assertIn("qms.complaint", self.env["qms.deadline.mixin"]._qms_overdue_models())

    @freeze_time("2025-01-10 17:00:00")
    def test_xlsx_lists_overdue_deadlines(self):
        data, count = self.env["qms.overdue.report"]._build_xlsx(self.company)
        self.assertEqual(count, 1, "only the first reply is overdue")
        sheet = self._sheet(data)
        values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
        self.assertEqual(values[0][1], self.late.name)
        self.assertEqual(values[0][2], "Huadong Auto Parts")
        self.assertEqual(values[0][3], "First Reply Deadline")
        self.assertEqual(str(values[0][4]), "2025-01-11 00:00:00", "deadline in local time")
        self.assertEqual(values[0][5], 0.0)  # under a tenth of a day late
        _data, other_count = self.env["qms.overdue.report"]._build_xlsx(self.other_company)
        self.assertEqual(other_count, 0)

    @freeze_time("2025-01-10 17:00:00")
    def test_header_time_and_file_name_in_the_company_zone(self):
        """Rows are Shanghai time, so is the time the report was taken at (01:00 next day)."""
        report = self.env["qms.overdue.report"].with_context(lang="zh_CN")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        data, _count = report._build_xlsx(self.company)
        self.assertEqual(self._sheet(data)["A2"].value, "截至 2025-01-11 01:00")
        self.assertEqual(report._filename(self.company), "逾期报告 2025-01-11 0100.xlsx")

    @freeze_time("2025-01-20 00:00:00")
    def test_cron_emails_quality_managers(self):
        self.users["quality_manager"].email = "qm@works.example.com"  # the report goes by e-mail
        self.env["qms.overdue.report"]._cron_send_overdue_report()
        mail = self.env["mail.mail"].search([("model", "=", "res.company"), ("res_id", "=", self.company.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.users["quality_manager"].partner_id)
        self.assertEqual(len(mail.attachment_ids), 1)
        rows = list(self._sheet(mail.attachment_ids.raw).iter_rows(min_row=5, values_only=True))
        self.assertEqual(len(rows), 4)
        self.assertIn("4", mail.body_html)

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_no_mail_when_nothing_is_overdue(self):
        self.env["qms.overdue.report"]._cron_send_overdue_report()
        mail = self.env["mail.mail"].search([("model", "=", "res.company"), ("res_id", "=", self.company.id)])
        self.assertFalse(mail)

    @freeze_time("2025-01-20 00:00:00")
    def test_download_from_the_menu(self):
        wizard = (
            self.env["qms.overdue.report.wizard"]
            .with_user(self.users["quality"])
            .with_company(self.company)
            .create({"company_id": self.company.id})
        )
        action = wizard.action_generate()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(wizard.row_count, 4)
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        self.assertEqual(self._sheet(base64.b64decode(wizard.file_data)).max_row, 8)
        # The file is its author's: another quality manager makes their own.
        colleague = self._user("qms_quality_manager_b", "qms_customer.group_qms_quality_manager")
        wizard.invalidate_recordset()
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).file_data  # noqa: B018 - reading is the test
