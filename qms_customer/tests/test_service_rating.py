import base64
import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REFUSED = "can only be changed by the workflow buttons"
LEVELS = ("attitude", "technical", "arrival", "promise")


class ServiceRatingCase(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales, cls.quality = cls.users["sales"], cls.users["quality"]
        cls.on_site = (
            cls.env["qms.customer.info"]
            .with_user(cls.sales)
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "contact_id": cls.contact.id,
                    "company_id": cls.company.id,
                    "channel": "on_site",
                    "info_type": "current_product",
                    "subject": "Guide-pin grease checked on the line",
                }
            )
        )

    def _rating(self, user=None, levels=("satisfied",) * 4, **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "staff_id": self.sales.id,
            **dict(zip(LEVELS, levels, strict=True)),
        }
        values.update(vals)
        return (
            self.env["qms.service.rating"]
            .with_user(user or self.sales)
            .with_company(self.company)
            .create(values)
        )


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestServiceRating(ServiceRatingCase):
    def test_sales_record_the_rating_of_an_on_site_service(self):
        action = self.on_site.with_user(self.sales).action_qms_new_service_rating()
        form = Form.from_action(self.env(user=self.sales), action)
        self.assertEqual((form.partner_id, form.contact_id), (self.customer, self.contact))
        self.assertEqual((form.customer_info_id, form.staff_id), (self.on_site, self.sales))
        form.attitude = "very_satisfied"
        form.technical = "satisfied"
        form.arrival = "average"
        form.promise = "satisfied"
        form.comment = "Came the same evening"
        rating = form.save()
        self.assertTrue(rating.name.startswith("SR/2025/"), rating.name)
        self.assertRecordValues(
            rating,
            [
                {
                    "date": date(2025, 1, 10),
                    "recorded_by_id": self.sales.id,
                    "state": "recorded",
                    "score": 80.0,  # (100 + 80 + 60 + 80) / 4
                    "any_poor": False,
                }
            ],
        )
        # Listed on the customer (a contact shows its company's) and per staff member.
        customer = self.customer.with_user(self.sales)
        self.assertEqual(customer.qms_service_rating_count, 1)
        self.assertEqual(self.contact.with_user(self.sales).qms_service_rating_count, 1)
        view = customer.action_view_qms_service_ratings()
        self.assertEqual(self.env["qms.service.rating"].search(view["domain"]), rating)
        groups = (
            self.env["qms.service.rating"]
            .with_user(self.quality)
            ._read_group([("company_id", "=", self.company.id)], ["staff_id"], ["score:avg"])
        )
        self.assertEqual(groups, [(self.sales, 80.0)])

    def test_quality_records_the_rating_of_a_visit(self):
        visit = (
            self.env["qms.visit"]
            .with_user(self.sales)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "reason": "Half-year visit",
                    "date_visit": "2025-01-09 02:00:00",
                }
            )
        )
        action = visit.with_user(self.quality).action_qms_new_service_rating()
        form = Form.from_action(self.env(user=self.quality), action)
        self.assertEqual((form.visit_id, form.staff_id, form.partner_id), (visit, self.sales, self.customer))
        for name in LEVELS:
            setattr(form, name, "very_satisfied")
        rating = form.save()
        self.assertEqual((rating.score, rating.recorded_by_id), (100.0, self.quality))
        # The salesperson reads it: the visit's customer is theirs.
        self.assertEqual(self.env["qms.service.rating"].with_user(self.sales).search([]), rating)

    def test_poor_rating_reaches_the_staff_manager_and_quality_managers_once(self):
        manager, quality_manager = self.users["technical"], self.users["quality_manager"]
        self.assertFalse(manager.email or quality_manager.email)
        boss = self.env["hr.employee"].create(
            {"name": "Boss", "user_id": manager.id, "company_id": self.company.id}
        )
        self.env["hr.employee"].create(
            {
                "name": "Sales",
                "user_id": self.sales.id,
                "parent_id": boss.id,
                "company_id": self.company.id,
            }
        )
        rating = self._rating(levels=("satisfied", "satisfied", "poor", "average"), comment="Two hours late")
        self.assertTrue(rating.any_poor)
        notice = rating.message_ids.filtered(lambda m: quality_manager.partner_id in m.partner_ids)
        self.assertEqual(len(notice), 1)
        self.assertIn(manager.partner_id, notice.partner_ids)
        self.assertEqual(notice.author_id, self.env.ref("base.partner_root"))
        self.assertIn("Arrival Time", str(notice.body))
        self.assertIn("Two hours late", str(notice.body))
        kinds = set(notice.notification_ids.mapped("notification_type"))
        self.assertEqual(kinds, {"inbox"}, "no e-mail address: the Odoo inbox")
        # Corrected to another poor criterion: not reported again; a good rating is not reported.
        rating.with_user(self.sales).write({"promise": "poor"})
        self.assertEqual(
            len(rating.message_ids.filtered(lambda m: quality_manager.partner_id in m.partner_ids)), 1
        )
        good = self._rating()
        self.assertFalse(good.message_ids.filtered(lambda m: quality_manager.partner_id in m.partner_ids))

    # ------------------------------------------------------------------ roles
    def test_salespeople_read_only_their_customers_ratings(self):
        rating = self._rating()
        Rating = self.env["qms.service.rating"]
        self.assertFalse(Rating.with_user(self.sales2).search([]))
        with self.assertRaises(AccessError):
            rating.with_user(self.sales2).read(["attitude"])
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            self._rating(user=self.sales2)
        for role in ("quality", "quality_manager", "general_manager", "management_rep"):
            with self.subTest(role=role):
                self.assertEqual(Rating.with_user(self.users[role]).search([]), rating)
        for role in ("warehouse", "technical", "chief_engineer"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                Rating.with_user(self.users[role]).search([])
        for role in ("general_manager", "management_rep"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                rating.with_user(self.users[role]).write({"comment": "Changed"})
        other = self._user("qms_other_quality_sr", "qms_customer.group_qms_quality")
        other.write(
            {"company_ids": [Command.set(self.other_company.ids)], "company_id": self.other_company.id}
        )
        self.assertFalse(Rating.with_user(other).search([]))

    def test_protected_fields_cancel_and_never_delete(self):
        rating = self._rating()
        for vals in (
            {"recorded_by_id": self.quality.id},
            {"state": "cancelled"},
            {"score": 10.0},
            {"any_poor": True},
            {"partner_id": self.customer2.id},
            {"company_id": self.other_company.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                rating.with_user(self.quality).write(vals)
        with self.assertRaisesRegex(UserError, REFUSED):
            self._rating(recorded_by_id=self.quality.id)
        self.assertRecordValues(
            rating, [{"recorded_by_id": self.sales.id, "state": "recorded", "score": 80.0}]
        )
        with self.assertRaises(AccessError):
            rating.with_user(self.quality).unlink()
        with self.assertRaisesRegex(UserError, "are kept"):
            rating.sudo().unlink()
        action = rating.with_user(self.sales).action_open_cancel_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.sales)
            .with_context(**action["context"])
            .create({"reason": "Recorded for the wrong customer contact"})
        )
        wizard.action_confirm()
        self.assertEqual(rating.state, "cancelled")
        with self.assertRaisesRegex(UserError, "is cancelled"):
            rating.with_user(self.sales).write({"attitude": "poor"})
        rating.with_user(self.sales).active = False
        self.assertFalse(rating.active)

    def test_bad_input_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Sun Ting", "parent_id": self.customer2.id})
        with (
            self.assertRaisesRegex(ValidationError, "must all be of Huadong Auto Parts"),
            self.env.cr.savepoint(),
        ):
            self._rating(user=self.quality, contact_id=stranger.id)
        other_info = (
            self.env["qms.customer.info"]
            .with_user(self.quality)
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.customer2.id,
                    "company_id": self.company.id,
                    "channel": "on_site",
                    "subject": "Jiangnan line stop",
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "must all be of"), self.env.cr.savepoint():
            self._rating(user=self.quality, customer_info_id=other_info.id)
        with self.assertRaisesRegex(ValidationError, "future"), self.env.cr.savepoint():
            self._rating(date="2025-01-11")
        self.assertFalse(
            self.env["qms.service.rating"].search(
                [("partner_id", "in", (self.customer | self.customer2).ids)]
            )
        )


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestServiceRatingAnalysis(ServiceRatingCase):
    """The service ratings of the period are shown with the survey results of the campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"].search([("qms_long_term", "=", True)]).qms_long_term = False
        cls.customer.write({"qms_long_term": True, "qms_key_account": True})
        cls.customer2.write({"qms_long_term": True})
        cls.campaign = (
            cls.env["qms.satisfaction.campaign"]
            .with_user(cls.users["management_rep"])
            .with_company(cls.company)
            .create({"company_id": cls.company.id, "period": "2025"})
        )
        cls.campaign.action_sample()

    def test_analysis_shows_the_ratings_per_customer_and_criterion(self):
        self.assertEqual(self.campaign.participant_ids.partner_id, self.customer | self.customer2)
        self._rating(levels=("very_satisfied", "satisfied", "poor", "satisfied"))
        self._rating(levels=("satisfied", "satisfied", "average", "satisfied"), date="2024-06-01")
        self._rating(user=self.quality, partner_id=self.customer2.id, levels=("average",) * 4)
        self._rating(levels=("poor",) * 4, date="2023-12-31")  # before the period
        self._rating(levels=("poor",) * 4).with_user(self.sales).with_context(
            qms_cancel_reason="Twice"
        ).action_cancel()
        service = self.campaign.with_user(self.users["general_manager"])._qms_analysis()["service"]
        self.assertEqual((service["date_from"], service["date_to"]), (date(2024, 1, 10), date(2025, 2, 10)))
        self.assertEqual(service["count"], 3)
        summary = {line["criterion"]: line for line in service["summary"]}
        # Attitude: 1 very satisfied, 1 satisfied, 1 average of 3.
        self.assertEqual(
            [round(s, 1) for s in summary["Service Attitude"]["shares"]], [33.3, 33.3, 33.3, 0.0]
        )
        self.assertEqual([round(s, 1) for s in summary["Arrival Time"]["shares"]], [0.0, 0.0, 66.7, 33.3])
        customers = {line["participant"].partner_id: line for line in service["customers"]}
        self.assertEqual(customers[self.customer]["count"], 2)
        self.assertEqual(customers[self.customer]["scores"], [90.0, 80.0, 30.0, 80.0])
        self.assertEqual(customers[self.customer2]["scores"], [60.0] * 4)
        # The PDF and the workbook show them.
        gm = self.users["general_manager"]
        report = "qms_customer.report_qms_satisfaction_analysis"
        html, _type = self.env["ir.actions.report"].with_user(gm)._render_qweb_html(report, self.campaign.ids)
        html = html.decode()
        section = html.split('name="service_summary"')[1]
        self.assertIn("Keeping Promises", section)
        self.assertIn("66.7", section)
        self.assertIn("Jiangnan Appliance", html.split('name="service_customers"')[1])
        self.campaign.with_user(gm).action_export_analysis()
        wizard = (
            self.env["qms.satisfaction.analysis.wizard"].with_user(gm).search([], order="id desc", limit=1)
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        values = [row for row in book["Service Ratings"].iter_rows(values_only=True) if row[0]]
        self.assertIn(("Arrival Time", 0.0, 0.0, 66.7, 33.3, 3), values)
        self.assertIn(("Huadong Auto Parts", 2, 90.0, 80.0, 30.0, 80.0), values)

    def test_ratings_are_read_in_constant_queries(self):
        def queries():
            self.env.invalidate_all()
            with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
                self.campaign._qms_service_ratings()
            return [line.split("query: ", 1)[-1][:200] for line in logs.output]

        self._rating()
        queries()  # warm the caches of the field descriptions and the rules
        few = queries()
        others = self.env["res.partner"].create(
            [{"name": f"Long-term {n}", "is_company": True, "qms_long_term": True} for n in range(6)]
        )
        self.campaign.action_sample()
        for partner in others:
            self._rating(user=self.quality, partner_id=partner.id)
        self.assertGreater(len(self.campaign.participant_ids), 5)
        many = queries()
        self.assertEqual(len(many), len(few), "\n".join(many))
