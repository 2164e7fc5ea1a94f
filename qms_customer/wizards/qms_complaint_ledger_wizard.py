import statistics
import tempfile
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools.download import store_file

try:
    import xlsxwriter
except ImportError:  # pragma: no cover - declared in external_dependencies
    xlsxwriter = None

MET, MISSED, PENDING = "met", "missed", "pending"

# The complaint fields the ledger reads, fetched in one query for the whole selection.
LEDGER_FIELDS = [
    "name",
    "date_received",
    "partner_id",
    "product_id",
    "severity",
    "urgency",
    "state",
    "qms_defect_rate",
    "alarm_level",
    "requires_8d",
    "eightd_step",
    "cause_category",
    "responsibility",
    "responsible_department_id",
    "cost_total",
    "date_closed",
    "recurrence_of_id",
    "customer_closure_confirmed",
]


class QmsComplaintLedgerWizard(models.TransientModel):
    """Complaint ledger XLSX: every complaint of a period with its KPIs."""

    _name = "qms.complaint.ledger.wizard"
    _description = "Complaint Ledger Export"

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    date_from = fields.Date(string="From", required=True, default=lambda s: s._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda s: s._default_date_to())
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('parent_id', '=', False)]",
        help="Only the complaints of these customers; leave empty for every customer.",
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
    file_data = fields.Binary(string="File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)
    row_count = fields.Integer(string="Complaints Exported", readonly=True)

    # ------------------------------------------------------------------ defaults
    def _default_date_to(self):
        return self.env.company._qms_local_today()

    def _default_date_from(self):
        return self._default_date_to().replace(month=1, day=1)

    # ------------------------------------------------------------------ action
    def action_generate(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The start of the period must not be after its end."))
        wizard = self.with_company(self.company_id)
        data, count = wizard._build_xlsx()
        self.write({"file_name": wizard._filename(), "row_count": count})
        return {
            "type": "ir.actions.act_url",
            "url": store_file(self, "file_data", data, self.file_name),
            "target": "self",
            "name": self.env._("Complaint Ledger"),
        }

    def _filename(self):
        return self.env._(
            "Complaint ledger %(company)s %(date_from)s %(date_to)s.xlsx",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    # ------------------------------------------------------------------ data
    def _domain(self):
        company = self.company_id
        domain = [
            ("company_id", "=", company.id),
            ("date_received", ">=", company._qms_local_to_utc(self.date_from)),
            ("date_received", "<", company._qms_local_to_utc(self.date_to + timedelta(days=1))),
        ]
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.commercial_partner_id.ids))
        if self.state_filter == "open":
            domain.append(("state", "not in", ("closed", "cancelled")))
        elif self.state_filter in ("closed", "cancelled"):
            domain.append(("state", "=", self.state_filter))
        return domain

    _ledger_chunk = 1000

    def _complaint_chunks(self):
        """The complaints of the selection in chunks, each with every column the ledger needs in
        one query per model; the cache is emptied between chunks, so 100 000 complaints cost the
        memory of one chunk."""
        Complaint = self.env["qms.complaint"].with_company(self.company_id)
        specs = Complaint._qms_specs()
        names = list(dict.fromkeys(LEDGER_FIELDS + [n for spec in specs for n in (spec.deadline, spec.done)]))
        ids = Complaint.search(self._domain(), order="date_received, id").ids
        for chunk in split_every(self._ledger_chunk, ids):
            complaints = Complaint.browse(chunk)
            complaints.fetch(names)
            complaints.partner_id.mapped("display_name")
            complaints.product_id.mapped("display_name")
            complaints.responsible_department_id.mapped("display_name")
            complaints.recurrence_of_id.mapped("name")
            yield complaints
            self.env.invalidate_all()

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

    def _rows(self, complaints, now):
        specs = complaints._qms_specs()
        return [
            {
                "complaint": complaint,
                "deadlines": {spec: self._deadline_result(complaint, spec, now) for spec in specs},
                "days_to_close": self._days_to_close(complaint),
            }
            for complaint in complaints
        ]

    def _kpi_add(self, acc, rows, specs):
        """Add a chunk of rows to the KPI totals (plain values only: the chunk's records go)."""
        for row in rows:
            complaint = row["complaint"]
            for spec in specs:
                result = row["deadlines"][spec]
                if result in (MET, MISSED):
                    acc["on_time"][spec][result] += 1
            if complaint.state == "closed" and row["days_to_close"] is not None:
                acc["closed"].append(row["days_to_close"])
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
    def _labels(self, field):
        return dict(self.env["qms.complaint"]._fields[field]._description_selection(self.env))

    def _deadline_label(self, spec):
        return self.env["qms.complaint"]._qms_deadline_label(spec)

    def _build_xlsx(self, now=None):
        """(xlsx bytes, complaint count) of the ledger of this selection."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        specs = self.env["qms.complaint"]._qms_specs()
        acc = {
            "on_time": {spec: {MET: 0, MISSED: 0} for spec in specs},
            "closed": [],
            "counted": 0,
            "recurrences": 0,
            "customers": {},
        }

        def chunks():
            for complaints in self._complaint_chunks():
                rows = self._rows(complaints, now)
                self._kpi_add(acc, rows, specs)
                yield rows

        # The workbook is assembled on disk, not in a second in-memory copy; constant_memory
        # streams the rows to disk too, so 100 000 complaints cost the memory of one chunk.
        with tempfile.TemporaryFile() as output:
            book = xlsxwriter.Workbook(output, {"constant_memory": True})
            formats = self._formats(book)
            count = self._write_complaints(book, formats, chunks(), specs)
            self._write_kpis(book, formats, self._kpis(acc, specs))
            book.close()
            output.seek(0)
            return output.read(), count

    def _formats(self, book):
        currency = self.company_id.currency_id
        money = "#,##0." + "0" * currency.decimal_places if currency.decimal_places else "#,##0"
        return {
            "title": book.add_format({"bold": True, "font_size": 14}),
            "head": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}),
            "cell": book.add_format({"border": 1}),
            "bold": book.add_format({"bold": True, "border": 1}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm", "border": 1}),
            "decimal": book.add_format({"num_format": "0.0", "border": 1}),
            "permille": book.add_format({"num_format": "0.00", "border": 1}),
            "percent": book.add_format({"num_format": "0.0%", "border": 1}),
            "integer": book.add_format({"num_format": "0", "border": 1}),
            "money": book.add_format({"num_format": money, "border": 1}),
            "money_bold": book.add_format({"num_format": money, "border": 1, "bold": True}),
            MET: book.add_format({"border": 1, "font_color": "#006100", "bg_color": "#C6EFCE"}),
            MISSED: book.add_format({"border": 1, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
            PENDING: book.add_format({"border": 1}),
        }

    def _header(self, sheet, formats, title):
        sheet.write(0, 0, title, formats["title"])
        sheet.write(
            1,
            0,
            self.env._(
                "Received from %(date_from)s to %(date_to)s",
                date_from=fields.Date.to_string(self.date_from),
                date_to=fields.Date.to_string(self.date_to),
            ),
        )

    def _complaint_columns(self, specs):
        """(key, header, width) of the complaint sheet; a deadline column per deadline spec."""
        currency = self.company_id.currency_id.name
        columns = [
            ("name", self.env._("Reference"), 16),
            ("date_received", self.env._("Received On"), 17),
            ("partner", self.env._("Customer"), 28),
            ("product", self.env._("Product"), 24),
            ("severity", self.env._("Severity"), 11),
            ("urgency", self.env._("Urgency"), 9),
            ("state", self.env._("Status"), 12),
            ("defect_rate", self.env._("Defect Rate (‰)"), 10),
            ("alarm_level", self.env._("Alarm Level"), 16),
            ("written_reply_deadline", self.env._("Written Reply Due On"), 17),
            ("closure_deadline", self.env._("Closure Due On"), 17),
        ]
        columns += [(spec, self._deadline_label(spec), 13) for spec in specs]
        columns += [
            ("eightd_step", self.env._("8D Status"), 16),
            ("cause_category", self.env._("Cause Category"), 14),
            ("responsibility", self.env._("Responsibility"), 18),
            ("department", self.env._("Responsible Department"), 18),
            ("cost", self.env._("Quality Cost (%(currency)s)", currency=currency), 13),
            ("days_to_close", self.env._("Days to Close"), 9),
            ("recurrence_of", self.env._("Recurrence Of"), 16),
            ("closure_confirmed", self.env._("Closure Confirmed by Customer"), 12),
        ]
        return columns

    def _write_complaints(self, book, formats, chunks, specs):
        """Write the complaint sheet from chunks of rows; return the number of complaints."""
        sheet = book.add_worksheet(self.env._("Complaints"))
        tz = self.company_id._qms_tz()
        labels = {
            name: self._labels(name)
            for name in ("severity", "urgency", "state", "alarm_level", "eightd_step")
            + ("cause_category", "responsibility")
        }
        results = {MET: self.env._("Met"), MISSED: self.env._("Missed"), PENDING: self.env._("Pending")}
        yes_no = {True: self.env._("Yes"), False: self.env._("No")}

        def local(value):
            return pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None) if value else None

        columns = self._complaint_columns(specs)
        self._header(
            sheet, formats, self.env._("Complaint ledger of %(company)s", company=self.company_id.name)
        )
        for col, (_key, label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(3, col, label, formats["head"])
        sheet.freeze_panes(4, 1)
        index = 3
        for row in (row for rows in chunks for row in rows):
            index += 1
            complaint = row["complaint"]
            values = {
                "name": (complaint.name, formats["cell"]),
                "date_received": (local(complaint.date_received), formats["datetime"]),
                "partner": (complaint.partner_id.display_name, formats["cell"]),
                "product": (complaint.product_id.display_name, formats["cell"]),
                "severity": (labels["severity"].get(complaint.severity), formats["cell"]),
                "urgency": (labels["urgency"].get(complaint.urgency), formats["cell"]),
                "state": (labels["state"].get(complaint.state), formats["cell"]),
                "defect_rate": (round(complaint.qms_defect_rate * 1000, 2), formats["permille"]),
                "alarm_level": (labels["alarm_level"].get(complaint.alarm_level), formats["cell"]),
                "written_reply_deadline": (local(complaint.written_reply_deadline), formats["datetime"]),
                "closure_deadline": (local(complaint.closure_deadline), formats["datetime"]),
                "eightd_step": (
                    labels["eightd_step"].get(complaint.eightd_step) if complaint.requires_8d else None,
                    formats["cell"],
                ),
                "cause_category": (labels["cause_category"].get(complaint.cause_category), formats["cell"]),
                "responsibility": (labels["responsibility"].get(complaint.responsibility), formats["cell"]),
                "department": (complaint.responsible_department_id.display_name, formats["cell"]),
                "cost": (complaint.cost_total, formats["money"]),
                "days_to_close": (
                    None if row["days_to_close"] is None else round(row["days_to_close"], 1),
                    formats["decimal"],
                ),
                "recurrence_of": (complaint.recurrence_of_id.name, formats["cell"]),
                "closure_confirmed": (yes_no[bool(complaint.customer_closure_confirmed)], formats["cell"]),
            }
            for spec, result in row["deadlines"].items():
                values[spec] = (results.get(result), formats[result] if result else formats["cell"])
            for col, (key, _label, _width) in enumerate(columns):
                value, cell_format = values[key]
                if value is None or value is False:
                    sheet.write_blank(index, col, None, cell_format)
                elif key in ("date_received", "written_reply_deadline", "closure_deadline"):
                    sheet.write_datetime(index, col, value, cell_format)
                else:
                    sheet.write(index, col, value, cell_format)
        if index > 3:
            sheet.autofilter(3, 0, index, len(columns) - 1)
        return index - 3

    def _write_kpis(self, book, formats, kpis):
        sheet = book.add_worksheet(self.env._("KPIs"))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 4, 14)
        self._header(
            sheet, formats, self.env._("Complaint KPIs of %(company)s", company=self.company_id.name)
        )
        line = 3
        for col, label in enumerate(
            (
                self.env._("Deadline"),
                self.env._("Met"),
                self.env._("Missed"),
                self.env._("Decided"),
                self.env._("On-time Rate"),
            )
        ):
            sheet.write(line, col, label, formats["head"])
        for spec, met, missed in kpis["on_time"]:
            line += 1
            sheet.write(line, 0, self._deadline_label(spec), formats["cell"])
            sheet.write_number(line, 1, met, formats["integer"])
            sheet.write_number(line, 2, missed, formats["integer"])
            sheet.write_number(line, 3, met + missed, formats["integer"])
            if met + missed:
                sheet.write_number(line, 4, round(met / (met + missed), 4), formats["percent"])
            else:
                sheet.write_blank(line, 4, None, formats["percent"])

        line += 2
        sheet.write(line, 0, self.env._("Figure"), formats["head"])
        sheet.write(line, 1, self.env._("Value"), formats["head"])
        figures = [
            (self.env._("Closed Complaints"), kpis["closed"], formats["integer"]),
            (self.env._("Mean Days to Close"), kpis["mean"], formats["decimal"]),
            (self.env._("Median Days to Close"), kpis["median"], formats["decimal"]),
            (self.env._("Complaints (Not Cancelled)"), kpis["counted"], formats["integer"]),
            (self.env._("Recurrences"), kpis["recurrences"], formats["integer"]),
            (self.env._("Recurrence Rate"), kpis["recurrence_rate"], formats["percent"]),
        ]
        for label, value, cell_format in figures:
            line += 1
            sheet.write(line, 0, label, formats["cell"])
            if value is None:
                sheet.write_blank(line, 1, None, cell_format)
            else:
                sheet.write_number(line, 1, value, cell_format)

        line += 2
        currency = self.company_id.currency_id.name
        heads = (
            self.env._("Customer"),
            self.env._("Complaints"),
            self.env._("Quality Cost (%(currency)s)", currency=currency),
        )
        for col, label in enumerate(heads):
            sheet.write(line, col, label, formats["head"])
        total_count, total_cost = 0, 0.0
        for partner, (count, cost) in kpis["customers"]:
            line += 1
            sheet.write(line, 0, partner.display_name, formats["cell"])
            sheet.write_number(line, 1, count, formats["integer"])
            sheet.write_number(line, 2, cost, formats["money"])
            total_count, total_cost = total_count + count, total_cost + cost
        line += 1
        sheet.write(line, 0, self.env._("Total"), formats["bold"])
        sheet.write_number(line, 1, total_count, formats["integer"])
        sheet.write_number(line, 2, self.company_id.currency_id.round(total_cost), formats["money_bold"])
