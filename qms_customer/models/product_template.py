from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    qms_drawing_revision = fields.Char(
        string="Customer Drawing Revision",
        tracking=True,
        help="The revision of the customer's drawing this product is made to. A new revision is a design "
        "change: the product's sealed samples of another revision become invalid at once.",
    )

    qms_standard_product = fields.Boolean(
        string="Standard Product",
        default=True,
        help="A product of our catalogue made to our or a national standard (定型产品). An order of a "
        "product that is not (customised, with extra technical requirements) is a special contract: "
        "production, purchasing and the general manager review it before it is confirmed.",
    )

    def write(self, vals):
        changed = self.browse()
        if "qms_drawing_revision" in vals:
            revision = vals["qms_drawing_revision"] or False
            # A first revision is no change: only a revision replacing another invalidates samples.
            changed = self.filtered(lambda t: t.qms_drawing_revision and t.qms_drawing_revision != revision)
        result = super().write(vals)
        if changed:
            self.env["qms.sample"]._qms_design_change(
                changed.product_variant_ids, vals["qms_drawing_revision"]
            )
        return result
