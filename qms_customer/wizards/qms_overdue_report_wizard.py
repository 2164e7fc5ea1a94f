from odoo import fields, models

from ..tools.download import store_file


class QmsOverdueReportWizard(models.TransientModel):
    """Download the overdue report at any time."""

    _name = "qms.overdue.report.wizard"
    _description = "Download Overdue Report"

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    file_data = fields.Binary(string="File", readonly=True, attachment=True)
    file_name = fields.Char(readonly=True)
    row_count = fields.Integer(string="Overdue Items", readonly=True)

    def action_generate(self):
        self.ensure_one()
        report = self.env["qms.overdue.report"].with_company(self.company_id)
        data, count = report._build_xlsx(self.company_id)
        self.write({"file_name": report._filename(self.company_id), "row_count": count})
        return {
            "type": "ir.actions.act_url",
            "url": store_file(self, "file_data", data, self.file_name),
            "target": "self",
            "name": self.env._("Overdue Report"),
        }
