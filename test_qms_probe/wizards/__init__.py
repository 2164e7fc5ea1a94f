from . import qms_probe_ledger_wizard
