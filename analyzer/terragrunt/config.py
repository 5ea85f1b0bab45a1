"""One Terragrunt configuration file evaluated in a unit's context: its `include`s (merged, see
terragrunt.merge), `locals`, `dependency` blocks, `inputs` and `terraform { source }`.

Everything is evaluated with hcl's evaluator and Terraform's functions, plus Terragrunt's own
(terragrunt.functions); file functions read inside the repository only, relative to the unit's
directory. What cannot be read or decided is unknown, never guessed: an include that cannot
be read leaves every input it could set unknown (`Inputs.open`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import boundary
from analyzer.hcl.expressions import evaluate
from analyzer.hcl.file_functions import FILE_ACCESS, HOST_FUNCTIONS
from analyzer.hcl.parse import Attribute, Body
from analyzer.hcl.values import EvalError
from analyzer.model import LoadError, Location, Unknown
from analyzer.terraform.file_access import RepositoryFiles
from analyzer.terraform.files import parse_file, relative
from analyzer.terraform.lazy import LazyMap
from analyzer.terragrunt.functions import UnitPaths
from analyzer.terragrunt.merge import Inputs, merge

MAX_INCLUDE_DEPTH = 8  # Terragrunt allows one level; deeper chains are cut (unknown), not followed


@dataclass
class Settings:
    """What one unit's evaluation shares: the scan root, the mock-outputs choice, errors."""

    root: Path
    mock_outputs: bool = False
    errors: list[LoadError] = field(default_factory=list)
    reading: tuple[str, ...] = ()  # real paths of the files being evaluated (cycles)
    included: set[str] = field(default_factory=set)  # real paths of every included file
    reads: list[str] = field(default_factory=list)  # read_terragrunt_config() calls under way


@dataclass(frozen=True)
class Generated:
    """A `generate` block: a file Terragrunt writes into the working directory."""

    path: object  # the file name (a string when decided)
    contents: object  # its text (a string when decided)
    if_exists: object  # "skip" keeps the module's file of the same name
    at: Location  # the contents attribute: the text's first line is the one after it


@dataclass
class Config:
    """What a configuration file (with what it includes) says."""

    file: str  # relative to the scan root
    inputs: Inputs
    source: object = None  # terraform { source }: a string, Unknown, or None (not set)
    source_at: Location | None = None
    locals: Mapping[str, object] = field(default_factory=dict)
    dependencies: dict[str, object] = field(default_factory=dict)
    generated: dict[str, Generated] = field(default_factory=dict)  # by generate block label

    def value(self) -> dict[str, object]:
        """As `read_terragrunt_config()` and an exposed include give it."""
        inputs: object = (self.inputs.open if self.inputs.open is not None
                          else dict(self.inputs.values))
        return {"locals": dict(self.locals), "inputs": inputs,
                "terraform": {"source": self.source}, "dependency": self.dependencies}


def read_config(path: Path, paths: UnitPaths, settings: Settings, depth: int = 0
                ) -> Config | Unknown:
    """The file at `path` evaluated for the unit `paths` describes (Unknown when it cannot be
    read or is being evaluated already)."""
    shown = relative(path, settings.root)
    real = os.path.realpath(path)
    if real in settings.reading or depth > MAX_INCLUDE_DEPTH:
        return Unknown(f"{shown} includes or reads itself")
    if not boundary.inside(real):
        return Unknown(boundary.outside_reason(path, shown))
    if not os.path.isfile(real):
        return Unknown(f"{shown} does not exist")
    parsed, error = parse_file(path, settings.root)
    if error is not None and error not in settings.errors:
        settings.errors.append(error)
    if parsed is None:
        return Unknown(f"{shown} cannot be read")
    inner = Settings(settings.root, settings.mock_outputs, settings.errors,
                     (*settings.reading, real), settings.included)
    return _evaluate(parsed.body, shown, paths, inner, depth)


def _evaluate(body: Body, shown: str, paths: UnitPaths, settings: Settings, depth: int
              ) -> Config:
    base: dict[str, object] = {FILE_ACCESS: RepositoryFiles(paths.unit_dir, settings.root),
                               HOST_FUNCTIONS: paths.host_functions()}
    included = _includes(body, shown, paths, settings, depth, base)
    scope: dict[str, object] = dict(base)
    scope["include"] = {label: parent.value() if expose and isinstance(parent, Config)
                        else Unknown(f'include "{label}" is not exposed (expose = true)')
                        if isinstance(parent, Config) else parent
                        for label, (parent, _, expose) in included.items()}
    scope["local"] = _locals(body, scope)
    scope["dependency"] = _dependencies(body, scope, settings)
    own = _own_inputs(body, scope, shown)
    config = Config(shown, own, locals=scope["local"],  # type: ignore[arg-type]
                    dependencies=scope["dependency"])  # type: ignore[arg-type]
    config.generated = _generated(body, scope, shown)
    source = _source(body, scope)
    if source is not None:
        config.source, config.source_at = source[0], Location(shown, source[1].line,
                                                              source[1].col)
    for parent, strategy, _ in included.values():
        _merge_parent(config, parent, strategy)
    return config


def _includes(body: Body, shown: str, paths: UnitPaths, settings: Settings, depth: int,
              base: Mapping[str, object]) -> dict[str, tuple[Config | Unknown, str, bool]]:
    """label -> (the included config, its merge strategy, whether it is exposed)."""
    out: dict[str, tuple[Config | Unknown, str, bool]] = {}
    for block in body.blocks_of("include"):
        label = block.labels[0] if block.labels else ""
        attrs = block.body.attributes
        strategy = _literal(attrs.get("merge_strategy"), base, "shallow")
        expose = _literal(attrs.get("expose"), base, False) is True
        where = _evaluated(attrs.get("path"), base)
        if not isinstance(where, str):
            reason = where.reason if isinstance(where, Unknown) else "its path is not a string"
            out[label] = (Unknown(f'include "{label}" in {shown} is not read: {reason}'),
                          str(strategy), expose)
            continue
        target = Path(os.path.normpath(paths.unit_dir / where))
        paths.include_dirs[label] = target.parent
        settings.included.add(os.path.realpath(target))
        out[label] = (read_config(target, paths, settings, depth + 1), str(strategy), expose)
    return out


def _merge_parent(config: Config, parent: Config | Unknown, strategy: str) -> None:
    """The child (`config`) merged over an included parent, as Terragrunt merges them."""
    if strategy == "no_merge":
        return
    if isinstance(parent, Unknown):
        config.inputs = merge(Inputs(open=parent), config.inputs, strategy)
        if config.source is None:
            config.source = parent
        return
    config.inputs = merge(parent.inputs, config.inputs, strategy)
    if config.source is None:
        config.source, config.source_at = parent.source, parent.source_at
    for name, value in parent.dependencies.items():
        config.dependencies.setdefault(name, value)
    for label, generated in parent.generated.items():  # a child's block of one label wins
        config.generated.setdefault(label, generated)


def _locals(body: Body, scope: Mapping[str, object]) -> LazyMap:
    exprs = {name: attribute.expr for block in body.blocks_of("locals")
             for name, attribute in block.body.attributes.items()}
    return LazyMap(sorted(exprs), lambda key: _safe(exprs[key], scope), "local.{}".format)


def _dependencies(body: Body, scope: Mapping[str, object], settings: Settings
                  ) -> dict[str, object]:
    """`dependency.<name>.outputs`: the dependency's outputs exist only after it is applied,
    so they are unknown; its `mock_outputs` stand in for them only when the user asks."""
    out: dict[str, object] = {}
    for block in body.blocks_of("dependency"):
        if not block.labels:
            continue
        name = block.labels[0]
        mocks = block.body.attributes.get("mock_outputs")
        if settings.mock_outputs and mocks is not None:
            outputs = _safe(mocks.expr, scope)
        else:
            outputs = Unknown(f"dependency.{name}.outputs are the outputs of another unit, "
                              "known only after it is applied (--terragrunt-mock-outputs "
                              "uses its mock_outputs)")
        out[name] = {"outputs": outputs, "config_path": _evaluated(
            block.body.attributes.get("config_path"), scope)}
    return out


def _own_inputs(body: Body, scope: Mapping[str, object], shown: str) -> Inputs:
    attribute = body.attributes.get("inputs")
    if attribute is None:
        return Inputs()
    value = _safe(attribute.expr, scope)
    where = Location(shown, attribute.line, attribute.col)
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return Inputs(dict(value), at=dict.fromkeys(value, where))
    reason = value.reason if isinstance(value, Unknown) else "inputs is not an object"
    return Inputs(open=Unknown(f"the inputs of {shown} are not decided: {reason}"))


def _generated(body: Body, scope: Mapping[str, object], shown: str) -> dict[str, Generated]:
    out: dict[str, Generated] = {}
    for block in body.blocks_of("generate"):
        attrs = block.body.attributes
        if not block.labels or _evaluated(attrs.get("disable"), scope) is True:
            continue
        contents = attrs.get("contents")
        at = Location(shown, contents.line if contents else block.line, 1)
        out[block.labels[0]] = Generated(
            _evaluated(attrs.get("path"), scope), _evaluated(contents, scope),
            _literal(attrs.get("if_exists"), scope, "overwrite_terragrunt"), at)
    return out


def _source(body: Body, scope: Mapping[str, object]) -> tuple[object, Attribute] | None:
    for block in body.blocks_of("terraform"):
        attribute = block.body.attributes.get("source")
        if attribute is not None:
            return _safe(attribute.expr, scope), attribute
    return None


def _literal(attribute: Attribute | None, scope: Mapping[str, object], default: object
             ) -> object:
    value = _evaluated(attribute, scope)
    return default if attribute is None else value


def _evaluated(attribute: Attribute | None, scope: Mapping[str, object]) -> object:
    return None if attribute is None else _safe(attribute.expr, scope)


def _safe(expr: object, scope: Mapping[str, object]) -> object:
    """Terragrunt fails on an expression error; here the value is unknown, with the reason."""
    try:
        return evaluate(expr, scope)  # type: ignore[arg-type]
    except EvalError as error:
        return Unknown(f"Terragrunt rejects this expression: {error}")
