from markupsafe import Markup

from odoo import api, fields, models


class QmsActionSource(models.AbstractModel):
    """A document that gets containment, corrective and preventive actions (``qms.action``):
    a complaint, a return, a dissatisfied customer, a visit. Inheriting it is all a family
    declares: the actions list, their count and smart button, the sales scope of its actions, and
    what happens when one of them is verified not effective (``_qms_action_not_effective``)."""

    _name = "qms.action.source"
    _description = "QMS Document with Actions"
    _inherit = ["qms.workflow.mixin", "mail.thread"]

    qms_action_ids = fields.One2many("qms.action", "res_id", string="Quality Actions")
    qms_action_count = fields.Integer(string="Quality Action Count", compute="_compute_qms_action_count")

    @api.model
    def _qms_action_source_models(self):
        """Every concrete model that takes actions."""
        names, todo = [], list(self.env.registry["qms.action.source"]._inherit_children)
        while todo:
            name = todo.pop(0)
            model = self.env.registry[name]
            if name not in names and not model._abstract and not model._transient:
                names.append(name)
            todo += list(model._inherit_children)
        return names

    def _compute_qms_action_count(self):
        if not self.env["qms.action"].has_access("read"):
            # A role without actions (the warehouse on a return) reads the document, not its actions.
            self.qms_action_count = 0
            return
        counts = dict(
            self.env["qms.action"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"], ["__count"]
            )
        )
        for record in self:
            record.qms_action_count = counts.get(record.id, 0)

    def action_qms_view_actions(self):
        """The document's actions; a new one is created for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"default_res_model": self._name, "default_res_id": self.id}
        return action

    def _qms_action_not_effective(self, action):
        """An action of this document was verified not effective: say so in its chatter and ask
        its responsible person for another one. The complaint overrides this (8D back to D5)."""
        self.ensure_one()
        self._qms_system_post(action._qms_not_effective_note())
        user = self._qms_action_owner() or self.env.user
        local = self._qms_reader(user)
        note = Markup(action.with_env(local.env)._qms_not_effective_note())
        self._qms_system_activities(
            [self._qms_todo_vals(user, local.env._("Define a new corrective action"), note=note)]
        )

    def _qms_action_owner(self):
        """Who defines the next action: the document's owner (``_qms_owner``) by default."""
        return self._qms_owner()
