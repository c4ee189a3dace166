"""Text handling for the suggestion ranker: colloquial Chinese in, weighted terms out.

A customer's message (``亲，咋还不发货啊😭``) and a phrase's text go through the same steps:

1. :func:`normalize`: width/case folding (NFKC), colloquial spellings and common typos to
   their standard form (咋 -> 怎么, 啥 -> 什么, 发获 -> 发货), English words customers mix
   in to Chinese (refund -> 退款).
2. :func:`clauses`: the message cut at punctuation, spaces and emoji into clauses, with
   greetings and fillers (亲, 在吗, 请问) taken off the front of each.
3. :func:`terms`: character bigrams (the main signal, robust to unknown words and typos
   in one character; bigrams of a question's frame such as 多久, 怎么, 你们 weigh half, so a
   message that shares only its frame with a phrase does not fit it), character unigrams
   (weak), latin words and numbers, and *concepts*
   (``#退款``): synonym groups that map 退钱, 钱退回来, refund to one term, so a message
   and a phrase that say the same thing in different words still meet.

Pure Python, no dictionary to load: a few microseconds per short text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# -- weights of term kinds ------------------------------------------------------------------
W_BIGRAM = 1.0
W_UNIGRAM = 0.3
W_WORD = 1.0
W_NUMBER = 0.3
W_CONCEPT = 1.6
W_FRAME = 0.5  # a bigram of the question's frame (多久, 怎么, 你们): it says how, not what

# bigrams that frame a question in any topic: alone they must not make a message fit
# ("保质期多久" is not "多久发货"), so they weigh like a single character
_FRAME_WORDS = (
    "什么 怎么 么办 多久 多少 能不 不能 可以 以吗 有没 没有 你们 我们 帮我 给我 是什 是不 "
    "不是 了吗 人吗 一下 一点 点吗 几点 我要 我想 想要 这个 那个 个是 请问 能用 好吗 行吗 "
    "的吗 吗吗 在吗 了没 了么 么样 怎样 哪个 哪里 为什 么时 看看 我的 你的 要多"
)
FRAME_BIGRAMS = frozenset(_FRAME_WORDS.split())

CONCEPT_PREFIX = "#"

# colloquial spellings and frequent typos -> standard form (applied longest first)
_REPLACE: dict[str, str] = {
    "咋": "怎么",
    "肿么": "怎么",
    "怎摸": "怎么",
    "怎末": "怎么",
    "啥": "什么",
    "神马": "什么",
    "神么": "什么",
    "木有": "没有",
    "没得": "没有",
    "莫得": "没有",
    "几时": "什么时候",
    "多会儿": "什么时候",
    "什么是后": "什么时候",
    "发获": "发货",
    "法货": "发货",
    "快第": "快递",
    "快地": "快递",
    "退宽": "退款",
    "退欵": "退款",
    "优慧": "优惠",
    "优会": "优惠",
    "尺马": "尺码",
    "尺吗": "尺码",
    "地扯": "地址",
    "地止": "地址",
    "包油": "包邮",
    "邮废": "邮费",
    "色茶": "色差",
    "付歀": "付款",
    "附款": "付款",
    "物留": "物流",
    "无流": "物流",
    "签手": "签收",
    "赠吕": "赠品",
    "库从": "库存",
    "退活": "退货",
    "换活": "换货",
    "咋整": "怎么办",
    "为毛": "为什么",
    "嘛时候": "什么时候",
    "多钱": "多少钱",
    "米有": "没有",
    "介个": "这个",
    "酱紫": "这样子",
    "包由": "包邮",
    "运废": "运费",
    "物浏": "物流",
    "签受": "签收",
    "地趾": "地址",
    "颜涩": "颜色",
    "尺吋": "尺寸",
    "质亮": "质量",
    "卷": "券",
    "滴": "的",
    "伐": "吗",
}

# English (and pinyin-ish) words customers mix in -> Chinese
_ENGLISH: dict[str, str] = {
    "refund": "退款",
    "return": "退货",
    "exchange": "换货",
    "ship": "发货",
    "shipping": "发货",
    "shipped": "发货",
    "deliver": "到货",
    "delivery": "到货",
    "size": "尺码",
    "coupon": "优惠券",
    "coupons": "优惠券",
    "discount": "优惠",
    "cheap": "便宜",
    "cheaper": "便宜",
    "price": "价格",
    "hello": "你好",
    "hi": "你好",
    "hey": "你好",
    "thanks": "谢谢",
    "thank": "谢谢",
    "thx": "谢谢",
    "3q": "谢谢",
    "broken": "破损",
    "damaged": "破损",
    "address": "地址",
    "stock": "库存",
    "gift": "赠品",
    "tracking": "物流",
    "track": "物流",
    "express": "快递",
    "pay": "付款",
    "payment": "付款",
    "paid": "已付款",
    "bye": "再见",
    "ok": "好的",
    "okay": "好的",
    "sf": "顺丰",
    "vip": "会员",
    "wrong": "错",
    "color": "颜色",
    "colour": "颜色",
    "quality": "质量",
    "cancel": "取消",
    "review": "评价",
    "missing": "少件",
}

# concept -> the words that say it, space-separated (matched as substrings of normalized text)
_CONCEPT_WORDS: dict[str, str] = {
    "发货": "发货 发出 寄出 出货 发走 发了没 发没发 能发吗 几号发 哪天发",
    "到货": "到货 多久到 几天到 能到 什么时候到 送到 几天能收到 多久能收到",
    "物流": "物流 快递到哪 到哪了 到哪里了 查件 单号 包裹 运单",
    "快递": "快递 顺丰 中通 圆通 韵达 申通 邮政 京东快递 极兔",
    "加急": "加急 急用 着急 急着 赶时间 快点发 尽快发 催一下 催催",
    "便宜": (
        "便宜 优惠点 优惠一点 打折 打个折 少点 少一点 降价 砍价 讲价 议价 抹零 再低 太贵 好贵 "
        "有点贵 这么贵 贵了 价格高 让点 能少 几折 折扣 还贵 更贵 不能让 让一点 让让"
    ),
    "比价": (
        "别家 别的店 其他店 其他家 人家店 那家 隔壁 同款 拼多多 超市 实体店 商场 专柜 旗舰店 官网 "
        "外面卖"
    ),
    "主管": "主管 领导 老板 店长 申请一下 帮我申请 问问",
    "优惠券": "优惠券 券 红包 折扣码 领券 有优惠 优惠吗",
    "满减": "满减 满多少 凑单 减多少",
    "运费": "包邮 免邮 邮费 运费 免运费 快递费 来回运费",
    "赠品": "赠品 送什么 送的 礼品 小礼物 礼物 赠送 送点 附赠 送个",
    "搭配": "套餐 组合 搭配 一起买 套装 配套",
    "退货": "退货 退回 寄回 退掉 不想要了 想退 能退 退了 可以退",
    "退款": "退款 退钱 钱退 返款 退费 钱什么时候到 钱没到 钱还没 没退 退给我",
    "换货": "换货 换一件 换个 换码 换尺码 调换 换大 换小 换颜色 换一个",
    "破损": "破损 坏了 破了 碎了 烂了 压坏 摔坏 裂了 裂开 压扁 变形",
    "质量": "质量 开线 掉色 起球 做工差 脱线 开胶 褪色 不能用 用不了",
    "瑕疵": "瑕疵 线头 脏了 污渍 小问题 划痕 有点脏 小洞 印子",
    "色差": "色差 颜色不一样 颜色不对 和图片不一样 跟图片不一样 和图不符 图片不符",
    "少件": "少件 少了 漏发 少发 没发全 缺了 少一个 少一件 只有一",
    "发错": "发错 错了 不是我买的 不是我要的 不是我拍的 颜色发错 尺码发错",
    "地址": "地址 收件人 收货人 电话写错 手机号写错 搬家",
    "尺码": (
        "尺码 码数 尺寸 多大码 穿多大 什么码 身高 体重 大码 小码 几码 偏大 偏小 腰围 胸围 臀围 "
        "肩宽 裤长 衣长 选哪个码"
    ),
    "库存": "库存 有货 现货 还有吗 有没有货 缺货 没货 断货 补货 卖完 还有没有",
    "缺货": "缺货 没货 断货 补货 卖完 售罄 无货",
    "付款": "付款 付钱 支付 买单 付了 已付 拍了 拍下",
    "付款失败": (
        "付不了 付款失败 支付失败 付不出去 付不上 扣款失败 余额不足 付不成 支付不了 付款不了"
    ),
    "晚付": (
        "晚点付 晚些付 晚会付 过几天付 过两天付 明天付 明天再付 等会付 等会儿付 等下付 回头付 "
        "迟点付 下午付 晚上付 晚上再付 月底付 再付 发工资 工资还没"
    ),
    "好看": "好看吗 好看不 好不好看 漂亮吗 显瘦吗 上身效果 卖得好 卖的怎么样 卖得怎么样 销量",
    "代付": "代付 朋友付 家人付 别人付 帮我付",
    "评价": "评价 好评 评论 晒图 追评",
    "差评": "差评 投诉 举报 给差",
    "不满": "生气 气死 太差 垃圾 无语 失望 不满意 骗子 坑人 什么破 恶心 服了",
    "签收": "签收 显示收货 显示已收 已收货",
    "没收到": "没收到 没有收到 没拿到 收不到 找不到",
    "丢件": "丢了 丢件 丢失 弄丢 寄丢",
    "不更新": "不更新 没更新 不动 没动静 没变化 一直没变 停了 卡住 没反应",
    "延误": "延误 太慢 好慢 这么慢 还没到 几天了 迟迟 怎么还没 慢死 延迟 耽误",
    "天气": "下雨 暴雨 下雪 大雪 台风 天气 大雾 暴雪",
    "偏远": "偏远 新疆 西藏 内蒙 青海 甘肃 宁夏 海南 港澳 香港 澳门 台湾",
    "超区": "超区 不派送 送不到 派送不到 不送 派送范围",
    "价保": "价保 降价了 差价 退差价 买贵 便宜了 掉价",
    "会员": "会员 老顾客 老客户 回头客 老用户 买过 又来了 第二次 回购 常客",
    "多件": "多买 买多 批发 多件 量大 团购 大批 几十件 多拍 买几件 两件",
    "推荐": "推荐 哪款好 哪个好 选哪个 建议 哪款 适合",
    "使用": "怎么用 使用 用法 说明书 安装 教程 操作",
    "照片": "照片 拍照 图片 截图 视频 拍给",
    "问候": "你好 您好 在吗 在么 在不在 有人吗 哈喽 嗨",
    "感谢": "谢谢 感谢 多谢 辛苦了 麻烦了",
    "道别": "晚安 拜拜 再见 睡了 下次再",
    "夜间": "这么晚 半夜 夜里 晚上 熬夜 深夜 凌晨",
    "活动": "活动 大促 双11 双十一 618 年货节 双12 双十二 促销",
    "截止": "截止 结束 到几号 到什么时候 还有几天",
    "链接": "链接 这个宝贝 这款 这件 这个商品",
    "取消": "不要了 不买了 取消 算了 不想买 先不买",
    "无理由": "七天 7天 无理由",
    "关闭": "关闭 超时 自动取消 订单没了",
    "等待": (
        "稍等 等一下 等等 等下 排队 人多 回复慢 好慢回 久等 没人回 半天 等了 好久 终于回 "
        "可算回 才回 分钟了 等这么久 不回复 没回复 不理人 没人理"
    ),
    "留言": "下班 休息 几点上班 上班时间 人工 留言",
    "上新": "上新 关注 新款 收藏",
    "犹豫": "再看看 先看看 考虑 犹豫 再想想 比较一下 再逛逛 看看别的",
    "处理": "处理 解决 怎么处理 没人管 有人管 管不管 给个说法 答复",
}
_CONCEPTS: dict[str, tuple[str, ...]] = {k: tuple(v.split()) for k, v in _CONCEPT_WORDS.items()}

# fillers and greetings taken off the front of a clause
_LEADING = re.compile(
    r"^(?:亲爱的|亲亲|亲|你好|您好|哈喽|嗨|在吗|在么|在不在|在嘛|请问一下|请问|老板|掌柜的|掌柜|客服|"
    r"美女|小姐姐|小哥哥|那个|这个|嗯+|哦+|额+|呃+|喂|hello|hi|hey)+"
)
# a clause that is only social (greeting, thanks, yes) and carries no question
_SOCIAL = re.compile(
    r"^(?:亲|亲亲|你好|您好|在吗|在么|在不在|在嘛|有人吗|哈喽|嗨|hello|hi|hey|谢谢|感谢|多谢|好的|"
    r"好|嗯|哦|ok|okay|收到|知道了|麻烦了|麻烦你了|辛苦了|哈+|呵+|嘿+)+$"
)
_PARTICLES = re.compile(r"^[呀啊呢吧哈嘛啦哦噢喔嘞咯么吗]+$")
_CLAUSE_SPLIT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff]+")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9a-z]+")
_STOP_UNIGRAMS = frozenset(
    "的了吗呢吧啊呀哦哈嘛么是在我你您他她它们这那个一不也就都还和跟亲请问能可以要想有没吧嗯哎诶呗啦咯喔"
)
_ME_QUESTION = re.compile(r"(?<![什怎那这多])么(?=$|[^0-9a-z\u4e00-\u9fff])")


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


_REPLACE_RE = _alternation(_REPLACE)
_ENGLISH_RE = re.compile(
    r"(?<![a-z0-9])(" + "|".join(sorted(_ENGLISH, key=len, reverse=True)) + r")(?![a-z0-9])"
)
_CONCEPT_OF: dict[str, str] = {}
for _key, _words in _CONCEPTS.items():
    for _w in _words:
        _CONCEPT_OF.setdefault(_w, _key)
_CONCEPT_RE = _alternation(_CONCEPT_OF)
# a word can belong to several concepts (缺货 is both 库存 and 缺货)
_CONCEPTS_OF: dict[str, tuple[str, ...]] = {}
for _key, _words in _CONCEPTS.items():
    for _w in _words:
        _CONCEPTS_OF[_w] = (*_CONCEPTS_OF.get(_w, ()), _key)


def normalize(text: str) -> str:
    """Folded, standard-spelling text: NFKC, lower case, colloquial forms and English
    words replaced (咋 -> 怎么, 在么 -> 在吗, refund -> 退款)."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _REPLACE_RE.sub(lambda m: _REPLACE[m.group(0)], t)
    t = _ME_QUESTION.sub("吗", t)
    return _ENGLISH_RE.sub(lambda m: _ENGLISH[m.group(1)], t)


def strip_leading(clause: str) -> str:
    """The clause without greetings and fillers in front (亲，请问 ...); the clause itself
    when nothing else would be left."""
    rest = _LEADING.sub("", clause)
    return rest if rest and not _PARTICLES.match(rest) else clause


def is_social(clause: str) -> bool:
    """True for a clause that only greets, thanks or agrees (你好, 谢谢, 好的)."""
    return bool(_SOCIAL.match(clause))


def clauses(message: str) -> list[str]:
    """The normalized message cut into clauses at punctuation, spaces and emoji.

    Fillers in front of a clause are dropped; purely social clauses (你好, 谢谢) are dropped
    when the message has a clause with content, so "你好，什么时候发货" is about 发货.
    """
    parts = [strip_leading(p) for p in _CLAUSE_SPLIT.split(normalize(message)) if p]
    content = [p for p in parts if not is_social(p)]
    return content or parts


def terms(text: str, *, unigrams: bool = True) -> dict[str, float]:
    """Weighted terms of already-normalized ``text`` (see the module docstring).

    Each term's value is its kind's weight times how often it occurs.
    """
    out: dict[str, float] = {}
    for m in _RUN.finditer(text):
        run = m.group(0)
        if run[0] < "\u3400":  # latin word or number
            out[run] = out.get(run, 0.0) + (W_NUMBER if run.isdigit() else W_WORD)
            continue
        if unigrams or len(run) == 1:
            for ch in run:
                if ch not in _STOP_UNIGRAMS:
                    out[ch] = out.get(ch, 0.0) + W_UNIGRAM
        for i in range(len(run) - 1):
            bg = run[i : i + 2]
            out[bg] = out.get(bg, 0.0) + (W_FRAME if bg in FRAME_BIGRAMS else W_BIGRAM)
    for m in _CONCEPT_RE.finditer(text):
        for key in _CONCEPTS_OF[m.group(0)]:
            c = CONCEPT_PREFIX + key
            if c not in out:  # a concept counts once per text
                out[c] = W_CONCEPT
    return out


def concept_names() -> list[str]:
    """Every concept (synonym group) name, for tests and documentation."""
    return list(_CONCEPTS)


def concept_words(name: str) -> tuple[str, ...]:
    """The words of one concept; empty for an unknown name."""
    return _CONCEPTS.get(name, ())
