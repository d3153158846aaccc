"""The mutants of one module: small, plausible bugs, each one change to the syntax tree.

The operators (docs/mutation.md): arithmetic operators swapped (`+` <-> `-`, `*` <-> `/`,
...), comparisons moved by one (`<` -> `<=`, `==` -> `!=`, `in` -> `not in`, ...), `and`
<-> `or` and each operand of one dropped, a condition negated, a constant changed (an int
plus one, a float doubled, a bool flipped, a string wrapped in `XX`), a rounding mode or
`min`/`max`/`any`/`all` swapped, `abs()`/`round()` and `.strip()`/`.lower()` removed, `break`
<-> `continue`, and a statement that changes state deleted (a call, a raise, an `if`, an
assignment to an attribute or item, an augmented assignment).

Left alone: docstrings, annotations (and `Literal[...]`), decorators, f-strings, and the text
of messages (strings inside a `raise` or an `...Error(...)` call): mutating them would make
noise, not find a missing test.

A mutant's `index` counts every place in the module in one fixed walk of the tree, so it does
not depend on which functions are selected; its `key` (function, code before and after) is
what `equivalents.toml` names, so it survives edits elsewhere in the file.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MODULE_SCOPE = "<module>"
_SHOWN_CHARS = 100

_BINARY: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
    ast.LShift: ast.RShift,
    ast.RShift: ast.LShift,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
    ast.BitXor: ast.BitAnd,
}
_COMPARE: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
# A single comparison with one of these is already negated by the comparison swap.
_SELF_NEGATING = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)
_NAMES = {
    "ROUND_HALF_UP": "ROUND_HALF_EVEN",
    "ROUND_HALF_EVEN": "ROUND_HALF_UP",
    "ROUND_UP": "ROUND_DOWN",
    "ROUND_DOWN": "ROUND_UP",
    "floor": "ceil",
    "ceil": "floor",
    "min": "max",
    "max": "min",
    "any": "all",
    "all": "any",
}
_UNWRAPPED_CALLS = frozenset({"abs", "round"})
_REMOVED_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper"})
# Calls whose string arguments are message text.
_MESSAGE_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "warn"})
_MESSAGE_SUFFIXES = ("Error", "Exception", "Rejected", "Warning")
_TYPING_CALLS = frozenset({"TypeVar", "NewType", "cast"})


@dataclass(frozen=True)
class Mutant:
    """One mutant of `module`: the code `original` at `line` of `function` made `mutated`."""

    module: str
    index: int
    function: str
    line: int
    original: str
    mutated: str
    occurrence: int = 1  # among the mutants of `function` with the same original and mutated

    @property
    def key(self) -> str:
        """How `equivalents.toml` and reports name this mutant."""
        suffix = f" (#{self.occurrence})" if self.occurrence > 1 else ""
        return f"{self.function}: {self.original} -> {self.mutated}{suffix}"

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}"


def _shown(node: ast.AST) -> str:
    text = ast.unparse(node).split("\n", 1)[0].strip()
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_message_call(call: ast.Call) -> bool:
    name = _call_name(call)
    return name in _MESSAGE_CALLS or name.endswith(_MESSAGE_SUFFIXES)


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring statements of `tree`."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0]))
    return found


def _negated(test: ast.expr) -> ast.expr | None:
    """`not (test)`, or None where another operator already makes that mutant."""
    if isinstance(test, ast.Constant):
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return None
    single = isinstance(test, ast.Compare) and len(test.ops) == 1
    if single and isinstance(test.ops[0], _SELF_NEGATING):  # type: ignore[attr-defined]
        return None
    return ast.UnaryOp(op=ast.Not(), operand=test)


def _deleted_alone(statement: ast.stmt) -> bool:
    """Whether `statement` has a deletion mutant of its own."""
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Call | ast.Await | ast.Yield | ast.YieldFrom)
    if isinstance(statement, ast.Assign):
        stores = [n for t in statement.targets for n in ast.walk(t)]
        return any(isinstance(n, ast.Attribute | ast.Subscript) for n in stores)
    return isinstance(statement, ast.Raise | ast.AugAssign | ast.Break | ast.Continue | ast.If)


def _changed_constant(value: object) -> object | None:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 2 if value else 1.0
    if isinstance(value, str):
        return f"XX{value}XX"
    return None


class _Walk(ast.NodeTransformer):
    """One walk of a module: lists its mutants, or applies the one numbered `target`."""

    def __init__(self, module: str, functions: Sequence[str] | None, target: int | None) -> None:
        self.module = module
        self.functions = tuple(functions) if functions is not None else None
        self.target = target
        self.count = 0
        self.found: list[Mutant] = []
        self.applied = False
        self.scope: list[str] = []
        self.message_depth = 0  # > 0 inside the text of a message
        self.docstrings: set[int] = set()
        self.tree: ast.Module | None = None

    # --- bookkeeping ---------------------------------------------------------------------

    @property
    def function(self) -> str:
        return ".".join(self.scope) or MODULE_SCOPE

    def _selected(self) -> bool:
        if self.functions is None:
            return True
        name = self.function
        return any(name == f or name.startswith(f + ".") for f in self.functions)

    def _offer(self, node: ast.AST, replacements: Iterable[ast.AST]) -> ast.AST:
        """Count each replacement of `node`; return the one to apply, else `node`."""
        chosen = node
        for replacement in replacements:
            index = self.count
            self.count += 1
            if self.target is None:
                if self._selected():
                    self.found.append(
                        Mutant(
                            module=self.module,
                            index=index,
                            function=self.function,
                            line=getattr(node, "lineno", 0),
                            original=_shown(node),
                            mutated=_shown(replacement),
                        )
                    )
            elif index == self.target:
                self.applied = True
                chosen = replacement
        return chosen

    def _deletable(self, node: ast.stmt, *others: ast.AST) -> ast.AST:
        return self._offer(node, [*others, ast.Pass()])

    # --- scopes and what is never mutated ------------------------------------------------

    def visit_Module(self, node: ast.Module) -> ast.AST:
        self.docstrings = _docstrings(node)
        self.generic_visit(node)
        return node

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        self.scope.append(node.name)
        # Defaults are behaviour; annotations, the return annotation and decorators are not.
        node.args.defaults = [self.visit(d) for d in node.args.defaults]
        node.args.kw_defaults = [
            None if d is None else self.visit(d) for d in node.args.kw_defaults
        ]
        node.body = self._visit_body(node.body)
        self.scope.pop()
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._visit_function(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.scope.append(node.name)
        node.body = self._visit_body(node.body)
        self.scope.pop()
        return node

    def _visit_body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        visited: list[ast.stmt] = []
        for statement in body:
            result = self.visit(statement)
            if isinstance(result, ast.stmt):
                visited.append(result)
        return visited

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return node  # f-strings are display and message text

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        value = node.value
        name = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
        if name == "Literal":
            return node
        self.generic_visit(node)
        return node

    def visit_Import(self, node: ast.Import) -> ast.AST:
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        return node

    # --- statements ----------------------------------------------------------------------

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        if id(node) in self.docstrings:
            return node
        self.generic_visit(node)
        return self._deletable(node) if _deleted_alone(node) else node

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        self.message_depth += 1
        self.generic_visit(node)
        self.message_depth -= 1
        return self._deletable(node)

    def visit_If(self, node: ast.If) -> ast.AST:
        if _is_type_checking(node.test):
            return node  # imports for the type checker only: never run, so nothing to test
        node.test = self.visit(node.test)
        node.body = self._visit_body(node.body) or [ast.Pass()]
        node.orelse = self._visit_body(node.orelse)
        negated = _negated(node.test)
        others = [] if negated is None else [ast.If(negated, node.body, node.orelse)]
        if len(node.body) == 1 and not node.orelse and _deleted_alone(node.body[0]):
            return self._offer(node, others)  # deleting its one statement is the same mutant
        return self._deletable(node, *others)

    def visit_While(self, node: ast.While) -> ast.AST:
        self.generic_visit(node)
        negated = _negated(node.test)
        if negated is None:
            return node
        return self._offer(node, [ast.While(test=negated, body=node.body, orelse=node.orelse)])

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        swap = _BINARY.get(type(node.op))
        others = [] if swap is None else [ast.AugAssign(node.target, swap(), node.value)]
        return self._deletable(node, *others)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        self.generic_visit(node)
        return self._deletable(node) if _deleted_alone(node) else node

    def visit_Break(self, node: ast.Break) -> ast.AST:
        return self._deletable(node, ast.Continue())

    def visit_Continue(self, node: ast.Continue) -> ast.AST:
        return self._deletable(node, ast.Break())

    # --- expressions ---------------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        swap = _BINARY.get(type(node.op))
        if swap is None:
            return node
        return self._offer(node, [ast.BinOp(node.left, swap(), node.right)])

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return self._offer(node, [node.operand])

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        replacements: list[ast.AST] = []
        for i, op in enumerate(node.ops):
            swap = _COMPARE.get(type(op))
            if swap is not None:
                ops = [*node.ops[:i], swap(), *node.ops[i + 1 :]]
                replacements.append(ast.Compare(node.left, ops, node.comparators))
        return self._offer(node, replacements)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        other: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        replacements: list[ast.AST] = [ast.BoolOp(other, node.values)]
        for i in range(len(node.values)):
            kept = [*node.values[:i], *node.values[i + 1 :]]
            replacements.append(kept[0] if len(kept) == 1 else ast.BoolOp(node.op, kept))
        return self._offer(node, replacements)

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        negated = _negated(node.test)
        if negated is None:
            return node
        return self._offer(node, [ast.IfExp(negated, node.body, node.orelse)])

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, str) and self.message_depth:
            return node
        changed = _changed_constant(node.value)
        if changed is None:
            return node
        return self._offer(node, [ast.Constant(changed)])

    def visit_Name(self, node: ast.Name) -> ast.AST:
        swap = _NAMES.get(node.id)
        if swap is None or not isinstance(node.ctx, ast.Load):
            return node
        return self._offer(node, [ast.Name(swap, ast.Load())])

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        swap = _NAMES.get(node.attr)
        if swap is None or not isinstance(node.ctx, ast.Load):
            return node
        return self._offer(node, [ast.Attribute(node.value, swap, ast.Load())])

    def visit_Call(self, node: ast.Call) -> ast.AST:
        name = _call_name(node)
        if name in _TYPING_CALLS:
            return node
        message = _is_message_call(node)
        node.func = self.visit(node.func)
        self.message_depth += message
        node.args = [self.visit(a) for a in node.args]
        node.keywords = [self.visit(k) for k in node.keywords]
        self.message_depth -= message
        func = node.func
        plain = not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
        if isinstance(func, ast.Name) and func.id in _UNWRAPPED_CALLS and node.args and plain:
            return self._offer(node, [node.args[0]])
        if isinstance(func, ast.Attribute) and func.attr in _REMOVED_METHODS:
            return self._offer(node, [func.value])
        return node


def _walk(source: str, module: str, functions: Sequence[str] | None, target: int | None) -> _Walk:
    walk = _Walk(module, functions, target)
    walk.tree = ast.parse(source)
    walk.visit(walk.tree)
    return walk


def find_mutants(source: str, module: str, functions: Sequence[str] | None = None) -> list[Mutant]:
    """The mutants of `source` (the text of `module`, a path like `sync/parse/fields.py`), in
    the functions named in `functions` (qualified names: `ParsedFeed._extra_cells`; a nested
    function counts as its parent's) or everywhere when None."""
    found = _walk(source, module, functions, None).found
    seen: dict[tuple[str, str, str], int] = {}
    numbered: list[Mutant] = []
    for mutant in found:
        same = (mutant.function, mutant.original, mutant.mutated)
        seen[same] = seen.get(same, 0) + 1
        numbered.append(
            Mutant(
                module=mutant.module,
                index=mutant.index,
                function=mutant.function,
                line=mutant.line,
                original=mutant.original,
                mutated=mutant.mutated,
                occurrence=seen[same],
            )
        )
    return numbered


def mutated_source(source: str, mutant: Mutant) -> str:
    """The text of the module with `mutant` applied (formatted by `ast.unparse`)."""
    walk = _walk(source, mutant.module, None, mutant.index)
    if not walk.applied or walk.tree is None:
        raise ValueError(f"no mutant {mutant.index} in {mutant.module}")
    text = ast.unparse(ast.fix_missing_locations(walk.tree))
    compile(text, mutant.module, "exec")
    return text


def unified_diff(source: str, mutant: Mutant) -> str:
    """The mutant as a diff against the same module unparsed (both without comments)."""
    before = ast.unparse(ast.parse(source)).splitlines(keepends=True)
    after = mutated_source(source, mutant).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, mutant.module, mutant.key, n=2))


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`."""
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
