"""A deterministic generator of synthetic veterans' interviews for the benchmarks.

`write_corpus(folder, n=2000, chars=3000)` writes an archive root with
`stories/<slug>.md` files (front matter + `##` headings + `[HH:MM:SS]`
timestamps + interviewer questions and narrator answers) and `people/` files.
The same arguments always give the same bytes.
"""
from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE_FOLDERS = ("stories", "people", "media", "collections", "vocabularies")

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文向单朴")
GIVEN = list("建国志远德全桂英永春秀珍海波守田明山春生卫红长江振华福来玉兰秋菊铁柱大勇文斌金宝兴旺双喜成林学军立新")
PLACES = ["鸭绿江", "长津湖", "上甘岭", "清川江", "汉江", "临津江", "铁原", "金城", "老山", "者阴山", "法卡山", "扣林山",
          "淮海", "孟良崮", "平津", "渡江", "衡宝", "辽沈", "太行山", "沂蒙山", "百团", "平型关", "台儿庄", "娘子关"]
STREETS = ["东风街道", "胜利街道", "光明街道", "红旗街道", "和平街道", "建设街道", "新华街道", "人民街道"]
UNITS = ["志愿军第27军", "志愿军第38军", "志愿军第15军", "第九兵团", "第二十兵团", "某工兵团", "某汽车团", "某炮兵团",
         "某侦察连", "某通信营", "某舟桥营", "某野战医院", "华东野战军第三纵队", "八路军一二九师", "新四军第四师"]
CONFLICTS = ["抗日战争", "解放战争", "抗美援朝战争", "对越自卫反击战", "和平时期"]
CONFLICT_TEXT = {"抗日战争": ["抗战", "抗日战争"], "解放战争": ["解放战争"], "抗美援朝战争": ["抗美援朝", "朝鲜战争"],
                 "对越自卫反击战": ["对越自卫还击战", "对越自卫反击战", "中越边境自卫反击战"], "和平时期": ["抗洪抢险", "边境扫雷"]}
HONORS = ["一等功", "二等功", "三等功", "战斗英雄", "光荣在党50年纪念章", "中国人民志愿军抗美援朝出国作战70周年纪念章"]
TAGS = ["侦察兵", "运输兵", "卫生员", "工兵", "排雷", "通信兵", "炮兵", "过江", "冻伤", "战友情", "入党", "家书", "支前",
        "潜伏", "突击队", "伤残军人", "宣讲", "少年英雄", "女兵", "炊事班"]
AUDIENCES = ["小学低年级", "小学高年级", "初中", "高中", "机关", "企业", "社区"]
ROLES = ["班长", "排长", "连长", "战士", "卫生员", "司机", "报务员", "侦察员", "炊事员", "工兵"]
THINGS = ["炮弹", "干粮", "棉衣", "药箱", "电台", "地图", "步枪", "手榴弹", "担架", "冻土豆", "炒面", "雪水", "家书", "军功章"]
VERBS = ["冲上", "守住", "趴在", "爬过", "扛起", "背着", "送到", "埋好", "挖开", "架起", "拉着", "摸到"]
FEELINGS = ["心里一直记着", "到现在都忘不了", "说起来还是难受", "想起来就掉眼泪", "一辈子也不后悔", "觉得值"]
OPENERS = ["那时候", "后来", "第二天", "天快亮的时候", "半夜里", "到了冬天", "打完那一仗", "刚入朝那阵子", "过了几天"]
COMMON = ["军人", "老兵", "英雄", "战友", "阵地", "部队", "人民", "群众", "同志", "老乡", "首长", "连队", "任务", "命令",
          "战斗", "牺牲", "胜利", "祖国", "家乡", "父母", "孩子", "学生", "老师", "党员", "组织", "精神", "纪律", "光荣"]
QUESTIONS = ["您还记得{place}那一仗吗？", "当时您在{unit}担任什么？", "您是哪一年入伍的？", "给孩子们讲讲{thing}的事吧。",
             "您的战友{name}后来怎么样了？", "那时候条件有多苦？", "您立{honor}是因为什么？", "回到{street}以后做什么工作？"]
SENTENCES = [
    "{opener}，我们{unit}奉命{verb}{place}，{common}们都憋着一股劲。",
    "{year}年{month}月，我{verb}{thing}往{place}那边走，雪没过膝盖，{feeling}。",
    "我们班长{name}是{home}人，他常说：“{common}就要像个{common2}的样子。”",
    "{opener}，敌人的飞机来了，我们{verb}山沟里，{thing}一点都没丢。",
    "那一回我立了{honor}，可我总跟学生们说，功劳是全班{num}个{common}的。",
    "{name}是我们连的{role}，{year}年牺牲在{place}，才{age}岁，{feeling}。",
    "转业以后我回到{street}，在社区给孩子们讲{place}的故事，讲{common}的{common2}。",
    "{opener}，{conflict_text}打响了，我们{unit}连夜出发，谁也没有说一句怨言。",
    "一个{common}，最要紧的是{common2}，这是{name}教给我的。",
    "我们在{place}守了{num}天，吃的是{thing}，喝的是雪水，{feeling}。",
    "{opener}，{role}{name}背着{thing}跑在最前头，子弹从耳朵边上擦过去。",
    "家里来信说母亲病了，我把信揣在怀里，{num}天没敢拆开看。",
    "那天夜里下着大雨，我们蹚着齐腰深的水过河，{thing}都顶在头上。",
    "老乡们把最后一点粮食拿出来，说：“你们是人民的队伍，吃饱了好打仗。”",
    "{year}年我入了党，介绍人就是{name}，他后来在{place}牺牲了。",
    "到了阵地上，先挖猫耳洞，{num}个人挤在一个洞里，轮流站岗。",
    "我们{unit}有个规矩，伤员不下火线，能走的都自己走。",
    "{opener}，指导员把大家叫到一起，念了一遍{conflict_text}的动员令。",
    "炊事班的老{surname}每天挑着担子上山，汤洒了一半，他心疼得直跺脚。",
    "我这条腿就是在{place}负的伤，弹片到现在还有一块在里头。",
    "天冷得厉害，枪栓都冻住了，我们就把{thing}揣在怀里捂着。",
    "侦察回来，我把敌人的火力点一个一个画在{thing}背面，交给了连长。",
    "{opener}，上级命令我们后撤{num}里，可谁也不愿意走。",
    "我给孩子们讲，和平不是天上掉下来的，是{common}们用命换来的。",
    "战友{name}临走前托我一件事，让我替他看看{home}的老母亲。",
    "{year}年{month}月{num}日，这个日子我一辈子也忘不了。",
    "排雷的时候，一寸一寸地往前趟，手上全是汗，{feeling}。",
    "我们用{thing}换了老乡一筐红薯，连长知道了，让我们把钱送回去。",
    "电台坏了，我跟{name}摸黑爬了{num}里山路，把情报送到团部。",
    "医院里缺药，护士们用盐水给伤员洗伤口，一声不吭。",
    "每年清明，我都要去烈士陵园，给{name}他们扫扫墓，说说话。",
    "那时候年轻，不知道怕，现在想起来，{feeling}。",
    "{opener}，我们坐上闷罐车，一路往北，谁也不知道要去哪儿。",
    "部队过江那天，江面上全是冰，汽车一辆接一辆地开过去。",
    "我把{honor}的奖章收在箱子底下，很少拿出来给人看。",
    "社区的志愿者常来看我，帮我把这些事情一件一件记下来。",
]
WORDS = ["山路", "河滩", "村口", "庄稼", "红薯", "棉被", "马灯", "油灯", "铁锹", "钢盔", "绑腿", "军号", "哨声", "炮声",
         "硝烟", "泥水", "冰碴", "窑洞", "坑道", "掩体", "交通壕", "担架队", "运输线", "补给", "口粮", "号兵", "通讯员",
         "老大娘", "小战士", "指导员", "政委", "营长", "团长", "师部", "军区", "后方", "前沿", "火线", "战壕", "阵亡"]
FILLERS = ["{a}和{b}，这些东西我到现在都记得。", "说到{a}，就想起{b}。", "{a}旁边就是{b}，我们在那儿待了很久。",
           "那会儿最缺的是{a}，最不缺的是{b}。"]


@dataclass(frozen=True)
class CorpusSpec:
    """What to generate: how many interviews, how long, from which seed."""

    n: int = 2000
    chars: int = 3000
    max_chars: int | None = None  # lengths vary between chars and max_chars when given
    seed: int = 1950
    vocab: str = "template"  # "speech": most sentences are words of jieba's dictionary drawn by frequency


_SPEECH: tuple[list[str], list[int]] | None = None


def _speech_words() -> tuple[list[str], list[int]]:
    """Chinese words of jieba's dictionary (the installed package's dict.txt) with cumulative frequencies."""
    global _SPEECH
    if _SPEECH is None:
        import jieba

        words, weights, total = [], [], 0
        with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
            for line in handle:
                word, freq, *_tag = line.split()
                if all("\u4e00" <= c <= "\u9fff" for c in word) and int(freq) > 2:
                    total += int(freq)
                    words.append(word)
                    weights.append(total)
        _SPEECH = (words, weights)
    return _SPEECH


def _speech_sentence(rng: random.Random) -> str:
    """A run of 6-14 dictionary words drawn by frequency, like speech's long tail of rare words."""
    words, cumulative = _speech_words()
    chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(6, 14))
    cut = rng.randint(2, len(chosen) - 2)
    return "".join(chosen[:cut]) + "，" + "".join(chosen[cut:]) + "。"


def person_name(rng: random.Random) -> str:
    """A plausible two- or three-character Chinese name."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _sentence(rng: random.Random, narrator: str, conflict: str, templates: list[str], places: list[str],
              speech: bool = False) -> str:
    if speech and rng.random() < 0.7:
        return _speech_sentence(rng)
    if rng.random() < 0.3:
        return rng.choice(FILLERS).format(a=rng.choice(WORDS), b=rng.choice(WORDS))
    template = rng.choice(templates)
    return template.format(
        opener=rng.choice(OPENERS), unit=rng.choice(UNITS), verb=rng.choice(VERBS), place=rng.choice(places),
        common=rng.choice(COMMON), common2=rng.choice(COMMON), year=rng.randint(1937, 1985), month=rng.randint(1, 12),
        thing=rng.choice(THINGS), feeling=rng.choice(FEELINGS), name=rng.choice([narrator, person_name(rng)]),
        home=rng.choice(STREETS), honor=rng.choice(HONORS), num=rng.randint(3, 40), role=rng.choice(ROLES),
        age=rng.randint(17, 26), street=rng.choice(STREETS), conflict_text=rng.choice(CONFLICT_TEXT[conflict]),
        surname=rng.choice(SURNAMES))


def _question(rng: random.Random) -> str:
    return rng.choice(QUESTIONS).format(place=rng.choice(PLACES), unit=rng.choice(UNITS), thing=rng.choice(THINGS),
                                        name=person_name(rng), honor=rng.choice(HONORS), street=rng.choice(STREETS))


def interview_body(rng: random.Random, narrator: str, conflict: str, length: int, speech: bool = False) -> str:
    """A transcript of about `length` characters with headings, timestamps and Q/A turns."""
    parts: list[str] = []
    size, seconds, chapter = 0, 20, 1
    templates = rng.sample(SENTENCES, 12)  # each veteran tells of his own things
    places = rng.sample(PLACES, 5)
    while size < length:
        if rng.random() < 0.25 or not parts:
            heading = f"## 第{chapter}段 {rng.choice(places)}"
            parts.append(heading)
            chapter += 1
        answer = "".join(_sentence(rng, narrator, conflict, templates, places, speech) for _ in range(rng.randint(2, 6)))
        stamp = f"[{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}]"
        paragraph = f"{stamp} 问：{_question(rng)}\n\n{narrator}：{answer}"
        parts.append(paragraph)
        size += len(paragraph)
        seconds += rng.randint(60, 400)
    return "\n\n".join(parts) + "\n"


def story_text(index: int, spec: CorpusSpec) -> tuple[str, str]:
    """(slug, file text) of interview number `index`."""
    rng = random.Random(spec.seed * 100003 + index)
    narrator = person_name(rng)
    conflict = rng.choice(CONFLICTS)
    length = spec.chars if not spec.max_chars else rng.randint(spec.chars, spec.max_chars)
    tags = rng.sample(TAGS, 3)
    audience = rng.sample(AUDIENCES, 2)
    year = rng.randint(2005, 2025)
    title = f"{narrator}：{rng.choice(PLACES)}的{rng.choice(THINGS)}"
    front = "\n".join([
        "---", f"title: {title}", f"narrator: {narrator}", f"interviewed: '{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}'",
        f"interviewer: {person_name(rng)}", f"place: {rng.choice(STREETS)}", f"conflicts:\n  - {conflict}",
        f"honors:\n  - {rng.choice(HONORS)}", "tags:\n" + "".join(f"  - {t}\n" for t in tags).rstrip("\n"),
        "audience:\n" + "".join(f"  - {a}\n" for a in audience).rstrip("\n"),
        f"summary: {narrator}讲述在{rng.choice(UNITS)}的经历。", f"access: {rng.choice(['public'] * 8 + ['internal', 'restricted'])}",
        "---", ""])
    return f"story-{index:05d}", front + interview_body(rng, narrator, conflict, length, spec.vocab == "speech")


def write_corpus(root: Path, spec: CorpusSpec) -> list[Path]:
    """Write the archive (stories/ only) under root; return the story paths."""
    stories = Path(root) / "stories"
    stories.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(spec.n):
        slug, text = story_text(index, spec)
        path = stories / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def enlarged_sample(root: Path, total: int = 2000) -> Path:
    """The repository's sample archive copied to `root`, plus generated stories up to `total`
    (the load soak's and the read profile's archive)."""
    for folder in SAMPLE_FOLDERS:
        shutil.copytree(REPO / folder, root / folder, dirs_exist_ok=True)
    generated = root.parent / "generated"
    write_corpus(generated, CorpusSpec(n=total - len(list((REPO / "stories").glob("*.md"))), chars=3000))
    for folder in ("stories", "people"):
        for path in (generated / folder).glob("*.md"):
            shutil.copy(path, root / folder / path.name)
    return root


def story_body(text: str) -> str:
    """The transcript part of a generated file (for the baselines, which index plain text)."""
    return text.split("\n---\n", 1)[1] if "\n---\n" in text else text


QUERY_MIX = (
    # names and places (the archive's own vocabulary)
    ["王建国", "李志远", "张德全", "向春生", "于海波", "白秀珍", "高明", "曾永春", "长津湖", "上甘岭"]
    # two-character words (FTS5 trigram finds none of these)
    + ["军人", "老兵", "英雄", "战友", "阵地", "牺牲", "炮弹", "家书", "雪水", "担架", "党员", "光荣"]
    # phrases
    + ['"跨过鸭绿江"', '"雪没过膝盖"', '"守住阵地"', '"讲长津湖的故事"', '"功劳是全班"', '"喝的是雪水"',
       '"连夜出发"', '"一辈子也不后悔"']
    # natural-language requests and labelled words
    + ["讲抗美援朝运输兵过江的故事", "在雷区排雷的那位工兵", "给小学生讲的战斗英雄故事", "卫生员背着药箱上阵地",
       "朝鲜战争冻伤的老兵", "对越自卫还击战的侦察兵", "百岁老党员讲党史", "女兵报务员的电台", "炊事班送干粮",
       "战友牺牲以后的家书", "回到社区给孩子们讲故事", "立一等功的班长", "渡江战役的船工", "抗战时期的少年英雄",
       "过江以后的第一仗", "老兵宣讲团进校园", "志愿军第27军在长津湖", "铁原阻击战", "边境扫雷的工兵", "太行山的八路军"]
)
assert len(QUERY_MIX) == 50
