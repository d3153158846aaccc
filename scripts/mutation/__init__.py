"""Mutation testing of the code whose bugs would show staff wrong numbers (docs/mutation.md).

`operators` finds and applies the mutants of one module (a small AST mutator), `settings`
reads `config.toml` and `equivalents.toml` beside this file, `runner` runs each module's
tests against each mutant in copies of the repository, and `__main__` is the command:
`python -m scripts.mutation`.
"""
