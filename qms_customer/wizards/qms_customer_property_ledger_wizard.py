from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

from ..models.qms_customer_property import TOOLING_KINDS
from ..tools.xlsx import Cell, Column


class QmsCustomerPropertyLedgerWizard(models.TransientModel):
    """The two ledgers of customer property as XLSX (REQUIREMENTS §6): the customer property ledger
    (顾客财产台帐), every property held in the period by customer, from its arrival check to its
    return; and the overview of the customer's moulds and gauges (客户供应模/检具总览表), with their
    permanent identification and maintenance."""

    _name = "qms.customer.property.ledger.wizard"
    _inherit = ["qms.ledger.wizard"]
    _description = "Customer Property Ledger"

    _qms_ledger_model = "qms.customer.property"
    _qms_ledger_date_field = "date_registered"
    _qms_ledger_order = "partner_id, name, id"

    ledger = fields.Selection(
        [
            ("property", "Customer Property Ledger"),
            ("tooling", "Mould and Gauge Overview"),
        ],
        required=True,
        default="property",
        help="Customer Property Ledger: every property of the customers held in the period. Mould and "
        "Gauge Overview: their moulds, gauges, fixtures and equipment, with identification and "
        "maintenance.",
    )
    kind = fields.Selection(
        selection="_selection_kind",
        help="Only the property of this kind; leave empty for every kind.",
    )
    partner_ids = fields.Many2many(
        help="Only the property of these customers; leave empty for every customer."
    )
    row_count = fields.Integer(string="Items Exported")

    @api.model
    def _selection_kind(self):
        """The kinds of customer property, in the user's language."""
        return self.env["qms.customer.property"]._fields["kind"]._description_selection(self.env)

    # ------------------------------------------------------------------ names
    def _qms_ledger_is_tooling(self):
        return self.ledger == "tooling"

    def _qms_ledger_name(self):
        if self._qms_ledger_is_tooling():
            return self.env._("Mould and Gauge Overview")
        return self.env._("Customer Property Ledger")

    def _qms_ledger_filename(self):
        if self._qms_ledger_is_tooling():
            return self.env._(
                "Mould and gauge overview %(company)s %(date_from)s %(date_to)s.xlsx",
                company=self.company_id.name,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        return self.env._(
            "Customer property ledger %(company)s %(date_from)s %(date_to)s.xlsx",
            company=self.company_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _qms_ledger_title(self):
        if self._qms_ledger_is_tooling():
            return self.env._(
                "Overview of the customers' moulds and gauges at %(company)s", company=self.company_id.name
            )
        return self.env._("Customer property ledger of %(company)s", company=self.company_id.name)

    def _qms_ledger_filters(self):
        filters = self.env._(
            "Held from %(date_from)s to %(date_to)s",
            date_from=fields.Date.to_string(self.date_from),
            date_to=fields.Date.to_string(self.date_to),
        )
        if self.kind:
            kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
            filters = self.env._("%(filters)s, kind: %(kind)s", filters=filters, kind=kind)
        return filters

    def _qms_ledger_sheet_name(self):
        if self._qms_ledger_is_tooling():
            return self.env._("Moulds and Gauges")
        return self.env._("Customer Property")

    # ------------------------------------------------------------------ data
    def _qms_ledger_domain(self):
        """Registered by the end of the period and not closed (returned, scrapped, lost) before its
        start: what the company held (archived property too: the ledger is history)."""
        company = self.company_id
        domain = [
            ("company_id", "=", company.id),
            ("date_registered", "<", company._qms_local_to_utc(self.date_to + timedelta(days=1))),
            "|",
            ("date_closed", "=", False),
            ("date_closed", ">=", company._qms_local_to_utc(self.date_from)),
        ]
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.commercial_partner_id.ids))
        if self.kind:
            domain.append(("kind", "=", self.kind))
        if self._qms_ledger_is_tooling():
            domain.append(("kind", "in", TOOLING_KINDS))
        return expression.AND([domain, [("active", "in", [True, False])]])

    def _qms_ledger_fields(self):
        fields_ = ["sale_order_id", "user_id", "keeper_id"]
        if self._qms_ledger_is_tooling():
            fields_.append("maintenance_deadline")
        return super()._qms_ledger_fields() + fields_

    # ------------------------------------------------------------------ cells
    def _quantity_digits(self):
        return self.env["decimal.precision"].precision_get("Product Unit of Measure")

    @api.model
    def _sale_order(self, prop):
        """The order's number, as the form shows it to those who may not open sales orders."""
        return prop.sale_order_id.sudo().display_name

    @api.model
    def _responsible(self, prop):
        """Who keeps it with us, else the salesperson who answers to the customer for it."""
        return (prop.keeper_id or prop.user_id).display_name

    def _next_maintenance(self, prop):
        status = prop.maintenance_status
        highlight = status if status in ("due_soon", "overdue") else None
        return Cell(prop.maintenance_deadline, highlight=highlight)

    def _last_shot_count(self):
        """The shots (or uses) recorded at the last maintenance that recorded them: one query for
        all the property of a chunk, made for the first of them asked (its prefetch set)."""
        counts = {}

        def last_shot_count(prop):
            if prop.id not in counts:
                batch = prop.browse(prop._prefetch_ids)
                counts.clear()  # one chunk at a time
                counts.update(dict.fromkeys(batch.ids))
                maintenances = self.env["qms.customer.property.maintenance"].search_fetch(
                    [("property_id", "in", batch.ids), ("shot_count", ">", 0)],
                    ["property_id", "shot_count"],
                    order="date_done desc, id desc",
                )
                for maintenance in maintenances:
                    if counts.get(maintenance.property_id.id) is None:
                        counts[maintenance.property_id.id] = maintenance.shot_count
                counts.setdefault(prop.id, None)
            return counts[prop.id]

        return last_shot_count

    # ------------------------------------------------------------------ columns
    def _qms_ledger_columns(self):
        if self._qms_ledger_is_tooling():
            return self._qms_ledger_tooling_columns()
        digits = self._quantity_digits()
        return [
            Column("name", self.env._("Number"), width=16),
            Column("title", self.env._("Property Name"), width=24),
            Column("partner_id", self.env._("Customer"), width=24),
            Column("kind", self.env._("Kind"), width=16),
            Column("model_spec", self.env._("Model / Specification"), width=18),
            Column("quantity", self.env._("Quantity"), digits=digits, width=9),
            Column("uom_id", self.env._("Unit"), width=8),
            Column(self._sale_order, self.env._("Sales Order"), width=12),
            Column("date_received", self.env._("Received On"), width=17),
            Column("delivery_note_ref", self.env._("Delivery Note"), width=14),
            Column("delivery_note_qty", self.env._("Quantity on Delivery Note"), digits=digits, width=10),
            Column("received_qty", self.env._("Quantity Received"), digits=digits, width=10),
            Column("arrival_deviation", self.env._("Recorded Deviation"), width=28),
            Column("verification_result", self.env._("Verification Result"), width=14),
            Column("place", self.env._("Where It Is"), width=16),
            Column("state", self.env._("Status"), width=14),
            Column(self._responsible, self.env._("Responsible"), width=14),
            Column("date_closed", self.env._("Closed On"), width=17),
        ]

    def _qms_ledger_tooling_columns(self):
        return [
            Column("name", self.env._("Number"), width=16),
            Column("identification", self.env._("Permanent Identification"), width=18),
            Column("identification_method", self.env._("Identified By"), width=12),
            Column("title", self.env._("Property Name"), width=24),
            Column("partner_id", self.env._("Customer"), width=24),
            Column("model_spec", self.env._("Model / Specification"), width=18),
            Column("place", self.env._("Where It Is"), width=16),
            Column("state", self.env._("Status"), width=14),
            Column("date_received", self.env._("Received On"), width=17),
            Column("maintenance_months", self.env._("Maintenance Cycle (Months)"), width=11),
            Column("date_last_maintenance", self.env._("Last Maintained On"), width=12),
            Column(self._next_maintenance, self.env._("Next Maintenance"), kind="date", width=12),
            Column("maintenance_count", self.env._("Maintenance Records"), width=11),
            Column(self._last_shot_count(), self.env._("Last Shot Count"), kind="integer", width=11),
            Column("keeper_id", self.env._("Keeper"), width=14),
        ]
