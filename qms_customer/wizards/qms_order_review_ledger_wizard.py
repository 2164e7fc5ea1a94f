from odoo import fields, models

from ..tools.xlsx import Cell, Column

# What the column functions read, fetched with each chunk.
LEDGER_FIELDS = [
    "date_requested",
    "date_done",
    "production_result",
    "purchasing_result",
    "gm_result",
    "req_product_spec",
    "req_quantity",
    "req_order_date",
    "req_delivery_date",
    "req_after_sales",
    "req_laws",
    "req_standards",
    "req_special_characteristics",
    "oral_order",
    "oral_confirmed",
    "capability_confirmed",
    "differences_resolved",
]
RESULT_HIGHLIGHT = {"approved": "good", "rejected": "overdue"}


class QmsOrderReviewLedgerWizard(models.TransientModel):
    """The contract review ledger (合同评审记录): one line per review round of the period, with the
    order, the customer, the contract type, the requirements checked, each department's result and
    date, the general manager's approval and the cycle time (seed 000 §4.3)."""

    _name = "qms.order.review.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Order Review Ledger"

    _qms_ledger_model = "qms.order.review"
    _qms_ledger_date_field = "date_requested"

    partner_ids = fields.Many2many(
        help="Only the reviews of these customers; leave empty for every customer."
    )
    row_count = fields.Integer(string="Reviews Exported")

    def _qms_ledger_name(self):
        return self.env._("Order Review Ledger")

    def _qms_ledger_filters(self):
        return self.env._(
            "Requested from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Order Reviews")

    def _qms_ledger_fields(self):
        return super()._qms_ledger_fields() + LEDGER_FIELDS

    # ------------------------------------------------------------------ columns
    def _result(self, prefix):
        field = self.env["qms.order.review"]._fields[f"{prefix}_result"]
        labels = dict(field._description_selection(self.env))

        def value(review):
            result = review[f"{prefix}_result"]
            return Cell(labels[result], highlight=RESULT_HIGHLIGHT[result]) if result else None

        return value

    def _requirements(self, review):
        """The checks ticked, in words; a regular contract is reviewed by its data."""
        if review.review_type == "regular" and not review.production_result:
            return self.env._(
                "Regular contract: standard products in stock or in plan, price and payment stated"
            )
        names = [
            name
            for name in LEDGER_FIELDS
            if name.startswith(("req_", "oral_confirmed", "capability", "differences")) and review[name]
        ]
        return "; ".join(review._fields[name]._description_string(self.env) for name in names) or None

    def _cycle(self, review):
        return review.cycle_days if review.date_done else None

    def _qms_ledger_columns(self):
        return [
            Column("name", width=16),
            Column("date_requested", width=17),
            Column("order_name", self.env._("Sales Order"), width=14),
            Column("partner_id", width=26),
            Column("user_id", width=14),
            Column("review_type", width=14),
            Column(self._requirements, self.env._("Requirements Checked"), kind="wrap", width=50),
            Column("change_summary", width=40),
            Column(self._result("production"), self.env._("Production Review"), width=12),
            Column("production_by_id", width=14),
            Column("production_date", width=17),
            Column(self._result("purchasing"), self.env._("Purchasing Review"), width=12),
            Column("purchasing_by_id", width=14),
            Column("purchasing_date", width=17),
            Column(self._result("gm"), self.env._("General Manager's Approval"), width=12),
            Column("gm_by_id", width=14),
            Column("gm_date", width=17),
            Column("reject_reason", width=30),
            Column(self._cycle, self.env._("Cycle Time (Days)"), kind="number", width=12, digits=2),
            Column("state", width=16),
        ]
