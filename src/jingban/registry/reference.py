"""Reference codes of the registry, as plain data (imported by a migration, so no models here).

Special groups after the national relief rules (国办发〔2021〕42号); the codes are the ones
policy packs refer to. More can be added as data.
"""

# code, Chinese name, English name, tier
SPECIAL_GROUPS = [
    ("tekun", "特困人员", "Persons in extreme poverty", "core"),
    ("dibao", "最低生活保障对象", "Minimum living allowance recipients", "core"),
    ("fanpin", "返贫致贫人口", "Persons returned to or fallen into poverty", "core"),
    (
        "dibao_edge",
        "低保边缘家庭成员",
        "Members of households on the edge of the allowance",
        "low_income",
    ),
    (
        "monitored",
        "防止返贫监测对象",
        "Persons monitored against returning to poverty",
        "low_income",
    ),
    (
        "illness_poor",
        "因病致贫重病患者",
        "Seriously ill persons impoverished by illness",
        "illness",
    ),
    ("severe_disability", "重度残疾人", "Persons with severe disabilities", "other"),
]
