from odoo import fields, models


class QmsCustomerPropertyIncidentAnswerWizard(models.TransientModel):
    """The customer's answer to a problem report about its property, as it was received (e-mail,
    letter, phone call): kept on the incident, which meets the answer deadline."""

    _name = "qms.customer.property.incident.answer.wizard"
    _description = "Record the Customer's Answer"

    incident_id = fields.Many2one("qms.customer.property.incident", required=True, ondelete="cascade")
    answer = fields.Text(
        string="Customer's Answer",
        required=True,
        help="What the customer answered, and how (e-mail, letter, phone call with whom).",
    )

    def action_confirm(self):
        self.ensure_one()
        self.incident_id._qms_record_answer(self.answer)
        return {"type": "ir.actions.act_window_close"}
