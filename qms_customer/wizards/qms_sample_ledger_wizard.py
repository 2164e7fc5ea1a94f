from datetime import timedelta

from odoo import fields, models
from odoo.osv import expression

from ..tools.xlsx import Cell, Column


class QmsSampleLedgerWizard(models.TransientModel):
    """The sample ledger (样件台帐) as XLSX: every sample kept in the sample room during the period,
    with its sealing signatures, validity, last verification and check-outs (REQUIREMENTS §7)."""

    _name = "qms.sample.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Sample Ledger"

    _qms_ledger_model = "qms.sample"
    _qms_ledger_date_field = "date_registered"

    partner_ids = fields.Many2many(
        help="Only the samples of these customers; leave empty for every customer."
    )
    row_count = fields.Integer(string="Samples Exported")

    def _default_date_from(self):
        # A ledger of what the sample room holds: from the first sample on.
        return self._default_date_to().replace(year=2000, month=1, day=1)

    def _qms_ledger_name(self):
        return self.env._("Sample Ledger")

    def _qms_ledger_filename(self):
        return self.env._(
            "Sample ledger %(company)s %(date_to)s.xlsx", company=self.company_id.name, date_to=self.date_to
        )

    def _qms_ledger_title(self):
        return self.env._("Sample ledger of %(company)s", company=self.company_id.name)

    def _qms_ledger_filters(self):
        return self.env._(
            "Samples kept from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )

    def _qms_ledger_sheet_name(self):
        return self.env._("Samples")

    def _qms_ledger_domain(self):
        """Registered by the end of the period and not destroyed before its start: what the
        sample room held (archived samples too: the ledger is history)."""
        company = self.company_id
        domain = [
            ("company_id", "=", company.id),
            ("date_registered", "<", company._qms_local_to_utc(self.date_to + timedelta(days=1))),
            "|",
            ("date_destroyed", "=", False),
            ("date_destroyed", ">=", company._qms_local_to_utc(self.date_from)),
        ]
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.commercial_partner_id.ids))
        return expression.AND([domain, [("active", "in", [True, False])]])

    def _qms_ledger_fields(self):
        return super()._qms_ledger_fields() + ["expiry_deadline", "checkout_ids", "quality_signed_on"]

    def _signature(self, by_field, on_field):
        local = self.with_context(tz=self.company_id._qms_tz().zone)

        def signature(sample):
            if not sample[on_field]:
                return None
            when = fields.Datetime.context_timestamp(local, sample[on_field])
            return f"{sample[by_field].name} {when:%Y-%m-%d %H:%M}"

        return signature

    def _validity(self, sample):
        if sample.state == "expired":
            return Cell(self.env._("Expired"), highlight="overdue")
        if sample.state != "sealed":
            return None
        if sample.expiry_status == "due_soon":
            return Cell(self.env._("Expiring Soon"), highlight="due_soon")
        return Cell(self.env._("Valid"), highlight="good")

    def _qms_ledger_columns(self):
        return [
            Column("name", self.env._("Number"), width=16),
            Column("title", self.env._("Sample Name"), width=24),
            Column("partner_id", self.env._("Customer"), width=24),
            Column("product_id", self.env._("Product"), width=24),
            Column("drawing_revision", self.env._("Drawing Revision"), width=10),
            Column("category_id", self.env._("Category"), width=14),
            Column("sample_type", self.env._("Sample Type"), width=14),
            Column("quantity", self.env._("Quantity"), width=8),
            Column("storage_location", self.env._("Place in the Sample Room"), width=14),
            Column(
                self._signature("quality_signed_by_id", "quality_signed_on"), self.env._("Quality"), width=24
            ),
            Column(
                self._signature("technical_signed_by_id", "technical_signed_on"), self.env._("R&D"), width=24
            ),
            Column("customer_signer_name", self.env._("Customer Representative"), width=16),
            Column("date_sealed", self.env._("Sealed On"), width=12),
            Column("date_valid_until", self.env._("Valid Until"), width=12),
            Column(self._validity, self.env._("Validity"), width=12),
            Column("date_last_verified", self.env._("Last Verified On"), width=12),
            Column("verification_deadline", self.env._("Next Verification"), width=17),
            Column(lambda s: len(s.checkout_ids), self.env._("Check-outs"), kind="integer", width=9),
            Column("checked_out", self.env._("Checked Out"), width=9),
            Column("user_id", self.env._("Responsible"), width=14),
            Column("state", self.env._("Status"), width=12),
            Column("date_destroyed", self.env._("Destroyed On"), width=17),
        ]
