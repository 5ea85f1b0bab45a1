"""`!GetAtt Child.Outputs.Name` on a nested stack (`AWS::CloudFormation::Stack` with a local
`TemplateURL`, `AWS::Serverless::Application` with a local `Location`): the child template's
output, evaluated with the parameters the parent passes in the current scenario (the child's
Defaults where it passes none) and under the child's address prefix, so that `!GetAtt
Table.Arn` in the child names exactly the table reported as `Child/Table`.

What the parent's parameters do not decide stays unknown, with the reason: a remote or
unreadable child, a child that uses an unmodelled macro, an output that does not exist, an
output (or a value) that depends on a condition of the child that the parameters leave open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.cloudformation import nested_stacks, transforms
from analyzer.cloudformation.intrinsics import (
    NO_VALUE,
    Context,
    NeedChoice,
    condition,
    evaluate,
    evaluate_property,
)
from analyzer.model import Unknown

# Output reads per stack tree: an output may read outputs of stacks it nests, each of many
# stacks of one template, so without a bound the work could grow with the power of the depth.
MAX_OUTPUT_READS = 10_000

# The parsed template at a path, with its path relative to the scan root (None: unreadable).
Parse = Callable[[Path], "tuple[Mapping[str, object], str] | None"]


@dataclass
class Budget:
    """The reads one stack tree may still do, and the values read so far (an output's value
    is a function of the templates above it, its address, output name and the values passed)."""

    left: int = MAX_OUTPUT_READS
    known: dict[str, object] = field(default_factory=dict)


@dataclass
class OutputReader:
    """Reads nested stacks' outputs for one template of a stack tree (`stack` is the chain of
    templates from the root to it, for cycles)."""

    path: Path
    stack: tuple[Path, ...]
    parse: Parse
    budget: Budget = field(default_factory=lambda: Budget())

    def __call__(self, logical_id: str, output: str, ctx: Context) -> object:
        what = f"output {output} of nested stack {ctx.prefix}{logical_id}"
        resource = ctx.section("Resources").get(logical_id)
        resource = resource if isinstance(resource, Mapping) else {}
        props = resource.get("Properties")
        props = props if isinstance(props, Mapping) else {}
        source = nested_stacks.source_of(str(resource.get("Type")), resource, ctx)
        passed = evaluate_property(props, "Parameters", ctx)
        pseudo = {k: v for k, v in ctx.pinned.items() if k.startswith("AWS::")}
        memo = repr((self.stack, what, source, passed, sorted(pseudo.items())))
        if memo not in self.budget.known:
            if self.budget.left <= 0:
                return Unknown(f"{what} is not read: the stack tree already reads "
                               f"{MAX_OUTPUT_READS} nested stack outputs")
            self.budget.left -= 1
            self.budget.known[memo] = self._read(logical_id, output, ctx, source, passed,
                                                 pseudo, what)
        return self.budget.known[memo]

    def _read(self, logical_id: str, output: str, ctx: Context, source: object,
              passed: object, pseudo: dict[str, object], what: str) -> object:
        found = nested_stacks.resolve_local(source, self.path)
        if not isinstance(found, Path):
            why = found or nested_stacks.reason_not_followed(source)
            return Unknown(f"{what} is not known: {why}")
        if found in self.stack:
            return Unknown(f"{what} is not known: the stack nests a template that contains it")
        parsed = self.parse(found)
        if parsed is None:
            return Unknown(f"{what} is not known: its template cannot be read")
        data, rel = parsed
        macro = transforms.unmodelled(data)
        if macro is not None:
            return Unknown(f"{what} is not known: {macro.reason}")
        if passed is not None and not isinstance(passed, Mapping):
            return Unknown(f"{what} is not known: the parameters passed to it are not known")
        pins = nested_stacks.bind_parameters(data, dict(passed or {}), pseudo)
        reader = OutputReader(found, (*self.stack, found), self.parse, self.budget)
        child = Context(data, pins, prefix=f"{ctx.prefix}{logical_id}/", stack_output=reader)
        try:
            return _output(data, output, child, rel, what)
        except NeedChoice as need:
            name = need.var.split(":", 1)[1]
            return Unknown(f"{what} depends on {name} in {rel}, which the parameters the "
                           "parent passes do not decide")
        except RecursionError:
            return Unknown(f"{what} is not known: its value nests too deeply")


def _output(data: Mapping[str, object], output: str, child: Context, rel: str,
            what: str) -> object:
    transforms.view(data, child, rel)  # Fn::ForEach expanded, `child` sees the result
    spec = child.section("Outputs").get(output)
    if not isinstance(spec, Mapping) or "Value" not in spec:
        return Unknown(f"{what} is not known: {rel} declares no such output")
    when = spec.get("Condition")
    if isinstance(when, str) and not condition(when, child):
        return Unknown(f"{what} does not exist: its condition {when} is false")
    value = evaluate(spec["Value"], child)
    return Unknown(f"{what} is AWS::NoValue") if value is NO_VALUE else value
