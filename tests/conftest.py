import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "qms_customer"


def load_pure(relative):
    """Import a module of the addon that needs no Odoo, without importing the addon package."""
    path = ADDON / relative
    name = "qms_pure_" + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
