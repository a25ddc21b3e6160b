"""Keyword weights against annotation guideline v1.3 (session 9).

Many weights came from the segmentation lexicon's weights (3 -> 1.0, 2 -> 0.7),
which left some specific terms weaker than the general keyword they contain:
智能算力 (0.7) under 算力 (1.0), 技术研发 under 研发, 青年人才 under 人才. A token
that is itself a keyword counts as that keyword only, so the more specific term
gave *less* evidence than the general one. Where the guideline names the general
term for the category, the specific one now weighs as much.
"""

from __future__ import annotations

from nqp_text.framework import load_framework

#: Longer keywords deliberately weaker than a keyword they contain, each for a
#: guideline reason: labour mobility is factor_allocation (人才流动), a spirit or
#: slogan is not a statement (科学家精神), general job creation is none (就业创业,
#: 创业带动就业), and 创新链产业链 is split between two categories.
EXEMPT = {("labor_force", "人才流动"), ("labor_force", "科学家精神"),
          ("labor_force", "就业创业"), ("labor_force", "创业带动就业"),
          ("tech_innovation", "创新链产业链"), ("industrial_upgrading", "创新链产业链")}


def test_a_specific_keyword_is_not_weaker_than_the_full_weight_keyword_it_contains():
    weaker = []
    for category in load_framework().categories:
        full = [term for term, weight in category.keywords.items() if weight >= 1.0]
        for term, weight in category.keywords.items():
            if weight < 1.0 and (category.id, term) not in EXEMPT:
                heads = [head for head in full if head != term and head in term]
                if heads:
                    weaker.append((category.id, term, weight, heads))
    assert not weaker


def test_the_framework_cites_the_guideline_version_it_follows():
    from nqp_text.framework import default_framework_path

    assert "(v1.3)" in default_framework_path().read_text(encoding="utf-8").split("id:")[0]
