"""A small archive for the reading-side tests (pages, API, browser): public stories
with timestamps, photos and a recording; hostile Markdown; and one story at each
access level a reader may not see (internal, restricted, embargoed, draft)."""
from __future__ import annotations

import io
import wave
from pathlib import Path

from conftest import write_tree
from PIL import Image

CROSSING = """
---
title: 跨过鸭绿江
narrator: 王建国
interviewer: 李红
interviewed: 2023-05-01
place: 红星街道
conflicts:
  - 抗美援朝战争
honors:
  - 二等功
tags:
  - 渡江
audience:
  - 初中
summary: 一位志愿军老战士讲述1950年冬天跨过鸭绿江的那一夜。
people:
  - wang-jianguo
media:
  - file: crossing/bridge.jpg
    caption: 鸭绿江边的老兵
    date: 2023-05-01
    place: 丹东
    credit: 档案室拍摄
  - file: crossing/secret.jpg
    caption: 内部照片
    access: restricted
  - file: crossing/interview.wav
    caption: 访谈录音
---
## 参军 {#can-jun}

[00:00:01] 问：您是哪一年参军的？

我是1947年参军的。那时候家里穷，村里来了队伍，我就跟着走了。

## [00:00:03] 过江

1950年10月，我们连夜跨过鸭绿江。天很冷，江风吹在脸上像刀割一样。

[00:00:05] 1953年停战以后，我们回到了祖国。乡亲们敲锣打鼓地迎接我们。
"""

MINES = """
---
title: 边境排雷的日子
narrator: 曾卫东
interviewed: 2021-03-01
conflicts:
  - 和平时期
tags:
  - 排雷
---
1998年我们接到任务，去边境扫雷。每天天不亮就出发，一步一步地探。

2005年任务结束的时候，那片山坡上种满了庄稼。
"""

HOSTILE = """
---
title: 测试安全的故事
narrator: 张三
interviewed: 2020-01-01
conflicts:
  - 解放战争
---
## 开头

1948年冬天。<script>document.title = "PWNED-SCRIPT"</script>

<img src="x" onerror="document.title='PWNED-ONERROR'">

[点我](javascript:document.title='PWNED-LINK')

<a href="javascript:alert(1)" onclick="document.title='PWNED-CLICK'">另一个链接</a>
"""


def _hidden(title: str, extra: str) -> str:
    return f"""
---
title: {title}
narrator: 秘密讲述人
interviewed: 2020-01-01
conflicts:
  - 对越自卫反击战
{extra}
---
1979年的事情，{title}的正文，不应被看到。
"""


PERSON = """
---
name: 王建国
born: 1928
hometown: 山东莱阳
portrait: portraits/wang.jpg
service:
  enlisted: 1947
  units:
    - 志愿军第27军
  rank: 班长
  campaigns:
    - 长津湖战役
  honors:
    - 二等功
  wounds: 左腿冻伤
---
王建国，1928年生于山东莱阳，**1947年**参军。
"""

HIDDEN_PERSON = """
---
name: 秘密讲述人
---
只在受限故事中出现的人。
"""

COLLECTION = """
---
title: 抗美援朝老兵
stories:
  - kua-guo-ya-lu-jiang
  - restricted-story
  - no-such-story
audience:
  - 初中
cover: crossing/bridge.jpg
---
这个专题收录**志愿军老战士**的讲述。
"""

HIDDEN_TITLES = ("内部故事", "受限故事", "禁发故事", "草稿故事")


def jpeg(size=(240, 120), color=(160, 40, 40), orientation: int | None = None, gps: bool = False) -> bytes:
    """A JPEG photo, optionally with an EXIF orientation and a GPS block."""
    image = Image.new("RGB", size, color)
    image.paste((250, 250, 250), (0, 0, size[0] // 4, size[1] // 4))  # a white corner to check rotation
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    exif[0x010E] = "secret description"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def wav(seconds: int = 8) -> bytes:
    """A quiet 8 kHz mono recording of the given length."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000 * seconds)
    return buffer.getvalue()


def build_reading_archive(root: Path) -> Path:
    """Write the reading-side test archive under root and return root."""
    write_tree(root, {
        "stories/kua-guo-ya-lu-jiang.md": CROSSING,
        "stories/bian-jing-pai-lei.md": MINES,
        "stories/hostile.md": HOSTILE,
        "stories/internal-story.md": _hidden("内部故事", "access: internal"),
        "stories/restricted-story.md": _hidden("受限故事", "access: restricted\npeople:\n  - secret-person"),
        "stories/embargoed-story.md": _hidden("禁发故事", "embargo_until: '2999-01-01'"),
        "stories/draft-story.md": _hidden("草稿故事", "status: draft"),
        "people/wang-jianguo.md": PERSON,
        "people/secret-person.md": HIDDEN_PERSON,
        "collections/kang-mei-yuan-chao.md": COLLECTION,
        "media/crossing/bridge.jpg": jpeg(orientation=6, gps=True),
        "media/crossing/secret.jpg": jpeg(color=(0, 0, 200)),
        "media/crossing/interview.wav": wav(),
        "media/portraits/wang.jpg": jpeg(size=(90, 120)),
    })
    return root
