from . import rpc, survey
