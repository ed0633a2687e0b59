"""Writing the dbt macros generated from the checker's Python (the policy
schema, the storage spec): ``python -m dqp_runner.<module> [repo root]``."""

from __future__ import annotations

from pathlib import Path


def macro_text(name: str, comment: str, returned: str, preamble: str = "") -> str:
    """A generated macro returning one dict literal: its header comment (which
    names the module that generates it), an optional Jinja preamble, then
    ``{{ return({ ... }) }}`` around the rendered entries."""
    return (
        f"{{#- {comment} -#}}\n"
        f"{{% macro {name}() %}}\n"
        f"{preamble}"
        "    {{ return({\n"
        f"{returned}\n"
        "    }) }}\n"
        "{% endmacro %}\n"
    )


def write_macro(argv: list[str], relative_path: Path, text: str) -> int:
    """Write a generated macro under the repository root (argv[0], else this checkout's)."""
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    path = root / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"wrote {path}")
    return 0
