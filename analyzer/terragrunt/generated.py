"""`generate` blocks: the files Terragrunt writes into the working directory before Terraform
runs (a provider with `default_tags` or a Region, shared by every unit of a tree). A generated
`.tf` file joins the module's files; its lines are reported at the generate block's contents.
A file whose name or text is not decided makes every table of the unit unknown: it could hold
anything.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.hcl.parse import Body, HclSyntaxError, check_depth, parse_hcl
from analyzer.model import Inventory, LoadError, Location
from analyzer.terraform.files import TfFile, TfModuleSource
from analyzer.terragrunt.config import Generated


def with_generated(module: TfModuleSource, generated: dict[str, Generated], unit: str,
                   inventory: Inventory) -> TfModuleSource:
    files = list(module.files)
    for label, block in sorted(generated.items()):
        if not isinstance(block.path, str) or not isinstance(block.contents, str):
            # It may declare anything (a provider's default_tags, a selection): every table
            # of the unit is unknown, with this reason (not an error: the code is valid).
            inventory.unreadable.setdefault(unit, LoadError(
                block.at, f'the file generate "{label}" writes is not decided, so its code '
                "was not read"))
            continue
        name = Path(block.path).name
        if not name.endswith(".tf"):
            continue  # .tf.json, a lock file, anything Terraform reads as no configuration
        present = [f for f in files if f.path.name == name]
        if present and block.if_exists == "skip":
            continue
        body = _parse(block, inventory)
        if body is not None:
            files = [f for f in files if f.path.name != name]
            files.append(TfFile(module.directory / name, block.at.file, body))
    return TfModuleSource(module.directory, files, module.errors)


def _parse(block: Generated, inventory: Inventory) -> Body | None:
    try:
        body = parse_hcl(str(block.contents))
        check_depth(body)
    except HclSyntaxError as error:
        where = Location(block.at.file, block.at.line + error.line, error.col)
        inventory.errors.append(LoadError(where, f"syntax error in generated code: "
                                          f"{error.message}"))
        return None
    _shift(body, block.at.line)
    return body


def _shift(body: Body, offset: int) -> None:
    """Lines of the generated text as lines of the terragrunt.hcl holding it (a heredoc's text
    starts on the line after `contents = <<EOF`)."""
    pending = [body]
    while pending:
        current = pending.pop()
        for attribute in current.attributes.values():
            attribute.line += offset
        for inner in current.blocks:
            inner.line += offset
            inner.end_line += offset
            pending.append(inner.body)
    body.comments = [(line + offset, text) for line, text in body.comments]
