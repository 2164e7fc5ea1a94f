from odoo.tests import HttpCase, tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestSatisfactionTours(HttpCase, QmsCase):
    """A satisfaction campaign in the browser: the management representative draws and sends it,
    the salesperson enters a customer's answers after a phone call, the campaign is scored and a
    visit planned for the dissatisfied customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"].search([("qms_long_term", "=", True)]).qms_long_term = False
        cls.customer.write({"qms_long_term": True, "qms_key_account": True})
        # Long-term, no e-mail address: surveyed by phone, its answers entered by its salesperson.
        cls.customer2.write({"qms_long_term": True, "email": False})

    def test_sampled_answered_by_sales_and_scored_in_the_browser(self):
        self.start_tour("/odoo", "qms_rep_start_satisfaction", login="qms_management_rep")
        campaign = self.env["qms.satisfaction.campaign"].search([("period", "=", "2025 Tour")])
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.participant_ids.partner_id, self.customer | self.customer2)
        participant = campaign.participant_ids.filtered(lambda p: p.partner_id == self.customer2)
        self.assertEqual(participant.channel, "phone")
        self.assertTrue(participant.user_input_id)
        # Another customer's salesperson cannot open it.
        self.authenticate("qms_sales", "qms_sales")
        self.assertIn("Survey Access Error", self.url_open(participant.survey_url).text)
        self.start_tour("/odoo", "qms_sales_find_survey_to_enter", login="qms_sales2")
        # Where Enter Answers leads: the customer's own questionnaire, filled in by the salesperson.
        self.start_tour(participant.survey_url, "qms_sales_enter_survey_answers", login="qms_sales2")
        self.assertEqual(participant.user_input_id.state, "done")
        self.start_tour("/odoo", "qms_rep_score_satisfaction", login="qms_management_rep")
        self.assertTrue(participant.dissatisfied)
        self.assertLess(participant.score, 60)
        self.assertEqual(participant.visit_id.visit_type, "dissatisfaction")
        self.assertEqual(participant.visit_id.partner_id, self.customer2)
