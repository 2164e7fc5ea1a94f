from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsCustomerPropertyMaintenance(models.Model):
    """A maintenance, repair or calibration of a customer's mould, gauge or equipment: a record of
    history; the next maintenance falls one cycle after it."""

    _name = "qms.customer.property.maintenance"
    _description = "Customer Property Maintenance"
    _inherit = ["qms.history.mixin"]
    _order = "date_done desc, id desc"
    _check_company_auto = True

    property_id = fields.Many2one(
        "qms.customer.property", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="property_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="property_id.partner_id", store=True, index=True, string="Customer")
    identification = fields.Char(related="property_id.identification")
    date_done = fields.Date(
        string="Maintained On", required=True, default=lambda s: s.env.company._qms_local_today()
    )
    done_by_id = fields.Many2one(
        "res.users", string="Recorded By", required=True, readonly=True, default=lambda s: s.env.user
    )
    maintenance_type = fields.Selection(
        [
            ("preventive", "Preventive Maintenance"),
            ("repair", "Repair"),
            ("calibration", "Calibration"),
            ("inspection", "Inspection"),
        ],
        string="Type",
        required=True,
        default="preventive",
    )
    performed_by = fields.Char(help="Who did the work: our toolroom, the customer, a calibration lab...")
    description = fields.Text(string="Work Done", required=True)
    result = fields.Selection(
        [("ok", "Fit for Use"), ("limited", "Fit with Limits"), ("unfit", "Unfit for Use")],
        required=True,
        default="ok",
    )
    shot_count = fields.Integer(
        string="Shots / Uses", help="The mould's shot counter or the gauge's uses at this maintenance."
    )

    _qms_recorded_fields = (
        "property_id",
        "date_done",
        "done_by_id",
        "maintenance_type",
        "performed_by",
        "description",
        "result",
        "shot_count",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("done_by_id", None)  # always whoever records it
        records = super().create(vals_list)
        today = self.env.company._qms_local_today()
        for record in records:
            record.property_id._qms_ensure_can("record_maintenance")
            if record.date_done > today:
                raise UserError(
                    self.env._(
                        "A maintenance cannot be dated in the future (%(date)s).",
                        date=fields.Date.to_string(record.date_done),
                    )
                )
        records.property_id._qms_after_maintenance()
        return records

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.property_id.name} · {record.date_done}"
