"""Search queries on the real plan and the IRIs a reader expects first, in order.

Shared by tests/test_search.py and benchmarks/search.py. ``P`` is the plan,
``O`` the ontology namespace.
"""

P = "https://w3id.org/codikg/id/codi/plan/2552"
O = "https://w3id.org/codikg/ontology#"

#: (what it exercises, query, expected first IRIs in order)
CASES = [
    # Thai whole words
    ("thai word", "โครงการบ้านมั่นคง", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("thai word", "สวัสดิการชุมชน", [P + "/issue/2/project/5", P + "/issue/2", P + "/issue/2/indicator/4",
                                   P + "/issue/2/strategy/4"]),
    ("thai word", "ศูนย์ข้อมูลชุมชนท้องถิ่น", [P + "/issue/4/indicator/2", P + "/issue/4/project/3"]),
    ("thai word", "ที่ดินทำกิน", [P + "/issue/1/project/2"]),
    ("thai word", "วิสัยทัศน์", [O + "Vision"]),
    ("thai word", "ประเด็นยุทธศาสตร์", [O + "StrategicIssue"]),
    ("thai word as printed (typo in the plan)", "สู้นโยบาย", [P + "/issue/4"]),
    # Thai word fragments
    ("thai fragment", "สวัสดิ", [P + "/issue/2/project/5"]),
    ("thai fragment", "บ้านมั่น", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("thai fragment", "ข้อมูลชุม", [P + "/issue/4/indicator/2", P + "/issue/4/project/3"]),
    # Thai with tone-mark typos
    ("tone typo: wrong mark", "บ้านมั้นคง", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("tone typo: missing mark", "ทีดินทำกิน", [P + "/issue/1/project/2"]),
    ("tone typo: extra mark", "ประ้เด็นยุทธศาสตร์", [O + "StrategicIssue"]),
    ("plan's own tone typo (พื้นที)", "พื้นที่ระดับจังหวัด", [P + "/issue/3/strategy/2", P + "/issue/3/project/2"]),
    ("decomposed SARA AM", "แก้ไขปัญหาที่ดินทํากิน", [P + "/issue/1/project/2", P + "/issue/1/indicator/2"]),
    # Thai and ASCII digits
    ("thai digits", "ตำบลเป้าหมายใหม่อย่างน้อย ๒ ด้าน", [P + "/issue/3/indicator/1.2"]),
    ("ascii digits", "ตำบลเป้าหมายใหม่อย่างน้อย 2 ด้าน", [P + "/issue/3/indicator/1.2"]),
    ("ascii digits", "2 ด้าน", [P + "/issue/3/indicator/1.2", P + "/issue/3/indicator/1.1"]),
    # the curated plan period "ปีงบประมาณ พ.ศ. ๒๕๕๒–๒๕๕๔" is the shortest label holding the phrase
    ("thai digits", "พ.ศ. ๒๕๕๒", [P + "/period", P + "/issue/6/indicator/5.2", P + "/issue/6/indicator/5.3"]),
    ("ascii digits", "พ.ศ. 2552", [P + "/period", P + "/issue/6/indicator/5.2", P + "/issue/6/indicator/5.3"]),
    # English (the ontology's labels and definitions; curated @en labels come with issue 4)
    ("english", "performance agreement", [O + "Indicator"]),
    ("english, plural stemmed", "strategic issues",
     [O + "StrategicIssue", O + "isStrategicIssueOf", O + "hasStrategicIssue"]),
    ("english", "mission", [O + "Mission"]),
    ("english definition", "course of action", [O + "Strategy"]),
    # RTGS romanisation
    ("romanised, CODI spelling", "ban mankong", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("romanised, CODI spelling", "Baan Mankong", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("romanised RTGS", "khrongkan ban mankhong", [P + "/issue/1/project/1", P + "/issue/1/indicator/1"]),
    ("romanised RTGS", "sawatdikan chumchon", [P + "/issue/2/project/5"]),
    ("romanised RTGS", "thidin thamkin", [P + "/issue/1/project/2"]),
]
