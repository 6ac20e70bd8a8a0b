"""Default result messages, worded like pySHACL's, for shapes that carry no sh:message."""
from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import SH


def _show(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


TEMPLATES = {
    SH.ClassConstraintComponent: "Value does not have class {p}",
    SH.DatatypeConstraintComponent: "Value is not Literal with datatype {p}",
    SH.NodeKindConstraintComponent: "Value is not of Node Kind {p}",
    SH.MinExclusiveConstraintComponent: "Value is not > {p}",
    SH.MinInclusiveConstraintComponent: "Value is not >= {p}",
    SH.MaxExclusiveConstraintComponent: "Value is not < {p}",
    SH.MaxInclusiveConstraintComponent: "Value is not <= {p}",
    SH.MinLengthConstraintComponent: "String length not >= {p}",
    SH.MaxLengthConstraintComponent: "String length not <= {p}",
    SH.PatternConstraintComponent: "Value does not match pattern {p}",
    SH.LanguageInConstraintComponent: "String language is not in the allowed list",
    SH.InConstraintComponent: "Value is not one of the allowed values",
    SH.NodeConstraintComponent: "Value does not conform to Shape {p}",
    SH.NotConstraintComponent: "Value conforms to the negated Shape {p}",
    SH.AndConstraintComponent: "Value does not conform to every Shape in the list",
    SH.OrConstraintComponent: "Value does not conform to any Shape in the list",
    SH.XoneConstraintComponent: "Value does not conform to exactly one Shape in the list",
    SH.MinCountConstraintComponent: "Less than {p} values on {path}",
    SH.MaxCountConstraintComponent: "More than {p} values on {path}",
    SH.HasValueConstraintComponent: "{path} does not contain the value {p}",
    SH.UniqueLangConstraintComponent: "More than one String shares the same Language",
    SH.EqualsConstraintComponent: "Values of {path} are not the values of {p}",
    SH.DisjointConstraintComponent: "Value of {path} is also a value of {p}",
    SH.LessThanConstraintComponent: "Value of {path} is not less than the value of {p}",
    SH.LessThanOrEqualsConstraintComponent: "Value of {path} is more than the value of {p}",
    SH.ClosedConstraintComponent: "The shape is closed: property {path} is not allowed",
    SH.QualifiedMinCountConstraintComponent: "Focus node does not conform to shape {q}: MinCount {p}",
    SH.QualifiedMaxCountConstraintComponent: "Focus node does not conform to shape {q}: MaxCount {p}",
    SH.SPARQLConstraintComponent: "SPARQL constraint not satisfied",
}


def default_message(component, param, path, qualified_shape=None) -> Literal:
    """Worded without the focus node and value (reports show those next to the message), so
    one message object serves every result of a constraint."""
    text = TEMPLATES.get(component, "Constraint not satisfied").format(
        p=_show(param), path=_show(path) if path is not None else "the node",
        q=_show(qualified_shape))
    return Literal(text)


_PLACEHOLDER = re.compile(r"\{[?$]([^{}\s]+)\}")


def fill_text(template: str, bindings: dict) -> str:
    """A sh:message template of a SPARQL constraint with {?var} and {$var} replaced by the
    bound value (an rdflib or pyoxigraph term); placeholders of unbound variables stay."""
    def one(m: re.Match) -> str:
        value = bindings.get(m.group(1))
        if value is None:
            return m.group(0)
        return str(value) if isinstance(value, str) else value.value
    return _PLACEHOLDER.sub(one, str(template))


def fill_template(message: Literal, bindings: dict) -> Literal:
    """sh:message templates of SPARQL constraints: {?var} and {$var} become the bound value."""
    text = fill_text(message, bindings)
    return Literal(text, lang=message.language) if message.language else Literal(text)
