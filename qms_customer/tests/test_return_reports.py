import base64
import io
import re

import openpyxl

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from .common import FRIDAY_4PM_SHANGHAI
from .test_return_request import ReturnCase

NOTICE = "qms_customer.report_qms_return_notice"
REWORK = "qms_customer.report_qms_rework_notice"


# An HttpCase: wkhtmltopdf loads the report's CSS from this server, which sees the test's data.
@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnReports(HttpCase, ReturnCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.customer.lang = "en_US"
        cls.users["quality"].name = "Wang Fang"
        cls.users["warehouse"].name = "Zhao Lei"

    def setUp(self):
        super().setUp()
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        for role in ("quality", "quality_manager", "technical", "chief_engineer"):
            self._decide(request, role, comment=f"OK by {role}")
        request.with_user(self.users["warehouse"]).action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 601}
        )
        receipt.action_qms_check_passed()
        receipt.button_validate()
        quality = self.users["quality"]
        request.line_ids.with_user(quality).write({"qty_defect": 120, "qty_sample": 5})
        request.with_user(quality).write({"inspection_note": "Porosity on 120 strips"})
        request.with_user(quality).action_inspect_defect()
        request.line_ids.with_user(quality).write({"qty_rework": 500, "qty_scrap": 100})
        request.with_user(quality).action_dispose()
        self.request = request

    def _html(self, report):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(report, self.request.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def test_return_notice_content(self):
        html = self._html(NOTICE)
        for text in (
            "Return Notice",
            self.request.name,
            self.customer.name,
            self.complaint.name,
            "Steel Strip (kg)",
            "600.000",
            "Chief Engineer",
            "OK by chief_engineer",
            "Porosity on the whole batch",
            "Zhao Lei",
        ):
            self.assertIn(text, html)

    def test_rework_notice_content(self):
        html = self._html(REWORK)
        for text in ("Rework Notice", self.request.name, "Porosity on 120 strips", "500.00", "Wang Fang"):
            self.assertIn(text, html)
        self.assertIn(self.request.sudo().disposition_picking_ids[:1].name, html)

    def test_notices_follow_the_customer_language(self):
        self.customer.lang = "zh_CN"
        html = self._html(NOTICE)
        for text in ("退货通知单", "退货明细", "总工程师"):
            self.assertIn(text, html)
        self.assertIn("返工通知单", self._html(REWORK))

    def test_pdfs_render_searchable_chinese(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF reports are not checked")
        self.customer.lang = "zh_CN"
        for report, title in ((NOTICE, "退货通知单"), (REWORK, "返工通知单")):
            with self.subTest(report=report):
                pdf, report_type = (
                    self.env["ir.actions.report"]
                    .with_context(lang="zh_CN", force_report_rendering=True)
                    ._render_qweb_pdf(report, res_ids=self.request.ids)
                )
                self.assertEqual(report_type, "pdf")
                pages = PdfReader(io.BytesIO(pdf)).pages
                if not hasattr(pages[0], "extract_text"):
                    self.skipTest("PyPDF2 < 2 cannot extract the text of a CID font")
                text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))
                self.assertIn(title, text)
                self.assertIn(self.request.name, text)
                self.assertFalse(re.findall("[\u2e80-\u2fdf]", text), "CJK radicals in the PDF text")

    def test_returns_ledger_read_back(self):
        wizard = (
            self.env["qms.return.ledger.wizard"]
            .with_user(self.users["quality"])
            .create({"date_from": "2025-01-01", "date_to": "2025-01-31", "company_id": self.company.id})
        )
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 1)
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header = next(row for row in rows if "Reference" in row)
        data = dict(zip(header, rows[rows.index(header) + 1], strict=False))
        self.assertEqual(data["Reference"], self.request.name)
        self.assertEqual(data["Total Weight (kg)"], 600)
        self.assertEqual(data["Approval Tier"], "Chief Engineer")
        self.assertIn("Chief Engineer: ", data["Approvers"])
        self.assertEqual(data["Rework"], 500)
        self.assertEqual(data["Scrap"], 100)
        self.assertEqual(data["Disposed in Time"], "Met")
        self.assertIn("Passed 601 kg", data["Receipt Check"])
        self.assertTrue(wizard.file_name.startswith("Returns ledger"))
