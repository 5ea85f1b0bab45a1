"""CloudFormation intrinsic functions, evaluated statically in one condition scenario.

The evaluation walk and the scenario's view are `context`; the functions are by topic in
`references` (Ref, pseudo parameters, Fn::GetAtt, Fn::FindInMap, Fn::ImportValue, Fn::GetAZs),
`string_functions` and `condition_functions`. This module imports them all (so that every
handler is registered) and is what the rest of the loader imports.
docs/cloudformation-evaluation.md lists what is evaluated and what stays unknown by nature.
"""

from __future__ import annotations

from analyzer.cloudformation import condition_functions, references, string_functions
from analyzer.cloudformation.context import (
    HANDLERS,
    NO_VALUE,
    STACK_TYPES,
    TABLE_TYPES,
    Context,
    NeedChoice,
    OutputResolver,
    Varying,
    evaluate,
    evaluate_property,
    register,
    text_of,
)
from analyzer.model import Unknown

condition = condition_functions.condition
concat = string_functions.concat
ref, parameter, get_att, PSEUDO = (
    references.ref, references.parameter, references.get_att, references.PSEUDO)


@register("Fn::Transform")
def _transform(arg: object, ctx: Context) -> object:
    # The template as a whole is distrusted (transforms.unmodelled); the value is the macro's.
    return Unknown("Fn::Transform: a macro computes the value when the stack is deployed")


def recognised() -> list[str]:
    """Every intrinsic function, condition function and pseudo parameter the evaluator knows
    (docs/cloudformation-evaluation.md must name each)."""
    return sorted({*HANDLERS, *PSEUDO, "AWS::NoValue", "Fn::ForEach"})


__all__ = [
    "NO_VALUE", "PSEUDO", "STACK_TYPES", "TABLE_TYPES", "Context", "NeedChoice", "OutputResolver",
    "Varying",
    "concat", "condition", "evaluate", "evaluate_property", "get_att", "parameter", "recognised",
    "ref", "text_of",
]
