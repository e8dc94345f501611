"""Draw the sample collection's photos: media/ for the fictional stories and people.

No photo of a real person is used anywhere in the sample archive.  Every image
is drawn here from shapes and text, seeded so that a re-run gives the same
pictures: portraits are silhouettes, "documents" are typeset, "photos" are
scenes of outlines, then aged with grain, toning and a vignette.

    .venv/bin/python tools/make_sample_media.py [--root .]

Needs Pillow and a CJK font (Debian: fonts-noto-cjk) for the lettering.
"""
from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
PAPER = (236, 226, 204)
RED = (178, 34, 34)
GOLD = (212, 170, 70)
OLIVE = (88, 98, 62)


def font(size: int, serif: bool = True, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A CJK font of this size, or Pillow's default when none is installed."""
    name = f"Noto{'Serif' if serif else 'Sans'}CJK-{'Bold' if bold else 'Regular'}.ttc"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default()


def centred(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill, **kw) -> None:
    """Draw text centred on xy."""
    draw.text(xy, text, font=font(size, **kw), fill=fill, anchor="mm")


# -- ageing ---------------------------------------------------------------

def grain_image(size: tuple[int, int], rng: random.Random, spread: float) -> Image.Image:
    """Film grain around mid-grey, drawn from rng so that re-runs give the same image."""
    low = max(0, int(128 - spread * 2))
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda v: low + v * (255 - 2 * low) // 255)


def age(image: Image.Image, rng: random.Random, tone: str = "sepia", grain: float = 18,
        border: bool = True) -> Image.Image:
    """Make a clean drawing look like an old print: toning, grain, vignette, white border."""
    width, height = image.size
    gray = ImageOps.grayscale(image.filter(ImageFilter.GaussianBlur(1.2)))
    noise = grain_image((width, height), rng, grain).filter(ImageFilter.GaussianBlur(0.6))
    gray = Image.blend(gray, noise, 0.12)
    if tone == "sepia":
        toned = ImageOps.colorize(gray, (38, 24, 12), (244, 226, 190))
    elif tone == "bw":
        toned = ImageOps.colorize(gray, (18, 18, 18), (236, 236, 228))
    else:  # faded colour print of the 1980s-90s
        faded = Image.blend(image, Image.new("RGB", image.size, (226, 200, 160)), 0.25)
        toned = Image.blend(faded, noise.convert("RGB"), 0.06)
    vignette = Image.radial_gradient("L").resize((width, height)).point(lambda v: min(255, int(v * 0.9)))
    toned = Image.composite(Image.new("RGB", image.size, (20, 14, 8)), toned, vignette.point(lambda v: v // 3))
    if tone != "color":
        draw = ImageDraw.Draw(toned)
        for _ in range(rng.randint(0, 2)):  # a scratch or two on old prints
            x = rng.randint(0, width)
            draw.line([(x, 0), (x + rng.randint(-40, 40), height)], fill=(200, 190, 170), width=1)
    if border:
        toned = ImageOps.expand(toned, border=max(18, width // 30), fill=(240, 236, 226))
    return toned


def paper(width: int, height: int, rng: random.Random, colour=PAPER) -> Image.Image:
    """A sheet of old paper with faint stains."""
    sheet = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(sheet)
    for _ in range(12):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(30, 160)
        shade = tuple(max(0, c - rng.randint(6, 18)) for c in colour)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=shade)
    noise = grain_image((width, height), rng, 24).convert("RGB")
    return Image.blend(sheet.filter(ImageFilter.GaussianBlur(40)), noise, 0.05)


# -- figures --------------------------------------------------------------

def figure(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, fill, cap: str | None = "soft",
           vest: tuple | None = None, face: tuple | None = None) -> None:
    """A head-and-shoulders silhouette; (x, y) is the top of the head, s its height."""
    r = s / 2
    draw.ellipse([x - r * 0.8, y, x + r * 0.8, y + s], fill=face or fill)
    draw.rectangle([x - r * 0.35, y + s * 0.9, x + r * 0.35, y + s * 1.15], fill=face or fill)
    body = [(x - s * 1.15, y + s * 2.6), (x - s * 1.05, y + s * 1.5), (x - s * 0.5, y + s * 1.1),
            (x + s * 0.5, y + s * 1.1), (x + s * 1.05, y + s * 1.5), (x + s * 1.15, y + s * 2.6)]
    draw.polygon(body, fill=vest or fill)
    if cap == "soft":  # the soft cap of the 1940s-50s
        draw.chord([x - r * 0.95, y - s * 0.12, x + r * 0.95, y + s * 0.55], 180, 360, fill=fill)
        draw.rectangle([x - r * 0.95, y + s * 0.2, x + r * 0.95, y + s * 0.27], fill=fill)
    elif cap == "peaked":
        draw.chord([x - r * 1.05, y - s * 0.2, x + r * 1.05, y + s * 0.5], 180, 360, fill=fill)
        draw.polygon([(x - r * 0.9, y + s * 0.15), (x + r * 0.9, y + s * 0.15), (x + r * 1.2, y + s * 0.3),
                      (x - r * 1.2, y + s * 0.3)], fill=fill)
    if cap:
        star(draw, x, y + s * 0.12, s * 0.09, RED)


def star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill) -> None:
    """A five-pointed star."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


# -- pictures -------------------------------------------------------------

def portrait(rng: random.Random, cap: str | None, tone: str, background=(150, 150, 150),
             dress=(60, 60, 60), old: bool = False) -> Image.Image:
    """A studio portrait silhouette (no real person)."""
    image = Image.new("RGB", (600, 800), background)
    draw = ImageDraw.Draw(image)
    for i in range(800):  # studio backdrop gradient
        shade = tuple(int(c * (1.1 - i / 1600)) for c in background)
        draw.line([(0, i), (600, i)], fill=shade)
    face = (196, 170, 146)
    figure(draw, 300, 190, 190, dress, cap=cap, face=face)
    draw.ellipse([300 - 62, 190 + 110, 300 + 62, 190 + 200], fill=tuple(c - 22 for c in face))  # jaw shadow
    draw.ellipse([300 - 70, 190 + 40, 300 + 70, 190 + 175], fill=face)
    collar = tuple(min(255, c + 25) for c in dress)
    draw.polygon([(300, 440), (240, 400), (220, 430), (300, 500)], fill=collar)
    draw.polygon([(300, 440), (360, 400), (380, 430), (300, 500)], fill=collar)
    for k in range(4):  # tunic buttons
        draw.ellipse([293, 520 + k * 60, 307, 534 + k * 60], fill=tuple(max(0, c - 30) for c in dress))
    if old:
        for k in range(3):  # medals on the chest of an old soldier
            cx = 210 + k * 45
            draw.rectangle([cx - 14, 560, cx + 14, 590], fill=(150, 40, 40))
            draw.ellipse([cx - 17, 588, cx + 17, 622], fill=GOLD)
    return age(image, rng, tone=tone)


def medal(rng: random.Random, inscription: str, ribbon=(170, 30, 30), stripe=GOLD) -> Image.Image:
    """A commemorative medal photographed on cloth."""
    image = Image.new("RGB", (1000, 1000), (40, 48, 60))
    draw = ImageDraw.Draw(image)
    draw.polygon([(380, 80), (620, 80), (600, 420), (400, 420)], fill=ribbon)
    for dx in (-40, 40):
        draw.polygon([(500 + dx - 12, 80), (500 + dx + 12, 80), (500 + dx + 10, 420), (500 + dx - 10, 420)],
                     fill=stripe)
    draw.ellipse([270, 380, 730, 840], fill=(170, 130, 50))
    draw.ellipse([295, 405, 705, 815], fill=GOLD)
    star(draw, 500, 590, 130, RED)
    centred(draw, (500, 760), inscription, 34, (110, 70, 20), bold=True)
    return age(image, rng, tone="color", grain=10, border=False)


def certificate(rng: random.Random, title: str, lines: list[str], seal: str) -> Image.Image:
    """A typeset certificate with a red border and a round seal."""
    image = paper(1400, 1000, rng)
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, 1360, 960], outline=RED, width=14)
    draw.rectangle([70, 70, 1330, 930], outline=RED, width=3)
    centred(draw, (700, 190), title, 96, RED, bold=True)
    for i, line in enumerate(lines):
        draw.text((180, 330 + i * 78), line, font=font(46), fill=(40, 30, 25))
    draw.ellipse([940, 660, 1200, 920], outline=(200, 40, 40), width=8)
    star(draw, 1070, 790, 45, (200, 40, 40))
    centred(draw, (1070, 700), seal, 26, (200, 40, 40), bold=True)
    return image.rotate(rng.uniform(-1.2, 1.2), fillcolor=(60, 50, 40), expand=True)


def letter(rng: random.Random, lines: list[str]) -> Image.Image:
    """A letter on ruled paper, written top to bottom, right to left."""
    image = paper(1000, 1300, rng, colour=(232, 222, 196))
    draw = ImageDraw.Draw(image)
    columns = 14
    for c in range(columns + 1):
        x = 920 - c * 60
        draw.line([(x, 90), (x, 1210)], fill=(190, 80, 70), width=2)
    size = 40
    for c, line in enumerate(lines[:columns]):
        x = 920 - c * 60 - 30
        for k, ch in enumerate(line[:25]):
            jitter = rng.randint(-3, 3)
            draw.text((x + jitter, 120 + k * 43), ch, font=font(size), fill=(35, 40, 70), anchor="mm")
    return image.rotate(rng.uniform(-2, 2), fillcolor=(50, 45, 40), expand=True)


def river_map(rng: random.Random) -> Image.Image:
    """A hand-drawn sketch map of a river crossing."""
    image = paper(1400, 1000, rng)
    draw = ImageDraw.Draw(image)
    bank_n = [(x, 380 + 40 * math.sin(x / 180)) for x in range(0, 1401, 20)]
    bank_s = [(x, 620 + 50 * math.sin(x / 210 + 1)) for x in range(0, 1401, 20)]
    draw.polygon(bank_n + bank_s[::-1], fill=(170, 190, 200))
    draw.line(bank_n, fill=(60, 60, 80), width=4)
    draw.line(bank_s, fill=(60, 60, 80), width=4)
    for k, x in enumerate((300, 620, 940)):
        draw.line([(x, 760), (x + 60, 300)], fill=RED, width=9)
        draw.polygon([(x + 60, 270), (x + 35, 320), (x + 85, 322)], fill=RED)
        centred(draw, (x - 20, 800), f"第{'一二三'[k]}梯队", 34, (40, 30, 30))
    centred(draw, (700, 500), "长  江", 80, (40, 60, 90), bold=True)
    centred(draw, (700, 150), "北岸 · 出发阵地", 44, (40, 30, 30))
    centred(draw, (700, 900), "渡江路线示意（访谈时依讲述人口述绘制）", 34, (60, 50, 40))
    return image


def honour_wall(rng: random.Random) -> Image.Image:
    """A community honour wall: framed portraits with name plates."""
    image = Image.new("RGB", (1600, 1000), (196, 60, 50))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1600, 170], fill=(160, 30, 30))
    centred(draw, (800, 90), "光荣墙 · 我们社区的老兵", 76, GOLD, bold=True)
    surnames = "赵李孙周吴郑冯陈褚卫蒋沈韩杨朱秦"
    for row in range(2):
        for col in range(7):
            x, y = 90 + col * 210, 230 + row * 370
            draw.rectangle([x, y, x + 170, y + 230], fill=(245, 236, 214), outline=GOLD, width=6)
            figure(draw, x + 85, y + 45, 60, (70, 70, 70), cap=rng.choice(["soft", "peaked", None]))
            draw.rectangle([x, y + 250, x + 170, y + 320], fill=(250, 244, 230))
            name = rng.choice(surnames) + "××"
            centred(draw, (x + 85, y + 272), name, 30, (50, 30, 30), bold=True)
            centred(draw, (x + 85, y + 302), f"{rng.randint(1938, 1985)}年入伍", 22, (90, 60, 50))
    return age(image, rng, tone="color", grain=8, border=False)


def plaque(rng: random.Random) -> Image.Image:
    """A 光荣之家 plaque above a door."""
    image = Image.new("RGB", (1200, 900), (120, 110, 100))
    draw = ImageDraw.Draw(image)
    for y in range(0, 900, 60):  # brick courses
        for x in range(-60 * (y // 60 % 2), 1200, 120):
            draw.rectangle([x + 3, y + 3, x + 117, y + 57], fill=(150 + rng.randint(-15, 15), 90, 70))
    draw.rectangle([300, 560, 900, 900], fill=(90, 50, 30))
    draw.rounded_rectangle([330, 170, 870, 470], radius=20, fill=(200, 30, 30), outline=GOLD, width=10)
    centred(draw, (600, 300), "光荣之家", 110, GOLD, bold=True)
    star(draw, 600, 420, 28, GOLD)
    return age(image, rng, tone="color", grain=10)


def scene(rng: random.Random, kind: str) -> Image.Image:
    """Outdoor and indoor scenes drawn from outlines."""
    image = Image.new("RGB", (1400, 950), (200, 205, 210))
    draw = ImageDraw.Draw(image)
    tone = "color"
    if kind == "classroom":
        image.paste((214, 206, 186), (0, 0, 1400, 950))
        draw.rectangle([150, 60, 1250, 360], fill=(40, 70, 60))
        centred(draw, (700, 140), "红色故事进课堂", 70, (240, 240, 230), bold=True)
        centred(draw, (700, 250), "参战老兵宣讲团", 48, (240, 240, 230))
        figure(draw, 1080, 330, 90, (50, 60, 50), cap="peaked")
        for row in range(3):
            for col in range(7):
                x = 140 + col * 170 + (row % 2) * 40
                figure(draw, x, 560 + row * 110, 55, (40 + row * 20, 40, 60 + row * 15), cap=None,
                       vest=(220, 40, 40) if rng.random() < 0.4 else None)
    elif kind == "parlour":
        image.paste((220, 206, 176), (0, 0, 1400, 950))
        draw.rectangle([500, 60, 900, 330], fill=(200, 40, 40))
        centred(draw, (700, 190), "党史小课堂", 64, GOLD, bold=True)
        draw.rectangle([200, 620, 1200, 680], fill=(120, 80, 50))
        figure(draw, 700, 370, 110, (70, 70, 75), cap=None)
        for x in (300, 460, 940, 1100):
            figure(draw, x, 520, 70, (60, 60, 100), cap=None, vest=(210, 40, 40))
        tone = "color"
    elif kind == "volunteers":
        draw.rectangle([0, 600, 1400, 950], fill=(150, 150, 140))
        for x in range(80, 1400, 160):
            draw.rectangle([x, 250, x + 110, 600], fill=(170, 170, 180))
        for k, x in enumerate(range(160, 1300, 180)):
            figure(draw, x, 420 + (k % 2) * 20, 75, (50, 50, 55), cap=None, vest=(220, 40, 40))
        draw.rectangle([420, 330, 980, 400], fill=(200, 30, 30))
        centred(draw, (700, 365), "退役军人志愿服务队", 46, (250, 240, 200), bold=True)
    elif kind == "truck":
        draw.rectangle([0, 560, 1400, 950], fill=(225, 228, 232))  # snow
        for x in range(0, 1400, 180):
            draw.polygon([(x, 560), (x + 90, 300 + rng.randint(0, 80)), (x + 180, 560)], fill=(140, 150, 150))
        draw.rectangle([300, 420, 820, 640], fill=OLIVE)
        draw.rectangle([820, 480, 1040, 640], fill=OLIVE)
        draw.rectangle([860, 500, 990, 570], fill=(170, 190, 200))
        for x in (400, 720, 940):
            draw.ellipse([x - 60, 600, x + 60, 720], fill=(30, 30, 30))
        draw.rectangle([300, 400, 820, 430], fill=(200, 200, 200))
        tone = "bw"
    elif kind == "snowfield":
        draw.rectangle([0, 500, 1400, 950], fill=(235, 236, 240))
        for x in range(-100, 1500, 260):
            draw.polygon([(x, 520), (x + 130, 220 + rng.randint(0, 90)), (x + 260, 520)], fill=(120, 125, 130))
            draw.polygon([(x + 95, 300), (x + 130, 240), (x + 165, 300)], fill=(245, 245, 248))
        for k in range(11):  # a column marching through snow
            figure(draw, 180 + k * 100, 600 + k * 18, 38, (50, 55, 45), cap="soft")
        tone = "bw"
    elif kind == "minefield":
        draw.rectangle([0, 380, 1400, 950], fill=(120, 110, 70))
        for x in range(0, 1400, 140):
            draw.ellipse([x - 40, 250, x + 120, 420], fill=(60, 90, 50))
        draw.line([(0, 700), (1400, 640)], fill=(250, 250, 250), width=8)
        for x in (250, 700, 1150):
            draw.line([(x, 700), (x, 520)], fill=(90, 70, 50), width=8)
            draw.polygon([(x - 60, 520), (x + 60, 520), (x, 420)], fill=(220, 30, 30))
            centred(draw, (x, 495), "雷", 44, (250, 250, 250), bold=True)
        figure(draw, 560, 720, 60, (60, 70, 50), cap="peaked")
    elif kind == "plateau":
        for x in range(-200, 1600, 360):
            draw.polygon([(x, 650), (x + 220, 150 + rng.randint(0, 120)), (x + 460, 650)], fill=(160, 165, 175))
            draw.polygon([(x + 160, 260), (x + 220, 170), (x + 280, 260)], fill=(245, 245, 250))
        draw.rectangle([0, 650, 1400, 950], fill=(190, 180, 150))
        draw.rectangle([520, 520, 880, 700], fill=(150, 130, 100))
        draw.line([(960, 700), (960, 300)], fill=(80, 70, 60), width=10)
        draw.line([(960, 320), (1400, 380)], fill=(40, 40, 40), width=3)
        tone = "bw"
    elif kind == "levee":
        draw.rectangle([0, 0, 1400, 420], fill=(150, 155, 160))
        draw.rectangle([0, 420, 1400, 560], fill=(130, 120, 90))  # flood water
        for row in range(4):
            for col in range(0, 1400, 90):
                x = col + (row % 2) * 45
                draw.rounded_rectangle([x, 560 + row * 50, x + 86, 606 + row * 50], radius=14,
                                       fill=(200, 190, 150), outline=(150, 140, 100), width=3)
        for x in range(120, 1300, 200):
            figure(draw, x, 380, 55, (70, 100, 60), cap=None, vest=(240, 120, 30))
    elif kind == "switchboard":
        image.paste((180, 175, 160), (0, 0, 1400, 950))
        draw.rectangle([250, 120, 1150, 760], fill=(70, 60, 50))
        for row in range(6):
            for col in range(12):
                x, y = 320 + col * 68, 180 + row * 80
                draw.ellipse([x, y, x + 26, y + 26], fill=(20, 20, 20))
        for _ in range(7):
            x1, x2 = rng.randint(320, 1080), rng.randint(320, 1080)
            draw.line([(x1, 260), ((x1 + x2) / 2, 720), (x2, 500)], fill=(150, 30, 30), width=5)
        figure(draw, 700, 700, 80, (60, 60, 60), cap="peaked")
        tone = "bw"
    return age(image, rng, tone=tone, grain=14)


def document_scan(rng: random.Random, title: str, rows: list[tuple[str, str]]) -> Image.Image:
    """A scanned record card (a form with ruled rows)."""
    image = paper(1100, 1400, rng, colour=(240, 236, 222))
    draw = ImageDraw.Draw(image)
    centred(draw, (550, 130), title, 64, (30, 30, 30), bold=True)
    for i, (label, value) in enumerate(rows):
        y = 260 + i * 110
        draw.rectangle([90, y, 1010, y + 110], outline=(60, 60, 60), width=3)
        draw.line([(340, y), (340, y + 110)], fill=(60, 60, 60), width=3)
        draw.text((115, y + 32), label, font=font(40, bold=True), fill=(30, 30, 30))
        draw.text((370, y + 32), value, font=font(40), fill=(20, 30, 90))
    return image


# -- the collection -------------------------------------------------------

Maker = Callable[[random.Random], Image.Image]

MEDIA: dict[str, Maker] = {
    # portraits (people/*.md `portrait:`)
    "portraits/zhao-shoutian.jpg": lambda r: portrait(r, "soft", "sepia", old=False),
    "portraits/zhao-shoutian-2024.jpg": lambda r: portrait(r, None, "color", (120, 130, 150), old=True),
    "portraits/li-chunsheng.jpg": lambda r: portrait(r, "soft", "sepia"),
    "portraits/liu-guiying.jpg": lambda r: portrait(r, "soft", "bw", (170, 170, 170), (70, 80, 60)),
    "portraits/sun-dequan.jpg": lambda r: portrait(r, "soft", "bw", (140, 140, 140), (50, 60, 45)),
    "portraits/xiang-yongchun.jpg": lambda r: portrait(r, "soft", "sepia", (160, 150, 140)),
    "portraits/bai-xiuzhen.jpg": lambda r: portrait(r, "peaked", "bw", (180, 180, 180), (60, 80, 60)),
    "portraits/gao-ming.jpg": lambda r: portrait(r, "peaked", "color", (110, 140, 170), OLIVE),
    "portraits/yu-haibo.jpg": lambda r: portrait(r, "peaked", "color", (150, 160, 130), OLIVE),
    "portraits/chen-zhiyuan.jpg": lambda r: portrait(r, None, "color", (130, 150, 190), (40, 60, 40)),
    # story photos and documents
    "work/honour-wall.jpg": honour_wall,
    "work/guang-rong-zhi-jia.jpg": plaque,
    "work/dang-shi-xiao-ke-tang.jpg": lambda r: scene(r, "parlour"),
    "work/xuan-jiang-ke-tang.jpg": lambda r: scene(r, "classroom"),
    "work/zhi-yuan-fu-wu-dui.jpg": lambda r: scene(r, "volunteers"),
    "zhao-shoutian/ji-nian-zhang-2015.jpg": lambda r: medal(r, "1945—2015"),
    "zhao-shoutian/guang-rong-zai-dang.jpg": lambda r: medal(r, "光荣在党50年", (190, 30, 30), (190, 30, 30)),
    "zhao-shoutian/jia-shu-1946.jpg": lambda r: letter(r, [
        "父亲母亲大人膝下：", "儿在部队一切都好，", "今年学会了写信，", "这封信是自己写的。",
        "队伍上吃得饱穿得暖，", "请二老不要挂念。", "打完仗儿就回家，", "帮家里种地。",
        "儿守田叩上", "一九四六年腊月"]),
    "li-chunsheng/du-jiang-lu-xian.png": river_map,
    "li-chunsheng/jie-fang-jiang-zhang.jpg": lambda r: medal(r, "解放奖章", (200, 40, 40), (230, 230, 230)),
    "liu-guiying/li-gong-zheng-shu.jpg": lambda r: certificate(r, "立功证书", [
        "刘桂英同志在一九四八年淮海战役中，", "救护伤员不畏艰险，",
        "经评定荣记三等功一次。", "特发此证，以资鼓励。"], "卫生部"),
    "sun-dequan/chang-jin-hu-xue-di.jpg": lambda r: scene(r, "snowfield"),
    "xiang-yongchun/ga-si-che.jpg": lambda r: scene(r, "truck"),
    "xiang-yongchun/li-gong-zheng-shu.jpg": lambda r: certificate(r, "立功证书", [
        "向永春同志一九五一年在运输线上", "冒敌机封锁，连续行车，",
        "安全运送弹药物资，", "经评定荣记三等功一次。"], "汽车团"),
    "xiang-yongchun/ji-nian-zhang-2020.jpg": lambda r: medal(r, "1950—2020", (190, 40, 40), (30, 80, 160)),
    "gao-ming/zhen-cha-ban.jpg": lambda r: scene(r, "plateau"),
    "gao-ming/shang-can-zheng.jpg": lambda r: document_scan(r, "残疾军人证（样例）", [
        ("姓名", "高明"), ("部别", "××军侦察连"), ("伤残时间", "1979年3月"),
        ("伤残性质", "因战"), ("伤残等级", "（已遮盖）"), ("发证机关", "（已遮盖）")]),
    "yu-haibo/lei-qu.jpg": lambda r: scene(r, "minefield"),
    "bai-xiuzhen/zong-ji.jpg": lambda r: scene(r, "switchboard"),
    "bai-xiuzhen/gao-yuan.jpg": lambda r: scene(r, "plateau"),
    "chen-zhiyuan/da-di.jpg": lambda r: scene(r, "levee"),
}

ROTATED = {"yu-haibo/lei-qu.jpg"}  # stored sideways with an EXIF Orientation tag, as phones do


def save(image: Image.Image, path: Path, rotated: bool = False) -> None:
    """Write the image without metadata (or with only an Orientation tag)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = image.convert("RGB")
    if path.suffix == ".png":
        image.save(path, optimize=True)
        return
    if rotated:
        exif = Image.Exif()
        exif[0x0112] = 6  # "rotate 90° clockwise to display"
        image.transpose(Image.Transpose.ROTATE_90).save(path, quality=84, optimize=True, exif=exif.tobytes())
        return
    image.save(path, quality=84, optimize=True)


def main() -> None:
    """Draw every picture of the sample collection into ROOT/media."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args()
    for name, make in MEDIA.items():
        rng = random.Random(name)
        save(make(rng), args.root / "media" / name, rotated=name in ROTATED)
        print(f"media/{name}")


if __name__ == "__main__":
    main()
