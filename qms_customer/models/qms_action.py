from datetime import datetime, time

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from .qms_deadline_mixin import DeadlineSpec

ACTION_TYPES = [
    ("containment", "Containment"),
    ("corrective", "Corrective"),
    ("preventive", "Preventive"),
]


class QmsAction(models.Model):
    """A containment, corrective or preventive action of a quality document (a complaint, a return,
    a dissatisfied customer, a visit: any model inheriting ``qms.action.source``), with a
    responsible person and a deadline, verified for effectiveness."""

    _name = "qms.action"
    _description = "Quality Action"
    _inherit = ["qms.deadline.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"
    _check_company_auto = True
    _mail_post_access = "read"
    _qms_sequence_code = "qms.action"

    _qms_deadline_specs = (DeadlineSpec("deadline_at", "date_done", "date_assigned", "user_id"),)
    _qms_closed_states = ("cancelled",)
    _qms_workflow_fields = (
        "state",
        "date_done",
        "done_by_id",
        "effectiveness",
        "verified_by_id",
        "date_verified",
        "cancel_reason",
    )
    _qms_fixed_fields = ("name", "complaint_id", "res_model", "res_id", "date_assigned")
    # Quality assigns and verifies; the responsible person reports the result.
    _qms_role_fields = {
        ("qms_customer.group_qms_quality",): (
            "action_type",
            "description",
            "user_id",
            "date_deadline",
            "verification_note",
        )
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    # The source document, whatever its family. A family with a one2many of its own (the
    # complaint's action_ids and 8D lists) also links by a Many2one: see _qms_source_links.
    res_model = fields.Char(string="Source Model", index=True, readonly=True)
    res_id = fields.Many2oneReference(string="Source ID", model_field="res_model", index=True, readonly=True)
    source_name = fields.Char(string="Source", compute="_compute_source_name")
    complaint_id = fields.Many2one(
        "qms.complaint", index=True, ondelete="restrict", check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_from_source", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_from_source",
        store=True,
        index=True,
        precompute=True,
    )
    action_type = fields.Selection(
        ACTION_TYPES, string="Type", required=True, default="corrective", tracking=True
    )
    description = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    date_assigned = fields.Datetime(string="Assigned On", required=True, default=fields.Datetime.now)
    date_deadline = fields.Date(string="Deadline", tracking=True)
    deadline_at = fields.Datetime(
        string="Due By",
        compute="_compute_deadline_at",
        store=True,
        help="End of the deadline day in the company's working-time zone.",
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False, tracking=True)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    result = fields.Text(string="Result and Evidence")
    state = fields.Selection(
        [("open", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="open",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    effectiveness = fields.Selection(
        [("pending", "Pending"), ("effective", "Effective"), ("not_effective", "Not Effective")],
        required=True,
        default="pending",
        readonly=True,
        copy=False,
        tracking=True,
    )
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_verified = fields.Datetime(string="Verified On", readonly=True, copy=False)
    verification_note = fields.Text()
    cancel_reason = fields.Text(tracking=True, copy=False)
    can_assign = fields.Boolean(compute="_compute_can_assign")

    @api.depends("date_deadline", "company_id.resource_calendar_id.tz")
    def _compute_deadline_at(self):
        for action in self:
            if not action.date_deadline:
                action.deadline_at = False
                continue
            tz = pytz.timezone(action.company_id.resource_calendar_id.tz or "UTC")
            end = tz.localize(datetime.combine(action.date_deadline, time(23, 59, 59)))
            action.deadline_at = end.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _qms_sales_domain(self):
        """Sales staff see the actions they own and every action of the documents they see."""
        domains = [[("user_id", "=", self.env.uid)]]
        for model in self.env["qms.action.source"]._qms_action_source_models():
            if not self.env[model].has_access("read"):
                continue  # a family this user has no access to at all
            visible = self.env[model]._search([("qms_sales_visible", "=", True)])
            domains.append(["&", ("res_model", "=", model), ("res_id", "in", visible)])
        return expression.OR(domains)

    # ------------------------------------------------------------------ source document
    @api.model
    def _qms_source_links(self):
        """{source model: Many2one of this model naming it}: a family whose document needs a real
        one2many of its actions adds its link here with super()."""
        return {"qms.complaint": "complaint_id"}

    def _qms_source(self):
        """The source document (one action), empty if it is gone."""
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    def _qms_sources(self, sudo=True):
        """{action: its source document} for the actions whose document is a quality document
        and still exists: one query per source model, whatever the number of actions."""
        families = self.env["qms.action.source"]._qms_action_source_models()
        result = {}
        for model, actions in self.grouped("res_model").items():
            if model not in families:
                continue  # not a quality document: refused by _check_source
            Model = self.env[model].sudo() if sudo else self.env[model]
            existing = Model.browse(actions.mapped("res_id")).exists()
            for action in actions:
                if action.res_id in existing._ids:
                    result[action] = existing.browse(action.res_id).with_prefetch(existing._prefetch_ids)
        return result

    @api.depends("res_model", "res_id", "complaint_id.company_id", "complaint_id.partner_id")
    def _compute_from_source(self):
        sources = self._qms_sources()
        for action in self:
            source = sources.get(action)
            action.company_id = source._qms_company() if source else self.env.company
            action.partner_id = source._qms_customer() if source else False

    @api.depends("res_model", "res_id")
    def _compute_source_name(self):
        sources = self._qms_sources()
        for action in self:
            source = sources.get(action)
            action.source_name = source.display_name if source else False

    @api.model
    def _qms_source_vals(self, vals):
        """res_model / res_id from a family's link field, or the link field from them."""
        for model, link in self._qms_source_links().items():
            if vals.get(link):
                vals.update(res_model=model, res_id=vals[link])
            elif vals.get("res_model") == model and vals.get("res_id"):
                vals[link] = vals["res_id"]
        return vals

    @api.constrains("res_model", "res_id")
    def _check_source(self):
        sources = self._qms_sources()
        for action in self:
            if action not in sources:
                raise ValidationError(
                    self.env._(
                        "An action belongs to a quality document (a complaint, a return, a visit...): "
                        "%(action)s has none.",
                        action=action.display_name,
                    )
                )

    def action_open_source(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @api.constrains("user_id", "date_deadline", "state")
    def _check_responsible_and_deadline(self):
        for action in self.filtered(lambda a: a.state != "cancelled"):
            if not action.user_id or not action.date_deadline:
                raise ValidationError(
                    self.env._(
                        "Every action needs a responsible person and a deadline (%s).", action.display_name
                    )
                )

    # On "state" too: a compute without dependencies is never run for a new record's form, whose
    # fields would then all stay read-only, even for quality.
    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_assign(self):
        allowed = self.env.su or self.env.user.has_group("qms_customer.group_qms_quality")
        for action in self:
            action.can_assign = allowed

    @api.constrains("description")
    def _check_description(self):
        for action in self:
            if not (action.description or "").strip():
                raise ValidationError(self.env._("Describe what the action is to do."))

    @api.model_create_multi
    def create(self, vals_list):
        # Defaults first: the complaint's default_complaint_id must give the source too.
        vals_list = [self._qms_source_vals(self._add_missing_default_values(vals)) for vals in vals_list]
        actions = super().create(vals_list)
        actions._check_source()  # also when no source was given at all
        if not self.env.su:
            # Only for a document the user may see (the sequence, not the record, was consumed).
            sources = list(actions._qms_sources(sudo=False).values())
            for model in {source._name for source in sources}:
                self.env[model].browse([src.id for src in sources if src._name == model]).check_access("read")
        for action in actions:
            action.message_subscribe(partner_ids=action.user_id.partner_id.ids)
        return actions

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Actions are part of their document's history: cancel them instead."))

    def _qms_check_quality(self, action):
        if not self.env.su and not self.env.user.has_group("qms_customer.group_qms_quality"):
            raise UserError(self.env._("Only quality may %(action)s actions.", action=action))

    def action_done(self):
        """The responsible person (or quality) reports the action as carried out."""
        for action in self:
            if action.state != "open":
                raise UserError(self.env._("%s is not open.", action.display_name))
            is_quality = self.env.user.has_group("qms_customer.group_qms_quality")
            if not (self.env.su or is_quality or action.user_id == self.env.user):
                raise UserError(
                    self.env._("Only the responsible person or quality may complete %s.", action.display_name)
                )
        self._qms_workflow_write(
            {"state": "done", "date_done": fields.Datetime.now(), "done_by_id": self.env.user.id}
        )
        return True

    def action_verify_effective(self):
        return self._qms_verify("effective")

    def action_verify_not_effective(self):
        return self._qms_verify("not_effective")

    def _qms_verify(self, effectiveness):
        self._qms_check_quality(self.env._("verify"))
        if any(action.state != "done" for action in self):
            raise UserError(self.env._("Only an action that is done can be verified for effectiveness."))
        self._qms_check_segregation()
        self._qms_workflow_write(
            {
                "effectiveness": effectiveness,
                "verified_by_id": self.env.user.id,
                "date_verified": fields.Datetime.now(),
            }
        )
        for action in self.filtered(lambda a: a.effectiveness == "not_effective"):
            source = action._qms_source()
            if source:
                source._qms_action_not_effective(action)
        return True

    def _qms_check_segregation(self):
        """Nobody verifies the effectiveness of an action they carried out: neither its responsible
        person nor whoever marked it done (the system's own paths excepted)."""
        if self.env.su:
            return
        user = self.env.user
        for action in self:
            if user in (action.user_id | action.done_by_id):
                raise UserError(
                    self.env._(
                        "You carried out %(action)s: its effectiveness must be verified by another "
                        "quality engineer.",
                        action=action.display_name,
                    )
                )

    def action_cancel(self):
        self._qms_check_quality(self.env._("cancel"))
        if any(action.state == "done" for action in self):
            raise UserError(self.env._("A completed action cannot be cancelled."))
        for action in self:
            reason = action._qms_cancel_reason(required=False) or False
            action._qms_workflow_write({"state": "cancelled", "cancel_reason": reason})
        return True

    def action_reopen(self):
        self._qms_check_quality(self.env._("reopen"))
        self._qms_workflow_write(
            {
                "state": "open",
                "date_done": False,
                "done_by_id": False,
                "effectiveness": "pending",
                "verified_by_id": False,
                "date_verified": False,
            }
        )
        return True

    def _qms_not_effective_note(self):
        return Markup("<p>%s</p>") % self.env._(
            "Action %(action)s was verified not effective: a new corrective action is needed.",
            action=self.display_name,
        )
