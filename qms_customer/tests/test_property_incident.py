import io
import re
from contextlib import contextmanager
from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools.pdf import PdfReader

from ..tools.form_spec import form_read_spec
from .common import FRIDAY_4PM_SHANGHAI, ROLE_GROUPS, QmsCase

REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"
TODO = "mail.mail_activity_data_todo"
REPORT = "qms_customer.report_qms_property_incident"
TITLE_ZH = "顾客财产问题反馈单"


class IncidentCase(QmsCase):
    """A customer's mould in our care, registered on a sales order, and the people around it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        # The database's default language (Chinese here) would be the customer's: this one reads English.
        cls.customer.lang = "en_US"
        cls.users["sales"].name = "Liu Yang"
        cls.users["warehouse"].name = "Zhao Lei"
        cls.users["quality"].name = "Wang Fang"
        # A quality engineer as a plant creates one: Chinese, no e-mail address.
        cls.quality_zh = cls._user("qms_quality_zh", ROLE_GROUPS["quality"], lang="zh_CN")
        cls.quality_zh.name = "Sun Li"
        cls.order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.contact.id,
                    "company_id": cls.company.id,
                    "user_id": cls.users["sales"].id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 100})],
                }
            )
        )
        cls.mould = cls._held(
            sale_order_id=cls.order.id,
            title="Housing mould SH-08",
            kind="mould",
        )
        cls.mould.identification = "HD-M-0815"  # the warehouse's, on arrival

    @classmethod
    def _held(cls, user=None, state="stored", **vals):
        """Customer property as it is with us: registered by sales, then (quickly) stored."""
        values = {"partner_id": cls.customer.id, "company_id": cls.company.id, "quantity": 1}
        values.update(vals)
        prop = cls.env["qms.customer.property"].with_user(user or cls.users["sales"]).create(values)
        prop = prop.with_env(cls.env)
        prop._qms_workflow_write({"state": state})
        return prop

    @contextmanager
    def _refused(self, exception, regex):
        """A refusal that leaves nothing behind (the savepoint undoes what was written first)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _incident(self, user=None, prop=None, **vals):
        values = {
            "property_id": (prop or self.mould).id,
            "kind": "damage",
            "date_incident": "2025-01-10 06:00:00",
            "description": "Cavity 3 scratched while lifting the mould onto press 12.",
            "action_taken": "Mould taken off the press and stored apart; toolroom asked to assess.",
        }
        values.update(vals)
        Incident = self.env["qms.customer.property.incident"].with_company(self.company)
        return Incident.with_user(user or self.users["warehouse"]).create(values).with_env(self.env)

    def _answer(self, incident, user, text):
        action = incident.with_user(user).action_record_answer()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"answer": text})
        )
        return wizard.action_confirm()

    def _activities(self, record, xmlid):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _report_message(self, incident):
        return incident.message_ids.filtered(lambda m: m.message_type == "comment" and m.attachment_ids)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPropertyIncident(IncidentCase):
    def test_recorded_by_the_warehouse_reported_by_sales(self):
        sales = self.users["sales"]
        incident = self._incident()
        self.assertTrue(incident.name.startswith("CPI/"))
        self.assertEqual(
            (incident.state, incident.user_id, incident.partner_id), ("draft", sales, self.customer)
        )
        self.assertEqual(incident.sale_order_name, self.order.name)
        self.assertFalse(incident.answer_deadline)
        # The salesperson is asked, by the system, to report it to the customer.
        todo = self._activities(incident, TODO)
        self.assertEqual((todo.user_id, todo.create_uid), (sales, self.env.ref("base.user_root")))
        self.assertIn("Huadong Auto Parts", todo.summary)
        self.assertEqual(self.mould.incident_count, 1)

        self.assertFalse(sales.email)
        incident.with_user(sales).action_report()
        self.assertEqual(incident.state, "reported")
        self.assertEqual(incident.date_reported, datetime(2025, 1, 10, 8, 0))
        self.assertEqual(incident.reported_by_id, sales)
        # Five working days in Shanghai: Friday 16:00 + 40 working hours = next Friday 16:00.
        self.assertEqual(incident.answer_deadline, datetime(2025, 1, 17, 8, 0))
        self.assertEqual(incident.answer_status, "on_time")
        self.assertFalse(self._activities(incident, TODO), "the to-do to report it is done")
        self.assertEqual(self.mould.state, "stored", "a damage leaves the property where it is")

        # The problem report went to the customer by e-mail, from the company (sales has no address).
        message = self._report_message(incident)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.company.partner_id)
        self.assertIn("quality@works.example.com", message.email_from)
        self.assertIn(self.customer, message.partner_ids)
        self.assertIn("Housing mould SH-08", message.subject)
        self.assertIn("has been damaged", str(message.body))
        self.assertEqual(len(message.attachment_ids), 1)
        attachment = message.attachment_ids
        self.assertTrue(attachment.name.startswith(f"Property Problem Report - {incident.name}"))
        self.assertEqual((attachment.res_model, attachment.res_id), (incident._name, incident.id))
        self.assertIn(incident.name.encode(), attachment.raw)  # HTML in tests, the PDF in production
        notification = message.notification_ids.filtered(lambda n: n.res_partner_id == self.customer)
        self.assertEqual(notification.notification_type, "email")

    def test_reporter_with_an_email_address_is_the_author(self):
        self.users["quality"].email = "wang.fang@works.example.com"
        incident = self._incident()
        incident.with_user(self.users["quality"]).action_report()
        message = self._report_message(incident)
        self.assertEqual(message.author_id, self.users["quality"].partner_id)
        self.assertIn("wang.fang@works.example.com", message.email_from)

    def test_the_mail_is_in_the_customers_language(self):
        template = self.env.ref("qms_customer.mail_template_qms_property_incident")
        incident = self._incident()
        for lang, expected in (("zh_CN", "zh_CN"), ("en_US", "en_US"), (False, "en_US")):
            with self.subTest(lang=lang):
                self.customer.lang = lang  # none: the company's language
                self.assertEqual(template._render_lang(incident.ids)[incident.id], expected)

    def test_a_chinese_customer_reads_the_mail_in_chinese(self):
        self.customer.lang = "zh_CN"
        incident = self._incident(kind="loss", description="Not found at the inventory count.")
        incident.with_user(self.users["sales"]).action_report()
        body = str(self._report_message(incident).body)
        self.assertIn("丢失", body)
        self.assertNotIn("has been lost", body)

    def test_chinese_quality_engineer_without_email_reports(self):
        self.assertFalse(self.quality_zh.email)
        incident = self._incident(user=self.quality_zh, kind="unsuitable")
        incident.with_user(self.quality_zh).action_report()
        self.assertEqual((incident.state, incident.reported_by_id), ("reported", self.quality_zh))
        message = self._report_message(incident)
        self.assertEqual(message.author_id, self.company.partner_id)
        self.assertIn("found unsuitable for use", str(message.body))
        self._answer(incident, self.quality_zh, "客户同意修复")
        self.assertEqual(incident.state, "answered")
        note = incident.message_ids.filtered(lambda m: "客户同意修复" in (m.body or ""))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))

    def test_a_loss_marks_the_property_lost(self):
        incident = self._incident(kind="loss", description="Not found at the inventory count.")
        self.assertEqual(self.mould.state, "stored", "recorded, not yet reported")
        incident.with_user(self.users["sales"]).action_report()
        self.assertEqual(self.mould.state, "lost")
        self.assertEqual(self.mould.closing_note, "Not found at the inventory count.")
        self.assertIn("has been lost", str(self._report_message(incident).body))
        # Nothing more can be recorded for property that is gone.
        with self._refused(UserError, "not in our care"):
            self._incident()

    def test_answer_deadline_chased_by_the_cron_then_met_by_the_answer(self):
        sales, manager = self.users["sales"], self.users["quality_manager"]
        incident = self._incident()
        incident.with_user(sales).action_report()
        cron = self.env["qms.customer.property"]._cron_qms_property
        with freeze_time("2025-01-13 02:00:00"):  # Monday: on time
            cron()
            self.assertFalse(self._activities(incident, REMINDER) | self._activities(incident, ESCALATION))
        with freeze_time("2025-01-16 02:00:00"):  # a quarter of the window left: due soon
            cron()
            reminder = self._activities(incident, REMINDER)
            self.assertEqual(reminder.user_id, sales)
            self.assertEqual(incident.answer_status, "due_soon")
        with freeze_time("2025-01-20 02:00:00"):  # Monday after: overdue, escalated once
            cron()
            escalation = self._activities(incident, ESCALATION)
            self.assertEqual(escalation.user_id, manager)
            notes = incident.message_ids.filtered(lambda m: "Escalated to" in (m.body or ""))
            self.assertEqual(len(notes), 1)
            self.assertEqual(notes.author_id, self.env.ref("base.partner_root"))
            cron()  # idempotent: nothing new
            self.assertEqual(self._activities(incident, ESCALATION), escalation)
            self.assertEqual(
                len(incident.message_ids.filtered(lambda m: "Escalated to" in (m.body or ""))), 1
            )
            Incident = self.env["qms.customer.property.incident"].with_user(self.users["quality"])
            self.assertIn(incident, Incident.search([("qms_deadline_state", "=", "overdue")]))
            rows = Incident._qms_overdue_rows(self.company, datetime(2025, 1, 20, 2, 0))
            self.assertEqual([r["reference"] for r in rows], [incident.name])
            self.assertEqual(rows[0]["responsible"], "Liu Yang")

            self._answer(incident, sales, "Repair it at your cost and send us the measurement report.")
            self.assertEqual(incident.state, "answered")
            self.assertEqual(incident.date_answered, datetime(2025, 1, 20, 2, 0))
            self.assertEqual(incident.answered_by_id, sales)
            self.assertEqual(incident.answer_status, "done")
            self.assertFalse(self._activities(incident, REMINDER) | self._activities(incident, ESCALATION))
            self.assertNotIn(incident, Incident.search([("qms_deadline_state", "=", "overdue")]))
            cron()
            self.assertFalse(self._activities(incident, ESCALATION))

    def test_answer_deadline_follows_the_company_rule(self):
        self._rule("property_incident_answer").write({"number": 2, "unit": "days"})
        incident = self._incident()
        incident.with_user(self.users["sales"]).action_report()
        self.assertEqual(incident.answer_deadline, datetime(2025, 1, 12, 8, 0))

    def test_quality_closes_after_the_answer(self):
        quality = self.users["quality"]
        incident = self._incident()
        incident.with_user(quality).action_report()
        with self._refused(UserError, "Reported: you cannot close"):
            incident.with_user(quality).action_close()
        self._answer(incident, self.users["sales"], "Accepted as it is.")
        for role in ("warehouse", "sales", "technical"):
            with self.subTest(role=role), self._refused(UserError, "not allowed to close"):
                incident.with_user(self.users[role]).action_close()
        with self._refused(UserError, "not allowed to edit"):
            incident.with_user(self.users["sales"]).write({"conclusion": "Settled"})
        incident.with_user(quality).write({"conclusion": "Customer accepted the mould as it is."})
        incident.with_user(quality).action_close()
        self.assertEqual((incident.state, incident.closed_by_id), ("closed", quality))
        self.assertEqual(incident.date_closed, datetime(2025, 1, 10, 8, 0))

    def test_roles(self):
        incident = self._incident()
        technical = self.users["technical"]
        self.assertTrue(incident.with_user(technical).has_access("read"))
        self.assertFalse(incident.with_user(technical).can_report)
        with self._refused(UserError, "not allowed to report"):
            incident.with_user(technical).action_report()
        with self._refused(UserError, "not allowed to report"):
            incident.with_user(self.users["warehouse"]).action_report()
        with self._refused(AccessError, ""):
            self._incident(user=technical)
        self.assertTrue(incident.with_user(self.users["sales"]).can_report)
        self.assertEqual(incident.state, "draft")
        # The salesperson of another customer neither finds nor reads it.
        other = self.sales2
        self.assertFalse(self.env["qms.customer.property.incident"].with_user(other).search([]))
        with self.assertRaises(AccessError):
            incident.with_user(other).read(["name"])
        with self.assertRaises(AccessError):
            incident.with_user(other).action_report()
        # The warehouse never sees intellectual property, nor its incidents.
        drawings = self._held(title="Housing drawings rev. C", kind="intellectual")
        secret = self._incident(user=self.users["quality"], prop=drawings, kind="loss")
        Warehouse = self.env["qms.customer.property.incident"].with_user(self.users["warehouse"])
        self.assertEqual(Warehouse.search([]), incident)
        with self.assertRaises(AccessError):
            secret.with_user(self.users["warehouse"]).read(["name"])
        # Management reads, never writes.
        for role in ("general_manager", "management_rep"):
            with self.subTest(role=role):
                self.assertEqual(
                    incident.with_user(self.users[role]).read(["name"])[0]["name"], incident.name
                )
                with self.assertRaises(AccessError):
                    incident.with_user(self.users[role]).write({"action_taken": "x"})

    def test_bad_input(self):
        sales = self.users["sales"]
        with self._refused(UserError, "cannot have happened in the future"):
            self._incident(date_incident="2025-01-11 08:00:00")
        unreceived = self._held(title="Crates", kind="container", state="draft")
        with self._refused(UserError, "not in our care"):
            self._incident(prop=unreceived)
        incident = self._incident()
        for vals in (
            {"state": "closed"},
            {"date_answered": "2025-01-10 08:00:00"},
            {"customer_answer": "OK"},
        ):
            with self.subTest(vals=vals), self._refused(UserError, "workflow buttons"):
                incident.with_user(sales).write(vals)
        with self._refused(UserError, "workflow buttons"):
            incident.with_user(sales).write({"property_id": self._held(title="Gauge", kind="gauge").id})
        # The customer has no e-mail address: refused, nothing changed, nothing sent.
        self.customer.email = False
        with self._refused(UserError, "Huadong Auto Parts has no e-mail address"):
            incident.with_user(sales).action_report()
        self.assertEqual(incident.state, "draft")
        self.assertFalse(incident.date_reported)
        self.assertFalse(self._report_message(incident))
        # Nobody to send it from.
        self.customer.email = "quality@huadong.example.com"
        self.company.email = False
        with self._refused(UserError, "Settings › Companies"):
            incident.with_user(sales).action_report()
        self.company.email = "quality@works.example.com"
        # An answer before the report, or without text; the report twice.
        with self._refused(UserError, "Draft: you cannot record the customer's answer"):
            incident.with_user(sales).action_record_answer()
        incident.with_user(sales).action_report()
        with self._refused(UserError, "Reported: you cannot report"):
            incident.with_user(sales).action_report()
        self.assertEqual(len(self._report_message(incident)), 1)
        for text in ("", "   "):
            with self.subTest(text=text), self._refused(UserError, "Record what the customer answered"):
                incident.with_user(sales)._qms_record_answer(text)
        self.assertEqual(incident.state, "reported")
        # What the customer was told stays as it was told.
        with self._refused(UserError, "was reported to the customer"):
            incident.with_user(sales).write({"description": "Nothing happened"})
        incident.with_user(sales).write({"photo_ids": [Command.link(self._photo(sales).id)]})

    def _photo(self, user):
        return self.env["ir.attachment"].with_user(user).create({"name": "cavity.jpg", "raw": b"jpeg"})

    def test_photos_become_the_incidents(self):
        photo = self._photo(self.users["warehouse"])
        incident = self._incident(photo_ids=[Command.link(photo.id)])
        self.assertEqual((photo.res_model, photo.res_id), (incident._name, incident.id))
        # Someone else's upload cannot be taken.
        foreign = self._photo(self.users["sales"])
        with self._refused(UserError, "uploaded by someone else"):
            self._incident(photo_ids=[Command.link(foreign.id)])

    def test_cancel_a_draft(self):
        incident = self._incident()
        incident.with_user(self.users["quality"]).with_context(
            qms_cancel_reason="Recorded twice"
        ).action_cancel()
        self.assertEqual((incident.state, incident.cancel_reason), ("cancelled", "Recorded twice"))
        self.assertFalse(incident.qms_next_deadline)

    def test_protected_fields_refused_for_every_role(self):
        """As the workflow-integrity matrix checks every family: a direct write of a protected
        field is refused to every role and changes nothing."""
        incident = self._incident()
        incident.with_user(self.users["sales"]).action_report()
        names = sorted(incident._qms_protected_fields() | incident._qms_declared("_qms_fixed_fields"))
        self.assertTrue({"state", "answer_deadline", "customer_answer", "partner_id"} <= set(names))
        forged = {
            "datetime": "2099-01-01 00:00:00",
            "selection": None,
            "char": "forged",
            "text": "forged",
            "json": {"forged": {}},
        }
        before = {name: incident[name] for name in names}
        for role, user in self.users.items():
            writer = incident.with_user(user).has_access("write")
            for name in names:
                field = incident._fields[name]
                if field.type == "many2one":
                    value = (self.env[field.comodel_name].search([], limit=2) - incident[name])[:1].id
                elif field.type == "selection":
                    keys = [k for k, _l in field._description_selection(self.env)]
                    value = next(k for k in keys if k != incident[name])
                else:
                    value = forged.get(field.type)
                if value is None:
                    continue
                with self.subTest(role=role, field=name), self.assertRaises(UserError) as caught:
                    incident.with_user(user).write({name: value})
                if writer:
                    self.assertNotIsInstance(caught.exception, AccessError)
                    self.assertIn("workflow buttons", str(caught.exception))
        incident.invalidate_recordset()
        self.assertEqual({name: incident[name] for name in names}, before)

    def test_every_role_opens_the_incident_screens(self):
        incident = self._incident()
        incident.with_user(self.users["sales"]).action_report()
        wizard_fields = None
        for role, user in self.users.items():
            Incident = self.env["qms.customer.property.incident"].with_user(user)
            with self.subTest(role=role):
                views = Incident.get_views([(False, v) for v in ("list", "form", "kanban", "search")])
                self.assertEqual(set(views["views"]), {"list", "form", "kanban", "search"})
                values = incident.with_user(user).web_read(form_read_spec(Incident))[0]
                self.assertEqual(values["name"], incident.name)
                self.assertEqual(values["can_record_answer"], role in ("sales", "quality", "quality_manager"))
                groups = Incident.web_read_group([], ["state"], ["state"])["groups"]
                self.assertIn("reported", [g["state"] for g in groups])
            if role == "sales":
                Wizard = self.env["qms.customer.property.incident.answer.wizard"].with_user(user)
                wizard_fields = Wizard.get_views([(False, "form")])["models"]
        self.assertIn("qms.customer.property.incident.answer.wizard", wizard_fields)
        # The property's smart button opens the incidents of that property.
        action = self.mould.with_user(self.users["warehouse"]).action_view_incidents()
        self.assertEqual(action["domain"], [("property_id", "=", self.mould.id)])


# An HttpCase: wkhtmltopdf loads the report's CSS from this server, which sees the test's data.
@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPropertyIncidentReport(HttpCase, IncidentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        view = cls.env.ref("qms_customer.report_qms_property_incident_document")
        if TITLE_ZH not in view.with_context(lang="zh_CN").arch_db:
            # Until the module's translations have the term: the customer's language is what is tested.
            view.update_field_translations(
                "arch_db", {"zh_CN": {"Customer Property Problem Report": TITLE_ZH}}
            )

    def setUp(self):
        super().setUp()
        self.incident = self._incident(quantity=1)
        self.incident.with_user(self.users["sales"]).action_report()

    def _html(self, incidents, user=None):
        Report = self.env["ir.actions.report"].with_user(user or self.users["quality"])
        html, report_type = Report._render_qweb_html(REPORT, incidents.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def test_report_content(self):
        self.customer.lang = False  # a customer without a language reads the company's (English)
        html = self._html(self.incident)  # quality reads no sales orders: the number shows all the same
        for text in (
            "Customer Property Problem Report",
            self.incident.name,
            "Huadong Auto Parts",
            self.mould.name,
            "Housing mould SH-08",
            "HD-M-0815",
            self.order.name,
            "Damage",
            "Cavity 3 scratched",
            "stored apart",
            "Liu Yang",
            "01/10/2025",
            "3. Customer",
            "QMS Test Works",
        ):
            self.assertIn(text, html)
        self.assertNotIn(TITLE_ZH, html)

    def test_report_in_the_customers_language(self):
        self.customer.lang = "zh_CN"
        html = self._html(self.incident, user=self.users["sales"])
        self.assertIn(TITLE_ZH, html)
        self.assertNotIn("Customer Property Problem Report", html)

    def test_report_pdf_renders(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed: the PDF is not checked")
        self.customer.lang = "zh_CN"
        other = self._incident(kind="loss", description="Lost in transit")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, res_ids=(self.incident | other).ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        pages = PdfReader(io.BytesIO(pdf)).pages
        self.assertEqual(len(pages), 2, "one report per page")
        if not hasattr(pages[0], "extract_text"):
            self.skipTest("PyPDF2 < 2 cannot extract the text of a CID font")
        text = re.sub(r"\s+", "", pages[0].extract_text())
        self.assertIn(self.incident.name, text)
        self.assertIn(TITLE_ZH, text)
