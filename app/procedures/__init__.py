"""The procedures: data-driven form definitions, prefill with provenance, validation, consent.

Plain Python (no Qt): the screens render these definitions; the tests and the CLI call them
directly. See assets/forms/README.md for the definition file schema.
"""

from app.procedures.catalog import Catalog, load_catalog
from app.procedures.definitions import (CheckDef, Condition, FieldDef, Option, ProcedureDef,
                                        RoleDef, SectionDef)
from app.procedures.draft import FieldValue, FormDraft
from app.procedures.errors import (ConsentError, FieldLockedError, FormDefinitionError,
                                   ProcedureError, SubmissionInvalidError, UnknownFieldError,
                                   UnknownProcedureError)
from app.procedures.submission import validate_submission
from app.procedures.validation import FieldError

__all__ = ["Catalog", "CheckDef", "Condition", "ConsentError", "FieldDef", "FieldError",
           "FieldLockedError", "FieldValue", "FormDefinitionError", "FormDraft", "Option",
           "ProcedureDef", "ProcedureError", "RoleDef", "SectionDef", "SubmissionInvalidError",
           "UnknownFieldError", "UnknownProcedureError", "load_catalog", "validate_submission"]
