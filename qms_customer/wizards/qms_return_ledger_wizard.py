from odoo import fields, models

from ..tools.xlsx import Cell, Column

# What the column functions read, fetched with each chunk (the path columns are too).
LEDGER_FIELDS = [
    "approval_ids",
    "receipt_ids",
    "line_ids",
    "date_received",
    "date_disposed",
    "disposition_deadline",
]


class QmsReturnLedgerWizard(models.TransientModel):
    """Returns ledger XLSX: every request of a period with its weight, tier, approvers, receipt
    check and disposition (REQUIREMENTS §5, §10)."""

    _name = "qms.return.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Returns Ledger"

    _qms_ledger_model = "qms.return.request"
    _qms_ledger_date_field = "date_requested"

    partner_ids = fields.Many2many(
        help="Only the returns of these customers; leave empty for every customer."
    )
    row_count = fields.Integer(string="Returns Exported")

    def _qms_ledger_name(self):
        return self.env._("Returns Ledger")

    def _qms_ledger_filename(self):
        return self.env._(
            "Returns ledger %(company)s %(date_from)s %(date_to)s.xlsx",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _qms_ledger_title(self):
        return self.env._("Returns ledger of %(company)s", company=self.company_id.name)

    def _qms_ledger_filters(self):
        return self.env._(
            "Requested from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Returns")

    def _qms_ledger_fields(self):
        return super()._qms_ledger_fields() + LEDGER_FIELDS

    # ------------------------------------------------------------------ columns
    def _labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _approvers_column(self):
        """Who decided each step, and when, in the company's time (labels looked up once)."""
        local = self.with_context(tz=self.company_id._qms_tz().zone)
        roles = self._labels("qms.return.approval", "role")
        decisions = self._labels("qms.return.approval", "decision")

        def approvers(request):
            parts = [
                f"{roles[step.role]}: {step.decided_by_id.name} {decisions[step.decision]} "
                f"{fields.Datetime.context_timestamp(local, step.date_decided):%Y-%m-%d %H:%M}"
                for step in request.approval_ids
                if step.decision in ("approved", "rejected")
            ]
            return "\n".join(parts) or None

        return approvers

    def _receipt_check_column(self):
        states = self._labels("stock.picking", "qms_check_state")

        def receipt_check(request):
            checks = [
                f"{states.get(p.qms_check_state, '')} {p.qms_check_weight:g} kg"
                for p in request.receipt_ids
                if p.qms_check_state
            ]
            return "\n".join(checks) or None

        return receipt_check

    def _disposed(self, field):
        return lambda request: sum(request.line_ids.mapped(field)) if request.date_disposed else None

    def _disposition_result(self, request):
        if not request.disposition_deadline:
            return None
        if request.date_disposed:
            if request.date_disposed <= request.disposition_deadline:
                return Cell(self.env._("Met"), highlight="good")
            return Cell(self.env._("Missed"), highlight="overdue")
        if request.disposition_deadline < fields.Datetime.now():
            return Cell(self.env._("Missed"), highlight="overdue")
        return Cell(self.env._("Not Due Yet"))

    def _qms_ledger_columns(self):
        return [
            Column("name", self.env._("Reference"), width=16),
            Column("date_requested", self.env._("Requested On"), width=17),
            Column("partner_id", self.env._("Customer"), width=26),
            Column("kind", self.env._("Kind"), width=14),
            Column("complaint_id.name", self.env._("Complaint"), width=16),
            Column("user_id", self.env._("Sales Responsible"), width=14),
            Column("total_weight", self.env._("Total Weight (kg)"), kind="number", digits=3, width=12),
            Column("approval_tier", self.env._("Approval Tier"), width=16),
            Column("new_customer", self.env._("New Customer"), width=9),
            Column("new_product", self.env._("New Product"), width=9),
            Column(self._approvers_column(), self.env._("Approvers"), kind="wrap", width=40),
            Column("state", self.env._("Status"), width=12),
            Column("date_received", self.env._("Received On"), width=17),
            Column(self._receipt_check_column(), self.env._("Receipt Check"), kind="wrap", width=16),
            Column("inspection_result", self.env._("Inspection"), width=14),
            Column(self._disposed("qty_rework"), self.env._("Rework"), kind="number", digits=2, width=9),
            Column(self._disposed("qty_scrap"), self.env._("Scrap"), kind="number", digits=2, width=9),
            Column(
                self._disposed("qty_concession"), self.env._("Concession"), kind="number", digits=2, width=9
            ),
            Column(
                self._disposed("qty_supplier"),
                self.env._("Back to Supplier"),
                kind="number",
                digits=2,
                width=9,
            ),
            Column("disposition_deadline", self.env._("Disposition Due On"), width=17),
            Column("date_disposed", self.env._("Disposed On"), width=17),
            Column(
                lambda r: r.days_to_dispose if r.date_disposed else None,
                self.env._("Days to Dispose"),
                kind="number",
                digits=1,
                width=9,
            ),
            Column(self._disposition_result, self.env._("Disposed in Time"), width=12),
        ]
