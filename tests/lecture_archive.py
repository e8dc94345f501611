"""A small archive for the lecture tests: a public story with a photo, a story with
content notes, a restricted story and a story without segment markers."""
from __future__ import annotations

import io
from pathlib import Path

from conftest import write_tree
from PIL import Image

CROSSING = """
---
title: 跨过鸭绿江
narrator: 王建国
interviewer: 李红
interviewed: 2023-05-01
conflicts:
  - 抗美援朝战争
tags:
  - 渡江
audience:
  - 小学高年级
  - 初中
media:
  - file: crossing/bridge.png
    caption: 鸭绿江边的老兵
    date: 2023-05-01
    credit: 档案室拍摄
  - file: crossing/secret.png
    caption: 内部照片
    access: restricted
---
## 参军 {#can-jun}

[00:01:00] 问：您是哪一年参军的？

我是1947年参军的。那时候家里穷，村里来了队伍，我就跟着走了。“当兵就要当个好兵。”这是我娘说的话。

[00:10:00] 1950年10月，我们连夜跨过鸭绿江。天很冷，江风吹在脸上像刀割一样。大家一句话也不说，只听见脚步声。

[00:20:00] 1953年停战以后，我们回到了祖国。火车一进站，乡亲们敲锣打鼓地迎接我们，我哭了。
"""

BATTLE = """
---
title: 阵地上的七天七夜
narrator: 高山
interviewed: 2022-08-01
conflicts:
  - 对越自卫反击战
content_notes:
  - 战争暴力细节
---
[00:05:00] 我们在阵地上守了七天七夜，身边的战友一个接一个倒下，炮弹把山头削平了一层。我到现在还常常梦见那座山。

[00:15:00] 战斗结束后，我们连荣立集体一等功。我个人荣立二等功，这枚奖章我一直珍藏着，每年都拿出来擦一擦。
"""

SECRET = """
---
title: 未公开的回忆
narrator: 白秀珍
access: restricted
conflicts:
  - 抗美援朝战争
---
[00:02:00] 这件事我从来没有对外人讲过，那是一次非常特殊的任务，我们在夜里出发，走了很远很远的山路。
"""

PLAIN = """
---
title: 排雷的日子
narrator: 于海波
conflicts:
  - 和平时期
tags:
  - 排雷
---
那一年我们接到命令，到边境去排雷。山上草深林密，每一步都要小心，探雷针一寸一寸地往前探，一天只能推进几十米。

有一次，我在一块石头下面发现了一颗反步兵雷，心里一紧，手却不能抖。我慢慢地把引信拆下来，才发现自己浑身都湿透了。
"""


def png_bytes(color: str = "red") -> bytes:
    """A small real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), color).save(buffer, "PNG")
    return buffer.getvalue()


def lecture_archive(root: Path) -> Path:
    """Write the lecture test archive under root."""
    write_tree(root, {
        "stories/crossing.md": CROSSING,
        "stories/battle.md": BATTLE,
        "stories/secret.md": SECRET,
        "stories/mines.md": PLAIN,
    })
    write_tree(root, {"media/crossing/bridge.png": png_bytes(), "media/crossing/secret.png": png_bytes("blue")})
    return root
