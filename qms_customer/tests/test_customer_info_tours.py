from odoo.tests import HttpCase, tagged

from .test_customer_info import CustomerInfoCase


@tagged("post_install", "-at_install")
class TestCustomerInfoTours(HttpCase, CustomerInfoCase):
    """The register in the browser, each role from its home screen: the salesperson registers an
    important quality problem, replies and converts it into a complaint in one click; the chief
    engineer, notified at once, finds it with its complaint."""

    def test_registered_replied_converted_and_read_by_the_chief_engineer(self):
        self.start_tour("/odoo", "qms_sales_register_customer_info", login="qms_sales")
        info = self.env["qms.customer.info"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            info,
            [
                {
                    "state": "converted",
                    "important": True,
                    "info_type": "quality_problem",
                    "subject": "Caliper squeal on the road test",
                    "registered_by_id": self.sales.id,
                    "replied_by_id": self.sales.id,
                    "user_id": self.sales.id,
                }
            ],
        )
        self.assertLessEqual(info.date_replied, info.reply_deadline)
        complaint = info.complaint_id
        self.assertEqual((complaint.customer_info_id, complaint.partner_id), (info, self.customer))
        self.assertIn("guide-pin grease", complaint.description)
        notice = info.message_ids.filtered(lambda m: self.chief.partner_id in m.partner_ids)
        self.assertEqual(len(notice), 1, "the chief engineer was notified at once")
        self.start_tour("/odoo", "qms_chief_reads_important_customer_info", login="qms_chief_engineer")
