import statistics
from datetime import timedelta

from odoo import api, fields, models

from ..tools.xlsx import Cell, Column

MET, MISSED, PENDING = "met", "missed", "pending"

# What the column functions and the KPIs read, fetched with each chunk (the path columns are too).
LEDGER_FIELDS = [
    "date_received",
    "state",
    "qms_defect_rate",
    "requires_8d",
    "eightd_step",
    "cost_total",
    "date_closed",
    "recurrence_of_id",
]


class QmsComplaintLedgerWizard(models.TransientModel):
    """Complaint ledger XLSX: every complaint of a period with its KPIs."""

    _name = "qms.complaint.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Complaint Ledger Export"

    _qms_ledger_model = "qms.complaint"
    _qms_ledger_date_field = "date_received"

    partner_ids = fields.Many2many(
        help="Only the complaints of these customers; leave empty for every customer."
    )
    state_filter = fields.Selection(
        [
            ("all", "All"),
            ("open", "Open"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="all",
        help="Open: neither closed nor cancelled.",
    )
    row_count = fields.Integer(string="Complaints Exported")

    # ------------------------------------------------------------------ names
    def _qms_ledger_name(self):
        return self.env._("Complaint Ledger")

    def _qms_ledger_filename(self):
        return self.env._(
            "Complaint ledger %(company)s %(date_from)s %(date_to)s.xlsx",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _qms_ledger_title(self):
        return self.env._("Complaint ledger of %(company)s", company=self.company_id.name)

    def _qms_ledger_filters(self):
        return self.env._(
            "Received from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Complaints")

    # ------------------------------------------------------------------ data
    def _qms_ledger_domain(self):
        domain = super()._qms_ledger_domain()
        if self.state_filter == "open":
            domain.append(("state", "not in", ("closed", "cancelled")))
        elif self.state_filter in ("closed", "cancelled"):
            domain.append(("state", "=", self.state_filter))
        return domain

    def _qms_ledger_fields(self):
        specs = self.env["qms.complaint"]._qms_specs()
        return super()._qms_ledger_fields() + LEDGER_FIELDS + [n for s in specs for n in (s.deadline, s.done)]

    @api.model
    def _deadline_result(self, complaint, spec, now):
        """Met, missed or pending (not due yet) for one deadline of a complaint; False if it has none.

        A cancelled complaint no longer chases the deadlines it did not meet: they count as none.
        """
        deadline, done = complaint[spec.deadline], complaint[spec.done]
        if not deadline:
            return False
        if done:
            return MET if done <= deadline else MISSED
        if complaint.state == "cancelled":
            return False
        return MISSED if deadline < now else PENDING

    @api.model
    def _days_to_close(self, complaint):
        if not complaint.date_closed:
            return None
        return (complaint.date_closed - complaint.date_received) / timedelta(days=1)

    def _kpi_add(self, acc, complaints, specs, now):
        """Add a chunk of complaints to the KPI totals (plain values only: the chunk's records go)."""
        for complaint in complaints:
            for spec in specs:
                result = self._deadline_result(complaint, spec, now)
                if result in (MET, MISSED):
                    acc["on_time"][spec][result] += 1
            days_to_close = self._days_to_close(complaint)
            if complaint.state == "closed" and days_to_close is not None:
                acc["closed"].append(days_to_close)
            if complaint.state != "cancelled":
                acc["counted"] += 1
                acc["recurrences"] += bool(complaint.recurrence_of_id)
            count, cost = acc["customers"].get(complaint.partner_id.id, (0, 0.0))
            acc["customers"][complaint.partner_id.id] = (count + 1, cost + complaint.cost_total)

    def _kpis(self, acc, specs):
        """On-time counts per deadline, days to close, recurrences and cost per customer."""
        closed, counted = acc["closed"], acc["counted"]
        partners = self.env["res.partner"].browse(list(acc["customers"]))  # one prefetch set
        customers = [(partner, acc["customers"][partner.id]) for partner in partners]
        return {
            "on_time": [(spec, acc["on_time"][spec][MET], acc["on_time"][spec][MISSED]) for spec in specs],
            "closed": len(closed),
            "mean": round(statistics.fmean(closed), 1) if closed else None,
            "median": round(statistics.median(closed), 1) if closed else None,
            "recurrences": acc["recurrences"],
            "counted": counted,
            "recurrence_rate": round(acc["recurrences"] / counted, 4) if counted else None,
            "customers": sorted(customers, key=lambda item: (-item[1][1], item[0].display_name or "")),
        }

    # ------------------------------------------------------------------ XLSX
    def _deadline_label(self, spec):
        return self.env["qms.complaint"]._qms_deadline_label(spec)

    def _complaint_columns(self, specs, now):
        """The complaint sheet; a met / missed / pending column per deadline spec."""
        currency = self.company_id.currency_id.name
        eightd = dict(self.env["qms.complaint"]._fields["eightd_step"]._description_selection(self.env))
        results = {
            MET: Cell(self.env._("Met"), highlight="good"),
            MISSED: Cell(self.env._("Missed"), highlight="overdue"),
            PENDING: Cell(self.env._("Not Due Yet")),
            False: None,
        }

        def deadline_column(spec):
            return Column(
                lambda complaint: results[self._deadline_result(complaint, spec, now)],
                self._deadline_label(spec),
                width=13,
            )

        return [
            Column("name", self.env._("Reference"), width=16),
            Column("date_received", self.env._("Received On"), width=17),
            Column("partner_id", self.env._("Customer"), width=28),
            Column("product_id", self.env._("Product"), width=24),
            Column("severity", self.env._("Severity"), width=11),
            Column("urgency", self.env._("Urgency"), width=9),
            Column("state", self.env._("Status"), width=12),
            Column(
                lambda complaint: complaint.qms_defect_rate * 1000,
                self.env._("Defect Rate (‰)"),
                kind="number",
                digits=2,
                width=10,
            ),
            Column("alarm_level", self.env._("Alarm Level"), width=16),
            Column("written_reply_deadline", self.env._("Written Reply Due On"), width=17),
            Column("closure_deadline", self.env._("Closure Due On"), width=17),
            *(deadline_column(spec) for spec in specs),
            Column(
                lambda complaint: eightd.get(complaint.eightd_step) if complaint.requires_8d else None,
                self.env._("8D Status"),
                width=16,
            ),
            Column("cause_category", self.env._("Cause Category"), width=14),
            Column("responsibility", self.env._("Responsibility"), width=18),
            Column("responsible_department_id", self.env._("Responsible Department"), width=18),
            Column("cost_total", self.env._("Quality Cost (%(currency)s)", currency=currency), width=13),
            Column(self._days_to_close, self.env._("Days to Close"), kind="number", digits=1, width=9),
            Column("recurrence_of_id.name", self.env._("Recurrence Of"), width=16),
            Column("customer_closure_confirmed", self.env._("Closure Confirmed by Customer"), width=12),
        ]

    def _qms_ledger_columns(self):
        return self._complaint_columns(self.env["qms.complaint"]._qms_specs(), fields.Datetime.now())

    def _qms_ledger_write(self, builder):
        """The complaint sheet and, from the same pass over the complaints, the KPI sheet."""
        now = fields.Datetime.now()
        specs = self.env["qms.complaint"]._qms_specs()
        acc = {
            "on_time": {spec: {MET: 0, MISSED: 0} for spec in specs},
            "closed": [],
            "counted": 0,
            "recurrences": 0,
            "customers": {},
        }
        columns = self._qms_ledger_xlsx_columns(self._complaint_columns(specs, now))

        def complaints():
            for chunk in self._qms_ledger_chunks(columns):
                self._kpi_add(acc, chunk, specs, now)
                yield from chunk

        count = self._qms_ledger_sheet(builder, columns, complaints())
        self._write_kpis(builder, self._kpis(acc, specs))
        return count

    def _write_kpis(self, builder, kpis):
        sheet = builder.add_sheet(self.env._("KPIs"))
        sheet.widths([34, 14, 14, 14, 14])
        sheet.title(
            self.env._("Complaint KPIs of %(company)s", company=self.company_id.name),
            self._qms_ledger_filters(),
        )
        table = {"freeze": False, "autofilter": False}
        sheet.table(
            [
                Column(lambda row: self._deadline_label(row[0]), self.env._("Deadline")),
                Column(lambda row: row[1], self.env._("Met"), kind="integer"),
                Column(lambda row: row[2], self.env._("Missed"), kind="integer"),
                Column(lambda row: row[1] + row[2], self.env._("Decided"), kind="integer"),
                Column(
                    lambda row: round(row[1] / (row[1] + row[2]), 4) if row[1] + row[2] else None,
                    self.env._("On-time Rate"),
                    kind="percent",
                ),
            ],
            kpis["on_time"],
            **table,
        )
        figures = [
            (self.env._("Closed Complaints"), kpis["closed"], "integer"),
            (self.env._("Mean Days to Close"), kpis["mean"], "number"),
            (self.env._("Median Days to Close"), kpis["median"], "number"),
            (self.env._("Complaints (Not Cancelled)"), kpis["counted"], "integer"),
            (self.env._("Recurrences"), kpis["recurrences"], "integer"),
            (self.env._("Recurrence Rate"), kpis["recurrence_rate"], "percent"),
        ]
        sheet.table(
            [
                Column(lambda row: row[0], self.env._("Figure")),
                Column(lambda row: Cell(row[1], kind=row[2]), self.env._("Value"), digits=1),
            ],
            figures,
            **table,
        )
        currency = self.company_id.currency_id
        customers = [(partner.display_name, count, cost) for partner, (count, cost) in kpis["customers"]]
        total = (
            Cell(self.env._("Total"), highlight="bold"),
            sum(row[1] for row in customers),
            Cell(currency.round(sum(row[2] for row in customers)), highlight="bold"),
        )
        sheet.table(
            [
                Column(lambda row: row[0], self.env._("Customer")),
                Column(lambda row: row[1], self.env._("Complaints"), kind="integer"),
                Column(
                    lambda row: row[2],
                    self.env._("Quality Cost (%(currency)s)", currency=currency.name),
                    kind="money",
                ),
            ],
            [*customers, total],
            **table,
        )
