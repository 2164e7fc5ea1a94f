{
    "name": "QMS Customer: probe family (tests only)",
    "summary": "A minimal document on the qms_customer foundation: the contract a new family relies on",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "qms_customer developers",
    "website": "https://example.com/qms_customer",
    "depends": ["qms_customer"],
    "data": [
        "security/ir.model.access.csv",
        "security/qms_probe_rules.xml",
        "data/qms_deadline_step_data.xml",
        "data/ir_sequence_data.xml",
    ],
}
