from odoo import api, fields, models
from odoo.exceptions import ValidationError


class QmsComplaintWhy(models.Model):
    """One link of a 5-why chain in the root-cause analysis (D4) of a complaint."""

    _name = "qms.complaint.why"
    _description = "Complaint 5-Why Step"
    _order = "complaint_id, chain, sequence, id"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "qms.complaint", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id", string="Customer", store=True, index=True)
    chain = fields.Selection(
        [("occurrence", "Occurrence"), ("escape", "Escape (Not Detected)")],
        required=True,
        default="occurrence",
        help="Why the defect was made, or why it was not detected.",
    )
    sequence = fields.Integer(default=10)
    question = fields.Char(string="Why?", required=True)
    answer = fields.Char(string="Because", required=True)

    @api.constrains("question", "answer")
    def _check_filled(self):
        for why in self:
            if not (why.question or "").strip() or not (why.answer or "").strip():
                raise ValidationError(
                    self.env._("Each step of a 5-why chain needs its question and its answer.")
                )
