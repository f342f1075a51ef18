#!/usr/bin/env python3
"""Writes data/text/zh_romanisations.tsv: Wade-Giles syllables (apostrophes and umlauts dropped, as
names are typed) with the pinyin syllables each may stand for, from the standard pinyin -> Wade-Giles
correspondence, plus the Cantonese (Hong Kong) spellings in CANTONESE below, written for the project
from common knowledge. usage: scripts/zh_romanisations.py PINYIN_SYLLABLES > data/text/zh_romanisations.tsv
where PINYIN_SYLLABLES holds every toneless pinyin syllable, one a line (e.g. ICU Han-Latin over
U+4E00-U+9FA5)."""
import sys

INITIALS = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
            "r", "z", "c", "s", "y", "w"]
WG_INITIAL = {"b": "p", "p": "p", "d": "t", "t": "t", "g": "k", "k": "k", "j": "ch", "q": "ch",
              "x": "hs", "zh": "ch", "ch": "ch", "sh": "sh", "r": "j", "z": "ts", "c": "ts", "s": "s",
              "m": "m", "f": "f", "n": "n", "l": "l", "h": "h", "y": "y", "w": "w", "": ""}


def wade_giles(py):
    ini = next((i for i in INITIALS if py.startswith(i) and len(py) > len(i)), "")
    fin = py[len(ini):]
    special = {"zi": "tzu", "ci": "tzu", "si": "ssu", "zhi": "chih", "chi": "chih", "shi": "shih",
               "ri": "jih", "er": "erh", "you": "yu", "yu": "yu", "yan": "yen", "ye": "yeh",
               "yong": "yung", "yue": "yueh", "yuan": "yuan", "yun": "yun", "e": "o", "ge": "ko",
               "ke": "ko", "he": "ho", "guo": "kuo", "kuo": "kuo", "huo": "huo", "zhuo": "cho",
               "chuo": "cho", "shuo": "shuo", "ruo": "jo", "jue": "chueh", "que": "chueh",
               "xue": "hsueh", "lue": "lueh", "nue": "nueh", "jiong": "chiung", "qiong": "chiung",
               "xiong": "hsiung", "rong": "jung"}
    if py in special:
        return special[py]
    if fin == "uo" and ini in ("d", "t", "n", "l", "z", "c", "s"):
        fin = "o"
    elif fin == "ong":
        fin = "ung"
    elif fin == "ian":
        fin = "ien"
    elif fin == "ie":
        fin = "ieh"
    elif fin == "ui":
        fin = "uei" if ini in ("g", "k") else "ui"
    elif fin == "e" and ini in ("zh", "ch", "sh", "r", "z", "c", "s", "d", "t", "n", "l"):
        fin = "e"
    return WG_INITIAL[ini] + fin


# Cantonese (Hong Kong) spellings of common surnames and given-name syllables -> the pinyin of the
# characters they usually write (黄/王 Wong, 张 Cheung, 陈 Chan, 李 Lee ...).
CANTONESE = {
    "wong": "huang wang", "cheung": "zhang jiang xiang", "chan": "chen", "lee": "li", "ho": "he hao",
    "leung": "liang", "tsang": "zeng", "lau": "liu", "ng": "wu", "chow": "zhou", "yip": "ye",
    "kwok": "guo", "tse": "xie", "tang": "deng tang", "lam": "lin", "fung": "feng", "mak": "mai",
    "choi": "cai", "tsui": "xu cui", "yeung": "yang", "chiu": "zhao chao", "siu": "xiao shao",
    "kwan": "guan jun", "lai": "li lai", "cheng": "zheng", "law": "luo", "lo": "luo lu", "poon": "pan",
    "pang": "peng", "tam": "tan", "to": "du", "yuen": "yuan", "chu": "zhu", "hui": "xu", "au": "ou",
    "kong": "jiang", "kam": "jin gan", "man": "wen min", "sze": "shi si", "so": "su", "shum": "cen",
    "yau": "qiu you", "koo": "gu", "mok": "mo", "tong": "tang", "hung": "hong xiong", "chung": "zhong cong song zong",
    "wan": "wen yin yun", "chong": "zhuang", "fok": "huo", "ko": "gao", "tai": "dai", "lui": "lu lei",
    "luk": "lu", "kwong": "kuang guang", "yim": "yan", "chui": "xu", "ka": "jia", "kin": "jian",
    "wai": "wei hui", "ming": "ming", "hing": "xing qing", "yuet": "yue", "ngor": "e", "chun": "jun zhen",
    "ying": "ying", "keung": "qiang", "fai": "hui", "sing": "sheng cheng xing", "wing": "rong yong",
    "kit": "jie", "yan": "ren en xin", "hoi": "kai hai", "tak": "de", "kai": "qi ji jie", "shing": "cheng sheng",
    "lok": "le", "hon": "han", "kwai": "gui", "mei": "mei", "fan": "fan", "yee": "yi", "kei": "ji qi",
    "chi": "zhi chi ci", "tsz": "zi", "tze": "zi", "sau": "xiu", "yiu": "yao", "kwun": "jun",
    "kuen": "quan", "chuen": "quan", "tat": "da", "cheuk": "zhuo", "pui": "pei",
    "shek": "shi", "yat": "yi", "sen": "xian shen", "suen": "sun", "tin": "tian", "wah": "hua", "chak": "ze", "yin": "xian yan", "kuk": "ju",
    "yeuk": "ruo yue", "ki": "ji qi", "hok": "xue he", "chin": "zhan qian",
    # More surnames and given-name syllables, and Macau's Portuguese-based spellings (Cheong, Ieong).
    "kan": "jian", "kiu": "qiao jiao", "lung": "long", "ping": "bing ping", "yuk": "yu", "tsoi": "cai",
    "choy": "cai", "tsun": "jun zun", "hin": "xian", "him": "qian", "ting": "ting ding", "pak": "bai bo",
    "sai": "xi", "wo": "he", "fu": "fu", "hau": "hou", "kau": "jiu", "lim": "lian", "tim": "tian",
    "sum": "sen shen cen", "wun": "huan", "yung": "rong weng yong", "yu": "yu ru", "chuk": "zhu",
    "hang": "heng xing", "mui": "mei", "hei": "xi", "lin": "lian", "nga": "ya", "oi": "ai", "on": "an",
    "pik": "bi", "po": "bao bo", "sui": "rui", "wa": "hua", "wui": "hui", "shun": "xun chun shun",
    "sun": "xin shen sun", "fat": "fa", "sek": "shi xi", "tsim": "qian zhan", "cheong": "chang zhang",
    "leong": "liang", "ieong": "yang", "kuok": "guo", "lou": "lu lao", "chor": "chu", "ngai": "wei yi",
    "ngan": "yan", "mo": "mao wu", "wu": "hu wu", "chik": "qi ji", "sit": "xue", "tsai": "qi",
}


def main():
    pinyin = [l.strip() for l in open(sys.argv[1]) if l.strip()]
    table = {}
    for py in pinyin:
        wg = wade_giles(py)
        table.setdefault(wg, {}).setdefault("wade-giles", []).append(py)
    for spelling, py in CANTONESE.items():
        table.setdefault(spelling, {}).setdefault("cantonese", []).extend(py.split())
    print("# Generated by scripts/zh_romanisations.py: Chinese syllables as Wade-Giles and Cantonese (Hong")
    print("# Kong) write them -> the pinyin syllables they may stand for. Apostrophes are dropped, as names")
    print("# are typed (ch'ing and ching are both ching: jing or qing).")
    print("spelling\tpinyin\tsystem")
    for spelling in sorted(table):
        pys, systems = [], []
        for system in ("wade-giles", "cantonese"):
            for py in table[spelling].get(system, []):
                if py not in pys:
                    pys.append(py)
            if system in table[spelling]:
                systems.append(system)
        print(f"{spelling}\t{' '.join(pys)}\t{' '.join(systems)}")


main()
