"""A small archive for the teachers' tests (issue 17): stories across wars, audiences,
topics, lengths and access levels, recordings public and restricted, a topic
vocabulary, teaching notes, an exhibit, and narrators with honours for the
honour wall (public ones, and ones a lobby screen must never show)."""
from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from reading_archive import jpeg, wav

TOPICS = """
战斗经历
  战役与战斗 = 战役
    长津湖
    渡江战役 = 过江
  兵种与岗位
    卫生员 = 救护
    运输兵 = 汽车兵
人物与情谊
  战友情
和平年代
  抗洪
"""

POLYPHONES = "长大以后他当了行长，银行重新开张。他重重地关上门，还了借的钱，还要去为人民服务。"

# slug: (title, conflict, audiences, tags, minutes of transcript, recording, access, extra body)
STORIES = {
    "kmyc-xiao": ("雪夜过江", "抗美援朝战争", ["小学高年级", "初中"], ["过江", "战友情"], 12, "public", "public", "1950年冬天"),
    "kmyc-long": ("长津湖的冬天", "抗美援朝战争", ["小学高年级"], ["长津湖"], 40, "public", "public", "五十年代初"),
    "kmyc-norec": ("车队夜行", "抗美援朝战争", ["小学高年级"], ["汽车兵"], 8, None, "public", "一九五一年春"),
    "kmyc-secretrec": ("野战医院", "抗美援朝战争", ["小学高年级", "高中"], ["卫生员"], 9, "restricted", "public", "1952年"),
    "kmyc-internal": ("内部回忆", "抗美援朝战争", ["小学高年级"], ["长津湖"], 6, "public", "internal", "1950年"),
    "kmyc-restricted": ("受限回忆", "抗美援朝战争", ["初中"], ["战友情"], 5, "public", "restricted", "1953年"),
    "jiefang": ("渡江的船", "解放战争", ["初中", "小学低年级"], ["渡江战役"], 14, "public", "public", "1949年4月"),
    "kangri": ("地道里的日子", "抗日战争", ["高中"], ["战友情"], 20, None, "public", "1942年"),
    "heping": ("九八年抗洪", "和平时期", ["社区", "小学低年级"], ["抗洪"], 7, "public", "public", "1998年"),
}


def _story(slug: str, spec: tuple, with_notes: bool) -> str:
    title, conflict, audiences, tags, minutes, recording, access, years = spec
    media = [f"  - file: {slug}/photo.jpg\n    caption: {title}的照片"]
    if recording:
        media.append(f"  - file: {slug}/talk.wav\n    caption: 录音" + ("\n    access: restricted" if recording == "restricted" else ""))
    segments = "\n\n".join(f"## [00:{m:02d}:00] 第{m + 1}段 {{#part-{m}}}\n\n{years}，我们在一起。讲述第{m + 1}段。"
                           for m in range(0, minutes, 3)) + f"\n\n[00:{minutes:02d}:00] 讲完了。\n"
    notes = """
teaching:
  age: 小学高年级
  subject: 道德与法治
  key_points:
    - 志愿军在严寒中过江
    - 战友之间互相照顾
  questions:
    - 过江那一夜，战士们最怕的是什么？
    - 如果你是小王，你会对班长说什么？
    - 今天我们怎样记住这些人？
  segments:
    - part-0
    - part-3
""" if with_notes else ""
    return (f"---\ntitle: {title}\nnarrator: {title[:2]}老兵\ninterviewed: 2020-05-01\nplace: 红星街道\n"
            f"conflicts:\n  - {conflict}\naudience:\n" + "".join(f"  - {a}\n" for a in audiences)
            + "tags:\n" + "".join(f"  - {t}\n" for t in tags) + f"access: {access}\n"
            + (f"people:\n  - {slug}-person\n" if slug == "kmyc-xiao" else "")
            + ("content_notes:\n  - 战争伤亡描写\n" if slug == "kmyc-long" else "")
            + "media:\n" + "\n".join(media) + "\n" + notes.lstrip("\n") + f"summary: {title}的故事。\n---\n{segments}")


PEOPLE = {
    # slug: (name, honours, born, party_joined, access, portrait access)
    "hero-a": ("张英雄", ["一等功"], 1930, 1950, "public", "public"),
    "hero-b": ("李战斗", ["战斗英雄"], 1928, 1948, "public", "public"),
    "hero-c": ("王百岁", [], 1920, 1940, "public", "public"),
    "hero-secret": ("赵保密", ["一等功"], 1931, None, "restricted", "public"),
    "hero-internal": ("钱内部", ["战斗英雄"], 1932, None, "internal", "public"),
    "hero-hidden-photo": ("孙照片", ["一等功"], 1929, None, "public", "restricted"),
    "plain": ("周普通", ["三等功"], 1950, None, "public", "public"),
}


def _person(slug: str, spec: tuple) -> str:
    name, honors, born, party, access, _ = spec
    honor_lines = "".join(f"    - {h}\n" for h in honors)
    return (f"---\nname: {name}\nborn: {born}\n" + (f"party_joined: {party}\n" if party else "")
            + f"portrait: portraits/{slug}.jpg\naccess: {access}\n"
            + f"citation: {name}在战斗中冲锋在前，荣立战功，是全区老兵的榜样。\n"
            + "service:\n  enlisted: 1948\n  discharged: 1958\n" + (f"  honors:\n{honor_lines}" if honors else "")
            + f"media:\n  - file: portraits/{slug}.jpg\n    caption: 肖像\n    access: {spec[5]}\n"
            + f"---\n{name}，{born}年生。\n")


def _hero_story(slug: str, spec: tuple) -> str:
    name, access = spec[0], spec[4]
    return (f"---\ntitle: {name}的故事\nnarrator: {name}\ninterviewed: 2021-01-01\nconflicts:\n  - 抗美援朝战争\n"
            f"people:\n  - {slug}\naccess: {access}\nkey_segment: zhan-dou\n"
            f"media:\n  - file: {slug}/talk.wav\n    caption: 录音\n"
            f"---\n## [00:00:05] 开头\n\n我叫{name}。\n\n## [00:01:00] 战斗 {{#zhan-dou}}\n\n1951年我们打了一仗。\n")


EXHIBIT = """
---
title: 跨过鸭绿江：给小学生的专题
audience:
  - 小学高年级
stories:
  - kmyc-xiao
  - kmyc-long
  - kmyc-restricted
commentary:
  kmyc-xiao: 先读这一篇：过江那一夜，孩子们最容易感受到寒冷和勇气。
  kmyc-long: 这一篇较长，可只读前两段；有伤亡描写，请先预读。
teaching:
  age: 小学高年级
  questions:
    - 两位老兵讲的冬天有什么相同？
    - 你想对他们说什么？
---
1950年10月，志愿军跨过鸭绿江。这个专题按过江、作战的顺序排列。
"""


def build_teaching_archive(root: Path) -> Path:
    """Write the teachers' test archive under root and return root."""
    files: dict[str, str | bytes] = {"vocabularies/topics.txt": TOPICS, "collections/exhibit.md": EXHIBIT}
    for slug, spec in STORIES.items():
        files[f"stories/{slug}.md"] = _story(slug, spec, slug == "kmyc-xiao")
        files[f"media/{slug}/photo.jpg"] = jpeg()
        if spec[5]:
            files[f"media/{slug}/talk.wav"] = wav(2)
    files["stories/polyphones.md"] = (f"---\ntitle: 多音字\nnarrator: 测试\ninterviewed: 2020-01-01\n---\n"
                                      f"{POLYPHONES}\n")
    files["people/kmyc-xiao-person.md"] = "---\nname: 雪夜老兵\nservice:\n  enlisted: 1949\n---\n"
    for slug, spec in PEOPLE.items():
        files[f"people/{slug}.md"] = _person(slug, spec)
        files[f"stories/{slug}-story.md"] = _hero_story(slug, spec)
        files[f"media/portraits/{slug}.jpg"] = jpeg(size=(90, 120))
        files[f"media/{slug}/talk.wav"] = wav(2)
    return write_tree(root, files)
