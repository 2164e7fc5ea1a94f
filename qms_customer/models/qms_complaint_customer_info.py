from odoo import api, fields, models


# split by concern on purpose: one file per capability of the complaint
class QmsComplaint(models.Model):
    """The customer information a complaint was registered from (顾客信息登记表 → complaint)."""

    _inherit = "qms.complaint"  # pylint: disable=consider-merging-classes-inherited

    # Given when the complaint is registered from the information, never moved to another one.
    _qms_fixed_fields = ("customer_info_id",)

    customer_info_id = fields.Many2one(
        "qms.customer.info",
        string="Customer Information",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The entry of the customer information register this complaint was registered from.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        # The information becomes "converted" whichever way the complaint was registered: its
        # button or the complaint form opened by *Register Complaint*.
        for complaint in complaints.filtered("customer_info_id"):
            complaint.customer_info_id._qms_converted(complaint)
        return complaints

    def action_view_customer_info(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.customer.info",
            "res_id": self.customer_info_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
