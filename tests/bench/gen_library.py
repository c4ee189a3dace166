"""Generate realistic synthetic phrase libraries (1k / 10k / 100k phrases) for benchmarks.

Titles and bodies are built from customer-service vocabulary (greetings, bargaining,
payment reminders, logistics, after-sales), with second-level categories, codes such as
``cf12`` and the placeholders agents use. Deterministic for a given seed.

Run ``python tests/bench/gen_library.py 10000 OUT_DIR`` to write ``OUT_DIR/library/*.toml``
through :mod:`app.core.storage` (when available).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.model import Category, Library, Phrase


@dataclass(frozen=True)
class _Topic:
    cid: str
    name: str
    code: str
    subs: tuple[tuple[str, str], ...]
    heads: tuple[str, ...]
    sentences: tuple[str, ...]
    tags: tuple[str, ...]


_TOPICS = (
    _Topic(
        "greeting",
        "欢迎语",
        "hy",
        (("first", "首次接待"), ("busy", "高峰期"), ("regular", "老顾客"), ("night", "夜间值班")),
        ("欢迎", "问候", "接待", "开场白", "自我介绍", "节日问候", "欢迎光临", "进店问候"),
        (
            "{问候},欢迎来到{店铺},我是{工号}号客服{客服}。",
            "您好,很高兴为您服务,请问有什么可以帮您?",
            "现在咨询的顾客较多,回复稍慢还请您耐心等一下。",
            "欢迎回来,老朋友!这次想看看哪款{商品}呢?",
            "夜里值班的是我,{客服},有问题随时留言,明早第一时间处理。",
            "本店正在做活动,您看中的{商品}今天下单更划算。",
        ),
        ("欢迎", "开场", "问候"),
    ),
    _Topic(
        "bargaining",
        "议价",
        "yj",
        (("coupon", "优惠券"), ("shipping", "包邮"), ("gift", "赠品"), ("price", "价格解释")),
        ("议价", "砍价回复", "优惠说明", "满减", "包邮", "赠品", "价保", "会员价", "不能再降"),
        (
            "您好,我们的价格是统一定价,客服这边没有改价的权限。",
            "店铺首页可以领取满减优惠券,下单时会自动抵扣。",
            "这款{商品}用料和做工都不一样,一分价钱一分货。",
            "拍两件可以帮您申请一个小赠品,数量有限送完即止。",
            "本店全场包邮,偏远地区除外,请您放心下单。",
            "买贵了可以申请价保,活动期间差价会退还给您。",
        ),
        ("议价", "优惠", "包邮"),
    ),
    _Topic(
        "payment",
        "催付",
        "cf",
        (
            ("unpaid", "下单未付"),
            ("expiring", "优惠到期"),
            ("stock", "库存紧张"),
            ("issue", "付款问题"),
        ),
        (
            "催付",
            "付款提醒",
            "未付款",
            "库存紧张",
            "优惠即将结束",
            "还没付款",
            "支付失败",
            "银行卡付款",
        ),
        (
            "{顾客}您好,看到您拍下的{商品}还没有付款,是遇到什么问题了吗?",
            "您的订单优惠将在{date+1d:%m月%d日}结束,付款后我们马上为您安排发货。",
            "这款库存不多了,付款后才能为您锁定库存哦。",
            "如果银行卡支付失败,可以换一张卡或者用余额支付试试。",
            "今天下午四点前付款,当天就能发出。",
            "订单超时会自动关闭,记得及时付款呀。",
        ),
        ("催付", "付款", "订单"),
    ),
    _Topic(
        "logistics",
        "物流",
        "wl",
        (
            ("ship-time", "发货时间"),
            ("tracking", "快递查询"),
            ("delay", "延迟发货"),
            ("address", "地址修改"),
        ),
        ("物流查询", "发货时间", "快递", "延迟发货", "修改地址", "重新发货", "顺丰", "偏远地区"),
        (
            "您的包裹已经发出,快递单号可以在订单详情里查看。",
            "我们一般四十八小时内发货,大促期间会稍有延迟。",
            "物流信息更新可能有延迟,请您耐心等待一下。",
            "地址需要修改的话请在发货前告诉我们,发货后就改不了了。",
            "包裹在运输途中丢失的,我们会为您重新发货。",
            "偏远地区需要补一点运费,具体以下单页面为准。",
        ),
        ("物流", "快递", "发货"),
    ),
    _Topic(
        "aftersales",
        "售后",
        "sh",
        (("return", "退换货"), ("broken", "破损"), ("refund", "退款"), ("review", "评价")),
        (
            "退货",
            "换货",
            "退款",
            "破损",
            "补发",
            "质量问题",
            "七天无理由",
            "好评邀请",
            "长时间未回复",
        ),
        (
            "非常抱歉给您带来不便,麻烦拍一张商品破损处的照片发给我们。",
            "支持七天无理由退换,商品不影响二次销售即可。",
            "退款已经提交,一般一到三个工作日原路退回。",
            "质量问题的运费由我们承担,您先垫付,确认收货后补给您。",
            "收到商品满意的话,期待您的五星评价。",
            "换货请在备注里写上尺码和颜色,我们收到后立刻重新发出。",
        ),
        ("售后", "退款", "退货"),
    ),
)

_MODIFIERS = ("标准", "简短", "热情", "礼貌", "专业", "亲切", "大促", "夜班", "新客", "老客")
_PRODUCTS = (
    "连衣裙", "运动鞋", "手机壳", "保温杯", "四件套", "羽绒服", "口红", "面膜", "儿童玩具",
    "蓝牙耳机", "行李箱", "茶叶", "零食礼包", "长款风衣", "银饰手链", "电饭煲", "空气炸锅",
    "床垫", "沙发", "台灯", "狗粮", "猫砂", "婴儿车", "奶粉", "洗发水", "牙刷", "雨伞",
    "充电宝", "数据线", "键盘", "鼠标", "显示器", "书包", "文具", "月饼", "水果", "大米",
    "食用油", "T恤", "牛仔裤",
)  # fmt: skip
_TONES = ("", "温和版", "简洁版", "详细版", "活动版", "夜班版", "VIP版")


def generate(n: int, seed: int = 0) -> Library:
    """A library of ``n`` phrases over 5 categories with 4 subcategories each."""
    rnd = random.Random(seed)
    lib = Library()
    for order, t in enumerate(_TOPICS):
        lib.categories.append(Category(t.cid, t.name, order * 10))
        for k, (sid, sname) in enumerate(t.subs):
            lib.categories.append(Category(f"{t.cid}-{sid}", sname, k * 10, parent=t.cid))
    seen: dict[str, int] = {}
    counters = {t.cid: 0 for t in _TOPICS}
    for i in range(n):
        t = _TOPICS[rnd.randrange(len(_TOPICS))]
        cat = t.cid if rnd.random() < 0.3 else f"{t.cid}-{rnd.choice(t.subs)[0]}"
        title = rnd.choice(_MODIFIERS) + rnd.choice(t.heads)
        if rnd.random() < 0.7:
            title += "·" + rnd.choice(_PRODUCTS)
        title += rnd.choice(_TONES)
        dup = seen.get(title, 0)
        seen[title] = dup + 1
        if dup:
            title = f"{title}{dup + 1}"
        body = "".join(rnd.sample(t.sentences, rnd.randint(1, 3)))
        counters[t.cid] += 1
        code = f"{t.code}{counters[t.cid]}" if rnd.random() < 0.6 else ""
        tags = rnd.sample(t.tags, rnd.randint(0, 2))
        stamp = "2026-01-01T09:00:00+08:00"
        lib.phrases.append(Phrase(f"p{i:06d}", title, body, cat, code, "", tags, stamp, stamp, ""))
    return lib


def write(lib: Library, home: Path) -> bool:
    """Write ``lib`` as ``home/library/*.toml`` with app.core.storage; False if unavailable."""
    try:
        from app.core.fsutil import Paths
        from app.core.storage import LibraryStore
    except ImportError:
        return False
    LibraryStore(Paths(home)).save(lib)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: gen_library.py N OUT_DIR", file=sys.stderr)
        return 2
    lib = generate(int(argv[0]))
    if not write(lib, Path(argv[1])):
        print("app.core.storage is not available", file=sys.stderr)
        return 1
    print(f"wrote {len(lib.phrases)} phrases to {argv[1]}/library")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
