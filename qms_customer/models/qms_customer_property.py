from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .qms_deadline_mixin import DEADLINE_STATES, DeadlineSpec
from .qms_workflow_mixin import Transition

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SALES = "qms_customer.group_qms_sales"
WAREHOUSE = "qms_customer.group_qms_warehouse"
QUALITY = "qms_customer.group_qms_quality"
TECHNICAL = "qms_customer.group_qms_technical"
# Equipment that carries a permanent identification and is maintained (客户供应模/检具).
TOOLING_KINDS = ("mould", "gauge", "fixture", "equipment")
# Documents, never stock: specifications, drawings, trademarks, patents.
DOCUMENT_KINDS = ("intellectual",)
# Where the property is with us, between its arrival check and leaving us again.
HELD_STATES = ("in_use", "in_maintenance", "stored")
# Groups that work with intellectual property documents (besides the salesperson of the customer).
IP_GROUPS = (QUALITY, TECHNICAL)
# Who may open stock transfers and quants (quality and R&D see the quantity only).
STOCK_GROUPS = "stock.group_stock_user,sales_team.group_sale_salesman"


class QmsCustomerProperty(models.Model):
    """Property of a customer in our care (顾客财产, ISO 9001 §8.5.3, REQUIREMENTS §6): registered by
    sales on the order, received as customer-owned stock, checked by the warehouse against the
    delivery note, verified by quality, identified and maintained while we hold it, and returned
    or scrapped with the customer's consent."""

    _name = "qms.customer.property"
    _description = "Customer Property"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_registered desc, id desc"
    _qms_sequence_code = "qms.customer.property"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_closed_states = ("returned", "scrapped", "lost")
    _qms_final_states = ("returned", "scrapped", "lost")
    _qms_all_customer_groups = (QUALITY, TECHNICAL, WAREHOUSE)
    _qms_file_fields = ("agreement_ids",)

    _qms_deadline_specs = (
        DeadlineSpec(
            "maintenance_deadline", None, None, "keeper_id", notice="qms_property_maintenance_notice_days"
        ),
    )
    _qms_workflow_fields = (
        "state",
        "date_received",
        "received_by_id",
        "received_qty",
        "delivery_note_ref",
        "delivery_note_qty",
        "arrival_deviation",
        "date_verified",
        "verified_by_id",
        "verification_result",
        "verification_note",
        "date_closed",
        "closed_by_id",
        "closing_note",
    )
    _qms_fixed_fields = ("name", "date_registered")
    _qms_role_fields = {
        (WAREHOUSE, QUALITY, TECHNICAL): ("identification", "identification_method", "nameplate_text"),
    }
    _qms_transitions = {
        "receive": Transition(("draft",), (WAREHOUSE,), _lt("receive")),
        "receive_document": Transition(("draft",), (SALES, QUALITY, TECHNICAL), _lt("record the receipt of")),
        "verify": Transition(("arrived",), (QUALITY,), _lt("verify")),
        "release": Transition(("nonconforming",), (QUALITY,), _lt("release")),
        "set_in_use": Transition(("stored", "in_maintenance"), (WAREHOUSE, TECHNICAL), _lt("put in use")),
        "set_stored": Transition(("in_use", "in_maintenance"), (WAREHOUSE, TECHNICAL), _lt("store")),
        "start_maintenance": Transition(
            ("in_use", "stored"), (WAREHOUSE, TECHNICAL), _lt("send to maintenance")
        ),
        "record_maintenance": Transition(
            HELD_STATES, (WAREHOUSE, TECHNICAL, QUALITY), _lt("record maintenance of")
        ),
        "return_customer": Transition(
            (*HELD_STATES, "nonconforming"), (WAREHOUSE, SALES), _lt("return to the customer")
        ),
        "scrap": Transition((*HELD_STATES, "nonconforming"), (QUALITY,), _lt("scrap")),
    }

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    active = fields.Boolean(default=True, tracking=True)
    can_receive = fields.Boolean(compute="_compute_qms_can")
    can_receive_document = fields.Boolean(compute="_compute_qms_can")
    can_verify = fields.Boolean(compute="_compute_qms_can")
    can_release = fields.Boolean(compute="_compute_qms_can")
    can_set_in_use = fields.Boolean(compute="_compute_qms_can")
    can_set_stored = fields.Boolean(compute="_compute_qms_can")
    can_start_maintenance = fields.Boolean(compute="_compute_qms_can")
    can_record_maintenance = fields.Boolean(compute="_compute_qms_can")
    can_return_customer = fields.Boolean(compute="_compute_qms_can")
    can_scrap = fields.Boolean(compute="_compute_qms_can")
    state = fields.Selection(
        [
            ("draft", "Registered"),
            ("arrived", "To Verify"),
            ("nonconforming", "Nonconforming"),
            ("in_use", "In Use"),
            ("in_maintenance", "In Maintenance"),
            ("stored", "Stored"),
            ("returned", "Returned to Customer"),
            ("scrapped", "Scrapped"),
            ("lost", "Lost"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand="_qms_group_expand_states",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda s: s.env.company)
    date_registered = fields.Datetime(
        string="Registered On", required=True, index=True, default=fields.Datetime.now, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False), ('is_company', '=', True)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda s: s.env.user,
        help="Who answers to the customer for it: told when it arrives nonconforming or an incident "
        "is reported.",
    )
    keeper_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        help="Who keeps and maintains it with us: reminded before its maintenance is due.",
    )
    kind = fields.Selection(
        [
            ("material", "Material / Packaging"),
            ("sample", "Sample"),
            ("mould", "Mould"),
            ("gauge", "Gauge"),
            ("fixture", "Fixture"),
            ("equipment", "Production / Test Equipment"),
            ("intellectual", "Intellectual Property"),
            ("container", "Returnable Container"),
        ],
        required=True,
        default="material",
        tracking=True,
    )
    is_tooling = fields.Boolean(compute="_compute_kind_flags")
    is_document = fields.Boolean(compute="_compute_kind_flags")
    title = fields.Char(string="Property Name", required=True, tracking=True)
    model_spec = fields.Char(string="Model / Specification")
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0, required=True)
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        default=lambda s: s.env.ref("uom.product_uom_unit", raise_if_not_found=False),
    )
    quality_requirements = fields.Text()
    other_requirements = fields.Text()
    agreement_ids = fields.Many2many(
        "ir.attachment",
        "qms_customer_property_agreement_rel",
        "property_id",
        "attachment_id",
        string="Agreement Files",
        help="The agreement with the customer on the property: contract clause, loan agreement, "
        "drawings delivered.",
    )
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        help="The product it is stocked as: it is received with the customer as owner, so it is in "
        "stock but never valued or sold as ours.",
    )

    # Permanent identification of moulds and gauges
    identification = fields.Char(
        string="Permanent Identification",
        tracking=True,
        help="The number the customer's mould or gauge carries for good: engraved, stamped or on its "
        "nameplate.",
    )
    identification_method = fields.Selection(
        [
            ("nameplate", "Nameplate"),
            ("engraving", "Engraving"),
            ("stamp", "Steel Stamp"),
            ("paint", "Paint Mark"),
            ("photo", "Photo Only"),
        ],
        string="Identified By",
    )
    nameplate_text = fields.Text(string="Nameplate / Engraving Text")
    image = fields.Image(max_width=1024, max_height=1024)
    place = fields.Char(string="Where It Is", tracking=True, help="The machine, rack or room it is at.")

    # Arrival: the warehouse's check against the delivery note, then quality's verification
    move_ids = fields.One2many("stock.move", "qms_customer_property_id", string="Stock Moves")
    picking_ids = fields.Many2many(
        "stock.picking", compute="_compute_picking_ids", string="Transfers", groups=STOCK_GROUPS
    )
    picking_count = fields.Integer(compute="_compute_picking_ids")
    quant_ids = fields.Many2many(
        "stock.quant", compute="_compute_quant_ids", string="In Stock As", groups=STOCK_GROUPS
    )
    qty_in_stock = fields.Float(
        compute="_compute_qty_in_stock", digits="Product Unit of Measure", string="In Stock"
    )
    date_received = fields.Datetime(string="Received On", readonly=True, copy=False, index=True)
    received_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    received_qty = fields.Float(
        string="Quantity Received", digits="Product Unit of Measure", readonly=True, copy=False
    )
    delivery_note_ref = fields.Char(string="Delivery Note", readonly=True, copy=False)
    delivery_note_qty = fields.Float(
        string="Quantity on Delivery Note", digits="Product Unit of Measure", readonly=True, copy=False
    )
    arrival_deviation = fields.Text(string="Recorded Deviation", readonly=True, copy=False)
    date_verified = fields.Datetime(string="Verified On", readonly=True, copy=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verification_result = fields.Selection(
        [("conforming", "Conforming"), ("nonconforming", "Nonconforming")], readonly=True, copy=False
    )
    verification_note = fields.Text(string="Verification Findings", readonly=True, copy=False)

    # Maintenance
    maintenance_ids = fields.One2many(
        "qms.customer.property.maintenance", "property_id", string="Maintenance Records"
    )
    maintenance_count = fields.Integer(compute="_compute_maintenance_count")
    maintenance_months = fields.Integer(
        string="Maintenance Cycle (Months)",
        tracking=True,
        help="Maintained (or calibrated) this often while we hold it; 0 when it needs no periodic "
        "maintenance.",
    )
    date_last_maintenance = fields.Date(
        string="Last Maintained On", compute="_compute_date_last_maintenance", store=True
    )
    maintenance_deadline = fields.Datetime(
        string="Next Maintenance", compute="_compute_maintenance_deadline", store=True, index=True
    )
    maintenance_status = fields.Selection(DEADLINE_STATES, compute="_compute_qms_deadline_statuses")

    # Incidents
    incident_ids = fields.One2many("qms.customer.property.incident", "property_id", string="Incidents")
    incident_count = fields.Integer(compute="_compute_incident_count")

    # Leaving us: returned, scrapped with the customer's consent, lost
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closing_note = fields.Text(readonly=True, copy=False)
    color = fields.Integer(compute="_compute_qms_color")

    # ------------------------------------------------------------------ computes
    @api.depends("kind")
    def _compute_kind_flags(self):
        for prop in self:
            prop.is_tooling = prop.kind in TOOLING_KINDS
            prop.is_document = prop.kind in DOCUMENT_KINDS

    @api.depends("move_ids.picking_id")
    def _compute_picking_ids(self):
        for prop in self:
            pickings = prop.sudo().move_ids.picking_id
            prop.picking_ids = pickings
            prop.picking_count = len(pickings)

    def _qms_quants(self):
        """{property: its quants}: its product, owned by its customer, where its own receipts put it
        (the customer-property locations). Read as the system: quality has no stock rights."""
        props = self.sudo().filtered(lambda p: p.product_id and p.move_ids)
        quants = self.env["stock.quant"].sudo()
        if props:
            quants = quants.search(
                [
                    ("product_id", "in", props.product_id.ids),
                    ("owner_id", "in", props.partner_id.ids),
                    ("location_id", "in", props.move_ids.location_dest_id.ids),
                    ("quantity", ">", 0),
                ]
            )
        result = {}
        for prop in self:
            prop_su = prop.sudo()
            result[prop] = quants.filtered(
                lambda q, p=prop_su: q.product_id == p.product_id
                and q.owner_id == p.partner_id
                and q.location_id in p.move_ids.location_dest_id
            )
        return result

    @api.depends("move_ids.state", "move_ids.quantity")
    def _compute_quant_ids(self):
        for prop, quants in self._qms_quants().items():
            prop.quant_ids = quants.with_env(self.env)

    @api.depends("move_ids.state", "move_ids.quantity")
    def _compute_qty_in_stock(self):
        for prop, quants in self._qms_quants().items():
            prop.qty_in_stock = sum(quants.mapped("quantity"))

    def _compute_maintenance_count(self):
        counts = dict(
            self.env["qms.customer.property.maintenance"]._read_group(
                [("property_id", "in", self.ids)], ["property_id"], ["__count"]
            )
        )
        for prop in self:
            prop.maintenance_count = counts.get(prop, 0)

    def _compute_incident_count(self):
        counts = dict(
            self.env["qms.customer.property.incident"]._read_group(
                [("property_id", "in", self.ids)], ["property_id"], ["__count"]
            )
        )
        for prop in self:
            prop.incident_count = counts.get(prop, 0)

    @api.depends("maintenance_ids.date_done")
    def _compute_date_last_maintenance(self):
        for prop in self:
            prop.date_last_maintenance = max(prop.maintenance_ids.mapped("date_done"), default=False)

    @api.depends(
        "state",
        "maintenance_months",
        "date_last_maintenance",
        "date_verified",
        "company_id.resource_calendar_id.tz",
    )
    def _compute_maintenance_deadline(self):
        for prop in self:
            base = prop.date_last_maintenance or (prop.date_verified and prop.date_verified.date())
            if prop.state not in HELD_STATES or not prop.maintenance_months or not base:
                prop.maintenance_deadline = False
                continue
            due = base + relativedelta(months=prop.maintenance_months)
            prop.maintenance_deadline = prop.company_id._qms_local_to_utc(due + timedelta(days=1))

    @api.depends("name", "title", "identification")
    def _compute_display_name(self):
        for prop in self:
            ident = f" [{prop.identification}]" if prop.identification else ""
            prop.display_name = f"{prop.name} {prop.title or ''}{ident}".strip()

    def _qms_owner(self):
        return self.keeper_id or self.user_id

    # ------------------------------------------------------------------ arrival
    def action_receive(self):
        """Open the receipt of the property: a receipt of the warehouse's customer-property
        operation type, with the customer as owner, into the customer-property location."""
        self._qms_ensure_can("receive")
        self.ensure_one()
        if self.is_document:
            raise UserError(
                self.env._(
                    "%(property)s is intellectual property: documents are not stocked. Record their "
                    "receipt instead.",
                    property=self.display_name,
                )
            )
        picking = (
            self.sudo()
            .move_ids.picking_id.with_env(self.env)
            .filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        )
        if not picking:
            picking = self._qms_create_receipt()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
        }

    def _qms_property_warehouse(self):
        self.ensure_one()
        warehouse = self.sale_order_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        if not warehouse:
            raise UserError(
                self.env._("%(company)s has no warehouse to receive into.", company=self.company_id.name)
            )
        warehouse.sudo()._qms_ensure_locations()
        return warehouse

    def _qms_create_receipt(self):
        self.ensure_one()
        if not self.product_id:
            raise UserError(
                self.env._(
                    "Set the product %(property)s is stocked as before receiving it.",
                    property=self.display_name,
                )
            )
        warehouse = self._qms_property_warehouse()
        picking_type = warehouse.qms_property_type_id
        return self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": self.partner_id.id,
                "owner_id": self.partner_id.id,
                "origin": self.sale_order_id.name or self.name,
                "location_id": self.env.ref("stock.stock_location_customers").id,
                "location_dest_id": warehouse.qms_property_location_id.id,
                "company_id": self.company_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.title,
                            "product_id": self.product_id.id,
                            "product_uom_qty": self.quantity,
                            "product_uom": (self.uom_id or self.product_id.uom_id).id,
                            "location_id": self.env.ref("stock.stock_location_customers").id,
                            "location_dest_id": warehouse.qms_property_location_id.id,
                            "qms_customer_property_id": self.id,
                            "qms_delivery_note_qty": self.quantity,
                            "company_id": self.company_id.id,
                        }
                    )
                ],
            }
        )

    def _qms_received(self, picking, moves):
        """The receipt is validated: the warehouse's arrival check is recorded; quality verifies
        next."""
        for prop in self:
            mine = moves.filtered(lambda m, p=prop: m.qms_customer_property_id == p)
            prop._qms_workflow_write(
                {
                    "state": "arrived" if prop.state == "draft" else prop.state,
                    "date_received": picking.date_done or fields.Datetime.now(),
                    "received_by_id": self.env.uid,
                    "received_qty": prop.received_qty + sum(mine.mapped("quantity")),
                    "delivery_note_ref": picking.qms_delivery_note_ref,
                    "delivery_note_qty": prop.delivery_note_qty + sum(mine.mapped("qms_delivery_note_qty")),
                    "arrival_deviation": picking.qms_arrival_deviation or prop.arrival_deviation,
                }
            )
        for prop in self:
            prop._qms_system_post(
                Markup("<p>%s</p>")
                % self.env._("Received and checked against the delivery note: quality verifies it next.")
            )

    def action_receive_document(self):
        """Intellectual property (specifications, drawings...) is received as documents, not stock."""
        self._qms_ensure_can("receive_document")
        for prop in self:
            if not prop.is_document:
                raise UserError(
                    self.env._(
                        "%(property)s is physical property: it is received through a receipt with the "
                        "customer as owner.",
                        property=prop.display_name,
                    )
                )
            if not prop.agreement_ids:
                raise UserError(
                    self.env._(
                        "Attach the documents of %(property)s received from the customer first.",
                        property=prop.display_name,
                    )
                )
        now = fields.Datetime.now()
        for prop in self:
            prop._qms_workflow_write(
                {
                    "state": "arrived",
                    "date_received": now,
                    "received_by_id": self.env.uid,
                    "received_qty": prop.quantity,
                    "delivery_note_qty": prop.quantity,
                }
            )
        return True

    # ------------------------------------------------------------------ verification
    def action_verify(self):
        self._qms_ensure_can("verify")
        return self._qms_wizard(
            "qms.customer.property.verify.wizard", self.env._("Verify Customer Property"), {}
        )

    def _qms_verify(self, result, note):
        """Quality's verification on arrival; nonconforming property is kept apart and the
        salesperson asked to contact the customer."""
        self._qms_ensure_can("verify")
        if result == "nonconforming" and not (note or "").strip():
            raise UserError(self.env._("Describe what does not conform."))
        self._qms_workflow_write(
            {
                "state": "stored" if result == "conforming" else "nonconforming",
                "verification_result": result,
                "verification_note": note,
                "date_verified": fields.Datetime.now(),
                "verified_by_id": self.env.uid,
            }
        )
        if result == "nonconforming":
            self._qms_tell_salesperson(
                lambda prop, env: env._(
                    "Contact %(customer)s: %(property)s arrived nonconforming",
                    customer=prop.partner_id.name,
                    property=prop.title,
                ),
                note,
            )
        return True

    def _qms_tell_salesperson(self, summary, note):
        """A system to-do for the salesperson of each property (or of its customer)."""
        todos = []
        for prop in self:
            contact = prop.user_id or prop.partner_id.user_id
            if contact:
                reader = prop._qms_reader(contact)
                todos.append(reader._qms_todo_vals(contact, summary(prop, reader.env), note=note))
        if todos:
            self._qms_system_activities(todos)

    def action_release(self):
        """The customer accepted the nonconforming property as it is (or it was put right)."""
        self._qms_ensure_can("release")
        self._qms_workflow_write({"state": "stored"})
        return True

    # ------------------------------------------------------------------ while we hold it
    def action_set_in_use(self):
        self._qms_ensure_can("set_in_use")
        self._qms_workflow_write({"state": "in_use"})
        return True

    def action_set_stored(self):
        self._qms_ensure_can("set_stored")
        self._qms_workflow_write({"state": "stored"})
        return True

    def action_start_maintenance(self):
        self._qms_ensure_can("start_maintenance")
        self._qms_workflow_write({"state": "in_maintenance"})
        return True

    def action_record_maintenance(self):
        self._qms_ensure_can("record_maintenance")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Maintenance"),
            "res_model": "qms.customer.property.maintenance",
            "view_mode": "form",
            "target": "new",
            "context": {"default_property_id": self.id},
        }

    def _qms_after_maintenance(self):
        """A maintenance moves the next one: close its reminder; back from maintenance, in use."""
        self._qms_sync_alert_activities(feedback=self.env._("Maintained."))
        back = self.filtered(lambda p: p.state == "in_maintenance")
        if back:
            back.sudo()._qms_workflow_write({"state": "in_use"})

    def action_report_incident(self):
        """Record a loss, damage or unsuitability, to report it to the customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report Incident"),
            "res_model": "qms.customer.property.incident",
            "view_mode": "form",
            "context": {"default_property_id": self.id},
        }

    # ------------------------------------------------------------------ leaving us
    def action_return_customer(self):
        self._qms_ensure_can("return_customer")
        return self._qms_wizard(
            "qms.customer.property.close.wizard",
            self.env._("Return to Customer"),
            {"default_action": "return_customer"},
        )

    def action_scrap(self):
        self._qms_ensure_can("scrap")
        return self._qms_wizard(
            "qms.customer.property.close.wizard", self.env._("Scrap"), {"default_action": "scrap"}
        )

    def _qms_wizard(self, model, name, context):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {**context, "default_property_id": self.id},
        }

    def _qms_close(self, action, note):
        """Returned to the customer (with the return delivery of what is in stock) or scrapped
        with the customer's consent (recorded in ``note``)."""
        self._qms_ensure_can(action)
        if not (note or "").strip():
            if action == "scrap":
                raise UserError(
                    self.env._("Record the customer's consent to scrap it: who agreed, when, and how.")
                )
            raise UserError(self.env._("Record how it goes back to the customer."))
        pickings = self.env["stock.picking"]
        if action == "return_customer":
            for prop in self.filtered("qty_in_stock"):
                pickings |= prop._qms_create_return_delivery()
        else:
            for prop in self.filtered("qty_in_stock"):
                prop._qms_scrap_stock()
        self._qms_workflow_write(
            {
                "state": "returned" if action == "return_customer" else "scrapped",
                "date_closed": fields.Datetime.now(),
                "closed_by_id": self.env.uid,
                "closing_note": note,
            }
        )
        return pickings

    def _qms_create_return_delivery(self):
        """A delivery of the customer's own quants back to it: restricted to the customer as owner,
        from the customer-property location only."""
        self.ensure_one()
        warehouse = self._qms_property_warehouse()
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.partner_id.id,
                    "origin": self.name,
                    "location_id": warehouse.qms_property_location_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                    "company_id": self.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.title,
                                "product_id": self.product_id.id,
                                "product_uom_qty": self.qty_in_stock,
                                "product_uom": self.product_id.uom_id.id,
                                "location_id": warehouse.qms_property_location_id.id,
                                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                                "restrict_partner_id": self.partner_id.id,
                                "qms_customer_property_id": self.id,
                                "company_id": self.company_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _qms_scrap_stock(self):
        """Scrap what is in stock of it, as the customer's (owner) goods."""
        self.ensure_one()
        for quant in self._qms_quants()[self]:
            scrap = (
                self.env["stock.scrap"]
                .sudo()
                .create(
                    {
                        "product_id": quant.product_id.id,
                        "scrap_qty": quant.quantity,
                        "product_uom_id": quant.product_id.uom_id.id,
                        "location_id": quant.location_id.id,
                        "lot_id": quant.lot_id.id,
                        "owner_id": quant.owner_id.id,
                        "origin": self.name,
                        "company_id": self.company_id.id,
                    }
                )
            )
            scrap.with_context(qms_scrap_checked=True).action_validate()

    def _qms_mark_lost(self, incident):
        """A loss reported to the customer: the property is gone."""
        self.sudo()._qms_workflow_write(
            {
                "state": "lost",
                "date_closed": fields.Datetime.now(),
                "closed_by_id": self.env.uid,
                "closing_note": incident.description,
            }
        )

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                order = self.env["sale.order"].browse(vals["sale_order_id"])
                vals["partner_id"] = order.partner_id.id
            if vals.get("partner_id"):
                vals["partner_id"] = (
                    self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
                )
        props = super().create(vals_list)
        props._qms_check_quantity()
        return props

    def write(self, vals):
        result = super().write(vals)
        if "quantity" in vals:
            self._qms_check_quantity()
        return result

    def _qms_check_quantity(self):
        for prop in self:
            if prop.quantity <= 0:
                raise UserError(
                    self.env._("The quantity of %(property)s must be greater than zero.", property=prop.title)
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_unreceived(self):
        if any(p.state != "draft" or p.sudo().move_ids for p in self):
            raise UserError(
                self.env._(
                    "Customer property with history cannot be deleted: return or scrap it, or archive it."
                )
            )

    # ------------------------------------------------------------------ smart buttons
    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {}
        return action

    def action_view_quants(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("In Stock"),
            "res_model": "stock.quant",
            "view_mode": "list",
            "domain": [("id", "in", self._qms_quants()[self].ids)],
            "context": {},
        }

    def action_view_maintenance(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_customer.action_qms_customer_property_maintenance"
        )
        action["domain"] = [("property_id", "=", self.id)]
        action["context"] = {"default_property_id": self.id}
        return action

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qms_customer.action_qms_customer_property_incident"
        )
        action["domain"] = [("property_id", "=", self.id)]
        action["context"] = {"default_property_id": self.id}
        return action

    # ------------------------------------------------------------------ demo data
    @api.model
    def _qms_demo_properties(self):
        """Demo customer property, made by the post-install hook as each user (notes and to-dos in
        their language): Jiangnan's housing mould received as customer-owned stock half a year ago,
        identified by its nameplate, in use at press 3 and maintained, its next maintenance within
        the notice; Huadong's caliper gauge stored; Jiangnan's PA66 granules delivered short and
        found too moist (the salesperson is to contact the customer); Huadong's drawings; a
        container still to receive."""
        ref = self.env.ref
        today = self.env.company._qms_local_today()

        def as_user(records, xml):
            user = ref(xml)
            return records.with_user(user).with_context(lang=user.lang)

        mould = self._qms_demo_property(
            "qms_customer.property_jiangnan_mould",
            "qms_customer.user_qms_sales2",
            {
                "sale_order_id": ref("qms_customer.so_jiangnan").id,
                "title": "注塑模具 SH-08 开关外壳 (housing mould, 1×4)",
                "kind": "mould",
                "model_spec": "1×4 腔 / cavities, P20",
                "product_id": ref("qms_customer.product_cp_mould_sh08").id,
                "quality_requirements": "型腔无损伤，铭牌完整 / cavities undamaged, nameplate present",
                "maintenance_months": 6,
                "keeper_id": ref("qms_customer.user_qms_warehouse").id,
            },
            received=today - relativedelta(months=6, days=2),
            note_ref="JN-DN-240611",
        )
        as_user(mould, "qms_customer.user_qms_warehouse").write(
            {
                "identification": "JN-M-0815",
                "identification_method": "nameplate",
                "nameplate_text": "江南家电所有 / Property of Jiangnan Appliance · JN-M-0815",
                "place": "注塑机 3 号 / Press 3",
            }
        )
        as_user(mould, "qms_customer.user_qms_warehouse").action_set_in_use()
        as_user(self.env["qms.customer.property.maintenance"], "qms_customer.user_qms_warehouse").create(
            {
                "property_id": mould.id,
                "date_done": today - relativedelta(months=5, days=20),
                "maintenance_type": "preventive",
                "performed_by": "模具车间 / toolroom",
                "description": "清洗型腔、疏通冷却水路、更换顶针 2 支 (cavities cleaned, cooling flushed)",
                "shot_count": 86000,
            }
        )
        gauge = self._qms_demo_property(
            "qms_customer.property_huadong_gauge",
            "qms_customer.user_qms_sales",
            {
                "sale_order_id": ref("qms_customer.so_huadong").id,
                "title": "制动卡钳检具 BC-200 (caliper gauge)",
                "kind": "gauge",
                "product_id": ref("qms_customer.product_cp_gauge_bc200").id,
                "maintenance_months": 12,
                "keeper_id": ref("qms_customer.user_qms_warehouse").id,
            },
            received=today - relativedelta(months=2),
            note_ref="HD-DN-0937",
        )
        as_user(gauge, "qms_customer.user_qms_warehouse").write(
            {"identification": "HD-G-0203", "identification_method": "engraving", "place": "检具室 G-2"}
        )
        granules = self._qms_demo_property(
            "qms_customer.property_jiangnan_pa66",
            "qms_customer.user_qms_sales2",
            {
                "sale_order_id": ref("qms_customer.so_jiangnan").id,
                "title": "客供 PA66 粒料 (customer-supplied PA66)",
                "kind": "material",
                "quantity": 500,
                "uom_id": ref("uom.product_uom_kgm").id,
                "product_id": ref("qms_customer.product_cp_pa66").id,
                "quality_requirements": "含水率 ≤ 0.2% / moisture ≤ 0.2%",
            },
            received=today - relativedelta(days=3),
            note_ref="JN-DN-241203",
            qty=480,
            deviation="少 20 kg，客户电话确认 (20 kg short, confirmed by phone)",
            verify=False,
        )
        as_user(granules, "qms_customer.user_qms_quality")._qms_verify(
            "nonconforming", "含水率 0.4%，超出 0.2% 要求 (moisture 0.4%, above 0.2%)"
        )
        drawings = as_user(self, "qms_customer.user_qms_sales").create(
            {
                "sale_order_id": ref("qms_customer.so_huadong").id,
                "title": "BC-200 图纸 C 版 (drawings rev. C)",
                "kind": "intellectual",
                "quality_requirements": "保密，仅限技术部与质量部 (confidential)",
            }
        )
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": "qms_customer.property_huadong_drawings", "record": drawings, "noupdate": True}]
        )
        drawing = as_user(self.env["ir.attachment"], "qms_customer.user_qms_sales").create(
            {"name": "BC-200_rev_C.pdf", "raw": b"%PDF-1.4 demo drawing", "mimetype": "application/pdf"}
        )
        drawings.write({"agreement_ids": [Command.link(drawing.id)]})
        drawings.action_receive_document()
        as_user(drawings, "qms_customer.user_qms_quality")._qms_verify("conforming", "图纸齐全 (complete)")
        as_user(self, "qms_customer.user_qms_sales2").create(
            {
                "sale_order_id": ref("qms_customer.so_jiangnan").id,
                "title": "周转箱 JN-T40 (returnable crates)",
                "kind": "container",
                "quantity": 200,
            }
        )

    @api.model
    def _qms_demo_property(
        self, xmlid, sales_xml, vals, received, note_ref, qty=None, deviation=False, verify=True
    ):
        """Demo: property registered by a salesperson, received by the warehouse through its receipt
        (dated back to ``received``) and verified by quality."""
        ref = self.env.ref
        sales, warehouse, quality = (
            ref(sales_xml),
            ref("qms_customer.user_qms_warehouse"),
            ref("qms_customer.user_qms_quality"),
        )
        prop = self.with_user(sales).with_context(lang=sales.lang).create(vals)
        self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": prop, "noupdate": True}])
        prop = prop.with_user(warehouse).with_context(lang=warehouse.lang)
        picking = self.env["stock.picking"].browse(prop.action_receive()["res_id"]).with_env(prop.env)
        picking.write({"qms_delivery_note_ref": note_ref, "qms_arrival_deviation": deviation})
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
            move.picked = True
        picking.with_context(skip_sms=True).button_validate()
        moment = prop.company_id._qms_local_to_utc(received) + timedelta(hours=2)
        picking.sudo().write({"date_done": moment})
        picking.move_ids.sudo().write({"date": moment})
        picking.move_line_ids.sudo().write({"date": moment})
        if verify:
            prop.with_user(quality).with_context(lang=quality.lang)._qms_verify(
                "conforming", "外观、数量与送货单一致 (as on the delivery note)"
            )
        dates = {"date_received": moment}
        if verify:
            dates["date_verified"] = moment + timedelta(hours=3)
        prop.sudo()._qms_workflow_write(dates)
        return prop.with_env(self.env)

    # ------------------------------------------------------------------ scheduled action
    @api.model
    def _cron_qms_property(self):
        """Chase the maintenance deadlines of customer property, and the customer's answers to
        incidents."""
        self._qms_cron_deadlines()
        return self.env["qms.customer.property.incident"]._qms_cron_deadlines()
