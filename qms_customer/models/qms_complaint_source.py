from odoo import models

# Who may see complaint counters and buttons on orders, deliveries and customers.
COMPLAINT_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_quality,qms_customer.group_qms_technical,"
    "qms_customer.group_qms_general_manager,qms_customer.group_qms_management_rep"
)


class QmsComplaintSource(models.AbstractModel):
    """A document a complaint can be registered from (sales order, delivery)."""

    _name = "qms.complaint.source"
    _description = "QMS Complaint Source"

    def _qms_complaint_defaults(self):
        """Context defaults that prefill a new complaint from this document."""
        raise NotImplementedError()

    def _compute_qms_complaint_count(self):
        field = self._fields["qms_complaint_ids"].inverse_name
        counts = dict(self.env["qms.complaint"]._read_group([(field, "in", self.ids)], [field], ["__count"]))
        for record in self:
            record.qms_complaint_count = counts.get(record, 0)

    def action_new_qms_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Complaint"),
            "res_model": "qms.complaint",
            "view_mode": "form",
            "target": "current",
            "context": self._qms_complaint_defaults(),
        }

    def action_view_qms_complaints(self):
        self.ensure_one()
        field = self._fields["qms_complaint_ids"].inverse_name
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_complaint")
        action["domain"] = [(field, "=", self.id)]
        action["context"] = self._qms_complaint_defaults()
        return action
