def post_init_hook(env):
    """With the demo data, make the demo returns and chase every deadline once so that reminders
    and escalations are there to see. Run here, not from the demo file: Odoo loads a module's
    translations after its data, and the notes name each deadline in its reader's language."""
    module = env["ir.module.module"].search([("name", "=", "qms_customer")])
    if not module.demo:
        return
    env["qms.return.request"]._qms_demo_returns()
    env["qms.sample"]._qms_demo_samples()
    env["qms.customer.property"]._qms_demo_properties()
    env["qms.satisfaction.campaign"]._qms_demo_satisfaction()
    env["qms.visit"]._qms_demo_visits()
    env["qms.customer.info"]._qms_demo_customer_info()
    env["qms.service.rating"]._qms_demo_service_ratings()
    env["qms.key.account.plan"]._qms_demo_key_accounts()
    env["qms.customer.file.review"]._qms_demo_customer_files()
    env["qms.order.review"]._qms_demo_order_reviews()
    for model in env["qms.deadline.mixin"]._qms_overdue_models():
        env[model]._qms_cron_deadlines()
