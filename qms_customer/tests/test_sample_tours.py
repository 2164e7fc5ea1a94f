from dateutil.relativedelta import relativedelta

from odoo.tests import HttpCase, tagged

from .test_sample import SampleCase


@tagged("post_install", "-at_install")
class TestSampleTours(HttpCase, SampleCase):
    """A plastic limit sample sealed in the browser, each role from its home screen: quality
    applies, the quality manager and R&D sign, quality seals it, checks it out for a first-article
    comparison and back, and verifies it."""

    def test_sealed_checked_out_and_verified_in_the_browser(self):
        self.start_tour("/odoo", "qms_quality_apply_sealing", login="qms_quality")
        sample = self.env["qms.sample"].search([("title", "=", "Caliper housing colour limit")])
        self.assertRecordValues(
            sample,
            [
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product2.id,
                    "category_id": self.plastic.id,
                    "sample_type": "limit",
                    "storage_location": "Sample room A-03",
                    "state": "review",
                    "applied_by_id": self.users["quality"].id,
                }
            ],
        )
        self.start_tour("/odoo", "qms_quality_manager_sign_sample", login="qms_quality_manager")
        self.start_tour("/odoo", "qms_technical_sign_sample", login="qms_technical")
        self.assertRecordValues(
            sample,
            [
                {
                    "quality_signed_by_id": self.users["quality_manager"].id,
                    "technical_signed_by_id": self.users["technical"].id,
                    "state": "review",
                }
            ],
        )
        self.start_tour("/odoo", "qms_quality_seal_and_use_sample", login="qms_quality")
        self.assertRecordValues(
            sample,
            [{"state": "sealed", "sealed_by_id": self.users["quality"].id, "checked_out": False}],
        )
        # Plastic: valid for six months from the sealing.
        self.assertEqual(sample.date_valid_until, sample.date_sealed + relativedelta(months=6))
        checkout = sample.checkout_ids
        self.assertRecordValues(
            checkout,
            [
                {
                    "user_id": self.users["technical"].id,
                    "purpose": "first_article",
                    "condition": "good",
                }
            ],
        )
        self.assertTrue(checkout.date_in)
        self.assertRecordValues(
            sample.verification_ids,
            [{"result": "valid", "verified_by_id": self.users["quality"].id}],
        )
