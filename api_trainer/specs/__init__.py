"""Loading OpenAPI documents safely, following ``$ref`` lazily, validating, and the bundled specs.

The one entry point for every command that takes a spec is :func:`load_spec` (or
:func:`validate_reference` for ``specs validate``). A reference is a file path, a bundled id
(``payments@2022-11-15``) or a bundled API name (``payments``: its newest version).
"""

from ._documents import Limits, parse_text, read_document
from ._loader import SpecSource, load_spec, resolve_reference
from ._model import HTTP_METHODS, Operation, Spec
from ._pointers import escape, join, resolve_pointer, split
from ._registry import BundledSpec, bundled_specs, find_bundled, specs_root, versions_of
from ._summary import OperationSummary, SpecSummary, describe_type, summarise_operation, summarise_spec
from ._validate import Problem, ValidationReport, validate_reference

__all__ = [
    "HTTP_METHODS",
    "BundledSpec",
    "Limits",
    "Operation",
    "OperationSummary",
    "Problem",
    "Spec",
    "SpecSource",
    "SpecSummary",
    "ValidationReport",
    "bundled_specs",
    "describe_type",
    "escape",
    "find_bundled",
    "join",
    "load_spec",
    "parse_text",
    "read_document",
    "resolve_pointer",
    "resolve_reference",
    "specs_root",
    "split",
    "summarise_operation",
    "summarise_spec",
    "validate_reference",
    "versions_of",
]
