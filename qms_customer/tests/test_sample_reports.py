import base64
import io
import re

import openpyxl

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from .common import FRIDAY_4PM_SHANGHAI
from .test_sample import SampleCase

LABEL = "qms_customer.report_qms_sample_label"


# An HttpCase: wkhtmltopdf loads the report's CSS from this server, which sees the test's data.
@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestSampleReports(HttpCase, SampleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])

    def setUp(self):
        super().setUp()
        self.sample = self._sealed(customer_signs=True)
        self.sample._qms_check_out(self.users["technical"], "first_article")

    def _html(self, samples):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(LABEL, samples.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def test_label_content(self):
        html = self._html(self.sample)
        for text in (
            self.sample.name,
            "Brake Caliper",
            "Huadong Auto Parts",
            "Chen Jie",
            "Li Ming",
            "Ma Xiaodong",
            "Limit Sample",
            "Rev.",
            "data:image/png;base64,",  # the QR code of the number
        ):
            self.assertIn(text, html)
        self.assertIn("07/10/2025", html)  # valid until, in the company's (English) format
        self.assertNotIn("DO NOT USE", html)

    def test_label_of_an_invalid_sample_says_so(self):
        self.sample.sudo()._qms_workflow_write({"state": "expired"})
        self.assertIn("EXPIRED", self._html(self.sample))

    def test_label_in_the_company_language(self):
        self.company.partner_id.lang = "zh_CN"
        html = self._html(self.sample)
        for text in ("限度样", "有效期至", "封样日期"):
            self.assertIn(text, html)

    def test_label_pdf_renders_searchable(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF label is not checked")
        self.company.partner_id.lang = "zh_CN"
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(LABEL, res_ids=(self.sample | self._sealed()).ids)
        )
        self.assertEqual(report_type, "pdf")
        pages = PdfReader(io.BytesIO(pdf)).pages
        self.assertEqual(len(pages), 2, "one label per page")
        if not hasattr(pages[0], "extract_text"):
            self.skipTest("PyPDF2 < 2 cannot extract the text of a CID font")
        text = re.sub(r"\s+", "", pages[0].extract_text())
        self.assertIn(self.sample.name, text)
        self.assertIn("有效期至", text)
        box = pages[0].mediabox
        self.assertAlmostEqual(float(box.width) / 72 * 25.4, 100, delta=2)  # 100 x 70 mm
        self.assertAlmostEqual(float(box.height) / 72 * 25.4, 70, delta=2)

    def test_sample_ledger_read_back(self):
        destroyed = self._sealed(category_id=self.rubber.id)
        destroyed.sudo()._qms_workflow_write({"state": "expired"})
        destroyed._qms_destroy("Cut up")
        other = self._sealed(partner_id=self.customer2.id, product_id=self.product2.id)
        wizard = (
            self.env["qms.sample.ledger.wizard"]
            .with_user(self.users["quality"])
            .create(
                {"date_to": "2025-01-31", "company_id": self.company.id, "partner_ids": [self.customer.id]}
            )
        )
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 2)
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        header = next(row for row in rows if "Number" in row)
        data = {
            row[0]: dict(zip(header, row, strict=False)) for row in rows[rows.index(header) + 1 :] if row[0]
        }
        self.assertEqual(set(data), {self.sample.name, destroyed.name})
        self.assertNotIn(other.name, data)
        line = data[self.sample.name]
        self.assertEqual(line["Customer"], "Huadong Auto Parts")
        self.assertEqual(line["Validity"], "Valid")
        self.assertEqual(line["Check-outs"], 1)
        self.assertEqual(line["Checked Out"], "Yes")
        self.assertTrue(line["Quality"].startswith("Chen Jie 2025-01-10 16:00"))
        self.assertEqual(line["Valid Until"].date().isoformat(), "2025-07-10")
        self.assertEqual(data[destroyed.name]["Status"], "Destroyed")
        # Destroyed before the period: no longer in the ledger.
        wizard2 = (
            self.env["qms.sample.ledger.wizard"]
            .with_user(self.users["quality"])
            .create({"date_from": "2025-02-01", "date_to": "2025-02-28", "company_id": self.company.id})
        )
        wizard2.action_generate()
        self.assertEqual(wizard2.row_count, 2)  # this one and the other customer's
