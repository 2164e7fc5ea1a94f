import base64
import io
import re
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

TODO = "mail.mail_activity_data_todo"
REPORT = "qms_customer.report_qms_visit_reply"
ROOT = "base.user_root"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


class VisitCase(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.customer_rank = 1
        cls.customer2.customer_rank = 1
        cls.department = cls.env["hr.department"].create({"name": "R&D", "company_id": cls.company.id})
        cls.technical = cls.users["technical"]
        cls.chief = cls.users["chief_engineer"]
        Employee = cls.env["hr.employee"].with_company(cls.company)
        head = Employee.create(
            {"name": "Liu Yang", "user_id": cls.technical.id, "company_id": cls.company.id}
        )
        cls.department.manager_id = head
        Employee.create(
            {
                "name": "Sun Hao",
                "user_id": cls.chief.id,
                "company_id": cls.company.id,
                "department_id": cls.department.id,
            }
        )
        cls.users["general_manager"].name = "Zhou Qiang"

    def _visit(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "visit_type": "routine",
            "reason": "Half-year visit",
        }
        values.update(vals)
        return (
            self.env["qms.visit"]
            .with_user(user or self.users["sales"])
            .with_company(self.company)
            .create(values)
        )

    def _recorded(self, user=None, question="Can you send the salt-spray report?", **vals):
        user = user or self.users["sales"]
        visit = self._visit(user, date_visit=datetime(2025, 1, 10, 2, 0), **vals)
        visit.write({"summary": "Deliveries and quality discussed", "findings": "Press 3 records missing"})
        visit.action_visit()
        if question:
            visit.write(
                {"question_ids": [(0, 0, {"question": question, "department_id": self.department.id})]}
            )
        visit.action_record()
        return visit

    def _activities(self, record, xmlid):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _todos(self, record, user=None):
        todos = record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(TODO) and a.create_uid == self.env.ref(ROOT)
        )
        return todos.filtered(lambda a: a.user_id == user) if user else todos


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestVisit(VisitCase):
    def test_dissatisfaction_visit_within_a_month_with_a_todo(self):
        """The contract the satisfaction campaigns rely on."""
        for role in ("sales", "quality", "management_rep"):
            with self.subTest(role=role):
                visit = (
                    self.env["qms.visit"]
                    .with_user(self.users[role])
                    .create(
                        {
                            "partner_id": self.customer.id,
                            "company_id": self.company.id,
                            "user_id": self.users["sales"].id,
                            "visit_type": "dissatisfaction",
                            "reason": "Satisfaction score 52",
                        }
                    )
                )
                self.assertTrue(visit.name.startswith("VS/"))
                self.assertEqual(visit.state, "planned")
                self.assertEqual(visit.plan_deadline, datetime(2025, 2, 10, 8, 0))
                todo = self._todos(visit, self.users["sales"])
                self.assertEqual(len(todo), 1)
                self.assertIn("Huadong Auto Parts", todo.summary)

    def test_created_from_the_form_with_its_empty_fields(self):
        """The form sends every field of a new record: an empty general manager's comment is no
        comment, a written one is the general manager's only."""
        visit = self._visit(gm_comment=False, summary=False)
        self.assertEqual(visit.state, "planned")
        with self.assertRaisesRegex(UserError, "General Manager"), self.env.cr.savepoint():
            self._visit(gm_comment="Fine by me")

    def test_salesperson_schedules_the_visit_as_a_meeting(self):
        """Schedule Meeting opens the calendar on a meeting with the customer linked to the visit;
        the meeting's day (in the company's zone) plans the visit, and moving it moves the plan."""
        sales = self.users["sales"]
        visit = self._visit()
        action = visit.with_user(sales).action_schedule_meeting()
        self.assertEqual(action["res_model"], "calendar.event")
        context = action["context"]
        self.assertEqual(set(context["default_partner_ids"]), {sales.partner_id.id, self.customer.id})
        Event = self.env["calendar.event"].with_user(sales).with_context(**context)
        # Monday 9:30 in Shanghai is still Monday 01:30 UTC; 23:30 UTC on Sunday is Monday in Shanghai.
        meeting = Event.create({"start": "2025-01-13 01:30:00", "stop": "2025-01-13 03:30:00"})
        self.assertEqual((meeting.res_model, meeting.res_id), ("qms.visit", visit.id))
        # The salesperson has no e-mail address: no invitation the customer could not answer.
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))
        self.assertEqual(visit.meeting_count, 1)
        self.assertEqual(str(visit.date_planned), "2025-01-13")
        meeting.write({"start": "2025-01-19 23:30:00", "stop": "2025-01-20 01:00:00"})
        self.assertEqual(str(visit.date_planned), "2025-01-20")
        self.assertIn(visit, self.env["qms.visit"].search([("meeting_ids", "in", meeting.ids)]))
        # Once visited, the meetings are history: moving one changes nothing, none is created.
        visit.with_user(sales).action_visit()
        meeting.write({"start": "2025-01-22 01:00:00", "stop": "2025-01-22 02:00:00"})
        self.assertEqual(str(visit.date_planned), "2025-01-20")
        self.assertFalse(visit.with_user(sales).action_schedule_meeting()["context"]["create"])

    def test_record_due_two_days_after_the_visit_and_questions_five_working_days(self):
        sales = self.users["sales"]
        visit = self._visit(date_visit=datetime(2025, 1, 10, 2, 0))
        self.assertEqual(visit.user_id, sales, "the customer's salesperson by default")
        self.assertEqual(visit.record_deadline, datetime(2025, 1, 12, 2, 0))
        visit.write({"summary": "Deliveries discussed"})
        visit.action_visit()
        self.assertFalse(self._todos(visit, sales), "the to-do to visit is done")
        visit.write(
            {"question_ids": [(0, 0, {"question": "Salt-spray report?", "user_id": self.technical.id})]}
        )
        question = visit.question_ids
        self.assertFalse(question.answer_deadline, "due from the visit record")
        visit.action_record()
        self.assertEqual((visit.state, visit.recorded_by_id), ("recorded", sales))
        self.assertEqual(visit.date_recorded, datetime(2025, 1, 10, 8, 0))
        self.assertEqual(visit.record_status, "done")
        # Friday 16:00 in Shanghai + 40 working hours: the weekend is skipped, next Friday 16:00.
        self.assertEqual(question.answer_deadline, datetime(2025, 1, 17, 8, 0))
        self.assertEqual(len(self._todos(question, self.technical)), 1)

    def test_late_record_and_answer_are_escalated_once(self):
        manager = self.users["quality_manager"]
        visit = self._visit(date_visit=datetime(2025, 1, 10, 2, 0))
        visit.write({"summary": "Deliveries discussed"})
        visit.action_visit()
        cron = self.env["qms.visit"]._cron_qms_visits
        with freeze_time("2025-01-13 02:00:00"):  # the record was due on Sunday
            cron()
            self.assertEqual(visit.record_status, "overdue")
            self.assertEqual(self._activities(visit, ESCALATION).user_id, manager)
            cron()  # idempotent: one escalation note
            notes = visit.message_ids.filtered(lambda m: "Escalated to" in (m.body or ""))
            self.assertEqual(len(notes), 1)
            rows = self.env["qms.visit"]._qms_overdue_rows(self.company, datetime(2025, 1, 13, 2, 0))
            self.assertEqual([r["reference"] for r in rows], [visit.name])
            visit.write({"question_ids": [(0, 0, {"question": "Salt-spray report?"})]})
            visit.action_record()
            self.assertEqual(visit.record_status, "done")
            self.assertFalse(self._activities(visit, ESCALATION))
        with freeze_time("2025-01-21 02:00:00"):  # 5 working days later: the answer is late
            cron()
            question = visit.question_ids
            self.assertEqual(question.answer_status, "overdue")
            self.assertEqual(self._activities(question, ESCALATION).user_id, manager)

    def test_a_record_before_the_visit_is_refused(self):
        visit = self._visit()
        visit.write({"summary": "Prepared"})
        with self.assertRaisesRegex(UserError, "future"):
            visit.write({"date_visit": datetime(2025, 1, 11, 2, 0)})
        with self.assertRaisesRegex(UserError, "future"):
            self._visit(date_visit=datetime(2025, 1, 12, 2, 0))
        visit.action_visit()
        self.assertEqual(visit.date_visit, datetime(2025, 1, 10, 8, 0), "visited now when not entered")
        # An hour before the visit.
        with freeze_time("2025-01-10 07:00:00"), self.assertRaisesRegex(UserError, "before the visit"):
            visit.action_record()
        self.assertEqual(visit.state, "visited")
        self.assertFalse(visit.date_recorded)

    def test_general_manager_gets_a_copy(self):
        manager = self.users["general_manager"]
        self.assertFalse(manager.email)
        visit = self._recorded()
        self.assertIn(manager.partner_id, visit.message_partner_ids)
        message = visit.message_ids.filtered(lambda m: manager.partner_id in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("Deliveries and quality discussed", str(message.body))
        self.assertIn("Can you send the salt-spray report?", str(message.body))
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
        notification = message.notification_ids.filtered(lambda n: n.res_partner_id == manager.partner_id)
        self.assertEqual(notification.notification_type, "inbox")

    def test_answer_and_reply_to_the_customer(self):
        visit = self._recorded()
        question = visit.question_ids
        self.assertEqual(question.user_id, self.technical, "the department's manager answers")
        question.with_user(self.technical).write({"answer": "Report attached: 480 h without red rust"})
        self.assertFalse(question.with_user(self.users["sales"]).can_answer, "the button follows the rule")
        self.assertTrue(question.with_user(self.chief).can_answer)
        with self.assertRaisesRegex(UserError, "Only"):
            question.with_user(self.users["sales"]).action_answer()
        # The chief engineer works in the department: may answer too.
        question.with_user(self.chief).action_answer()
        self.assertEqual((question.state, question.answered_by_id), ("answered", self.chief))
        with self.assertRaisesRegex(UserError, "answered"):
            question.with_user(self.technical).write({"answer": "Changed"})
        with self.assertRaisesRegex(UserError, "answered and the reply sent"):
            visit.action_close()
        visit.action_send_reply()
        self.assertEqual((question.state, question.sent_by_id), ("sent", self.users["sales"]))
        message = visit.message_ids.filtered(lambda m: m.message_type == "comment" and m.attachment_ids)
        self.assertEqual(len(message), 1)
        self.assertIn(self.customer, message.partner_ids)
        self.assertEqual(message.author_id, self.company.partner_id, "sales has no address: the company's")
        visit.action_close()
        self.assertEqual(visit.state, "closed")

    def test_reply_needs_the_customer_address(self):
        self.customer2.user_id = self.users["sales"]
        visit = self._recorded(partner_id=self.customer2.id)
        question = visit.question_ids.with_user(self.users["quality"])
        question.write({"answer": "Yes"})
        question.action_answer()
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            visit.action_send_reply()
        self.assertEqual(question.state, "answered")

    def test_another_customers_question_is_refused(self):
        visit = self._recorded()
        other = self._recorded(self.users["quality"], partner_id=self.customer2.id, user_id=self.sales2.id)
        question = visit.question_ids
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            question.with_user(self.users["quality"]).write({"visit_id": other.id})
        with self.assertRaises(AccessError):
            other.question_ids.with_user(self.users["sales"]).write({"answer": "Not mine"})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            visit.with_user(self.users["quality"]).write({"partner_id": self.customer2.id})
        self.assertEqual(question.visit_id, visit)

    def test_role_denials(self):
        visit = self._recorded()
        with self.assertRaises(AccessError):
            visit.with_user(self.sales2).read(["name"])
        with self.assertRaises(UserError):
            self._visit(self.sales2)  # Huadong is not sales2's customer
        with self.assertRaises(AccessError):
            visit.with_user(self.users["warehouse"]).read(["name"])
        with self.assertRaises(AccessError):
            self._visit(self.users["warehouse"])
        with self.assertRaisesRegex(UserError, "not allowed"):
            visit.with_user(self.technical).action_close()
        with self.assertRaisesRegex(UserError, "not allowed to edit"):
            visit.write({"gm_comment": "Fine"})
        visit.with_user(self.users["general_manager"]).write(
            {"gm_comment": "Follow the returnable containers."}
        )
        self.assertEqual(
            visit.with_user(self.users["management_rep"]).gm_comment, "Follow the returnable containers."
        )

    def test_visits_menu_per_role(self):
        menu = self.env.ref("qms_customer.menu_qms_visits")
        for role, expected in (
            ("sales", True),
            ("quality", True),
            ("general_manager", True),
            ("management_rep", True),
            ("warehouse", False),
        ):
            with self.subTest(role=role):
                visible = self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
                self.assertEqual(menu.id in visible, expected)

    def test_no_deletion_with_history(self):
        planned = self._visit()
        visit = self._recorded()
        with self.assertRaisesRegex(UserError, "cancel it"):
            visit.unlink()
        planned.unlink()
        self.assertFalse(planned.exists())
        self.assertTrue(visit.exists())

    def test_interval_on_the_customer(self):
        with self.assertRaises(ValidationError):
            self.customer.qms_visit_interval_months = 0
        self.customer.qms_visit_interval_months = 3
        self.assertEqual(self.contact.qms_visit_interval_months, 3, "a commercial field")
        self._visit()
        self.assertEqual(self.customer.with_user(self.users["sales"]).qms_visit_count, 1)


@tagged("post_install", "-at_install")
@freeze_time("2025-03-20 04:00:00")
class TestVisitPlan(VisitCase):
    def _plan(self):
        return self.env["qms.visit"]._cron_qms_plan_visits().filtered(lambda v: v.company_id == self.company)

    def test_plan_proposes_once_and_skips_recent_visits(self):
        # Huadong was visited on 10 January; Jiangnan never.
        self._recorded(question=False)
        proposed = self._plan()
        self.assertEqual(proposed.partner_id, self.customer2)
        self.assertEqual(
            (proposed.state, proposed.visit_type, proposed.user_id), ("planned", "routine", self.sales2)
        )
        # The end of the half-year in Shanghai.
        self.assertEqual(proposed.plan_deadline, datetime(2025, 6, 30, 15, 59, 59))
        self.assertEqual(len(self._todos(proposed, self.sales2)), 1)
        self.assertFalse(self._plan(), "running it twice proposes nothing more")
        # A customer who asks for a visit every 2 months is due again.
        self.customer.qms_visit_interval_months = 2
        again = self._plan()
        self.assertEqual(again.partner_id, self.customer)
        self.assertEqual(again.plan_deadline, datetime(2025, 4, 30, 15, 59, 59))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestVisitLedger(VisitCase):
    def test_ledger_read_back(self):
        visit = self._recorded(date_planned="2025-01-09")
        wizard = (
            self.env["qms.visit.ledger.wizard"]
            .with_user(self.users["quality"])
            .with_company(self.company)
            .create({"date_from": "2025-01-01", "date_to": "2025-01-31", "company_id": self.company.id})
        )
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 1)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        values = [str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value]
        for text in (
            visit.name,
            "Huadong Auto Parts",
            "Routine Visit",
            "Can you send the salt-spray report?",
        ):
            self.assertTrue(any(text in value for value in values), text)
        self.assertIn("Met", values)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestVisitReport(HttpCase, VisitCase):
    def test_reply_renders_in_the_customers_language(self):
        self.customer.lang = "en_US"
        visit = self._recorded()
        question = visit.question_ids.with_user(self.users["quality"])
        question.write({"answer": "480 h without red rust"})
        question.action_answer()
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, visit.ids)[0].decode()
        for text in (
            visit.name,
            "Customer Opinion Reply",
            "Can you send the salt-spray report?",
            "480 h without",
        ):
            self.assertIn(text, html)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        self.customer.lang = "zh_CN"
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, visit.ids)[0].decode()
        self.assertIn("客户意见答复单", html)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF is not checked")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, res_ids=visit.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        pages = PdfReader(io.BytesIO(pdf)).pages
        self.assertEqual(len(pages), 1, "a reply to one question fits one A4 page")
        if not hasattr(pages[0], "extract_text"):
            self.skipTest("PyPDF2 < 2 cannot extract the text of a CID font")
        text = re.sub(r"\s+", "", pages[0].extract_text())
        for needle in (visit.name, "客户意见答复单", "480hwithoutredrust"):
            self.assertIn(needle, text)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintVisit(VisitCase):
    def test_visit_planned_from_the_complaint(self):
        complaint = self._complaint()
        action = complaint.with_user(self.users["quality"]).action_view_qms_visits()
        self.assertEqual(action["context"]["default_visit_type"], "complaint")
        visit = (
            self.env["qms.visit"]
            .with_user(self.users["quality"])
            .with_context(**action["context"])
            .create({"company_id": self.company.id})
        )
        self.assertEqual((visit.partner_id, visit.complaint_id), (self.customer, complaint))
        self.assertEqual(visit.user_id, self.users["sales"])
        self.assertEqual(complaint.with_user(self.users["sales"]).qms_visit_count, 1)
