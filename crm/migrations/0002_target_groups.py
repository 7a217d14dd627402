"""The target groups of the multi-channel programme (seed 002), in four languages."""

from django.db import migrations

GROUPS = [
    ("elderly", "Ахмад настан", "Қарт адамдар", "Пожилые люди", "Elderly people"),
    ("disability", "Хөгжлийн бэрхшээлтэй иргэн", "Мүгедектігі бар адамдар",
     "Люди с инвалидностью", "Persons with disability"),
    ("child_difficult", "Хүнд нөхцөлд байгаа хүүхэд", "Қиын жағдайдағы балалар",
     "Дети в трудной жизненной ситуации", "Children in difficult circumstances"),
    ("violence_victim", "Хүчирхийлэлд өртсөн хүн", "Зорлық-зомбылық құрбандары",
     "Пострадавшие от насилия", "Victims of violence"),
    ("released_prisoner", "Хорих ангиас суллагдсан иргэн", "Бас бостандығынан босатылғандар",
     "Освобождённые из мест лишения свободы", "People released from prison"),
    ("addiction", "Архи, мансууруулах бодисын донтолттой", "Алкоголь немесе есірткіге тәуелді",
     "Лица с алкогольной или наркотической зависимостью",
     "People with alcohol or drug addiction"),
    ("incurable_illness", "Эдгэшгүй өвчтэй иргэн", "Емделмейтін аурумен ауыратындар",
     "Люди с неизлечимыми заболеваниями", "People with incurable illness"),
    ("homeless", "Орон гэргүй өрх", "Баспанасыз үй шаруашылықтары", "Бездомные домохозяйства",
     "Homeless households"),
    ("migrant", "Шилжин суурьшсан, дэмжлэг шаардлагатай өрх",
     "Қолдауды қажет ететін көші-қон үй шаруашылықтары",
     "Семьи мигрантов, нуждающиеся в поддержке", "Migrant households needing support"),
    ("single_parent_many_children", "Олон хүүхэдтэй өрх толгойлсон эцэг, эх",
     "Көп балалы жалғыз басты ата-ана", "Одинокие родители с многими детьми",
     "Single parents with many children"),
]


def add_groups(apps, schema_editor):
    TargetGroup = apps.get_model("crm", "TargetGroup")
    for code, mn, kk, ru, en in GROUPS:
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name_mn": mn, "name_kk": kk, "name_ru": ru, "name_en": en}
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]
    operations = [migrations.RunPython(add_groups, migrations.RunPython.noop)]
