from lxml import etree


def form_read_spec(model):
    """The fields the web client reads for ``model``'s form, sub-lists included (shared by
    the tests and bench/bench_complaints.py, which must not import the test framework)."""
    arch = etree.fromstring(model.get_views([(False, "form")])["views"]["form"]["arch"])  # noqa: S320 (our view)
    spec = {}
    for node in arch.xpath("//field[not(ancestor::field)]"):
        name = node.get("name")
        field = model._fields[name]
        if field.type in ("one2many", "many2many") and node.xpath("./list"):
            spec[name] = {"fields": {sub: {} for sub in node.xpath("./list//field/@name")}}
        elif field.type in ("many2one", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec
