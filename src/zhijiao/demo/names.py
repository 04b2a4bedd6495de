"""Reference lists for the demo registry: Wenzhou's vocational schools, industries, firms' name parts.

School names follow the real pattern of each county's schools; firm names are composed from neutral
syllables (famous brand pairs are excluded) so that no generated firm pretends to be a real one.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

CITY_RUN = "市直属"


class SchoolSpec(NamedTuple):
    name: str
    county: str
    school_type: str  # higher | secondary | technical
    ownership: str = "public"
    sponsor: str = "county"
    weight: int = 10  # relative size within its type
    focus: tuple[str, ...] = ()  # industries its majors and platforms serve; empty: the county's
    double_high: str = "none"
    double_high_from: int = 2023
    opened: int = 0  # first year with students; 0: long established


_S, _T, _H = "secondary", "technical", "higher"

SCHOOLS: tuple[SchoolSpec, ...] = (
    # 市直属 secondary schools
    SchoolSpec("温州市职业中等专业学校", CITY_RUN, _S, sponsor="city", weight=18, double_high="provincial"),
    SchoolSpec("温州华侨职业中等专业学校", CITY_RUN, _S, sponsor="city", weight=14, double_high="provincial"),
    SchoolSpec("温州市第二职业中等专业学校", CITY_RUN, _S, sponsor="city", weight=13),
    SchoolSpec("温州护士学校", CITY_RUN, _S, sponsor="city", weight=9, focus=("医疗健康",)),
    SchoolSpec("温州艺术学校", CITY_RUN, _S, sponsor="city", weight=5, focus=("文化创意",)),
    SchoolSpec(
        "温州东方悦心职业学校", CITY_RUN, _S, "mixed", "city", weight=4, focus=("智能装备", "鞋服"), opened=2024
    ),
    # 鹿城区
    SchoolSpec("温州市鹿城区职业技术学校", "鹿城区", _S, weight=12),
    SchoolSpec("温州市英才职业学校", "鹿城区", _S, "private", weight=5),
    SchoolSpec("温州财税会计学校", "鹿城区", _S, "private", weight=6, focus=("现代服务",)),
    # 龙湾区
    SchoolSpec("温州市龙湾区职业技术学校", "龙湾区", _S, weight=11),
    SchoolSpec("温州市龙湾区永强职业学校", "龙湾区", _S, weight=7),
    # 瓯海区
    SchoolSpec("瓯海职业中专", "瓯海区", _S, weight=16, double_high="provincial"),
    SchoolSpec("温州市瓯海区职业技术学校", "瓯海区", _S, weight=8),
    SchoolSpec("温州市瓯海区第二职业学校", "瓯海区", _S, weight=7),
    # 洞头区
    SchoolSpec("温州市洞头区职业技术学校", "洞头区", _S, weight=4),
    # 瑞安市
    SchoolSpec("瑞安市职业中等专业学校", "瑞安市", _S, weight=17, double_high="provincial"),
    SchoolSpec("瑞安市塘下职业中等专业学校", "瑞安市", _S, weight=11),
    SchoolSpec("瑞安市飞云职业中等专业学校", "瑞安市", _S, weight=8),
    SchoolSpec("瑞安市第二职业中等专业学校", "瑞安市", _S, weight=8),
    SchoolSpec("瑞安市汽车工程学校", "瑞安市", _S, "private", weight=5, focus=("汽摩配",)),
    # 乐清市
    SchoolSpec("乐清市职业中等专业学校", "乐清市", _S, weight=17, double_high="provincial"),
    SchoolSpec(
        "乐清市柳市职业技术学校", "乐清市", _S, "mixed", weight=11, double_high="provincial", double_high_from=2025
    ),
    SchoolSpec("乐清市虹桥职业技术学校", "乐清市", _S, weight=9),
    SchoolSpec("乐清市大荆职业技术学校", "乐清市", _S, weight=6),
    SchoolSpec("乐清市白象职业学校", "乐清市", _S, weight=6),
    # 永嘉县
    SchoolSpec("永嘉县职业学校", "永嘉县", _S, weight=14),
    SchoolSpec("永嘉县第二职业学校", "永嘉县", _S, weight=8),
    SchoolSpec("永嘉县桥头职业学校", "永嘉县", _S, weight=6),
    # 平阳县
    SchoolSpec("平阳县职业教育中心", "平阳县", _S, weight=15, double_high="provincial", double_high_from=2024),
    SchoolSpec("平阳县第二职业学校", "平阳县", _S, weight=8),
    SchoolSpec("平阳县鳌江职业学校", "平阳县", _S, weight=8),
    SchoolSpec("平阳县萧江职业学校", "平阳县", _S, "private", weight=5),
    # 苍南县
    SchoolSpec("苍南县职业中专", "苍南县", _S, weight=15, double_high="provincial"),
    SchoolSpec("苍南县第二职业中专", "苍南县", _S, weight=8),
    SchoolSpec("苍南县灵溪职业学校", "苍南县", _S, weight=7),
    SchoolSpec("苍南县马站职业学校", "苍南县", _S, weight=4),
    # 文成县
    SchoolSpec("文成县职业中等专业学校", "文成县", _S, weight=8),
    SchoolSpec("文成县第二职业学校", "文成县", _S, weight=4),
    # 泰顺县
    SchoolSpec("泰顺县职业教育中心", "泰顺县", _S, weight=8),
    SchoolSpec("泰顺县第二职业学校", "泰顺县", _S, weight=4),
    # 龙港市
    SchoolSpec("龙港市职业中等专业学校", "龙港市", _S, weight=13),
    SchoolSpec("龙港市第二职业中等专业学校", "龙港市", _S, weight=7),
    SchoolSpec("温州市建设职业学校", "鹿城区", _S, weight=6, focus=("建筑",)),
    SchoolSpec("温州市龙湾区第二职业学校", "龙湾区", _S, weight=5),
    SchoolSpec("乐清市雁荡职业学校", "乐清市", _S, weight=5, focus=("文化旅游",)),
    # 技工院校
    SchoolSpec("温州技师学院", CITY_RUN, _T, sponsor="city", weight=50, focus=("智能装备", "电气")),
    SchoolSpec("温州市交通运输技工学校", CITY_RUN, _T, sponsor="city", weight=25, focus=("汽摩配", "现代物流")),
    SchoolSpec("瑞安市技工学校", "瑞安市", _T, weight=35),
    SchoolSpec("乐清市技工学校", "乐清市", _T, weight=35),
    SchoolSpec("永嘉县技工学校", "永嘉县", _T, weight=25),
    SchoolSpec("苍南县技工学校", "苍南县", _T, weight=22),
    SchoolSpec("温州鹿城技工学校", "鹿城区", _T, "private", weight=20),
    # 高职院校
    SchoolSpec(
        "温州职业技术学院",
        CITY_RUN,
        _H,
        sponsor="city",
        weight=150,
        focus=("智能装备", "电气", "鞋服", "数字经济"),
        double_high="national",
    ),
    SchoolSpec(
        "温州科技职业学院",
        CITY_RUN,
        _H,
        sponsor="city",
        weight=120,
        focus=("现代农业", "数字经济", "智能装备"),
        double_high="provincial",
    ),
    SchoolSpec(
        "浙江工贸职业技术学院",
        CITY_RUN,
        _H,
        sponsor="city",
        weight=110,
        focus=("智能装备", "汽摩配", "数字经济"),
        double_high="provincial",
    ),
    SchoolSpec("浙江安防职业技术学院", CITY_RUN, _H, sponsor="city", weight=85, focus=("安防", "数字经济")),
    SchoolSpec("浙江东方职业技术学院", "瓯海区", _H, "private", weight=90, focus=("现代服务", "数字经济")),
    SchoolSpec("温州城市职业学院", CITY_RUN, _H, sponsor="city", weight=80, focus=("现代服务", "教育")),
)

# Shareholders of the mixed-ownership schools (Art. 8), in millionths; each school's add up to 1,000,000.
SHAREHOLDERS: dict[str, tuple[tuple[str, int], ...]] = {
    "温州东方悦心职业学校": (("上海斯米克集团", 600_000), ("温州市现代集团", 300_000), ("温州东方学院", 100_000)),
    "乐清市柳市职业技术学校": (("乐清市国有资本运营集团有限公司", 550_000), ("乐清市柳电智能科技有限公司", 450_000)),
}
# The one project the drafting explanation names: 温州东方悦心职业学校, a planned 600 million yuan.
NAMED_PROJECT = ("温州东方悦心职业学校", "new", 600_000_000)

COUNTY_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "鹿城区": ("鞋服", "数字经济", "现代服务"),
    "龙湾区": ("泵阀", "鞋服", "新材料", "智能装备"),
    "瓯海区": ("眼镜", "鞋服", "轻工"),
    "洞头区": ("文化旅游", "现代农业"),
    "瑞安市": ("汽摩配", "智能装备", "鞋服"),
    "乐清市": ("电气", "智能装备", "数字经济"),
    "龙港市": ("印刷包装", "新材料"),
    "永嘉县": ("泵阀", "轻工", "文化旅游"),
    "平阳县": ("轻工", "印刷包装", "智能装备"),
    "苍南县": ("印刷包装", "轻工", "文化旅游"),
    "文成县": ("文化旅游", "现代农业"),
    "泰顺县": ("文化旅游", "现代农业"),
    CITY_RUN: ("数字经济", "现代服务", "智能装备"),
}

# Share of the city's firms by county, roughly its share of industrial output.
ENTERPRISE_WEIGHTS: dict[str, int] = {
    "乐清市": 18, "瑞安市": 16, "鹿城区": 11, "瓯海区": 10, "龙湾区": 9, "永嘉县": 9,
    "平阳县": 7, "龙港市": 7, "苍南县": 5, "洞头区": 2, "文成县": 2, "泰顺县": 2,
}  # fmt: skip

FIRM_PREFIXES: dict[str, tuple[str, ...]] = {
    "鹿城区": ("温州", "温州市", "浙江"),
    "龙湾区": ("温州", "温州市", "浙江"),
    "瓯海区": ("温州", "温州市", "浙江"),
    "洞头区": ("温州", "温州市洞头"),
    "瑞安市": ("瑞安市", "浙江", "温州"),
    "乐清市": ("乐清市", "浙江", "温州"),
    "龙港市": ("龙港市", "浙江"),
    "永嘉县": ("永嘉县", "浙江", "温州"),
    "平阳县": ("平阳县", "浙江"),
    "苍南县": ("苍南县", "浙江"),
    "文成县": ("文成县",),
    "泰顺县": ("泰顺县",),
}

FIRM_SUFFIXES: dict[str, tuple[str, ...]] = {
    "鞋服": ("鞋业有限公司", "鞋业股份有限公司", "服饰有限公司", "制衣有限公司", "皮革有限公司"),
    "电气": ("电气股份有限公司", "电气有限公司", "电器有限公司", "开关有限公司", "智能电气科技有限公司"),
    "汽摩配": ("汽车部件有限公司", "汽摩配件有限公司", "汽车电器有限公司", "机车部件有限公司"),
    "泵阀": ("阀门有限公司", "泵业有限公司", "流体设备有限公司", "阀业股份有限公司"),
    "数字经济": ("网络科技有限公司", "信息技术有限公司", "数字科技有限公司", "软件有限公司"),
    "眼镜": ("眼镜有限公司", "光学有限公司"),
    "印刷包装": ("印业有限公司", "包装有限公司", "彩印有限公司", "标识有限公司"),
    "智能装备": ("机械有限公司", "智能装备有限公司", "自动化设备有限公司", "精密机械有限公司"),
    "新材料": ("新材料有限公司", "不锈钢有限公司", "无纺布有限公司"),
    "轻工": ("锁业有限公司", "玩具有限公司", "塑业有限公司", "宠物用品有限公司", "日用品有限公司"),
    "文化旅游": ("旅游开发有限公司", "文化传媒有限公司", "酒店管理有限公司"),
    "现代农业": ("农业开发有限公司", "茶业有限公司", "生态农业有限公司", "食品有限公司"),
    "现代服务": ("物流有限公司", "商贸有限公司", "人力资源服务有限公司"),
}

FIRM_SYLLABLES = "正泰德力华宏鑫达盛恒邦凯远嘉通瑞丰诚信创宇立新锦东方海天亚欧腾飞龙元安捷明昌顺利美康博豪威环"
# Pairs that spell a well-known Wenzhou brand: a demo firm must not look like a real one.
FAMOUS_PAIRS = frozenset({"正泰", "天正", "德力", "华峰", "瑞立", "瑞明", "东方", "新亚", "环宇", "立达", "威利"})

# (name, code of the 职业教育专业目录（2021年） or None, professional group, industry). Every code was checked
# against a published 人才培养方案 or catalogue extract naming the major and its code; None where no source was
# found (a registry row without a code is matched by its name). Technical schools' majors follow the 人社
# catalogue of 技工院校, which has no codes in the 2021 目录.
Major = tuple[str, str | None, str, str]
SECONDARY_MAJORS: tuple[Major, ...] = (
    ("数控技术应用", "660103", "智能制造专业群", "智能装备"),
    ("机电技术应用", "660301", "智能制造专业群", "智能装备"),
    ("工业机器人技术应用", "660303", "智能制造专业群", "智能装备"),
    ("电气设备运行与控制", None, "电气自动化专业群", "电气"),
    ("电子技术应用", None, "电气自动化专业群", "电气"),
    ("汽车运用与维修", "700206", "汽车专业群", "汽摩配"),
    ("新能源汽车运用与维修", None, "汽车专业群", "汽摩配"),
    ("鞋类设计与工艺", None, "鞋服时尚专业群", "鞋服"),
    ("服装设计与工艺", None, "鞋服时尚专业群", "鞋服"),
    ("机械制造技术", None, "泵阀智造专业群", "泵阀"),
    ("眼视光与配镜", None, "时尚轻工专业群", "眼镜"),
    ("工艺美术", None, "时尚轻工专业群", "轻工"),
    ("印刷媒体技术", None, "印刷包装专业群", "印刷包装"),
    ("计算机应用", "710201", "数字技术专业群", "数字经济"),
    ("电子商务", "730701", "数字商贸专业群", "数字经济"),
    ("直播电商服务", None, "数字商贸专业群", "数字经济"),
    ("大数据技术应用", None, "数字技术专业群", "数字经济"),
    ("会计事务", None, "财经商贸专业群", "现代服务"),
    ("物流服务与管理", None, "财经商贸专业群", "现代服务"),
    ("旅游服务与管理", "740101", "文旅专业群", "文化旅游"),
    ("中餐烹饪", "740201", "文旅专业群", "文化旅游"),
    ("幼儿保育", "770101", "教育服务专业群", "教育"),
    ("护理", None, "健康服务专业群", "医疗健康"),
    ("药剂", None, "健康服务专业群", "医疗健康"),
    ("康复技术", None, "健康服务专业群", "医疗健康"),
    ("音乐表演", None, "文化艺术专业群", "文化创意"),
    ("舞蹈表演", None, "文化艺术专业群", "文化创意"),
    ("数字影像技术", None, "文化艺术专业群", "文化创意"),
    ("建筑工程施工", None, "智能建造专业群", "建筑"),
    ("园林技术", None, "现代农业专业群", "现代农业"),
    ("新材料检测与应用", None, "新材料专业群", "新材料"),
)
TECHNICAL_MAJORS: tuple[Major, ...] = (
    ("数控加工", None, "智能制造专业群", "智能装备"),
    ("工业机器人应用与维护", None, "智能制造专业群", "智能装备"),
    ("模具制造", None, "智能制造专业群", "智能装备"),
    ("焊接加工", None, "智能制造专业群", "泵阀"),
    ("电气自动化设备安装与维修", None, "电气自动化专业群", "电气"),
    ("汽车维修", None, "汽车专业群", "汽摩配"),
    ("新能源汽车检测与维修", None, "汽车专业群", "汽摩配"),
    ("服装制作与营销", None, "鞋服时尚专业群", "鞋服"),
    ("电子商务", None, "数字商贸专业群", "数字经济"),
    ("计算机网络应用", None, "数字技术专业群", "数字经济"),
    ("物流服务与管理", None, "财经商贸专业群", "现代物流"),
    ("烹饪（中式烹调）", None, "文旅专业群", "文化旅游"),
)
HIGHER_MAJORS: tuple[Major, ...] = (
    ("数控技术", None, "智能制造专业群", "智能装备"),
    ("智能制造装备技术", None, "智能制造专业群", "智能装备"),
    ("工业机器人技术", None, "智能制造专业群", "智能装备"),
    ("机电一体化技术", "460301", "智能制造专业群", "智能装备"),
    ("电气自动化技术", None, "电气自动化专业群", "电气"),
    ("新能源汽车技术", None, "汽车专业群", "汽摩配"),
    ("汽车制造与试验技术", None, "汽车专业群", "汽摩配"),
    ("鞋类设计与工艺", None, "鞋服时尚专业群", "鞋服"),
    ("服装设计与工艺", None, "鞋服时尚专业群", "鞋服"),
    ("计算机应用技术", None, "数字技术专业群", "数字经济"),
    ("软件技术", None, "数字技术专业群", "数字经济"),
    ("大数据技术", None, "数字技术专业群", "数字经济"),
    ("电子商务", None, "数字商贸专业群", "数字经济"),
    ("大数据与会计", None, "财经商贸专业群", "现代服务"),
    ("现代物流管理", None, "财经商贸专业群", "现代服务"),
    ("护理", None, "健康服务专业群", "医疗健康"),
    ("学前教育", "570102K", "教育服务专业群", "教育"),
    ("安全防范技术", None, "安防专业群", "安防"),
    ("智能安防运营管理", None, "安防专业群", "安防"),
    ("园艺技术", None, "现代农业专业群", "现代农业"),
    ("食品检验检测技术", None, "现代农业专业群", "现代农业"),
)
MAJORS = {_S: SECONDARY_MAJORS, _T: TECHNICAL_MAJORS, _H: HIGHER_MAJORS}
# New majors the plan pushes for (Art. 10) and old ones it cuts, as schools adjust year by year.
EMERGING_MAJORS = frozenset({"工业机器人技术应用", "新能源汽车运用与维修", "直播电商服务", "大数据技术应用",
                             "新能源汽车检测与维修", "智能制造装备技术", "大数据技术"})  # fmt: skip
FADING_MAJORS = frozenset({"会计事务", "物流服务与管理", "计算机应用", "中餐烹饪", "机械制造技术"})
# Art. 10's "old" majors: in some schools (these odds) a fading major's share of the school's students falls year
# after year (its weight, in millionths, by year), so the analysis finds enrolment falling over three years.
FADING_ODDS = 0.6
FADE_PPM = {2023: 1_000_000, 2024: 780_000, 2025: 600_000, 2026: 460_000}

PLATFORM_TOPICS: dict[str, str] = {
    "鞋服": "鞋服智能设计", "电气": "智能电气", "汽摩配": "汽摩配检测", "泵阀": "泵阀数字化设计",
    "数字经济": "数字商贸", "眼镜": "眼镜智造", "印刷包装": "绿色印刷包装", "智能装备": "智能制造",
    "轻工": "轻工产品设计", "文化旅游": "文旅融合", "现代农业": "现代农业技术", "医疗健康": "护理康养",
    "安防": "智能安防", "文化创意": "数字创意", "现代服务": "财经商贸", "教育": "学前教育",
    "新材料": "新材料检测", "建筑": "智能建造", "现代物流": "智慧物流",
}  # fmt: skip
PLATFORM_SUFFIXES: dict[str, tuple[str, ...]] = {
    "research": ("技术研发中心", "协同创新中心", "工程技术研究中心", "应用技术研究所", "技术技能创新服务平台"),
    "training": ("产教融合实训基地", "公共实训基地", "虚拟仿真实训基地", "生产性实训基地", "技能实训中心"),
}

PROJECT_PHRASES: dict[str, tuple[str, ...]] = {
    "new": ("新校区建设工程", "新建工程"),
    "relocated": ("迁建工程", "整体迁建项目"),
    "expanded": ("扩建工程", "实训大楼扩建项目", "二期扩建工程", "产教融合实训中心扩建项目"),
}

DONORS = ("温州市教育基金会", "温州市慈善总会", "世界温州人联谊会", "温州市总商会")

REVOCATION_REASONS = (
    "年度复核不合格",
    "企业主动申请撤销",
    "发生重大安全生产事故",
    "申报材料弄虚作假",
    "企业注销",
    "校企合作协议终止，不再符合认定条件",
)
PLATFORM_REVOCATION_REASON = "建设期满验收不合格"


class CommunitySpec(NamedTuple):
    name: str
    industry: str
    governments: tuple[str, ...]
    schools: tuple[str, ...]  # the first leads the council
    associations: tuple[str, ...]
    founded_on: dt.date


_EDU, _ECON = "温州市教育局", "温州市经济和信息化局"
COMMUNITIES: tuple[CommunitySpec, ...] = (
    CommunitySpec("温州鞋服产教融合共同体", "鞋服", (_EDU, _ECON), ("温州职业技术学院", "瓯海职业中专",
                  "温州市鹿城区职业技术学校"), ("温州市鞋革行业协会", "温州市服装商会"), dt.date(2023, 5, 18)),
    CommunitySpec("乐清电气产教融合共同体", "电气", (_EDU, "乐清市人民政府"), ("乐清市职业中等专业学校",
                  "乐清市柳市职业技术学校", "温州技师学院"), ("乐清市电工电器行业协会",), dt.date(2023, 6, 9)),
    CommunitySpec("瑞安汽摩配产教融合共同体", "汽摩配", (_EDU, "瑞安市人民政府"), ("浙江工贸职业技术学院",
                  "瑞安市职业中等专业学校", "瑞安市技工学校"), ("瑞安市汽摩配行业协会",), dt.date(2023, 9, 22)),
    CommunitySpec("永嘉泵阀产教融合共同体", "泵阀", (_EDU, "永嘉县人民政府"), ("永嘉县职业学校", "永嘉县技工学校",
                  "温州职业技术学院"), ("永嘉县泵阀行业协会",), dt.date(2023, 11, 3)),
    CommunitySpec("温州数字经济产教融合共同体", "数字经济", (_EDU, _ECON, "温州市科学技术局"), ("温州科技职业学院",
                  "温州城市职业学院", "温州市职业中等专业学校"), ("温州市软件行业协会", "温州市电子商务行业协会"),
                  dt.date(2024, 3, 15)),
    CommunitySpec("温州眼镜产教融合共同体", "眼镜", (_EDU,), ("瓯海职业中专", "温州市瓯海区职业技术学校"),
                  ("温州市眼镜商会",), dt.date(2024, 5, 10)),
    CommunitySpec("龙港印刷包装产教融合共同体", "印刷包装", (_EDU, "龙港市人民政府"), ("龙港市职业中等专业学校",
                  "苍南县职业中专"), ("龙港市印刷行业协会",), dt.date(2024, 9, 27)),
    CommunitySpec("温州文旅与现代农业产教融合共同体", "文化旅游", (_EDU, "温州市文化广电旅游局"), ("温州科技职业学院",
                  "文成县职业中等专业学校", "泰顺县职业教育中心"), ("温州市旅游行业协会",), dt.date(2025, 4, 18)),
)  # fmt: skip

# (name, kind, partner country, school, started on): the parks and pilots of Art. 18.
INTERNATIONAL: tuple[tuple[str, str, str, str, dt.date], ...] = (
    ("中-意职业教育园", "park", "意大利", "温州职业技术学院", dt.date(2023, 9, 1)),
    ("中-德职业教育园", "park", "德国", "温州技师学院", dt.date(2023, 11, 15)),
    ("中职国际“中本一体”试点", "programme", "意大利", "温州市职业中等专业学校", dt.date(2024, 9, 1)),
    ("高职国际“专升本”试点", "programme", "英国", "温州职业技术学院", dt.date(2023, 9, 1)),
    ("高职国际“专升硕”试点", "programme", "马来西亚", "温州科技职业学院", dt.date(2024, 9, 1)),
    ("中德“双元制”鞋服设计班", "programme", "德国", "瓯海职业中专", dt.date(2024, 3, 1)),
)

# (name, category, school, awarded on): "国字号" brands (T4) and national high-quality schools and majors (T10).
NATIONAL_BRANDS: tuple[tuple[str, str, str | None, dt.date], ...] = (
    ("国家级职业教育教学成果奖", "brand", "温州职业技术学院", dt.date(2023, 7, 20)),
    ("国家级高技能人才培训基地", "brand", "温州技师学院", dt.date(2023, 12, 8)),
    ("国家级技能大师工作室", "brand", "瑞安市职业中等专业学校", dt.date(2024, 6, 14)),
    ("国家级职业教育教师教学创新团队", "brand", "温州科技职业学院", dt.date(2024, 10, 25)),
    ("全国职业教育先进单位", "brand", None, dt.date(2025, 5, 16)),
    ("国家级示范性职业教育集团（联盟）", "brand", "浙江工贸职业技术学院", dt.date(2026, 3, 20)),
    ("国家优质中等职业学校", "quality_school", "温州市职业中等专业学校", dt.date(2024, 11, 29)),
    ("国家优质中等职业学校", "quality_school", "瓯海职业中专", dt.date(2025, 6, 27)),
    ("国家优质专业：数控技术应用", "quality_major", "乐清市职业中等专业学校", dt.date(2025, 6, 27)),
)

# 当地同类学校编制内教师平均工资 in 2023, yuan: richer districts pay more.
COUNTY_SALARY_YUAN = {
    CITY_RUN: 160_000, "鹿城区": 158_000, "龙湾区": 155_000, "瓯海区": 154_000, "乐清市": 153_000,
    "瑞安市": 152_000, "洞头区": 140_000, "龙港市": 140_000, "平阳县": 138_000, "永嘉县": 137_000,
    "苍南县": 135_000, "文成县": 124_000, "泰顺县": 122_000,
}  # fmt: skip
# Where a county's salary standard comes from: its statistics of in-establishment pay, by the county (the city for
# the schools it runs).
SALARY_ISSUERS = {CITY_RUN: "温州市"}
SALARY_SOURCE = "{issuer}统计局《{year}年度事业单位在岗职工工资统计》（教育系统编制内教师）"

# 产教融合型企业 certification batches by level (the city's 认定办法 dates from 2023-02-16).
LEVEL_DATES = {
    "city": tuple(dt.date(*d) for d in ((2023, 4, 28), (2023, 11, 24), (2024, 5, 31), (2024, 11, 29),
                                        (2025, 5, 30), (2025, 11, 28), (2026, 5, 29))),
    "provincial": tuple(dt.date(*d) for d in ((2022, 6, 28), (2022, 11, 25), (2023, 9, 27), (2024, 9, 25),
                                              (2025, 9, 24), (2026, 6, 26))),
    "national": tuple(dt.date(*d) for d in ((2023, 3, 30), (2024, 4, 26), (2025, 4, 25), (2026, 4, 24))),
}  # fmt: skip
# Fixed histories so that every copy has what monitoring must handle: upgrades to national level in
# each plan year, the plan window's edges (2022-12-31, 2023-01-01, 2025-12-31, 2026-01-01), a revocation.
FIXED_PATHS: tuple[tuple[tuple[str, dt.date], ...], ...] = (
    (("provincial", dt.date(2022, 6, 28)), ("national", dt.date(2023, 3, 30))),
    (("city", dt.date(2023, 4, 28)), ("provincial", dt.date(2023, 9, 27)), ("national", dt.date(2024, 4, 26))),
    (("city", dt.date(2023, 11, 24)), ("provincial", dt.date(2024, 9, 25)), ("national", dt.date(2025, 4, 25))),
    (("city", dt.date(2024, 5, 31)), ("provincial", dt.date(2025, 9, 24)), ("national", dt.date(2026, 4, 24))),
    (("provincial", dt.date(2022, 12, 31)),),
    (("provincial", dt.date(2023, 1, 1)),),
    (("city", dt.date(2025, 12, 31)),),
    (("city", dt.date(2026, 1, 1)),),
)
FIXED_REVOCATION = (5, dt.date(2024, 3, 15), "年度复核不合格")  # index into FIXED_PATHS, date, reason

# Platform histories: 71 of 80 platforms built or upgraded in 2023–2025 (T3: 70); national ones at colleges.
# pre: provincial before 2023; pre_up: and national since; prov: provincial in 2023–2025; prov_up: and
# national later; nat: national at once; later: provincial in 2026; none: not (yet) recognised.
NATIONAL_SCENARIOS = ("pre_up",) * 3 + ("prov_up",) * 5 + ("nat",) * 3
OTHER_SCENARIOS = ("pre",) * 5 + ("prov",) * 60 + ("later",) * 2 + ("none",) * 2
PROJECT_KINDS = ("new",) * 5 + ("relocated",) * 7 + ("expanded",) * 20  # besides the named project
PROJECT_WAN = {"new": (40_000, 120_000), "relocated": (30_000, 90_000), "expanded": (3_000, 25_000)}  # 万元

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714


def credit_code(county_code: str, number: int, *, old_style: bool) -> str:
    """A well-formed 统一社会信用代码 (both check characters valid), unique for each ``number``.

    The organisation-code part is a bijection of ``number``: "MA…" as issued since 2015, or the
    all-digit codes of older firms; the two forms never coincide.
    """
    if old_style:
        body = f"{(number * 3_779 + 10_000_019) % 10**8:08d}"
    else:
        n, tail = (number * 7_368_787 + 12_345) % 31**6, ""
        for _ in range(6):
            n, digit = divmod(n, 31)
            tail = _ALPHABET[digit] + tail
        body = "MA" + tail
    org_total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    org_check = {10: "X", 11: "0"}.get(11 - org_total % 11, str(11 - org_total % 11))
    code = "91" + county_code + body + org_check
    total = sum(_ALPHABET.index(c) * w for c, w in zip(code, _USCC_WEIGHTS, strict=True))
    return code + _ALPHABET[(31 - total % 31) % 31]


# Profiles by school type; ppm are millionths.
GROWTH_PPM = {  # enrolment relative to 2024: the plan expands vocational places (强基扩容)
    "secondary": {2023: 975_000, 2024: 1_000_000, 2025: 1_018_000, 2026: 1_032_000},
    "technical": {2023: 980_000, 2024: 1_000_000, 2025: 1_020_000, 2026: 1_035_000},
    "higher": {2023: 965_000, 2024: 1_000_000, 2025: 1_030_000, 2026: 1_050_000},
}
STUDENTS_PER_TEACHER = {"higher": (1_700, 2_200), "technical": (1_500, 1_900), "secondary": (1_520, 1_880)}  # /100
AIDED_PPM = {"higher": (80_000, 150_000), "technical": (60_000, 100_000), "secondary": (40_000, 90_000)}
EMPLOYMENT_PPM = {"higher": (920_000, 985_000), "technical": (950_000, 995_000), "secondary": (950_000, 995_000)}
TRAINING_WEIGHT = {"higher": 12, "technical": 5, "secondary": 1}  # social training per student, relative
