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
            # Submitted by one of our users, not by the customer through its link (the public user)
            # nor by the system: they were entered for the customer.
            user = self.env.user
            person = user._is_internal() and not user._is_superuser()
            participants._qms_on_answered(entered_by=user if person else None)
        return result
