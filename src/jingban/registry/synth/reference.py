"""The schemes a synthetic city enrolls its persons in (code, kind, Chinese name, English name).
The demo creates the same ones; the loader creates whichever are missing."""

SCHEMES = [
    (
        "resident_medical",
        "resident_medical",
        "城乡居民基本医疗保险",
        "Resident basic medical insurance",
    ),
    (
        "employee_medical",
        "employee_medical",
        "职工基本医疗保险",
        "Employee basic medical insurance",
    ),
    ("critical_illness", "critical_illness", "城乡居民大病保险", "Critical illness insurance"),
    ("ltc", "ltc", "长期护理保险", "Long-term care insurance"),
    ("huiminbao", "supplementary", "江苏医惠保1号", "Jiangsu Yihuibao No. 1"),
]
