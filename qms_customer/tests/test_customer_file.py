from datetime import date, datetime, timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.mail.tools.discuss import Store
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import QmsCase

FILE_OWNER = "qms_customer.group_qms_customer_file"
# Roles that must never see a customer file.
OUTSIDERS = (
    "sales",
    "quality",
    "quality_manager",
    "technical",
    "warehouse",
    "chief_engineer",
    "management_rep",
)
REFUSED = "can only be changed by the workflow buttons"
SECRET = "Credit limit CNY 5 M"
NOW = "2025-07-15 02:00:00"  # 10:00 in Shanghai


class CustomerFileCase(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo tracks no change of a record in the transaction that created it: end that phase.
        cls.env.flush_all()
        cls.env.cr.flush()
        cls.owner = cls._user("qms_file_owner", FILE_OWNER)
        cls.gm = cls.users["general_manager"]
        # Users as companies create them may export: the file's fields must still be refused.
        export = cls.env.ref("base.group_allow_export")
        for user in (*cls.users.values(), cls.owner):
            user.groups_id = [Command.link(export.id)]
        cls.customer.write({"company_id": cls.company.id, "customer_rank": 1})
        cls.customer2.write({"company_id": cls.company.id, "customer_rank": 1})
        cls.document = (
            cls.env["ir.attachment"]
            .with_user(cls.owner)
            .create({"name": "business-licence.pdf", "raw": b"%PDF licence"})
        )
        cls.customer.with_user(cls.owner).write(
            {
                "qms_file_credit_status": "good",
                "qms_file_credit_notes": SECRET,
                "qms_file_scale": "3,200 staff",
                "qms_file_document_ids": [Command.link(cls.document.id)],
            }
        )

    def _as(self, role_or_user, record=None):
        user = self.users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        return (record or self.customer).with_user(user)


@tagged("post_install", "-at_install")
class TestCustomerFileConfidential(CustomerFileCase):
    """Nobody outside the file owners and the general manager gets anything of a file, through
    any door the web client or an RPC caller uses."""

    def test_outsiders_get_nothing(self):
        for role in OUTSIDERS:
            partner = self._as(role)
            model = partner.browse()
            with self.subTest(role=role):
                self.assertTrue(partner.has_access("read"), "the customer itself stays readable")
                self.assertEqual(partner.read(["name"])[0]["name"], "Huadong Auto Parts")
                with self.assertRaises(AccessError):
                    partner.read(["qms_file_credit_status"])
                with self.assertRaises(AccessError):
                    model.search([("qms_file_credit_notes", "ilike", "CNY")])
                with self.assertRaises(AccessError):
                    model.search([("qms_file_state", "=", "approved")])
                with self.assertRaises(AccessError):
                    model.search_read([("id", "=", self.customer.id)], ["qms_file_credit_notes"])
                # What read() and search_read() return when no field is named.
                readable = model.check_field_access_rights("read", None)
                self.assertFalse([name for name in readable if name.startswith("qms_file_")])
                with self.assertRaises(AccessError):
                    partner.export_data(["qms_file_credit_notes"])
                self.assertFalse([name for name in model.fields_get() if name.startswith("qms_file_")])
                with self.assertRaises(AccessError):
                    partner.web_read({"qms_file_credit_status": {}})
                with self.assertRaises(AccessError):
                    model.web_search_read([("id", "=", self.customer.id)], {"qms_file_scale": {}})
                with self.assertRaises(AccessError):
                    model.read_group([], ["qms_file_credit_status"], ["qms_file_credit_status"])
                with self.assertRaises(AccessError):
                    model.web_read_group([], ["qms_file_state"], ["qms_file_state"])
                partner.invalidate_recordset()
                with self.assertRaises(AccessError):
                    _value = partner.qms_file_credit_notes
                # A contact shows its company's file (commercial fields): as protected.
                with self.assertRaises(AccessError):
                    self._as(role, self.contact).read(["qms_file_credit_notes"])
                # The form the web client opens: no trace of the file in its view or its fields.
                views = model.get_views([(False, "form"), (False, "list"), (False, "search")])
                for view in views["views"].values():
                    self.assertNotIn("qms_file_", view["arch"])
                self.assertFalse(
                    [f for f in views["models"]["res.partner"]["fields"] if f.startswith("qms_file_")]
                )

    def test_outsiders_cannot_write_or_create_a_file(self):
        for role in ("sales", "quality", "management_rep"):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self._as(role).sudo(False).write({"qms_file_credit_status": "poor"})
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(self.users[role]).create(
                        {"name": "New customer", "qms_file_credit_status": "poor"}
                    )
        self.assertEqual(self.customer.qms_file_credit_status, "good")

    def test_owner_and_general_manager_read_the_file(self):
        for user in (self.owner, self.gm):
            with self.subTest(user=user.login):
                partner = self._as(user)
                self.assertEqual(partner.read(["qms_file_credit_notes"])[0]["qms_file_credit_notes"], SECRET)
                self.assertIn(
                    self.customer, partner.browse().search([("qms_file_credit_status", "=", "good")])
                )
                self.assertIn("qms_file_credit_status", partner.fields_get())
                form = partner.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertIn('name="qms_customer_file"', form)
                self.assertIn("qms_file_credit_notes", form)
                exported = partner.export_data(["qms_file_credit_notes"])["datas"]
                self.assertEqual(exported, [[SECRET]])
                groups = partner.browse().read_group(
                    [("id", "=", self.customer.id)], ["qms_file_credit_status"], ["qms_file_credit_status"]
                )
                self.assertEqual(groups[0]["qms_file_credit_status"], "good")
                values = partner.web_read({"qms_file_document_ids": {"fields": {"name": {}}}})[0]
                self.assertEqual(values["qms_file_document_ids"][0]["name"], "business-licence.pdf")
                self.assertEqual(self._as(user, self.contact).qms_file_credit_notes, SECRET)
        form = self._as(self.gm).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn(
            "action_qms_file_approve", form, "the general manager reads, the file owner approves"
        )
        self.assertIn(
            "action_qms_file_approve",
            self._as(self.owner).get_views([(False, "form")])["views"]["form"]["arch"],
        )

    def test_chatter_tracks_the_file_for_its_readers_only(self):
        self.customer.with_user(self.owner).write({"qms_file_credit_status": "poor"})
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written at the end of the transaction
        message = (
            self.env["mail.message"]
            .search([("model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
            .filtered(
                lambda m: "qms_file_credit_status" in m.sudo().tracking_value_ids.field_id.mapped("name")
            )[:1]
        )
        self.assertTrue(message, "the change is tracked")

        def tracked_fields(user):
            data = Store(message.with_user(user), for_current_user=True).get_result()
            values = [v for m in data["mail.message"] for v in m.get("trackingValues", [])]
            return {value["fieldName"] for value in values}, str(data)

        for role in OUTSIDERS:
            with self.subTest(role=role):
                names, text = tracked_fields(self.users[role])
                self.assertFalse({n for n in names if n.startswith("qms_file_")})
                self.assertNotIn("High Risk", text)
                with self.assertRaises(AccessError):
                    message.sudo().tracking_value_ids.with_user(self.users[role]).read(["old_value_char"])
        for user in (self.owner, self.gm):
            names, text = tracked_fields(user)
            self.assertIn("qms_file_credit_status", names)
            self.assertIn("High Risk", text)

    def test_documents_are_the_files_own(self):
        self.assertEqual(
            (self.document.res_model, self.document.res_id, self.document.res_field),
            ("res.partner", self.customer.id, "qms_file_document_ids"),
        )
        for role in OUTSIDERS:
            user = self.users[role]
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.document.with_user(user).read(["name", "raw"])
                self.document.invalidate_recordset()
                with self.assertRaises(AccessError):
                    _raw = self.document.with_user(user).raw
                attachments = self.env["ir.attachment"].with_user(user)
                found = attachments.search(
                    [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
                )
                self.assertNotIn(self.document, found, "not in the chatter's attachment list")
                self.assertFalse(
                    self.env["ir.attachment"].with_user(user)._filter_attachment_access(self.document.ids)
                )
        self.assertEqual(self.document.with_user(self.owner).raw, b"%PDF licence")
        self.assertEqual(self.document.with_user(self.gm).read(["name"])[0]["name"], "business-licence.pdf")

    def test_another_records_attachment_cannot_be_filed(self):
        foreign = self.env["ir.attachment"].create(
            {"name": "8d.pdf", "raw": b"x", "res_model": "res.partner", "res_id": self.customer2.id}
        )
        theirs = self.env["ir.attachment"].with_user(self.gm).create({"name": "theirs.pdf", "raw": b"y"})
        for attachment in (foreign, theirs):
            with (
                self.subTest(attachment=attachment.name),
                self.assertRaisesRegex(UserError, "upload it again"),
            ):
                self.customer.with_user(self.owner).write(
                    {"qms_file_document_ids": [Command.link(attachment.id)]}
                )
        self.assertFalse(foreign.res_field)


@tagged("post_install", "-at_install")
class TestCustomerFileRpc(HttpCase):
    """The strongest proof: a salesperson's own session, over HTTP JSON-RPC as the web client
    calls it, gets an access error for the file and no tracked value in the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = new_test_user(
            cls.env,
            "qms_rpc_sales",
            groups="base.group_user,base.group_allow_export,qms_customer.group_qms_sales",
        )
        cls.owner = new_test_user(cls.env, "qms_rpc_owner", groups=f"base.group_user,{FILE_OWNER}")
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Customer", "is_company": True, "user_id": cls.sales.id}
        )
        cls.env.flush_all()
        cls.env.cr.flush()
        cls.customer.with_user(cls.owner).write(
            {"qms_file_credit_status": "poor", "qms_file_credit_notes": SECRET}
        )
        cls.document = (
            cls.env["ir.attachment"].with_user(cls.owner).create({"name": "licence.pdf", "raw": b"%PDF"})
        )
        cls.customer.with_user(cls.owner).write({"qms_file_document_ids": [Command.link(cls.document.id)]})
        cls.env.flush_all()
        cls.env.cr.flush()

    def _call(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": "res.partner", "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesperson_over_json_rpc(self):
        self.authenticate("qms_rpc_sales", "qms_rpc_sales")
        record = self._call("web_read", [[self.customer.id]], {"specification": {"name": {}}})
        self.assertEqual(record[0]["name"], "RPC Customer")
        for method, args, kwargs in (
            ("web_read", [[self.customer.id]], {"specification": {"qms_file_credit_notes": {}}}),
            ("search_read", [[("id", "=", self.customer.id)], ["qms_file_credit_status"]], {}),
            ("search", [[("qms_file_credit_notes", "ilike", "CNY")]], {}),
            ("export_data", [[self.customer.id], ["qms_file_credit_notes"]], {}),
            ("read_group", [[], ["qms_file_credit_status"], ["qms_file_credit_status"]], {}),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException) as caught:
                self._call(method, args, kwargs)
            self.assertIn("AccessError", str(caught.exception))
        # The licence itself, downloaded as the web client does.
        self.assertIn(self.url_open(f"/web/content/{self.document.id}?download=true").status_code, (403, 404))
        fields_ = self._call("fields_get", [], {"attributes": ["string"]})
        self.assertFalse([name for name in fields_ if name.startswith("qms_file_")])
        chatter = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "res.partner", "thread_id": self.customer.id}
        )
        self.assertTrue(chatter["messages"], "the tracking message itself is there")
        self.assertNotIn("qms_file_", str(chatter))
        self.assertNotIn(SECRET, str(chatter))
        self.assertNotIn("High Risk", str(chatter))
        # The file owner's session sees the tracked values.
        self.authenticate("qms_rpc_owner", "qms_rpc_owner")
        chatter = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "res.partner", "thread_id": self.customer.id}
        )
        self.assertIn("qms_file_credit_status", str(chatter))
        response = self.url_open(f"/web/content/{self.document.id}?download=true")
        self.assertEqual((response.status_code, response.content), (200, b"%PDF"))


@tagged("post_install", "-at_install")
class TestCustomerFileApproval(CustomerFileCase):
    def _todos(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id),
            ]
        )

    @freeze_time(NOW)
    def test_owner_approves(self):
        self.assertEqual(self.customer.qms_file_state, "draft")
        self.assertTrue(self.customer.qms_file_filled)
        self._as(self.owner).action_qms_file_approve()
        self.assertEqual(self.customer.qms_file_state, "approved")
        self.assertEqual(self.customer.qms_file_approved_by_id, self.owner)
        self.assertEqual(self.customer.qms_file_date_approved, fields.Datetime.from_string(NOW))
        self.assertEqual(self.contact.qms_file_state, "approved", "the contact shows its company's file")
        with self.assertRaisesRegex(UserError, "already approved"):
            self._as(self.owner).action_qms_file_approve()
        with self.assertRaisesRegex(UserError, "approve the customer file of Huadong"):
            self._as(self.owner, self.contact).action_qms_file_approve()

    def test_only_the_file_owner_approves(self):
        for role in ("sales", "quality", "quality_manager", "general_manager", "management_rep", "technical"):
            with (
                self.subTest(role=role),
                self.assertRaisesRegex(
                    UserError, "not allowed to approve customer files: .*Customer File Owner only"
                ),
            ):
                self._as(role).action_qms_file_approve()
        self.assertEqual(self.customer.qms_file_state, "draft")

    def test_state_and_approval_are_protected(self):
        for vals in (
            {"qms_file_state": "approved"},
            {"qms_file_approved_by_id": self.owner.id},
            {"qms_file_date_approved": "2025-01-01 00:00:00"},
            {"qms_file_date_reviewed": "2025-01-01"},
        ):
            for user in (self.owner, self.gm):
                with self.subTest(vals=vals, user=user.login), self.assertRaisesRegex(UserError, REFUSED):
                    self._as(user).write(vals)
            with self.subTest(vals=vals, user="sales"), self.assertRaises(AccessError):
                self._as("sales").write(vals)
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["res.partner"].with_user(self.owner).create({"name": "X", "qms_file_state": "approved"})
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["res.partner"].with_user(self.owner).with_context(
                default_qms_file_state="approved"
            ).create({"name": "X"})
        self.assertEqual(
            (
                self.customer.qms_file_state,
                self.customer.qms_file_approved_by_id,
                self.customer.qms_file_date_reviewed,
            ),
            ("draft", self.env["res.users"], False),
        )
        with self.assertRaisesRegex(UserError, "kept on Huadong"):
            self._as(self.owner, self.contact).write({"qms_file_scale": "10 staff"})

    def test_a_change_sends_it_back_and_tells_the_owners_once(self):
        other_owner = self._user("qms_file_owner2", FILE_OWNER)
        self._as(self.owner).action_qms_file_approve()
        messages = len(self.customer.message_ids)
        self._as(self.gm).write({"qms_file_credit_status": "watch"})
        self.assertEqual(self.customer.qms_file_state, "draft")
        self.assertFalse(self.customer.qms_file_approved_by_id)
        todos = self._todos()
        self.assertEqual(todos.user_id, self.owner | other_owner, "one to-do per file owner")
        self.assertEqual(todos.create_uid, self.env.ref("base.user_root"), "raised by the system")
        self.assertIn("Approve the customer file of Huadong Auto Parts", todos[0].summary)
        note = self.customer.message_ids.filtered(lambda m: "waits for approval again" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        self.assertEqual(set(note.partner_ids.ids), set((self.owner | other_owner).partner_id.ids))
        self.assertNotIn("watch", note.body.lower(), "the note names no confidential value")
        # Changed again while it waits: no second notification or to-do.
        self._as(self.gm).write({"qms_file_scale": "3,500 staff"})
        self.assertEqual(self._todos(), todos)
        self.assertEqual(
            len(self.customer.message_ids.filtered(lambda m: "waits for approval" in (m.body or ""))), 1
        )
        self.assertGreater(len(self.customer.message_ids), messages)
        # The owner who changes the file gets no to-do for himself; approval closes the others'.
        self._as(other_owner).action_qms_file_approve()
        self.assertFalse(self._todos())
        self._as(self.owner).write({"qms_file_materials": "Cast iron"})
        self.assertEqual(self._todos().user_id, other_owner)
        # A change outside the file (the address) leaves it approved.
        self._as(other_owner).action_qms_file_approve()
        self._as(self.gm).write({"street": "1 Harbour Road"})
        self.assertEqual(self.customer.qms_file_state, "approved")

    def test_salesperson_with_contact_creation_rights(self):
        """As companies create salespeople (with Contact Creation): they add contacts to a customer
        with a file and edit the customer, and still cannot touch the file."""
        sales = new_test_user(
            self.env,
            "qms_sales_contacts",
            groups="base.group_user,base.group_partner_manager,qms_customer.group_qms_sales",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self._as(self.owner).action_qms_file_approve()
        contact = (
            self.env["res.partner"].with_user(sales).create({"name": "Li Na", "parent_id": self.customer.id})
        )
        self.assertEqual(contact.sudo().qms_file_credit_notes, SECRET, "a contact shows its company's file")
        self._as(sales).write({"phone": "+86 21 5555 0000"})
        self.assertEqual(self.customer.qms_file_state, "approved")
        with self.assertRaises(AccessError):
            self._as(sales).write({"qms_file_credit_notes": "unlimited"})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(sales).create(
                {"name": "Shell Co", "qms_file_credit_status": "good"}
            )
        copy = self._as(sales).copy()
        self.assertFalse(copy.sudo().qms_file_credit_notes, "a copy does not take the file along")


@tagged("post_install", "-at_install")
class TestCustomerFileReview(CustomerFileCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["qms.customer.file.review"]
        cls._backdate(cls.customer | cls.customer2, months=7)

    @classmethod
    def _backdate(cls, partners, months):
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id IN %s",
            [datetime(2025, 7, 15) - relativedelta(months=months), tuple(partners.ids)],
        )
        partners.invalidate_recordset(["create_date"])

    def _run(self):
        return self.Review._cron_qms_plan_file_reviews()

    def _mine(self, reviews):
        return reviews.filtered(lambda r: r.partner_id in (self.customer | self.customer2))

    @freeze_time(NOW)
    def test_cron_opens_one_review_per_due_customer_and_is_idempotent(self):
        created = self._mine(self._run())
        self.assertEqual(created.partner_id, self.customer | self.customer2)
        self.assertEqual(set(created.mapped("state")), {"pending"})
        self.assertEqual(created.user_id, self.owner, "a file owner reviews, not the salesperson")
        self.assertEqual(created.company_id, self.company)
        review = created.filtered(lambda r: r.partner_id == self.customer)
        self.assertTrue(review.name.startswith("CFR/"))
        self.assertEqual(review.review_deadline, datetime(2025, 8, 15, 2, 0), "one month (deadline rule)")
        todo = review.activity_ids
        self.assertEqual((todo.user_id, todo.date_deadline), (self.owner, date(2025, 8, 15)))
        self.assertIn("Half-year review of the customer file of Huadong Auto Parts", todo.summary)
        self.assertEqual(self.customer.with_user(self.owner).qms_file_review_ids, review)
        count = self.Review.search_count([])
        self.assertFalse(self._run(), "running twice opens nothing more")
        self.assertEqual(self.Review.search_count([]), count)

    @freeze_time(NOW)
    def test_only_active_customers_not_reviewed_within_the_interval(self):
        archived = self.env["res.partner"].create(
            {
                "name": "Gone",
                "is_company": True,
                "customer_rank": 1,
                "company_id": self.company.id,
                "active": False,
            }
        )
        supplier = self.env["res.partner"].create({"name": "Steel Supplier", "is_company": True})
        recent = self.env["res.partner"].create({"name": "New Customer", "customer_rank": 1})
        self._backdate(archived | supplier | self.contact, months=12)
        self.customer2.sudo()._qms_file_write({"qms_file_date_reviewed": date(2025, 3, 1)})
        created = self._run()
        self.assertEqual(self._mine(created).partner_id, self.customer)
        self.assertFalse(
            created.filtered(lambda r: r.partner_id in archived | supplier | self.contact | recent)
        )
        self.customer2.sudo()._qms_file_write({"qms_file_date_reviewed": date(2025, 1, 14)})
        self.assertEqual(
            self._mine(self._run()).partner_id, self.customer2, "reviewed more than 6 months ago"
        )

    @freeze_time(NOW)
    def test_the_interval_is_a_company_setting(self):
        self.company.qms_file_review_months = 12
        self.assertFalse(self._mine(self._run()))
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertEqual(settings.qms_file_review_months, 12)
        settings.qms_file_review_months = 3
        settings.execute()
        self.assertEqual(self.company.qms_file_review_months, 3)
        self.assertEqual(self._mine(self._run()).partner_id, self.customer | self.customer2)
        with self.assertRaisesRegex(ValidationError, "1 to 24 months"):
            self.company.qms_file_review_months = 0

    @freeze_time(NOW)
    def test_one_bad_customer_does_not_stop_the_batch(self):
        extra = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "customer_rank": 1, "company_id": self.company.id} for i in range(3)]
        )
        self._backdate(extra, months=8)
        review_class = type(self.Review)
        original = review_class.create
        bad = self.customer2

        def create(records, vals_list):
            vals_list = [vals_list] if isinstance(vals_list, dict) else vals_list
            if any(vals.get("partner_id") == bad.id for vals in vals_list):
                raise ValueError("corrupted customer")
            return original(records, vals_list)

        with (
            patch.object(review_class, "create", create),
            patch.object(review_class, "_qms_review_batch", 2),
            self.assertLogs("odoo.addons.qms_customer.models.qms_customer_file_review", "ERROR") as logs,
        ):
            created = self._run()
        self.assertIn("corrupted customer", "\n".join(logs.output))
        self.assertEqual(
            created.filtered(lambda r: r.partner_id in extra | self.customer).partner_id,
            extra | self.customer,
        )
        self.assertFalse(created.filtered(lambda r: r.partner_id == bad))
        self.assertEqual(self._mine(self._run()).partner_id, bad, "retried by the next run")

    @freeze_time(NOW)
    def test_complete_a_review(self):
        review = (
            self._mine(self._run()).filtered(lambda r: r.partner_id == self.customer).with_user(self.owner)
        )
        review.result = "updated"
        with self.assertRaisesRegex(UserError, "Describe what changed"):
            review.action_complete()
        review.changes = "Credit limit raised; new plant in Wuhu."
        with self.assertRaisesRegex(UserError, "not allowed to complete"):
            review.with_user(self.users["quality_manager"]).sudo(False).action_complete()
        review.action_complete()
        self.assertEqual((review.state, review.reviewer_id), ("done", self.owner))
        self.assertEqual(review.date_reviewed, fields.Datetime.from_string(NOW))
        self.assertEqual(self.customer.qms_file_date_reviewed, date(2025, 7, 15))
        self.assertFalse(review.activity_ids, "the to-do is done")
        with self.assertRaisesRegex(UserError, "no longer pending"):
            review.write({"changes": "rewritten"})
        with self.assertRaises(AccessError):
            review.unlink()
        with self.assertRaisesRegex(UserError, "reviews are kept"):
            review.sudo().unlink()
        # Reviewed today: not due again.
        self.assertFalse(self._run().filtered(lambda r: r.partner_id == self.customer))

    @freeze_time(NOW)
    def test_general_manager_completes_outsiders_have_no_access(self):
        review = self._mine(self._run()).filtered(lambda r: r.partner_id == self.customer)
        gm_review = review.with_user(self.gm)
        gm_review.write({"result": "unchanged"})
        gm_review.action_complete()
        self.assertEqual(review.reviewer_id, self.gm)
        for role in OUTSIDERS:
            with self.subTest(role=role):
                reviews = self.Review.with_user(self.users[role])
                self.assertFalse(reviews.has_access("read"))
                with self.assertRaises(AccessError):
                    reviews.search([])
                with self.assertRaises(AccessError):
                    review.with_user(self.users[role]).read(["changes"])

    @freeze_time(NOW)
    def test_other_company_reviews_are_out_of_reach(self):
        review = self._mine(self._run())[:1]
        outsider = self._user("qms_file_owner_other", FILE_OWNER)
        outsider.write(
            {"company_ids": [Command.set(self.other_company.ids)], "company_id": self.other_company.id}
        )
        with self.assertRaises(AccessError):
            review.with_user(outsider).read(["name"])

    def test_overdue_reviews_go_to_the_general_manager(self):
        with freeze_time(NOW):
            review = self._mine(self._run()).filtered(lambda r: r.partner_id == self.customer)
        with freeze_time("2025-08-16 02:00:00"):
            self.Review._qms_cron_deadlines()
        escalation = review.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("qms_customer.mail_activity_qms_deadline_escalation")
        )
        self.assertEqual(escalation.user_id, self.gm)
        report = self.env["qms.overdue.report"]
        rows = report._rows(self.company, datetime(2025, 8, 16, 2, 0))
        self.assertIn(review.name, [row["reference"] for row in rows])
        rows = report.with_user(self.users["quality_manager"])._rows(
            self.company, datetime(2025, 8, 16, 2, 0)
        )
        self.assertNotIn(
            review.name, [row["reference"] for row in rows], "the manager's own report leaves it out"
        )
        self.assertLess(timedelta(0), datetime(2025, 8, 16, 2, 0) - review.review_deadline)


@tagged("post_install", "-at_install")
class TestCustomerFileChinese(CustomerFileCase):
    """A salesperson working in Chinese reads the refusals in Chinese; the file owner's to-do and
    the system's note come in the owner's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])

    def test_refusals_and_alerts_in_chinese(self):
        sales = self._user("qms_sales_zh", "qms_customer.group_qms_sales", lang="zh_CN")
        with self.assertRaisesRegex(UserError, "您无权审批客户档案：仅限"):
            self.customer.with_user(sales).with_context(lang="zh_CN").action_qms_file_approve()
        owner_zh = self._user("qms_file_owner_zh", FILE_OWNER, lang="zh_CN")
        owner = self._as(self.owner).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "只能通过流程按钮变更"):
            owner.write({"qms_file_state": "approved"})
        owner.action_qms_file_approve()
        with self.assertRaisesRegex(UserError, "的客户档案已审批"):
            owner.action_qms_file_approve()
        self._as(self.gm).write({"qms_file_investment": "New plant"})
        todo = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("user_id", "=", owner_zh.id),
            ]
        )
        self.assertEqual(todo.summary, "审批 Huadong Auto Parts 的客户档案")
