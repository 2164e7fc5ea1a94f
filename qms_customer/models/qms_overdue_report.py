import io
import logging

import pytz

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

try:
    import xlsxwriter
except ImportError:  # pragma: no cover - declared in external_dependencies
    xlsxwriter = None


class QmsOverdueReport(models.AbstractModel):
    """Builds the overdue report (XLSX) from every family that uses the deadline engine."""

    _name = "qms.overdue.report"
    _description = "QMS Overdue Report"

    def _columns(self):
        return [
            ("family", self.env._("Type"), 22),
            ("reference", self.env._("Reference"), 20),
            ("customer", self.env._("Customer"), 30),
            ("deadline_name", self.env._("Deadline"), 26),
            ("deadline", self.env._("Due On"), 18),
            ("days_overdue", self.env._("Days Overdue"), 13),
            ("responsible", self.env._("Responsible"), 20),
            ("state", self.env._("Status"), 14),
        ]

    @api.model
    def _rows(self, company, now=None):
        now = now or fields.Datetime.now()
        rows = []
        mixin = self.env["qms.deadline.mixin"]
        for model in mixin._qms_overdue_models():
            # One family's fault must not cost every family its report: logged, the others reported.
            try:
                with self.env.cr.savepoint():
                    rows += self.env[model].with_company(company)._qms_overdue_rows(company, now)
            except Exception:
                _logger.exception("QMS overdue report: the rows of %s failed and are left out", model)
        return sorted(rows, key=lambda row: row["deadline"])

    @api.model
    def _build_xlsx(self, company, now=None):
        """(xlsx bytes, row count) of the items overdue in ``company`` at ``now``."""
        rows = self._rows(company, now)
        tz = pytz.timezone(company.resource_calendar_id.tz or self.env.user.tz or "UTC")
        output = io.BytesIO()
        # constant_memory streams rows to disk, so thousands of rows cost no memory.
        book = xlsxwriter.Workbook(output, {"constant_memory": True})
        sheet = book.add_worksheet(self.env._("Overdue"))
        title = book.add_format({"bold": True, "font_size": 14})
        head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd hh:mm", "border": 1})
        cell = book.add_format({"border": 1})
        late = book.add_format({"border": 1, "font_color": "#C00000", "num_format": "0.0"})
        columns = self._columns()
        sheet.write(0, 0, self.env._("Overdue items of %(company)s", company=company.name), title)
        sheet.write(
            1, 0, self.env._("As of %(date)s", date=fields.Datetime.to_string(now or fields.Datetime.now()))
        )
        for col, (_key, label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(3, col, label, head)
        for index, row in enumerate(rows, start=4):
            for col, (key, _label, _width) in enumerate(columns):
                value = row[key]
                if key == "deadline":
                    local = pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None)
                    sheet.write_datetime(index, col, local, date_fmt)
                elif key == "days_overdue":
                    sheet.write_number(index, col, value, late)
                else:
                    sheet.write(index, col, value, cell)
        book.close()
        return output.getvalue(), len(rows)

    @api.model
    def _cron_send_overdue_report(self):
        """E-mail each company's overdue report to its quality managers."""
        template = self.env.ref("qms_customer.mail_template_qms_overdue_report")
        group = self.env.ref("qms_customer.group_qms_quality_manager").sudo()
        for company in group.users.company_ids:
            managers = company._qms_quality_managers().filtered("email")
            if not managers:
                _logger.info("QMS overdue report: no quality manager with e-mail in %s", company.name)
                continue
            lang = managers[0].lang or company.partner_id.lang
            report = self.with_context(lang=lang).with_company(company)
            data, count = report._build_xlsx(company)
            if not count:
                continue
            attachment = self.env["ir.attachment"].create(
                {
                    "name": report._filename(company),
                    "raw": data,
                    "res_model": "res.company",
                    "res_id": company.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
            template.with_context(lang=lang, qms_overdue_count=count).send_mail(
                company.id,
                email_values={
                    "recipient_ids": [(6, 0, managers.partner_id.ids)],
                    "attachment_ids": [(4, attachment.id)],
                },
            )

    @api.model
    def _filename(self, company):
        today = fields.Date.context_today(self)
        return self.env._("Overdue report %(company)s %(date)s.xlsx", company=company.name, date=today)
