"""The default category tree of citizens' opinions; offices change it on the categories page."""

from django.db import migrations

TREE = [
    ("城乡建设", ["老旧小区改造", "物业管理", "市政设施", "违章建筑"]),
    ("交通出行", ["公共交通", "道路设施", "停车", "交通秩序"]),
    ("教育", ["学前教育", "义务教育", "职业教育"]),
    ("医疗卫生", ["基层医疗", "医疗保障", "公共卫生"]),
    ("社会保障", ["养老服务", "就业创业", "社会救助", "住房保障"]),
    ("生态环境", ["大气污染", "水环境", "噪声扰民", "垃圾分类"]),
    ("公共安全", ["治安", "消防", "食品药品安全"]),
    ("农业农村", ["农村人居环境", "乡村产业"]),
    ("市场监管", ["消费维权", "价格"]),
    ("其他", []),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("opinions", "OpinionCategory")
    for i, (name, children) in enumerate(TREE):
        root, _created = Category.objects.get_or_create(
            parent=None, name=name, defaults={"position": i}
        )
        for j, child in enumerate(children):
            Category.objects.get_or_create(parent=root, name=child, defaults={"position": j})


class Migration(migrations.Migration):
    dependencies = [("opinions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
