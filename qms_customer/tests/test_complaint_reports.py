import io
import re
from datetime import date

from odoo import Command
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REPLY = "qms_customer.report_qms_complaint_reply"
EIGHTD = "qms_customer.report_qms_complaint_8d"
BLANK_DATE = "Date: ____________"
# CJK Radicals Supplement and Kangxi Radicals: what a PDF's text reads instead of 户, 见, 日...
# when wkhtmltopdf writes it in a font that shares their glyphs (Noto Sans CJK).
RADICALS = re.compile("[\u2e80-\u2fdf]")


# An HttpCase: wkhtmltopdf loads the report's CSS from this server, which sees the test's data.
@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintReports(HttpCase, QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.customer.lang = "en_US"
        cls.contact.lang = "en_US"
        # Real people's names, not the test users' long generated ones: the layout is checked too.
        for role, name in (
            ("quality", "Wang Fang"),
            ("technical", "Liu Yang"),
            ("quality_manager", "Chen Jie"),
            ("general_manager", "Zhou Qiang"),
        ):
            cls.users[role].name = name

    def setUp(self):
        super().setUp()
        complaint = self._complete(
            self._complaint(
                contact_id=self.contact.id,
                severity="important",
                requires_8d=True,
                customer_reference="HD-QA-2025-017",
            )
        )
        complaint.action_confirm()
        complaint.action_start()
        quality = self.users["quality"]
        complaint.with_user(quality).write(
            {
                "responsibility": "ours",
                "cause_category": "machine",
                "d4_occurrence_cause": "Honing tool worn beyond its service life",
                "d4_escape_cause": "Bore gauge sampled only one part in fifty",
                "reply_note": "<p>Honing tool replaced and all stock sorted.</p>",
                "d0_emergency_response": "Customer stock frozen within 2 hours",
                "eightd_leader_id": quality.id,
                "eightd_team_ids": [Command.set([quality.id, self.users["technical"].id])],
                "d2_what": "Piston seizes in the caliper bore",
                "d2_is": "Lot 2501 from line 2",
                "d2_is_not": "Lots from line 1",
                "d3_qty_plant": 1840,
                "d3_note": "Sorted with a go/no-go gauge",
                "d7_fmea_updated": True,
                "d7_lessons_learned": "Tool life is now monitored by counter",
                "why_ids": [
                    Command.create(
                        {
                            "chain": "occurrence",
                            "sequence": 1,
                            "question": "Why does the piston seize?",
                            "answer": "The bore is 0.02 mm undersize",
                        }
                    ),
                    Command.create(
                        {
                            "chain": "escape",
                            "sequence": 1,
                            "question": "Why was the undersize bore not detected?",
                            "answer": "The gauge plan samples one part in fifty",
                        }
                    ),
                ],
            }
        )
        self.complaint = complaint
        self.corrective = self._action("corrective", "Change the honing parameters and gauge every bore")
        self._action("containment", "Sort all calipers in stock and in transit")
        self._action("preventive", "Add a tool-life counter to every honing machine")
        self.cancelled = self._action("corrective", "Replace the whole honing machine")
        self.cancelled.with_user(quality).action_cancel()

    def _action(self, kind, description):
        return (
            self.env["qms.action"]
            .with_user(self.users["quality"])
            .create(
                {
                    "complaint_id": self.complaint.id,
                    "action_type": kind,
                    "description": description,
                    "user_id": self.users["technical"].id,
                    "date_deadline": date(2025, 1, 15),
                }
            )
        )

    def _html(self, report, complaint=None):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            report, (complaint or self.complaint).ids
        )
        self.assertEqual(report_type, "html")
        return html.decode()

    # ------------------------------------------------------------------ written reply
    def test_reply_report_content(self):
        html = self._html(REPLY)
        self.assertIn("Reply to Customer Complaint", html)
        for text in (
            self.complaint.name,
            "HD-QA-2025-017",
            self.customer.name,
            self.contact.name,
            "Brake Caliper",
            "Important",
            "Honing tool replaced and all stock sorted.",
            "Piston seizes",
            "Honing tool worn beyond its service life",
            "Bore gauge sampled only one part in fifty",
            "Our Product",
            "Machine",
            "Change the honing parameters and gauge every bore",
            "Sort all calipers in stock and in transit",
            "Add a tool-life counter to every honing machine",
            self.corrective.name,
            self.users["quality"].name,
        ):
            self.assertIn(text, html)
        self.assertNotIn("Replace the whole honing machine", html, "cancelled actions are not printed")
        self.assertNotIn("no corrective action is needed", html)
        # Nobody has signed: three blank date lines, no manager's name.
        self.assertEqual(html.count(BLANK_DATE), 3)
        self.assertNotIn(self.users["quality_manager"].name, html)

    def test_reply_shows_signatures_once_signed(self):
        manager = self.users["quality_manager"]
        self.complaint.with_user(manager).action_sign_quality_manager()
        html = self._html(REPLY)
        self.assertIn(manager.name, html)
        self.assertEqual(html.count(BLANK_DATE), 2, "prepared-by and general manager still blank")
        self.complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        html = self._html(REPLY)
        self.assertIn(self.users["general_manager"].name, html)
        self.assertEqual(html.count(BLANK_DATE), 1)

    def test_reply_explains_customer_misuse(self):
        self.complaint.write({"responsibility": "customer"})
        html = self._html(REPLY)
        self.assertIn("Customer Misuse", html)
        self.assertIn("no corrective action is needed on our side", html)

    def test_reply_names_the_supplier(self):
        supplier = self.env["res.partner"].create({"name": "Ningbo Rubber Works", "is_company": True})
        html = self._html(REPLY)
        self.assertNotIn("Ningbo Rubber Works", html)
        self.complaint.write({"responsibility": "supplier", "supplier_id": supplier.id})
        self.assertIn("Ningbo Rubber Works", self._html(REPLY))

    def test_reports_render_an_empty_complaint(self):
        draft = self._complaint()
        for report in (REPLY, EIGHTD):
            html = self._html(report, draft)
            self.assertIn(draft.name, html)
            self.assertIn(BLANK_DATE, html)

    # ------------------------------------------------------------------ 8D report
    def test_8d_report_content(self):
        self.complaint.with_user(self.users["quality"]).with_context(qms_8d_step="d0").action_8d_complete()
        html = self._html(EIGHTD)
        self.assertIn("8D Report", html)
        for text in (
            self.complaint.name,
            "HD-QA-2025-017",
            "Customer stock frozen within 2 hours",
            self.users["technical"].name,
            "Piston seizes in the caliper bore",
            "Lot 2501 from line 2",
            "Lots from line 1",
            "1,840.00",
            "Sorted with a go/no-go gauge",
            "Sort all calipers in stock and in transit",
            "Honing tool worn beyond its service life",
            "Bore gauge sampled only one part in fifty",
            "Why does the piston seize?",
            "The bore is 0.02 mm undersize",
            "The gauge plan samples one part in fifty",
            "Escape (Not Detected)",
            "Change the honing parameters and gauge every bore",
            "Add a tool-life counter to every honing machine",
            "Tool life is now monitored by counter",
            "☑",  # FMEA updated
            "☐",  # control plan and work instruction not
        ):
            self.assertIn(text, html)
        self.assertNotIn("Replace the whole honing machine", html)
        self.assertEqual(html.count("D1 Team"), 2, "the D1 heading and the 8D status (D1 is next)")
        self.assertEqual(html.count("Completed by"), 1, "only D0 is completed")
        self.assertEqual(html.count("Not completed"), 8)
        self.assertIn(f"Completed by <span>{self.users['quality'].name}</span>", html)

    def test_8d_report_shows_verification_and_signature(self):
        self.corrective.with_user(self.users["technical"]).action_done()
        self.corrective.with_user(self.users["quality_manager"]).action_verify_effective()
        self.complaint.with_user(self.users["quality_manager"]).action_sign_quality_manager()
        html = self._html(EIGHTD)
        self.assertIn("<span>Effective</span>", html)
        self.assertIn(self.users["quality_manager"].name, html)
        self.assertEqual(html.count(BLANK_DATE), 2)

    # ------------------------------------------------------------------ language
    def test_reports_follow_the_customer_language(self):
        english = self._html(REPLY)
        self.assertIn("<span>Important</span>", english)
        self.assertNotIn("重要", english)
        # The contact's language wins over the customer's.
        self.contact.lang = "zh_CN"
        html = self._html(REPLY)
        self.assertIn("<span>重要</span>", html)  # severity "Important"
        self.assertIn("<span>纠正措施</span>", html)  # action type "Corrective"
        self.assertIn("<span>我方产品</span>", html)  # responsibility "Our Product"
        self.assertIn("2025年01月10日", html)  # date received, in the Chinese date format
        self.assertNotIn("<span>Important</span>", html)
        eightd = self._html(EIGHTD)
        self.assertIn("<span>机</span>", eightd)  # cause category "Machine"
        self.assertIn("2025年01月10日", eightd)

    def test_report_headings_are_translated(self):
        """The reports' static texts are translated by i18n/zh_CN.po."""
        self.contact.lang = "zh_CN"
        # These headings are translated in i18n/zh_CN.po (not by a field's selection or label).
        for report, heading in ((REPLY, "客户意见答复单"), (EIGHTD, "8D 报告")):
            html = self._html(report)
            self.assertTrue(heading in html, f"{report}: heading {heading!r} not translated")
            self.assertNotIn("Prepared by (Quality Engineer)", html)

    def test_report_without_contact_uses_the_customer_language(self):
        self.customer.lang = "zh_CN"
        complaint = self._complaint(severity="important")
        self.assertIn("重要", self._html(REPLY, complaint))
        self.assertIn("Important", self._html(REPLY, self.complaint), "its contact reads English")

    # ------------------------------------------------------------------ PDF
    def _pdf_pages(self, report, complaint=None):
        """The text of each page of ``report`` printed as PDF in a Chinese UI."""
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF reports are not checked")
        # In tests Odoo returns the HTML instead of running wkhtmltopdf, unless forced.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(lang="zh_CN", force_report_rendering=True)
            ._render_qweb_pdf(report, res_ids=(complaint or self.complaint).ids)
        )
        self.assertEqual(report_type, "pdf")
        pages = PdfReader(io.BytesIO(pdf)).pages
        if not hasattr(pages[0], "extract_text"):
            self.skipTest("PyPDF2 < 2 cannot extract the text of a CID font: the PDF text is not checked")
        return [page.extract_text() for page in pages]

    def _assert_searchable(self, text, *needles):
        # Compare without white space: the extractor splits the text into runs at will.
        flat = re.sub(r"\s+", "", text)
        for needle in needles:
            self.assertIn(re.sub(r"\s+", "", needle), flat, f"{needle!r} cannot be found in the PDF text")
        self.assertFalse(RADICALS.findall(text), "PDF text reads CJK radicals: fonts-droid-fallback missing?")

    def test_reports_are_a4(self):
        """Chinese plants print on A4, even when the company's default paper is US Letter."""
        self.env.company.paperformat_id = self.env.ref("base.paperformat_us")
        for xmlid in (
            "qms_customer.action_report_qms_complaint_reply",
            "qms_customer.action_report_qms_complaint_8d",
        ):
            report = self.env.ref(xmlid)
            self.assertEqual(report.paperformat_id.format, "A4", xmlid)
            self.assertEqual(report.paperformat_id.orientation, "Portrait", xmlid)
            self.assertEqual(report.get_paperformat().format, "A4", xmlid)

    def test_reply_pdf_text_is_searchable(self):
        self.contact.lang = "zh_CN"
        pages = self._pdf_pages(REPLY)
        self.assertEqual(len(pages), 1, "the reply letter of a typical complaint fits one A4 page")
        self._assert_searchable(
            pages[0],
            self.complaint.name,
            "客户意见答复单",
            "HD-QA-2025-017",
            "Brake Caliper",
            "Honing tool worn beyond its service life",
            "2025年01月10日",
            "编制（质量工程师）",
        )

    def test_8d_pdf_text_is_searchable(self):
        self.contact.lang = "zh_CN"
        text = "\n".join(self._pdf_pages(EIGHTD))
        self._assert_searchable(text, self.complaint.name, "8D 报告", "Piston seizes in the caliper bore")

    def test_reports_render_as_pdf(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        self.contact.lang = "zh_CN"
        for xmlid in (
            "qms_customer.action_report_qms_complaint_reply",
            "qms_customer.action_report_qms_complaint_8d",
        ):
            report = self.env.ref(xmlid)
            pdf, report_type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                report.report_name, self.complaint.ids
            )
            self.assertEqual(report_type, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"), xmlid)
