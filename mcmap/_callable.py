"""`mcmap.load`, `mcmap.validate`, `mcmap.query` and `mcmap.export` are both modules (the
library's parts, which the CLI and tests import from) and the top-level functions of the
library API. Python sets a package's attribute to a submodule whenever one is imported, so the
name cannot stay bound to a function; instead each of these modules is callable and calls the
library function of its name (whose signature `inspect.signature` reports)."""
from __future__ import annotations

import sys
import types


class CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return self.__wrapped__(*args, **kwargs)

    @property
    def __wrapped__(self):
        from . import library

        return getattr(library, self.__name__.rsplit(".", 1)[-1])


def make_callable(module_name: str) -> None:
    sys.modules[module_name].__class__ = CallableModule
