"""Page furniture of government sites this project has not seen, written here by hand.

The pages imitate common templates (a central-government policy page, a
provincial portal, an information-disclosure page with its metadata table):
their chrome must go as stand-alone lines, the same words inside a sentence
must stay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nqp_text
from nqp_text.analysis.frequencies import count_matrix
from nqp_text.preprocess.boilerplate import remove_boilerplate

_BODY = [
    "某省人民政府关于加快培育新质生产力的实施意见",
    "各市人民政府，省政府各部门：",
    "为深入贯彻党中央决策部署，加快发展新质生产力，推动数字经济和实体经济深度融合，现提出如下意见。",
    "一、总体要求",
    "到2027年，全省数字经济核心产业增加值占地区生产总值比重达到12%，数据要素市场体系基本建立。",
    "二、重点任务",
    "（一）实施人工智能赋能行动。推进大模型在制造、医疗、政务等领域落地应用，培育一批标杆场景。",
    "（二）完善科技成果转化机制。推行揭榜挂帅制度，支持企业牵头组建创新联合体。",
]

#: Stand-alone furniture lines of the imitated templates: each must be removed.
FURNITURE = [
    # metadata block of an information-disclosure page, one item a line or a row
    "索 引 号：11370000MB28521468/2025-00123",
    "主题分类：综合政务\\其他",
    "发布机构：某省人民政府办公厅",
    "成文日期：2025年03月12日",
    "发布日期：2025-03-14",
    "文号：某政发〔2025〕5号",
    "发文字号：某政办字〔2025〕18号",
    "标 题：",
    "索引号：000014349/2025-00031 主题分类：科技、教育\\科技 发布机构：某省科学技术厅",
    "发布时间：2025-03-14 09:30 来源：某省人民政府办公厅 浏览次数：1532",
    "发布日期：2025-03-14来源：省发展改革委【字体：大 中 小】【打印】",
    # reading tools, share and print bars
    "扫一扫在手机打开当前页",
    "【打印本页】【关闭窗口】",
    "[打印本页] [关闭窗口]",
    "【我要纠错】",
    "【字体：大 中 小】",
    "字号：大 中 小",
    "分享到：微信 微博 QQ空间",
    "分享到：",
    "浏览次数：2048",
    "阅读量：356次",
    # bylines and navigation
    "责任编辑：李某某",
    "（责任编辑：王某）",
    "上一篇：某省召开2025年全省科技创新大会",
    "下一篇：没有了",
    "上一篇",
    "当前位置：首页 > 政务公开 > 政策文件",
    "当前位置：首页 > 政务公开 > 政府信息公开 > 法定主动公开内容 > 政策文件 > 省政府文件 > 正文",
    "首页 > 新闻中心 > 今日要闻",
    "首页>政务公开>政策解读",
    # explainer, video and related links
    "相关链接",
    "相关链接：",
    "相关解读：",
    "【图解】一图读懂某省加快培育新质生产力实施意见",
    "[视频]省政府新闻办举行新闻发布会",
    "政策解读",
    "视频",
    "图解",
    "一图读懂2025年某省政府工作报告",
    # attachments offered for download
    "附件下载：",
    "附件：某省新质生产力重点项目清单.docx",
    "某省新质生产力重点项目清单.pdf（236KB）",
    # site footer
    "网站地图",
    "联系我们",
    "网站地图 | 联系我们 | 网站声明 | 无障碍浏览",
    "主办单位：某省人民政府办公厅",
    "承办单位：某省大数据中心",
    "主办：某省人民政府办公厅 承办：某省大数据中心",
    "京ICP备05070218号-1",
    "某公网安备 37010202000123号",
    "版权所有：某省人民政府办公厅 某ICP备05012345号 某公网安备37010202000123号"
    " 网站标识码：3700000001",
    "网站标识码：3700000001",
    "地址：某市某某路1号 邮编：250011 电话：0531-12345678",
    "您是本站第1234567位访客",
    "建议使用1920×1080分辨率、Chrome浏览器浏览本站",
    "Produced By 某某网络 某某内容管理系统",
    "首页 | 政务公开 | 政务服务 | 互动交流 | 新闻中心",
    "微信扫一扫",
    "二维码",
    "分享至：",
    "【相关阅读】",
    "原标题：某省出台意见加快培育新质生产力",
    "（完）",
    "【来源：某省人民政府办公厅】",
    "点击查看原文",
    "2025年03月14日 10:30",
    "2025年3月14日 星期五",
    "今天是：2025年3月14日 星期五",
    "撰稿：张三 初审：李四 复审：王五 终审：赵六",
    # what a browser prints on every page of a saved page
    "2026/2/9 10:21 某省人民政府门户网站 - 2026年某省政府工作报告",
    "https://www.example.gov.cn/art/2026/2/9/art_1234_567890.html 1/12",
    "3/12",
    # the head of an official document typed into a Word file
    "某省人民政府文件",
    "某政发〔2025〕5号",
    "签发人：王某某",
    "特急",
    "（此页无正文）",
    # information-disclosure notes of an official document
    "（此件公开发布）",
    "（信息公开形式：主动公开）",
    "抄送：省委各部门，省人大常委会办公厅，省政协办公厅，省法院，省检察院。",
    "某省人民政府办公厅 2025年3月14日印发",
]

#: The same words inside sentences of a report: each line must stay.
SENTENCES = [
    "建立政府信息公开索引号制度，发布机构对主题分类和成文日期负总责，确保信息准确。",
    "群众扫一扫二维码即可在手机上办理社保、公积金等高频事项，办事更加便捷。",
    "推动“打印本页”等传统服务向网上办理转变，关闭窗口式服务的时间限制。",
    "开通“我要纠错”平台，全年受理网民留言1200余条，办结率达到100%。",
    "适应老年人需要，网站提供大中小三种字体，并开设无障碍浏览专区。",
    "微信、微博等政务新媒体分享政策信息3200条，浏览次数超过500万次。",
    "压实责任编辑、审核、发布三审制度，严防政务信息出现差错。",
    "当前位置处于转型关键期，必须加快首页式、门户式平台整合。",
    "围绕相关链接环节补短板，推动上下游企业协同发展。",
    "通过视频、图解、解读等形式开展政策宣传，提高政策知晓度。",
    "一图读懂、视频解读等形式深受群众欢迎，全年制作解读材料120篇。",
    "附件下载量较上年增长30%，政策文件库访问更加便捷。",
    "优化网站地图和联系我们栏目，方便群众查询办事指南。",
    "主办单位要落实主体责任，承办单位要加强技术保障。",
    "全省备案网站数量稳步增长，ICP备案管理进一步规范。",
    "抄送范围进一步规范，公文印发流程全部实现网上办理。",
    "此件公开发布后，各地要认真抓好贯彻落实。",
]

_GOV_PAGE = "\n".join([
    "首页", ">", "政务公开", ">", "政策文件",
    "索 引 号：", "11370000MB28521468/2025-00123", "主题分类：", "综合政务\\其他",
    "发文机关：", "某省人民政府", "成文日期：", "2025年03月12日", "标 题：", _BODY[0],
    "发文字号：", "某政发〔2025〕5号", "发布日期：", "2025年03月14日",
    *_BODY,
    "附件：1.某省新质生产力重点项目清单", "2.某省未来产业培育名单",
    "某省人民政府", "2025年3月12日", "（此件公开发布）",
    "扫一扫在手机打开当前页", "【打印本页】【关闭窗口】", "【我要纠错】",
    "相关链接：", "网站地图 | 联系我们 | 网站声明 | 无障碍浏览",
    "主办单位：某省人民政府办公厅 承办单位：某省大数据中心 网站标识码：3700000001",
    "某ICP备05012345号 某公网安备37010202000123号",
])

_PORTAL_PAGE = "\n".join([
    "当前位置：首页 > 新闻中心 > 今日要闻",
    "发布时间：2025-03-14 09:30 来源：某省人民政府办公厅 浏览次数：1532",
    "【字体：大 中 小】", "分享到：微信 微博 QQ空间",
    *_BODY,
    "【图解】一图读懂某省加快培育新质生产力实施意见", "[视频]省政府新闻办举行新闻发布会",
    "责任编辑：李某某",
    "上一篇：某省召开2025年全省科技创新大会", "下一篇：没有了",
    "附件下载：", "某省新质生产力重点项目清单.pdf（236KB）",
])


@pytest.mark.parametrize("line", FURNITURE)
def test_a_furniture_line_alone_is_removed(line: str) -> None:
    text, removed = remove_boilerplate(f"{_BODY[2]}\n{line}\n{_BODY[4]}")
    assert text == f"{_BODY[2]}\n{_BODY[4]}", line
    assert removed == [line]


@pytest.mark.parametrize("line", FURNITURE)
def test_a_furniture_line_inside_a_sentence_stays(line: str) -> None:
    sentence = f"会议通报，{line}等问题已经整改。"
    assert remove_boilerplate(f"{sentence}\n{_BODY[4]}") == (f"{sentence}\n{_BODY[4]}", [])


def test_short_lines_that_only_resemble_furniture_stay() -> None:
    lines = ["地址：某市某某路1号", "税（2015）78号", "https://www.example.gov.cn/zcwj/1.html",
             "推广二维码支付", "政务服务能力提升工程",
             "某省数字经济促进条例", "2026年某省民生实事"]
    text = "\n".join(lines)
    assert remove_boilerplate(text) == (text, [])


def test_the_same_words_inside_sentences_stay() -> None:
    text = "\n".join(SENTENCES)
    assert remove_boilerplate(text) == (text, [])


@pytest.mark.parametrize("page", [_GOV_PAGE, _PORTAL_PAGE], ids=["disclosure", "portal"])
def test_a_whole_page_keeps_exactly_its_body(page: str) -> None:
    text, removed = remove_boilerplate(page)
    assert text.split("\n") == _BODY
    assert len(removed) == len(page.split("\n")) - len(_BODY)


def test_a_signature_block_goes_but_a_date_inside_a_report_title_stays() -> None:
    report = "\n".join([
        "2026年某省政府工作报告", "——2026年1月20日在某省第十四届人民代表大会第五次会议上",
        "某省人民政府省长 王某某", "各位代表：", _BODY[2],
        "某省发展和改革委员会", "某省科学技术厅", "二〇二五年三月十二日",
    ])
    text, removed = remove_boilerplate(report)
    assert removed == ["某省发展和改革委员会", "某省科学技术厅", "二〇二五年三月十二日"]
    assert text.split("\n")[:3] == report.split("\n")[:3]


def test_an_annex_under_a_bare_label_is_content() -> None:
    annex = "附件\n2026年某省民生实事\n1.新建改建城市公园50个\n2.新增托育服务托位1万个"
    assert remove_boilerplate(annex) == (annex.split("\n", 1)[1], ["附件"])


def test_scraped_pages_of_an_unseen_site_count_terms_on_their_body(tmp_path: Path) -> None:
    path = tmp_path / "unseen_site.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for index, page in enumerate([_GOV_PAGE, _PORTAL_PAGE]):
            handle.write(json.dumps({"id": f"p{index}", "year": 2025, "text": page},
                                    ensure_ascii=False) + "\n")
    corpus = nqp_text.read_corpus(path)
    body = "\n".join(_BODY)
    assert corpus.passages.groupby("doc_id")["text"].apply("\n".join).tolist() == [body, body]
    terms = ["新质生产力", "数字经济", "打印", "首页", "微信", "ICP备"]
    counts = count_matrix(corpus, terms)
    assert counts.loc["p0"].tolist() == [body.count(term) for term in terms]
    assert counts[["打印", "首页", "微信", "ICP备"]].sum().sum() == 0
