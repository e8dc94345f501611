"""`python -m bench [NAME] [OPTIONS]`: run one benchmark, or every benchmark module found."""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def benchmarks() -> dict[str, object]:
    """Modules of this package that define main(argv)."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "main", None)):
            found[info.name] = module
    return found


def run(argv: list[str]) -> int:
    """Dispatch to the named benchmark, or run all of them with default options."""
    modules = benchmarks()
    if argv and argv[0] in ("-h", "--help"):
        print("用法：python -m bench [" + "|".join(sorted(modules)) + "] [选项]；不给名称时依次运行全部。")
        return 0
    if argv and not argv[0].startswith("-"):
        name = argv[0]
        if name not in modules:
            print(f"没有名为 {name} 的基准测试；可用：{'、'.join(sorted(modules))}", file=sys.stderr)
            return 2
        return modules[name].main(argv[1:])
    status = 0
    for name, module in sorted(modules.items()):
        print(f"=== bench {name} ===", flush=True)
        status = module.main(list(argv)) or status
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
