from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from ..tools.form_spec import form_read_spec
from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


class SampleCase(QmsCase):
    """Sample categories of the procedures, and a quality engineer keeping the sample room."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plastic = cls.env.ref("qms_customer.sample_category_plastic")
        cls.rubber = cls.env.ref("qms_customer.sample_category_rubber")
        cls.stamped = cls.env.ref("qms_customer.sample_category_stamped")
        cls.users["quality"].name = "Wang Fang"
        cls.users["technical"].name = "Li Ming"
        cls.users["quality_manager"].name = "Chen Jie"
        cls.product.qms_drawing_revision = "B"
        cls.product2 = cls.env["product.product"].create(
            {"name": "Jiangnan Knob", "type": "consu", "is_storable": True}
        )

    @contextmanager
    def _refused(self, exception, regex):
        """A refusal that leaves nothing behind (the savepoint undoes what was written first)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _sample(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "product_id": self.product.id,
            "category_id": self.plastic.id,
            "sample_type": "limit",
            "user_id": self.users["quality"].id,
        }
        values.update(vals)
        return self.env["qms.sample"].with_user(user or self.users["quality"]).create(values)

    def _sealed(self, **vals):
        sample = self._sample(**vals)
        sample.action_submit_review()
        sample.with_user(self.users["quality_manager"]).action_sign_quality()
        sample.with_user(self.users["technical"]).action_sign_technical()
        if sample.customer_signs:
            sample.write({"customer_signer_name": "Ma Xiaodong"})
            sample.action_sign_customer()
        sample.action_seal()
        return sample

    def _activities(self, sample, xmlid):
        return sample.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestSampleSealing(SampleCase):
    def test_sealed_by_quality_and_rnd_then_valid_for_its_category(self):
        sample = self._sample()
        self.assertEqual((sample.title, sample.drawing_revision), ("Brake Caliper", "B"))
        self.assertTrue(sample.name.startswith("FY/"))
        sample.action_submit_review()
        self.assertEqual((sample.state, sample.applied_by_id), ("review", self.users["quality"]))
        with self._refused(UserError, "cannot be sealed before it is signed: .*Quality Signed On"):
            sample.action_seal()
        with self._refused(UserError, "Quality Manager only"):
            sample.action_sign_quality()  # a quality engineer is not the quality manager
        sample.with_user(self.users["quality_manager"]).action_sign_quality()
        with self._refused(UserError, "R&D Signed On"):
            sample.action_seal()
        with self._refused(UserError, "Technical / R&D only"):
            sample.with_user(self.users["quality_manager"]).action_sign_technical()
        sample.with_user(self.users["technical"]).action_sign_technical()
        with self._refused(UserError, "Quality Engineer only"):
            sample.with_user(self.users["technical"]).action_seal()
        sample.action_seal()
        self.assertEqual(sample.state, "sealed")
        self.assertEqual(sample.quality_signed_by_id, self.users["quality_manager"])
        self.assertEqual(sample.technical_signed_by_id, self.users["technical"])
        self.assertEqual(sample.quality_signed_on, datetime(2025, 1, 10, 8, 0))
        self.assertEqual(sample.date_sealed, date(2025, 1, 10))
        # Plastic: six months. Valid through 10 July, expires at midnight in Shanghai.
        self.assertEqual(sample.date_valid_until, date(2025, 7, 10))
        self.assertEqual(sample.expiry_deadline, datetime(2025, 7, 10, 16, 0))
        self.assertEqual(sample.verification_deadline, datetime(2026, 1, 10, 16, 0))

    def test_validity_per_category(self):
        for category, until in (
            (self.plastic, date(2025, 7, 10)),
            (self.rubber, date(2025, 4, 10)),
            (self.stamped, date(2026, 1, 10)),
        ):
            with self.subTest(category=category.name):
                self.assertEqual(self._sealed(category_id=category.id).date_valid_until, until)
        # Configurable per category: a later change applies to samples sealed afterwards.
        self.plastic.with_user(self.users["quality_manager"]).validity_months = 4
        self.assertEqual(self._sealed().date_valid_until, date(2025, 5, 10))

    def test_validity_must_be_positive(self):
        for months in (0, -6):
            with self.subTest(months=months), self._refused(ValidationError, "at least one month"):
                self.plastic.write({"validity_months": months})
            with self._refused(ValidationError, "at least one month"):
                self.env["qms.sample.category"].create({"name": "Foam", "verification_months": months})
        self.assertEqual(self.plastic.validity_months, 6)

    def test_one_person_cannot_sign_both_sides(self):
        both = self._user("qms_qm_rnd", "qms_customer.group_qms_quality_manager")
        both.groups_id = [Command.link(self.env.ref("qms_customer.group_qms_technical").id)]
        sample = self._sample()
        sample.action_submit_review()
        sample.with_user(both).action_sign_quality()
        with self._refused(UserError, "two different people"):
            sample.with_user(both).action_sign_technical()
        with self._refused(UserError, "already signed by Chen Jie|already signed by"):
            sample.with_user(self.users["quality_manager"]).action_sign_quality()
        self.assertFalse(sample.technical_signed_on)

    def test_customer_signature_when_the_customer_signs(self):
        sample = self._sample(customer_signs=True)
        sample.action_submit_review()
        sample.with_user(self.users["quality_manager"]).action_sign_quality()
        sample.with_user(self.users["technical"]).action_sign_technical()
        with self._refused(UserError, "Customer Signed On"):
            sample.action_seal()
        with self._refused(UserError, "name of the customer's representative"):
            sample.action_sign_customer()
        sample.write({"customer_signer_name": "Ma Xiaodong"})
        sample.action_sign_customer()
        sample.action_seal()
        self.assertEqual((sample.state, sample.customer_signed_on), ("sealed", datetime(2025, 1, 10, 8, 0)))

    def test_sent_back_clears_the_signatures(self):
        sample = self._sample()
        sample.action_submit_review()
        sample.with_user(self.users["quality_manager"]).action_sign_quality()
        sample.with_user(self.users["technical"]).action_reset_draft()
        self.assertEqual((sample.state, sample.quality_signed_on), ("draft", False))
        sample.write({"drawing_revision": "C"})  # a draft is edited again

    def test_what_was_reviewed_is_frozen(self):
        sample = self._sample()
        sample.action_submit_review()
        for vals in ({"product_id": self.product2.id}, {"category_id": self.rubber.id}, {"title": "Other"}):
            with self.subTest(vals=vals), self._refused(UserError, "can no longer change"):
                sample.write(vals)
        self.assertEqual(sample.category_id, self.plastic)
        for vals in ({"state": "sealed"}, {"date_valid_until": "2099-01-01"}, {"quality_signed_by_id": 1}):
            with self.subTest(vals=vals), self._refused(UserError, "workflow buttons"):
                sample.write(vals)

    def test_nothing_with_history_is_deleted(self):
        draft = self._sample()
        draft.unlink()  # a draft never applied for may go
        sample = self._sealed()
        with self._refused(UserError, "cannot be deleted"):
            sample.unlink()
        with self._refused(UserError, "cannot be deleted"):
            self.plastic.with_user(self.users["quality_manager"]).unlink()
        sample.action_archive()
        self.assertFalse(sample.active)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestSampleUse(SampleCase):
    def test_check_out_and_back(self):
        sample = self._sealed()
        technical = self.users["technical"]
        action = sample.with_user(technical).action_check_out()
        self.assertEqual(action["res_model"], "qms.sample.checkout.wizard")
        wizard = (
            self.env["qms.sample.checkout.wizard"]
            .with_user(technical)
            .with_context(**action["context"])
            .create({"purpose": "first_article", "note": "First article of lot 2501"})
        )
        wizard.action_confirm()
        self.assertTrue(sample.checked_out)
        log = sample.checkout_ids
        self.assertEqual(
            (log.user_id, log.purpose, log.date_out), (technical, "first_article", datetime(2025, 1, 10, 8))
        )
        with self._refused(UserError, "already checked out by Li Ming"):
            sample.action_check_out()
        with self._refused(UserError, "checked out by Li Ming: it can only be destroyed"):
            sample.sudo()._qms_workflow_write({"state": "expired"})
            sample._qms_destroy("Crushed")
        # Back in through the button's wizard, as the form does it.
        action = sample.action_check_in()
        self.assertEqual(action["context"]["default_mode"], "in")
        self.env["qms.sample.checkout.wizard"].with_user(self.users["quality"]).with_context(
            **action["context"]
        ).create({"condition": "good", "note": "Compared, fine"}).action_confirm()
        self.assertFalse(sample.checked_out)
        self.assertEqual((log.condition, log.received_by_id), ("good", self.users["quality"]))
        with self._refused(UserError, "is not checked out"):
            sample.action_check_in()

    def test_only_a_valid_sample_is_checked_out(self):
        for state in ("expired", "do_not_use", "review"):
            sample = self._sealed() if state != "review" else self._sample()
            if state == "review":
                sample.action_submit_review()
            else:
                sample.sudo()._qms_workflow_write({"state": state})
            with (
                self.subTest(state=state),
                self._refused(UserError, "only a sealed, valid sample can be used"),
            ):
                sample._qms_check_out(self.users["quality"], "dispute")
            self.assertFalse(sample.checkout_ids)

    def test_a_category_that_never_leaves_the_room(self):
        self.plastic.stays_in_room = True
        sample = self._sealed()
        with self._refused(UserError, "never leaves the sample room"):
            sample._qms_check_out(
                self.users["quality"], "dispute", in_room=False, destination="Customer site"
            )
        sample._qms_check_out(self.users["quality"], "dispute", in_room=True)
        self.assertTrue(sample.checked_out)

    def test_damaged_on_return_is_do_not_use_and_sales_asks_the_customer(self):
        sample = self._sealed()
        sample._qms_check_out(self.users["quality"], "dispute", in_room=False, destination="Huadong plant")
        sample._qms_check_in("damaged", note="Corner broken")
        self.assertEqual(sample.state, "do_not_use")
        self.assertIn("Corner broken", sample.do_not_use_reason)
        todo = sample.activity_ids.filtered(lambda a: a.user_id == self.users["sales"])
        self.assertEqual(len(todo), 1)
        self.assertIn("confirm a new sample", todo.summary)
        self.assertEqual(todo.create_uid, self.env.ref("base.user_root"))
        self.assertFalse(sample.verification_deadline)

    def test_roles_that_may_not_use_the_room(self):
        sample = self._sealed()
        for role in ("sales", "warehouse", "general_manager"):
            with self.subTest(role=role), self.assertRaises(UserError):
                sample.with_user(self.users[role]).action_check_out()
        with self.assertRaises(AccessError):
            self.env["qms.sample.checkout"].with_user(self.users["quality"]).create(
                {"sample_id": sample.id, "user_id": self.users["quality"].id, "purpose": "other"}
            )
        self.assertFalse(sample.checkout_ids)

    def test_replace_then_destroy_with_a_record(self):
        sample = self._sealed()
        with self._refused(UserError, "Sealed: you cannot destroy it"):
            sample._qms_destroy("Crushed")
        action = sample.action_replace()
        new = self.env["qms.sample"].browse(action["res_id"])
        self.assertEqual((new.state, new.replaces_id, new.title), ("draft", sample, sample.title))
        with self._refused(UserError, "already being replaced"):
            sample.action_replace()
        new.action_submit_review()
        new.with_user(self.users["quality_manager"]).action_sign_quality()
        new.with_user(self.users["technical"]).action_sign_technical()
        new.action_seal()
        self.assertEqual(sample.state, "replaced")
        self.assertEqual(sample.replaced_by_id, new)
        with self._refused(UserError, "how and by whom"):
            sample._qms_destroy("  ")
        sample._qms_destroy("Cut up in front of the customer's quality engineer")
        self.assertEqual((sample.state, sample.destroyed_by_id), ("destroyed", self.users["quality"]))
        self.assertTrue(sample.date_destroyed)

    def test_replaces_is_set_by_replace_only(self):
        old = self._sealed()
        with self._refused(UserError, "workflow buttons"):
            self._sample(replaces_id=old.id)

    def test_design_change_invalidates_the_samples_at_once(self):
        sealed, draft = self._sealed(), self._sample()
        other = self._sealed(product_id=self.product2.id)
        self.product.product_tmpl_id.qms_drawing_revision = "C"
        self.assertEqual((sealed.state, draft.state, other.state), ("do_not_use", "do_not_use", "sealed"))
        self.assertIn("C", sealed.do_not_use_reason)
        self.assertEqual(self._sample().drawing_revision, "C")
        # A first revision of a product is no change.
        self.product2.product_tmpl_id.qms_drawing_revision = "A"
        self.assertEqual(other.state, "sealed")


@tagged("post_install", "-at_install")
class TestSampleDeadlines(SampleCase):
    def test_expiry_reminder_then_expired_once(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            sample = self._sealed()
        Sample = self.env["qms.sample"]
        with freeze_time("2025-06-09 08:00:00"):  # 31 days before: nothing yet
            Sample._cron_qms_samples()
            self.assertFalse(self._activities(sample, REMINDER))
        with freeze_time("2025-06-11 08:00:00"):  # within 30 days
            Sample._cron_qms_samples()
            Sample._cron_qms_samples()
            reminder = self._activities(sample, REMINDER)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.users["quality"])
            self.assertEqual(sample.expiry_status, "due_soon")
        with freeze_time("2025-07-10 15:59:00"):  # still the last valid day in Shanghai
            Sample._cron_qms_samples()
            self.assertEqual(sample.state, "sealed")
        with freeze_time("2025-07-10 16:01:00"):
            Sample._cron_qms_samples()
            Sample._cron_qms_samples()
            self.assertEqual((sample.state, sample.date_expired), ("expired", datetime(2025, 7, 10, 16, 1)))
            escalation = self._activities(sample, ESCALATION)
            self.assertEqual(escalation.user_id, self.users["quality_manager"])
            self.assertEqual(len(escalation), 1)
            self.assertEqual(len(sample.message_ids.filtered(lambda m: "Expired" in (m.body or ""))), 1)
            rows = self.env["qms.overdue.report"]._rows(self.company)
            self.assertIn(sample.display_name, [row["reference"] for row in rows])
            self.assertFalse(sample.verification_deadline)

    def test_verification_cycle_quarterly_customers_and_records(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            sample = self._sealed(category_id=self.stamped.id)
            self.assertEqual(sample.verification_deadline, datetime(2026, 1, 10, 16, 0))
            self.customer.qms_sample_quarterly_check = True
            self.assertEqual(sample.verification_deadline, datetime(2025, 4, 10, 16, 0))
        with freeze_time("2025-04-01 08:00:00"):  # 14 days' notice
            self.env["qms.sample"]._cron_qms_samples()
            self.assertEqual(len(self._activities(sample, REMINDER)), 1)
            action = sample.action_verify()
            verification = (
                self.env["qms.sample.verification"]
                .with_user(self.users["quality"])
                .with_context(**action["context"])
                .create({"with_customer": True, "finding": "Matches the drawing"})
            )
            self.assertEqual(verification.verified_by_id, self.users["quality"])
            self.assertEqual(sample.date_last_verified, date(2025, 4, 1))
            self.assertEqual(sample.verification_deadline, datetime(2025, 7, 1, 16, 0))
            self.assertFalse(self._activities(sample, REMINDER))  # the old reminder is done
            with self._refused(UserError, "is a record"):
                verification.write({"result": "invalid"})
            with self._refused(AccessError, "not allowed to delete"):
                verification.unlink()
            with self._refused(UserError, "cannot be deleted"):
                verification.sudo().unlink()

    def test_verification_bad_input(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            sample = self._sealed()
            Verification = self.env["qms.sample.verification"].with_user(self.users["quality"])
            with self._refused(UserError, "cannot be dated in the future"):
                Verification.create({"sample_id": sample.id, "date_verified": "2025-01-11"})
            with self._refused(UserError, "cannot have been verified before"):
                Verification.create({"sample_id": sample.id, "date_verified": "2025-01-09"})
            with self._refused(UserError, "no longer valid"):
                Verification.create({"sample_id": sample.id, "result": "invalid"})
            with self._refused(AccessError, "not allowed to create"):
                Verification.with_user(self.users["technical"]).create({"sample_id": sample.id})
            self.assertFalse(sample.verification_ids)
            Verification.create({"sample_id": sample.id, "result": "invalid", "finding": "Discoloured"})
            self.assertEqual(sample.state, "do_not_use")

    def test_cron_is_idempotent_and_survives_a_bad_record(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            samples = self._sealed() | self._sealed() | self._sealed(category_id=self.rubber.id)
        with freeze_time("2025-04-11 08:00:00"):
            self.env["qms.sample"]._cron_qms_samples()
            self.assertEqual(samples.mapped("state"), ["sealed", "sealed", "expired"])
            count = self.env["mail.activity"].search_count([("res_model", "=", "qms.sample")])
            self.env["qms.sample"]._cron_qms_samples()
            self.assertEqual(
                self.env["mail.activity"].search_count([("res_model", "=", "qms.sample")]), count
            )


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestSampleAccess(SampleCase):
    def test_sales_see_their_own_customers_samples_only(self):
        mine = self._sealed()
        theirs = self._sealed(partner_id=self.customer2.id, product_id=self.product2.id)
        sales = self.users["sales"]
        Sample = self.env["qms.sample"].with_user(sales)
        self.assertEqual(Sample.search([("id", "in", (mine | theirs).ids)]), mine)
        self.env["qms.sample.verification"].create({"sample_id": theirs.id})
        self.assertFalse(
            self.env["qms.sample.verification"].with_user(sales).search([("sample_id", "=", theirs.id)])
        )
        with self.assertRaises(AccessError):
            theirs.with_user(sales).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(sales).write({"storage_location": "Shelf 3"})
        with self.assertRaises(AccessError):
            self._sample(user=sales)
        self.assertEqual(self.customer.with_user(sales).qms_sample_count, 1)

    def test_who_reads_and_who_writes(self):
        sample = self._sealed()
        for role in (
            "quality",
            "quality_manager",
            "technical",
            "chief_engineer",
            "general_manager",
            "management_rep",
        ):
            with self.subTest(role=role):
                self.assertEqual(sample.with_user(self.users[role]).read(["name"])[0]["name"], sample.name)
        with self.assertRaises(AccessError):
            sample.with_user(self.users["warehouse"]).read(["name"])
        for role in ("general_manager", "management_rep"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                sample.with_user(self.users[role]).write({"note": "<p>x</p>"})
        with self._refused(UserError, "Quality Engineer only"):
            sample.with_user(self.users["technical"]).write({"storage_location": "Shelf 9"})
        sample.with_user(self.users["technical"]).write({"note": "<p>Drawing B, sheet 2</p>"})

    def test_another_company_sees_nothing(self):
        sample = self._sealed()
        outsider = self._user("qms_quality_other", "qms_customer.group_qms_quality")
        outsider.write(
            {"company_ids": [Command.set(self.other_company.ids)], "company_id": self.other_company.id}
        )
        self.assertFalse(self.env["qms.sample"].with_user(outsider).search([("id", "=", sample.id)]))

    def test_every_role_opens_the_screens(self):
        sample = self._sealed(customer_signs=True)
        sample._qms_check_out(self.users["quality"], "dispute")
        self.env["qms.sample.verification"].with_user(self.users["quality"]).create({"sample_id": sample.id})
        readers = 0
        for role, user in self.users.items():
            env = self.env(user=user)
            if not env["qms.sample"].has_access("read"):
                continue
            with self.subTest(role=role):
                views = env["qms.sample"].get_views(
                    [(False, v) for v in ("list", "form", "kanban", "search")]
                )
                self.assertEqual(set(views["views"]), {"list", "form", "kanban", "search"})
                if not env["qms.sample"].search_count([("id", "=", sample.id)]):
                    continue
                readers += 1
                values = sample.with_user(user).web_read(form_read_spec(env["qms.sample"]))[0]
                self.assertEqual(values["name"], sample.name)
                for model in ("qms.sample.verification", "qms.sample.checkout"):
                    env[model].search_read([("sample_id", "=", sample.id)], ["display_name"])
        self.assertEqual(readers, 7, "every role but the warehouse reads the sample")
