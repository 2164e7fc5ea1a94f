from odoo.tests import tagged

from .common import QmsCase

VIEWS = {
    "qms.complaint": ["list", "form", "kanban", "search", "pivot", "graph"],
    "qms.response.profile": ["list", "form", "search"],
    "qms.customer.demand": ["list"],
    "qms.action": ["list", "form", "kanban", "search"],
    "qms.complaint.cost": ["list", "search", "pivot", "graph"],
    "qms.visit": ["list", "form", "kanban", "search", "calendar"],
    "qms.visit.question": ["list", "form", "search"],
    "qms.customer.info": ["list", "form", "kanban", "search"],
    "qms.service.rating": ["list", "form", "search", "pivot", "graph"],
    "qms.key.account.plan": ["list", "form", "search"],
    "qms.key.account.evaluation": ["list", "form", "search"],
    "qms.order.review": ["list", "form", "search"],
    "qms.satisfaction.campaign": ["list", "form", "kanban", "search"],
    "qms.satisfaction.participant": ["list", "form", "search"],
    "qms.customer.file.review": ["list", "form", "search"],
    "survey.question": ["form"],
    "res.partner": ["form"],
    "sale.order": ["form"],
    "product.template": ["form"],
    "stock.picking": ["form"],
}


@tagged("post_install", "-at_install")
class TestViews(QmsCase):
    """Every role opens the screens it reaches without an access error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_review_roles()

    def test_every_role_loads_its_views_and_reads_a_complaint(self):
        complaint = self._complaint(user_id=self.users["sales"].id)
        for role, user in self.users.items():
            env = self.env(user=user)
            for model, view_types in VIEWS.items():
                if not env[model].has_access("read"):
                    continue
                with self.subTest(role=role, model=model):
                    views = env[model].get_views([(False, view_type) for view_type in view_types])
                    self.assertEqual(set(views["views"]), set(view_types))
            if env["qms.complaint"].has_access("read"):
                form = env["qms.complaint"].get_views([(False, "form")])["models"]["qms.complaint"]["fields"]
                spec = {name: {} for name in form}
                with self.subTest(role=role, read="complaint"):
                    values = complaint.with_user(user).web_read(spec)[0]
                    self.assertEqual(values["name"], complaint.name)

    def test_menus_per_role(self):
        root = self.env.ref("qms_customer.menu_qms_root")
        config = self.env.ref("qms_customer.menu_qms_config")
        for role, expected_root, expected_config in (
            ("sales", True, False),
            ("quality", True, False),
            ("quality_manager", True, True),
            ("general_manager", True, False),
            ("warehouse", False, False),
            ("production", True, False),
            ("purchasing", True, False),
        ):
            visible = self.env["ir.ui.menu"].with_user(self.users[role])._visible_menu_ids()
            with self.subTest(role=role):
                self.assertEqual(root.id in visible, expected_root)
                self.assertEqual(config.id in visible, expected_config)

    def test_kanban_columns_fit_the_open_work(self):
        """Every open state is a column, in workflow order; closed and cancelled appear only when
        the search finds such complaints, and then folded (issue 10: no sideways scrolling)."""
        quality = self.env["qms.complaint"].with_user(self.users["quality"]).with_company(self.company)
        open_states = ["draft", "confirmed", "in_progress", "replied", "verifying"]

        def columns(domain):
            groups = quality.web_read_group(domain, ["state"], ["state"], lazy=True)["groups"]
            return [(group["state"], group.get("__fold", False)) for group in groups]

        complaint = self._complaint()
        complaint.with_user(self.users["quality"]).with_context(
            qms_cancel_reason="Registered twice"
        ).action_cancel()
        self.assertEqual(
            columns([("state", "not in", ("closed", "cancelled"))]), [(s, False) for s in open_states]
        )
        self.assertEqual(
            columns([("company_id", "=", self.company.id)]),
            [(s, False) for s in open_states] + [("cancelled", True)],
        )

    def test_customer_file_on_the_partner_form(self):
        """The file owner's customer form carries the confidential file and its menu; a salesperson's
        has no trace of it."""
        owner = self._user("qms_view_file_owner", "qms_customer.group_qms_customer_file")
        menu = self.env.ref("qms_customer.menu_qms_customer_file")
        for user, visible in (
            (owner, True),
            (self.users["general_manager"], True),
            (self.users["sales"], False),
        ):
            with self.subTest(user=user.login):
                views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
                arch = views["views"]["form"]["arch"]
                self.assertEqual('name="qms_customer_file"' in arch, visible)
                self.assertEqual(
                    "qms_file_credit_status" in views["models"]["res.partner"]["fields"], visible
                )
                self.assertEqual(
                    menu.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids(), visible
                )
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_customer_file")
        views = (
            self.env["res.partner"]
            .with_user(owner)
            .get_views([tuple(view) for view in action["views"]] + [(action["search_view_id"][0], "search")])
        )
        self.assertIn("qms_file_state", views["views"]["list"]["arch"])
        self.assertIn("qms_file_to_approve", views["views"]["search"]["arch"])
