"""Condition functions: named conditions, `Fn::If`, `Fn::Equals`, `Fn::And`, `Fn::Or`,
`Fn::Not`. A condition the code does not decide is a choice: both truth values are judged."""

from __future__ import annotations

from collections.abc import Callable

from analyzer.cloudformation.context import Context, Handler, evaluate, register, text_of
from analyzer.model import Unknown


@register("Condition")
def condition(name: object, ctx: Context) -> bool:
    """A named condition's value; undecided by the code, it is a choice (both truth values).
    Not memoised, so that every resource records the choices it reads."""
    name = str(name)
    expr = ctx.section("Conditions").get(name)
    if expr is None or name in ctx._active:
        value: object = Unknown(f"condition {name} is not defined (or refers to itself)")
    else:
        saved, ctx.in_condition = ctx.in_condition, True
        ctx._active.add(name)
        try:
            value = evaluate(expr, ctx)
        finally:
            ctx.in_condition = saved
            ctx._active.discard(name)
    if isinstance(value, bool):
        return value
    return ctx.choose(f"condition:{name}", ("true", "false")) == "true"


@register("Fn::If")
def _if(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return Unknown("Fn::If needs a condition name and two values")
    return evaluate(arg[1] if condition(arg[0], ctx) else arg[2], ctx)


@register("Fn::Equals")
def _equals(arg: object, ctx: Context) -> object:
    if not (isinstance(arg, list) and len(arg) == 2):
        return Unknown("Fn::Equals needs two values")
    a, b = (text_of(evaluate(item, ctx)) for item in arg)
    if isinstance(a, (str, list)) and isinstance(b, (str, list)):
        return a == b
    return Unknown("Fn::Equals of a value that is not known")


def _logic(name: str) -> Handler:
    def handler(arg: object, ctx: Context) -> object:
        items = arg if isinstance(arg, list) else [arg]
        values = [_truth(item, ctx) for item in items]
        if name == "Fn::Not":
            one = values[0] if len(values) == 1 else Unknown("Fn::Not needs one condition")
            return not one if isinstance(one, bool) else one
        stop = name == "Fn::Or"  # the value that decides: True for Or, False for And
        if stop in values:
            return stop
        return not stop if all(isinstance(v, bool) for v in values) else Unknown(name)

    return handler


def _truth(item: object, ctx: Context) -> bool | Unknown:
    value = evaluate(item, ctx)
    return value if isinstance(value, bool) else Unknown("a condition that is not known")


_REGISTERED: dict[str, Callable[[object, Context], object]] = {
    name: register(name)(_logic(name)) for name in ("Fn::And", "Fn::Or", "Fn::Not")
}
