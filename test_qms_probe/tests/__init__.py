from . import test_probe_family
