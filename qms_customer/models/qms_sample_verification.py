from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsSampleVerification(models.Model):
    """A periodic verification of a sealed sample (REQUIREMENTS §7): a record of history, written
    once by quality; the next verification falls one cycle after it."""

    _name = "qms.sample.verification"
    _description = "Sample Verification"
    _order = "date_verified desc, id desc"
    _inherit = ["qms.history.mixin"]
    _check_company_auto = True

    sample_id = fields.Many2one(
        "qms.sample", required=True, index=True, ondelete="restrict", check_company=True
    )
    company_id = fields.Many2one(related="sample_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="sample_id.partner_id", store=True, index=True, string="Customer")
    product_id = fields.Many2one(related="sample_id.product_id", string="Product")
    date_verified = fields.Date(
        string="Verified On", required=True, default=lambda s: s.env.company._qms_local_today()
    )
    verified_by_id = fields.Many2one("res.users", required=True, readonly=True, default=lambda s: s.env.user)
    result = fields.Selection(
        [("valid", "Still Valid"), ("invalid", "No Longer Valid")],
        required=True,
        default="valid",
        help="No longer valid takes the sample out of use: it must be replaced.",
    )
    with_customer = fields.Boolean(
        string="Checked with the Customer", help="The customer took part (quarterly customer checks)."
    )
    finding = fields.Text(string="Findings")

    # Written once: a verification is a record of what was found on that day.
    _qms_recorded_fields = (
        "sample_id",
        "date_verified",
        "verified_by_id",
        "result",
        "with_customer",
        "finding",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("verified_by_id", None)  # always whoever records it
        verifications = super().create(vals_list)
        verifications._qms_check_recorded()
        verifications.sample_id._qms_after_verification(verifications)
        return verifications

    def _qms_check_recorded(self):
        today = self.env.company._qms_local_today()
        for verification in self:
            sample = verification.sample_id
            sample._qms_ensure_can("verify")
            if verification.date_verified > today:
                raise UserError(
                    self.env._(
                        "A verification cannot be dated in the future (%(date)s).",
                        date=fields.Date.to_string(verification.date_verified),
                    )
                )
            if sample.date_sealed and verification.date_verified < sample.date_sealed:
                raise UserError(
                    self.env._(
                        "%(sample)s was sealed on %(sealed)s: it cannot have been verified before.",
                        sample=sample.display_name,
                        sealed=fields.Date.to_string(sample.date_sealed),
                    )
                )
            if verification.result == "invalid" and not (verification.finding or "").strip():
                raise UserError(self.env._("Describe what makes the sample no longer valid."))

    def _compute_display_name(self):
        for verification in self:
            verification.display_name = f"{verification.sample_id.name} · {verification.date_verified}"
