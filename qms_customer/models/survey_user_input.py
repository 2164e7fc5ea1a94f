from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A satisfaction questionnaire came back: its participant's answer deadline is met."""
        result = super()._mark_done()
        participants = (
            self.env["qms.satisfaction.participant"].sudo().search([("user_input_id", "in", self.ids)])
        )
        if participants:
            participants._qms_on_answered()
        return result
