"""The opinions app's core: the default category tree and the tracking code's strength."""

from __future__ import annotations

from renda.opinions.models import OpinionCategory, new_tracking_code


def test_the_default_category_tree_is_there(db):
    roots = OpinionCategory.objects.filter(parent=None)
    assert {"城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "生态环境"} <= {
        c.name for c in roots
    }
    assert OpinionCategory.objects.filter(parent__name="交通出行", name="公共交通").exists()


def test_tracking_codes_are_long_random_and_distinct():
    codes = {new_tracking_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) >= 20 for c in codes)
