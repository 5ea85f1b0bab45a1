"""One condition scenario's view of a template, and the walk that evaluates intrinsic functions.

Values are plain data or the model's partial forms: `Ref T` on a table is `Ref(T, "name")` (its
name, known or not), `Fn::GetAtt [T, Arn]` is `Ref(T, "arn")`, `Fn::Sub` and `Fn::Join` build
strings known in parts (`Partial`), pseudo parameters are `Unknown("AWS::Region")` and so on.
A condition or a parameter with `AllowedValues` that is not pinned is a *choice*: reading it
raises `NeedChoice` until the scenario enumerator (cloudformation.scenarios) has assigned it
a value.

The functions themselves live by topic in `references`, `string_functions` and
`condition_functions`, which register their handlers here; `intrinsics` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from analyzer.cloudformation.dynamic_references import resolved_later
from analyzer.model import Unknown

TABLE_TYPES = frozenset(
    {"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable"}
)
STACK_TYPES = frozenset({"AWS::CloudFormation::Stack", "AWS::Serverless::Application"})
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()  # `Ref AWS::NoValue`: the property, key or list element is removed
# The option of a free parameter's choice that stands for any value but its Default (shown as
# "when Env is not its Default"; a Default spelled so only loses precision: both are unknown)
OTHER_VALUE = "not its Default"


class NeedChoice(Exception):
    """The evaluation reads a choice the current scenario has not assigned yet."""

    def __init__(self, var: str, options: tuple[str, ...]) -> None:
        super().__init__(var)
        self.var, self.options = var, options


@dataclass(frozen=True)
class Varying:
    """A nested stack's parameter that the parent passes differently in its scenarios: a
    choice of the child over exactly those values. The parameters that vary together share one
    choice (`var`), so that the child sees only the combinations the parent passes."""

    var: str  # "parameter:EnablePitr"
    options: tuple[tuple[str, object], ...]  # (label, value)

    def pick(self, ctx: Context) -> object:
        label = ctx.choose(self.var, tuple(label for label, _ in self.options))
        return dict(self.options)[label]


# `!GetAtt Stack.Outputs.Name` on a nested stack: (stack logical id, output name, context).
OutputResolver = Callable[[str, str, "Context"], object]


@dataclass
class Context:
    """One scenario's view of a template: pinned parameters and the choices assigned so far.

    A pinned value is a `--parameter` string, or (in a nested stack) what the parent passes:
    a string, a reference to a parent resource, or Unknown."""

    template: Mapping[str, object]
    pinned: Mapping[str, object]
    assignment: Mapping[str, str] = field(default_factory=dict)
    consulted: set[str] = field(default_factory=set)  # choices read (for the evidence)
    prefix: str = ""  # a nested stack's address prefix, e.g. "Child/"
    first_choice: bool = False  # too many scenarios: take each choice's first option
    in_condition: bool = False
    stack_output: OutputResolver | None = None  # set by the loader: nested stacks' outputs
    _active: set[str] = field(default_factory=set)  # conditions being evaluated (cycles)

    def section(self, name: str) -> Mapping[str, object]:
        value = self.template.get(name)
        return value if isinstance(value, Mapping) else {}

    def choose(self, var: str, options: tuple[str, ...]) -> str:
        if self.first_choice:
            return options[0]
        if var not in self.assignment:
            raise NeedChoice(var, options)
        self.consulted.add(var)
        return self.assignment[var]

    def extended(self) -> bool:
        """Whether the template declares `Transform: AWS::LanguageExtensions`."""
        value = self.template.get("Transform")
        return LANGUAGE_EXTENSIONS in (value if isinstance(value, list) else [value])


Handler = Callable[[object, Context], object]
HANDLERS: dict[str, Handler] = {}  # filled by the function modules


def register(name: str) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return add


def text_of(value: object) -> object:
    """CloudFormation scalars are strings: YAML `true`/`5` read as bool/int become text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def evaluate(value: object, ctx: Context) -> object:
    """`value` with its intrinsic functions evaluated; `AWS::NoValue` is removed from mappings
    and lists (and returned as NO_VALUE when it is the whole value)."""
    if isinstance(value, Mapping):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                return resolved_later(call(key, arg, ctx))
            if key == "Condition" and ctx.in_condition:
                return HANDLERS["Condition"](arg, ctx)
        out = {k: evaluate(v, ctx) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}
    if isinstance(value, list):
        return [v for v in (evaluate(item, ctx) for item in value) if v is not NO_VALUE]
    return resolved_later(value)


def call(name: str, arg: object, ctx: Context) -> object:
    handler = HANDLERS.get(name)
    if handler is not None:
        return handler(arg, ctx)
    return Unknown(f"unknown function {name}")


def evaluate_property(props: Mapping[str, object], key: str, ctx: Context) -> object:
    """A property's value; None when it is absent or evaluates to `AWS::NoValue`."""
    if key not in props:
        return None
    value = evaluate(props[key], ctx)
    return None if value is NO_VALUE else value
