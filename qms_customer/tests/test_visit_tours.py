from odoo.tests import HttpCase, tagged

from .test_visit import VisitCase


@tagged("post_install", "-at_install")
class TestVisitTours(HttpCase, VisitCase):
    """A visit in the browser, each role from its home screen: the salesperson records it with the
    customer's question, R&D answers within its five working days, the salesperson sends the
    reply letter."""

    def test_recorded_answered_and_replied_in_the_browser(self):
        self.start_tour("/odoo", "qms_sales_record_visit", login="qms_sales")
        visit = self.env["qms.visit"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            visit,
            [
                {
                    "state": "recorded",
                    "user_id": self.users["sales"].id,
                    "recorded_by_id": self.users["sales"].id,
                    "summary": "Deliveries and the new housing discussed",
                }
            ],
        )
        self.assertLessEqual(visit.date_recorded, visit.record_deadline)
        question = visit.question_ids
        self.assertRecordValues(
            question,
            [{"department_id": self.department.id, "user_id": self.technical.id, "state": "open"}],
        )
        self.start_tour("/odoo", "qms_technical_answer_question", login="qms_technical")
        self.assertRecordValues(question, [{"state": "answered", "answered_by_id": self.technical.id}])
        self.assertLessEqual(question.date_answered, question.answer_deadline)
        self.start_tour("/odoo", "qms_sales_send_visit_reply", login="qms_sales")
        self.assertEqual((question.state, visit.state), ("sent", "closed"))
        reply = visit.message_ids.filtered(lambda m: m.message_type == "comment" and m.attachment_ids)
        self.assertEqual(len(reply), 1, "the reply letter went to the customer with its PDF")
        self.assertIn(self.customer, reply.partner_ids)
