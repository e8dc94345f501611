"""Hostile files, one of each kind an attack used to take the archive down: YAML that
expands (a "billion laughs"), numbers and nesting past what the parsers can take,
duplicate keys, and Markdown that makes a renderer backtrack or recurse.

`HOSTILE` maps a relative path to (file text, what `archive check` must say about it,
or None when the file is valid but must still render within the time budget).
"""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PERSON, STORY, write_tree


def _story(body: str, extra: str = "", title: str = "恶意文件") -> str:
    return f"---\ntitle: {title}\nnarrator: 某人\n{extra}---\n{body}"


def billion_laughs(levels: int = 8) -> str:
    lines = ['a0: &a0 ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return _story("正文。\n", "\n".join(lines) + "\n")


def nested_list(depth: int) -> str:
    return _story("".join("  " * level + "- 一层\n" for level in range(depth)))


HOSTILE: dict[str, tuple[str, str | None]] = {
    "stories/xiao-sheng.md": (billion_laughs(), "stories/xiao-sheng.md:5: 不支持 YAML 别名"),
    "stories/chang-shu-zi.md": (_story("正文。\n", "count: " + "9" * 5000 + "\n"),
                                "stories/chang-shu-zi.md:4: 数字位数过多"),
    "stories/fang-kuo-hao.md": (_story("正文。\n", "tags: " + "[" * 500 + "]" * 500 + "\n"),
                                "stories/fang-kuo-hao.md:4: 元数据嵌套层数过多"),
    "stories/chong-fu-jian.md": (_story("正文。\n", "access: restricted\naccess: public\n"),
                                 "stories/chong-fu-jian.md:5: 键 access 重复"),
    "stories/biao-ti.md": (_story("".join(f"## 第{i}节\n\n话。\n\n" for i in range(20000))),
                           "stories/biao-ti.md:16005: 段落过多"),
    "stories/shi-jian-ma.md": (_story("".join(f"[{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}] 话。\n\n"
                                              for i in range(40000))),
                               "stories/shi-jian-ma.md:8005: 段落过多"),
    "stories/qian-tao.md": (nested_list(3000), "stories/qian-tao.md:5: 正文过长"),
    "stories/qian-tao-500.md": (nested_list(500), "stories/qian-tao-500.md:25: 列表或引用嵌套层数过多"),
    "stories/lian-jie.md": (_story(" ".join(f"[链接{i}](http://127.0.0.1/{i})" for i in range(30000)) + "\n"), None),
    "stories/kuo-hao.md": (_story("[" * 10000 + "](" * 10000 + "\n"), None),
    "stories/biao-ge.md": (_story("|" + "|".join("列" for _ in range(5000)) + "|\n|" + "|".join("-" for _ in range(5000))
                                  + "|\n|" + "|".join("格" for _ in range(5000)) + "|\n"), None),
    "people/shen-ceng.md": ("---\nname: 深层\nservice: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n---\n简介。\n",
                            "people/shen-ceng.md:3: 元数据嵌套层数过多"),
    "people/bie-ming.md": ("---\nname: 别名\naliases: 5\n---\n简介。\n", "people/bie-ming.md:3: aliases 应为文本列表"),
}


def build_hostile_archive(root: Path) -> Path:
    """A small good archive (one story, one person) with every hostile file beside it."""
    files = {"stories/kua-guo-ya-lu-jiang.md": STORY, "people/wang-jianguo.md": PERSON}
    write_tree(root, files)
    for name, (text, _expected) in HOSTILE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
