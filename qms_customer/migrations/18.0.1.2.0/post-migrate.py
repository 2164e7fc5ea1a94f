"""Contract review became a company setting (off for a company that installs the addon now, so
that Odoo's own sales flow confirms as before): the companies of a database that already ran it
keep it on."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE res_company SET qms_order_review = TRUE")
