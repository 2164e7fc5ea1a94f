from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLedgerWizardContract(TransactionCase):
    def test_every_ledger_is_its_authors(self):
        """Odoo 18 gives transient models no owner rule: each ledger declares one on create_uid,
        or a colleague with the same menu could download another's file."""
        base = self.env.registry["qms.ledger.wizard"]
        ledgers = [
            name
            for name, model in self.env.registry.items()
            if issubclass(model, base) and not model._abstract and model._name != base._name
        ]
        self.assertIn("qms.complaint.ledger.wizard", ledgers)
        for name in ledgers:
            with self.subTest(model=name):
                rules = self.env["ir.rule"].search([("model_id.model", "=", name), ("global", "=", True)])
                self.assertTrue(
                    any(
                        "create_uid" in rule.domain_force and "user.id" in rule.domain_force for rule in rules
                    ),
                    f"{name} has no global rule on create_uid",
                )
                self.assertTrue(self.env[name]._qms_ledger_model in self.env, name)
                self.assertTrue(self.env[name]._qms_ledger_date_field, name)
