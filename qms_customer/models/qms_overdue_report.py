import logging

import pytz

from odoo import api, fields, models

from ..tools.xlsx import Column, XlsxBuilder

_logger = logging.getLogger(__name__)


class QmsOverdueReport(models.AbstractModel):
    """Builds the overdue report (XLSX) from every family that uses the deadline engine."""

    _name = "qms.overdue.report"
    _description = "QMS Overdue Report"

    def _columns(self):
        return [
            Column("family", self.env._("Type"), width=22),
            Column("reference", self.env._("Reference"), width=20),
            Column("customer", self.env._("Customer"), width=30),
            Column("deadline_name", self.env._("Deadline"), width=26),
            Column("deadline", self.env._("Due On"), kind="datetime", width=18),
            Column(
                "days_overdue",
                self.env._("Days Overdue"),
                kind="number",
                digits=1,
                highlight="overdue",
                width=13,
            ),
            Column("responsible", self.env._("Responsible"), width=20),
            Column("state", self.env._("Status"), width=14),
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
        now = now or fields.Datetime.now()
        rows = self._rows(company, now)
        tz = company._qms_tz()
        with XlsxBuilder(tz=tz) as builder:
            sheet = builder.add_sheet(self.env._("Overdue"))
            sheet.title(
                self.env._("Overdue items of %(company)s", company=company.name),
                # The rows are in the company's zone: the time they are counted at is too.
                self.env._("As of %(date)s", date=self._local_time(company, now)),
            )
            count = sheet.table(self._columns(), rows)
            return builder.close(), count

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
    def _local_time(self, company, now):
        """``now`` (naive UTC) as the company's wall-clock time, to the minute."""
        local = pytz.utc.localize(now).astimezone(company._qms_tz())
        return local.strftime("%Y-%m-%d %H:%M")

    @api.model
    def _filename(self, company, now=None):
        """Named after what it is and when it was taken: the company is in the title row."""
        now = now or fields.Datetime.now()
        stamp = pytz.utc.localize(now).astimezone(company._qms_tz()).strftime("%Y-%m-%d %H%M")
        return self.env._("Overdue report %(date)s.xlsx", date=stamp)
