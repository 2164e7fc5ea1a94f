from odoo import api, fields, models

INTERVAL_SELECTION = [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")]


def _related(name):
    return fields.Float(related=f"company_id.{name}", readonly=False)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_complaint_signoff = fields.Selection(related="company_id.qms_complaint_signoff", readonly=False)
    qms_default_quality_user_id = fields.Many2one(
        related="company_id.qms_default_quality_user_id", readonly=False
    )
    qms_due_soon_percent = _related("qms_due_soon_percent")
    qms_defect_anomaly_permille = _related("qms_defect_anomaly_permille")
    qms_defect_special_percent = _related("qms_defect_special_percent")
    qms_return_qm_limit = _related("qms_return_qm_limit")
    qms_return_chief_limit = _related("qms_return_chief_limit")
    qms_return_weight_tolerance = _related("qms_return_weight_tolerance")
    qms_return_new_months = fields.Integer(related="company_id.qms_return_new_months", readonly=False)
    qms_recurrence_months = fields.Integer(related="company_id.qms_recurrence_months", readonly=False)
    qms_sample_expiry_notice_days = fields.Integer(
        related="company_id.qms_sample_expiry_notice_days", readonly=False
    )
    qms_sample_verification_notice_days = fields.Integer(
        related="company_id.qms_sample_verification_notice_days", readonly=False
    )
    qms_property_maintenance_notice_days = fields.Integer(
        related="company_id.qms_property_maintenance_notice_days", readonly=False
    )
    qms_satisfaction_period = fields.Selection(related="company_id.qms_satisfaction_period", readonly=False)
    qms_satisfaction_sample_percent = _related("qms_satisfaction_sample_percent")
    qms_satisfaction_threshold = _related("qms_satisfaction_threshold")
    qms_satisfaction_drop = _related("qms_satisfaction_drop")
    qms_satisfaction_response_percent = _related("qms_satisfaction_response_percent")
    qms_file_review_months = fields.Integer(related="company_id.qms_file_review_months", readonly=False)
    qms_order_review = fields.Boolean(related="company_id.qms_order_review", readonly=False)
    qms_resource_calendar_id = fields.Many2one(related="company_id.resource_calendar_id", readonly=False)
    qms_overdue_report_interval_number = fields.Integer(string="Overdue Report Every", default=1)
    qms_overdue_report_interval_type = fields.Selection(
        INTERVAL_SELECTION, string="Overdue Report Period", default="weeks"
    )

    def action_qms_deadline_rules(self):
        return self.env["qms.deadline.rule"].action_qms_company_rules()

    def _qms_overdue_cron(self):
        return self.env.ref("qms_customer.ir_cron_qms_overdue_report", raise_if_not_found=False).sudo()

    @api.model
    def get_values(self):
        values = super().get_values()
        cron = self._qms_overdue_cron()
        if cron and cron.interval_type in dict(INTERVAL_SELECTION):
            values.update(
                qms_overdue_report_interval_number=cron.interval_number,
                qms_overdue_report_interval_type=cron.interval_type,
            )
        return values

    def set_values(self):
        result = super().set_values()
        cron = self._qms_overdue_cron()
        if cron:
            cron.write(
                {
                    "interval_number": self.qms_overdue_report_interval_number,
                    "interval_type": self.qms_overdue_report_interval_type or "weeks",
                }
            )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["res.company"]._qms_check_rule_values(vals)
        return super().create(vals_list)
