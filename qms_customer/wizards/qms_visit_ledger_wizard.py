from odoo import fields, models

from ..tools.xlsx import Cell, Column

# What the column functions read, fetched with each chunk.
LEDGER_FIELDS = ["question_ids", "date_visit", "date_recorded", "record_deadline", "our_participant_ids"]


class QmsVisitLedgerWizard(models.TransientModel):
    """Visits ledger XLSX: every visit of a period with its type, participants, record and the
    customer's questions (REQUIREMENTS §9, §10)."""

    _name = "qms.visit.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Visits Ledger"

    _qms_ledger_model = "qms.visit"
    _qms_ledger_date_field = "date_planned"

    partner_ids = fields.Many2many(help="Only the visits of these customers; leave empty for every customer.")
    row_count = fields.Integer(string="Visits Exported")

    def _qms_ledger_name(self):
        return self.env._("Visits Ledger")

    def _qms_ledger_filename(self):
        return self.env._(
            "Visits ledger %(company)s %(date_from)s %(date_to)s.xlsx",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _qms_ledger_title(self):
        return self.env._("Visits ledger of %(company)s", company=self.company_id.name)

    def _qms_ledger_filters(self):
        return self.env._(
            "Planned from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Visits")

    def _qms_ledger_fields(self):
        return super()._qms_ledger_fields() + LEDGER_FIELDS

    # ------------------------------------------------------------------ columns
    def _record_result(self, visit):
        if not visit.record_deadline:
            return None
        if visit.date_recorded:
            if visit.date_recorded <= visit.record_deadline:
                return Cell(self.env._("Met"), highlight="good")
            return Cell(self.env._("Missed"), highlight="overdue")
        if visit.record_deadline < fields.Datetime.now():
            return Cell(self.env._("Missed"), highlight="overdue")
        return Cell(self.env._("Not Due Yet"))

    def _questions_column(self):
        states = dict(self.env["qms.visit.question"]._fields["state"]._description_selection(self.env))

        def questions(visit):
            lines = [
                f"{question.question} [{states[question.state]}]"
                for question in visit.question_ids
                if question.state != "cancelled"
            ]
            return "\n".join(lines) or None

        return questions

    def _qms_ledger_columns(self):
        return [
            Column("name", self.env._("Number"), width=16),
            Column("partner_id", self.env._("Customer"), width=26),
            Column("visit_type", self.env._("Visit Type"), width=18),
            Column("user_id", self.env._("Responsible"), width=14),
            Column("date_planned", self.env._("Planned On"), width=12),
            Column("plan_deadline", self.env._("Visit Due By"), width=17),
            Column("date_visit", self.env._("Visited On"), width=17),
            Column(
                lambda v: ", ".join(v.our_participant_ids.mapped("name")) or None,
                self.env._("Our Participants"),
                kind="wrap",
                width=20,
            ),
            Column("customer_participants", self.env._("Customer's Participants"), width=24),
            Column("summary", self.env._("Summary"), width=40),
            Column("customer_opinion", self.env._("Customer's Opinions"), width=30),
            Column("findings", self.env._("Audit Findings"), width=30),
            Column("suggestions", self.env._("Suggestions"), width=30),
            Column(self._questions_column(), self.env._("Customer's Questions"), kind="wrap", width=40),
            Column("record_deadline", self.env._("Record Due By"), width=17),
            Column("date_recorded", self.env._("Recorded On"), width=17),
            Column(self._record_result, self.env._("Recorded in Time"), width=12),
            Column("state", self.env._("Status"), width=12),
        ]
