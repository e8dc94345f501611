"""axe-core and html-validate, from tools/a11y/node_modules (installed by `make test` with npm ci)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "a11y"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
HTML_VALIDATE = TOOLS / "node_modules" / ".bin" / "html-validate"
HTML_RULES = {"extends": ["html-validate:recommended"],
              "rules": {"no-inline-style": "off", "long-title": "off", "no-trailing-whitespace": "off",
                        "void-style": "off", "attribute-boolean-style": "off", "no-redundant-role": "off",
                        "prefer-native-element": "off", "tel-non-breaking": "off",
                        "doctype-style": "off",  # <!doctype html> in lower case is valid HTML
                        "form-dup-name": ["error", {"shared": ["radio", "checkbox", "button", "reset", "submit"]}]}}


def axe_violations(page) -> list[str]:
    """Run axe-core in the page (the context needs bypass_csp=True to inject it); one line per violation."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make test` (npm ci in tools/a11y)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
            else str(n["target"]) for n in v["nodes"][:4]) for v in result["violations"]]


def html_errors(files: list[Path], config_dir: Path) -> str:
    """html-validate's report for the files ('' when there is no error), bounded to 60 s."""
    config = config_dir / ".htmlvalidate.json"
    config.write_text(json.dumps(HTML_RULES), encoding="utf-8")
    done = subprocess.run([str(HTML_VALIDATE), "--config", str(config), "--formatter", "text", *map(str, files)],
                          check=False, capture_output=True, text=True, timeout=60)
    return "" if done.returncode == 0 else done.stdout + done.stderr
