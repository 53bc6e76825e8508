"""Which statuses each operation can answer: derived from the code, never typed per route.

An operation declares (in the OpenAPI document) the union of
- its success status (the one response its decorator names),
- what the layer itself answers: 401 when it needs a token; 400 for every write (a cookie session
  without its CSRF token); 400, 413, 415 and 422 with a JSON body; 422 with a query; 404 with an id
  in the path; 429 when a rate limit wraps the handler; 503 when the database is unavailable;
- the status of every domain error (:class:`marketplace.core.errors.DomainError` subclass) that the
  handler, or any ``marketplace`` function it refers to, transitively, constructs or raises. The
  walk reads each function's syntax tree and resolves names the way Python will: through the
  function's globals, its closure and its own imports. Hook lists and blinker signals are followed
  to the receivers connected at the time of the walk (the app factory connects them first).

A method called on an instance (``bid.something()``) cannot be resolved statically. That is why
:func:`install_check` exists: in the test suite, every /api/v1 answer whose status its operation does
not declare fails the test that caused it, so a gap in the walk shows up as a red test, not as an
undocumented answer.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import sys
import types
import weakref
from collections.abc import Iterator

import blinker
import flask
import werkzeug.exceptions
from flask import Flask, request
from werkzeug.exceptions import HTTPException

from marketplace.api.core import SAFE_METHODS, Operation, current_operation
from marketplace.core.errors import DomainError

PACKAGE = "marketplace"
#: Any operation: the database went away (errors.py answers a friendly 503).
ALWAYS = frozenset({503})
LIMITER_MARK = "__wrapper-limiter-instance"
ABORTS = (flask.abort, werkzeug.exceptions.abort)


def declared_statuses(operation: Operation) -> frozenset[int]:
    if operation._statuses is None:
        operation._statuses = frozenset(set(operation.responses) | layer_statuses(operation)
                                        | raised_statuses(operation.handler))
    return operation._statuses


def layer_statuses(operation: Operation) -> frozenset[int]:
    statuses = set(ALWAYS)
    if operation.secured:
        statuses.add(401)
    if operation.method.upper() not in SAFE_METHODS:
        statuses.add(400)  # CSRF: a cookie-authenticated write without the token
    if operation.body is not None:
        statuses |= {400, 413, 415, 422}
    if operation.query is not None:
        statuses.add(422)
    if "<int:" in operation.rule:
        statuses.add(404)
    if any(f.__dict__.get(LIMITER_MARK) is not None for f in _wrapper_chain(operation.handler)):
        statuses.add(429)
    return frozenset(statuses)


# --- the walk ---------------------------------------------------------------------------------------

def raised_statuses(handler, *, within: str = PACKAGE) -> frozenset[int]:
    """Statuses of the domain (and HTTP) errors that ``handler`` can raise, following the functions of
    the package ``within`` that it refers to, transitively."""
    statuses: set[int] = set()
    seen: set[types.CodeType] = set()
    todo = [handler]
    while todo:
        for fn in _functions(todo.pop(), within):
            if fn.__code__ in seen:
                continue
            seen.add(fn.__code__)
            found, referenced = _scan(fn, within)
            statuses |= found
            todo.extend(referenced)
    return frozenset(statuses)


def _wrapper_chain(obj) -> Iterator:
    """``obj`` and what it wraps (functools.wraps), for plain functions, bound methods and partials."""
    while obj is not None:
        if type(obj) is types.MethodType:
            obj = obj.__func__
        elif type(obj) is functools.partial:
            obj = obj.func
        if type(obj) is not types.FunctionType:
            return
        yield obj
        obj = obj.__dict__.get("__wrapped__")


def _functions(obj, within: str) -> Iterator[types.FunctionType]:
    """The functions of the package ``within`` behind ``obj``: itself and what it wraps."""
    for item in _wrapper_chain(obj):
        if _inside(item, within):
            yield item


def _inside(obj, package: str) -> bool:
    return _in_package(getattr(obj, "__module__", None) or "", package)


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@functools.cache
def _module_functions(module_name: str) -> dict[int, list[ast.AST]]:
    """Function and lambda nodes of a module by the first line of their code object."""
    module = sys.modules.get(module_name)
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return {}
    nodes: dict[int, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            nodes.setdefault(first, []).append(node)
        elif isinstance(node, ast.Lambda):
            nodes.setdefault(node.lineno, []).append(node)
    return nodes


def _local_names(code: types.CodeType) -> set[str]:
    names = set(code.co_varnames) | set(code.co_cellvars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _local_names(const)
    return names


@functools.cache
def _scan(fn: types.FunctionType, within: str) -> tuple[frozenset[int], tuple]:
    """The statuses ``fn`` raises itself and what it refers to (computed once per function)."""
    nodes = _module_functions(fn.__module__).get(fn.__code__.co_firstlineno, [])
    statuses: set[int] = set()
    referenced: list = []
    local = _local_names(fn.__code__)
    cells = zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=True)
    closure = {name: cell.cell_contents for name, cell in cells if _filled(cell)}
    imported = {}
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom):
                imported.update(_imports(sub, fn.__module__, within))

    def resolve(expr: ast.AST):
        if isinstance(expr, ast.Name):
            if expr.id in imported:
                return imported[expr.id]
            if expr.id in closure:
                return closure[expr.id]
            if expr.id in local:
                return None
            if expr.id in fn.__globals__:
                return fn.__globals__[expr.id]
            return getattr(builtins, expr.id, None)
        if isinstance(expr, ast.Attribute):
            base = resolve(expr.value)
            if type(base) is types.ModuleType:
                return getattr(base, expr.attr, None)
            if issubclass(type(base), type):  # a class: no descriptors run
                return inspect.getattr_static(base, expr.attr, None)
        return None

    raising: set[int] = set()  # the expressions after ``raise`` (ast.walk visits a node before its children)
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Raise) and sub.exc is not None:
                raising.add(id(sub.exc))
            elif isinstance(sub, ast.Call):
                target = resolve(sub.func)
                status = _error_status(target)
                if status is not None:
                    statuses.add(status)
                elif any(target is a for a in ABORTS) and sub.args and isinstance(sub.args[0], ast.Constant):
                    statuses.add(int(sub.args[0].value))
            elif isinstance(sub, ast.Name | ast.Attribute) and isinstance(sub.ctx, ast.Load):
                value = resolve(sub)
                if id(sub) in raising and _error_status(value) is not None:
                    statuses.add(_error_status(value))
                referenced.extend(_callables(value, within))
    return frozenset(statuses), tuple(referenced)


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def _module(name: str, within: str) -> types.ModuleType | None:
    """A module an import inside a function names: one already loaded, or one of ``within`` (loaded now)."""
    if name in sys.modules:
        return sys.modules[name]
    return importlib.import_module(name) if _in_package(name, within) else None


def _imports(node: ast.Import | ast.ImportFrom, module_name: str, within: str) -> dict:
    """Names bound by an import inside a function."""
    bound = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            module = _module(alias.name, within)
            if module is not None:
                bound[alias.asname or alias.name.split(".")[0]] = \
                    module if alias.asname else sys.modules.get(alias.name.split(".")[0])
        return bound
    base = node.module or ""
    if node.level:
        package = module_name.rsplit(".", node.level)[0]
        base = f"{package}.{base}" if base else package
    module = _module(base, within)
    if module is None:
        return bound
    for alias in node.names:
        value = getattr(module, alias.name, None)
        if value is None:
            value = _module(f"{base}.{alias.name}", within)
        bound[alias.asname or alias.name] = value
    return bound


def _error_status(value) -> int | None:
    if not issubclass(type(value), type):
        return None
    if issubclass(value, DomainError):
        return value.status
    if issubclass(value, HTTPException) and value.code:
        return value.code
    return None


def _callables(value, within: str) -> list:
    """What a reference can run: a function, a hook list's entries, a signal's receivers, the methods
    of a class of ``within``."""
    kind = type(value)
    if kind in (types.FunctionType, types.MethodType, functools.partial):
        return [value]
    if kind in (staticmethod, classmethod):
        return [value.__func__]
    if issubclass(kind, list | tuple | set | frozenset):
        return [v for v in value if type(v) in (types.FunctionType, types.MethodType, functools.partial)]
    if issubclass(kind, blinker.Signal):
        receivers = []
        for ref in value.receivers.values():
            target = ref() if issubclass(type(ref), weakref.ref) else ref
            if target is not None:
                receivers.append(target)
        return receivers
    if issubclass(kind, type) and _inside(value, within) and not issubclass(value, DomainError):
        return [v.__func__ if isinstance(v, staticmethod | classmethod) else v
                for v in vars(value).values()
                if type(v) is types.FunctionType or isinstance(v, staticmethod | classmethod)]
    return []


# --- the check that cannot drift (tests) ---------------------------------------------------------

def install_check(app: Flask) -> None:
    """Testing only: every /api/v1 answer must have a status that its operation declares."""

    @app.after_request
    def _declared_status(response):
        operation = current_operation()
        if operation is not None and response.status_code not in declared_statuses(operation):
            raise AssertionError(
                f"{request.method} {request.path} answered {response.status_code}, which the OpenAPI document "
                f"does not declare for {operation.handler.__name__} (declared: {sorted(declared_statuses(operation))})")
        return response
