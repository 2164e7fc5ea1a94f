from collections import defaultdict

from odoo import api, models
from odoo.tools import float_compare

# A change of these on a confirmed order is a change of the contract: it is reviewed again.
REREVIEW_FIELDS = ("product_id", "product_uom_qty", "price_unit")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _qms_reviewed(self):
        """The lines whose changes count: goods and services of orders in review scope."""
        orders = self.order_id._qms_in_review_scope()
        return self.filtered(
            lambda line: line.order_id in orders and not line.display_type and not line.is_downpayment
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        changes = defaultdict(list)
        for line in lines._qms_reviewed():
            changes[line.order_id.id].append(
                self.env._(
                    "Line added: %(product)s, %(qty)s %(unit)s at %(price)s",
                    product=line.product_id.display_name or line.name,
                    qty=line.product_uom_qty,
                    unit=line.product_uom.name,
                    price=line.price_unit,
                )
            )
        self.env["sale.order"].browse(changes)._qms_rereview(changes)
        return lines

    def write(self, vals):
        watched = [name for name in REREVIEW_FIELDS if name in vals]
        reviewed = self._qms_reviewed() if watched else self.browse()
        before = {line: {name: line[name] for name in watched} for line in reviewed}
        result = super().write(vals)
        changes = defaultdict(list)
        for line, old in before.items():
            for name, value in old.items():
                new = line[name]
                if name == "product_id":
                    changed = new != value
                    old_text, new_text = value.display_name, new.display_name
                else:
                    changed = float_compare(value, new, precision_digits=6) != 0
                    old_text, new_text = value, new
                if changed:
                    changes[line.order_id.id].append(
                        self.env._(
                            "%(field)s of %(product)s: %(old)s → %(new)s",
                            field=self._fields[name]._description_string(self.env),
                            product=line.product_id.display_name or line.name,
                            old=old_text,
                            new=new_text,
                        )
                    )
        self.env["sale.order"].browse(changes)._qms_rereview(changes)
        return result
