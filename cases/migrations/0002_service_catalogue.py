"""The service catalogue production starts with: care-home placement (seed 000) and the four
caregiver-allowance rows of the Social Welfare Law, 13.2.1-13.2.4 (seed 001).

The data is frozen here on purpose: a later change to the catalogue is a new migration.
"""

from decimal import Decimal

from django.db import migrations

APPLICATION = (
    "application",
    "Өргөдөл /маягтын дагуу/",
    "Өтініш (белгіленген нысан бойынша)",
    "Заявление (по форме)",
    "Application form",
)
GOVERNOR_CERTIFICATE = (
    "governor_certificate",
    "Сум, хорооны Засаг даргын тодорхойлолт",
    "Сұм/хороо әкімінің анықтамасы",
    "Справка губернатора сомона/хороо",
    "Certificate from the soum/khoroo governor",
)
PHOTOS = ("photos", "2 хувь зураг", "2 дана фотосурет", "2 фотографии", "2 photos")
COUNCIL_DECISION = (
    "council_decision",
    "Сум хорооны амьжиргааг дэмжих зөвлөлийн шийдвэр",
    "Сұм/хороо тұрмысты қолдау кеңесінің шешімі",
    "Решение совета поддержки жизнеобеспечения сомона/хороо",
    "Decision of the soum/khoroo livelihood support council",
)
CARED_ID = (
    "cared_person_id",
    "Асруулагчийн иргэний үнэмлэх (16 насанд хүрээгүй бол төрсний гэрчилгээ), хуулбарын хамт",
    "Күтімдегі адамның жеке куәлігі (16 жасқа толмаса, туу туралы куәлігі), көшірмесімен",
    "Удостоверение личности подопечного (до 16 лет: свидетельство о рождении) с копией",
    "ID card of the cared-for person (birth certificate if under 16), with a copy",
)

# code, mn, kk, ru, en, requirement, condition, is_health, valid_months
M, C = "mandatory", "conditional"


def doc(row, requirement=M, condition="", is_health=False, valid_months=None):
    return (*row, requirement, condition, is_health, valid_months)


PLACEMENT_DOCUMENTS = [
    doc(("application", "Өргөдөл", "Өтініш", "Заявление", "Application")),
    doc(
        (
            "id_card",
            "Иргэний үнэмлэхийн хуулбар",
            "Жеке куәлігінің көшірмесі",
            "Копия удостоверения личности",
            "Copy of the ID card",
        )
    ),
    doc(GOVERNOR_CERTIFICATE),
    doc(
        (
            "health_certificate",
            "Эрүүл мэндийн байдлын тодорхойлолт (эмчийн үзлэгийн хуудас)",
            "Денсаулық жағдайы туралы анықтама (дәрігерлік тексеру парағы)",
            "Справка о состоянии здоровья (лист врачебного осмотра)",
            "Health certificate (doctor's examination sheet)",
        ),
        is_health=True,
        valid_months=3,
    ),
    doc(
        (
            "disability_decision",
            "Хөдөлмөрийн чадвар алдалтын хувь тогтоосон Эмнэлэг, хөдөлмөрийн магадлах комиссын "
            "шийдвэр",
            "Еңбекке қабілеттіліктен айырылу пайызын белгілеген медициналық-әлеуметтік "
            "сараптама комиссиясының шешімі",
            "Решение медико-трудовой экспертной комиссии о проценте утраты трудоспособности",
            "Medical and labour examination commission decision on lost working capacity",
        ),
        requirement=C,
        condition="disability",
        is_health=True,
        valid_months=3,
    ),
]

ALLOWANCE_13_2_1 = [
    doc(APPLICATION),
    doc(GOVERNOR_CERTIFICATE),
    doc(
        (
            "child_birth_and_guardian_ids",
            "18 хүртлэх насны хүүхдийн төрсний гэрчилгээ, эцэг /эх/, асран хамгаалагч, харгалзан "
            "дэмжигчийн иргэний үнэмлэх, хуулбарын хамт",
            "18 жасқа дейінгі баланың туу туралы куәлігі, ата-ананың, қамқоршының немесе "
            "қорғаншының жеке куәлігі, көшірмелерімен",
            "Свидетельство о рождении ребёнка до 18 лет, удостоверения личности родителя, "
            "опекуна или попечителя с копиями",
            "Birth certificate of the child under 18 and ID card of the parent, guardian or "
            "supporter, with copies",
        )
    ),
    doc(PHOTOS),
    doc(
        (
            "guardian_order",
            "Үрчлэн авсан эсвэл асран хамгаалагч, харгалзан дэмжигчээр тогтоосон тухай дүүргийн "
            "Засаг даргын захирамж, тэдгээрийн хуулбар",
            "Асырап алу немесе қамқоршы, қорғаншы тағайындау туралы аудан әкімінің өкімі, "
            "көшірмесімен",
            "Распоряжение губернатора района об усыновлении или назначении опекуна, "
            "попечителя, с копией",
            "District governor's order on the adoption or appointing the guardian, with a copy",
        )
    ),
    doc(
        (
            "parents_death_certificates",
            "Эцэг, эхийн нас барсны гэрчилгээ",
            "Ата-анасының қайтыс болғаны туралы куәлік",
            "Свидетельства о смерти родителей",
            "Death certificates of the parents",
        )
    ),
    doc(COUNCIL_DECISION),
]

ALLOWANCE_13_2_2 = [
    doc(APPLICATION),
    doc(GOVERNOR_CERTIFICATE),
    doc(PHOTOS),
    doc(
        (
            "court_decision",
            "Эцэг, эх нь иргэний эрх зүйн чадамжгүй гэж тооцогдсон, эрх зүйн чадамжаа "
            "хязгаарлуулсан, эцэг, эх байх эрхээ хязгаарлуулсан, хасуулсан, хорих газар ял эдэлж "
            "байгаа бол шүүхийн шийдвэр",
            "Ата-ана әрекетке қабілетсіз деп танылса, әрекет қабілеті шектелсе, ата-ана "
            "құқығынан шектелсе немесе айырылса, не бас бостандығынан айыру жазасын өтеп жүрсе: "
            "сот шешімі",
            "Решение суда, если родители признаны недееспособными, ограничены в дееспособности, "
            "ограничены или лишены родительских прав либо отбывают наказание",
            "Court decision, if the parents lack or are restricted in legal capacity, are "
            "restricted in or deprived of parental rights, or are serving a prison sentence",
        ),
        requirement=C,
    ),
    doc(
        (
            "hospital_certificate",
            "Эцэг, эх нь удаан хугацаагаар (3 сараас дээш) эмнэлэгт эмчлүүлж байгаа бол "
            "эмнэлгийн ерөнхий эмчийн тодорхойлолт",
            "Ата-ана ұзақ уақыт (3 айдан астам) ауруханада емделіп жатса: аурухананың бас "
            "дәрігерінің анықтамасы",
            "Справка главного врача, если родители долго (более 3 месяцев) лечатся в больнице",
            "Hospital director's certificate, if a parent has been in hospital over 3 months",
        ),
        requirement=C,
        is_health=True,
    ),
    doc(
        (
            "governor_certificate_no_support",
            "Эцэг, эх хүүхдээ биечлэн тэжээн тэтгэх, асран халамжлах бололцоогүй, эсхүл тэжээн "
            "тэтгэхээс зайлсхийсэн хүний хүүхэд бол энэ тухай сум, хорооны Засаг даргын "
            "тодорхойлолт",
            "Ата-ана баланы өзі асырай алмаса, күте алмаса немесе асыраудан жалтарса: бұл туралы "
            "сұм/хороо әкімінің анықтамасы",
            "Справка губернатора сомона/хороо, если родители не могут сами содержать ребёнка и "
            "ухаживать за ним или уклоняются от содержания",
            "Soum/khoroo governor's certificate that the parents cannot support and care for "
            "the child or evade supporting them",
        ),
        requirement=C,
    ),
    doc(
        (
            "police_certificate",
            "Хүчирхийллийн улмаас хамгаалалт шаардлагатай болсон бол энэ тухай цагдаагийн "
            "байгууллагын тодорхойлолт",
            "Зорлық-зомбылыққа байланысты қорғау қажет болса: полицияның анықтамасы",
            "Справка полиции, если защита нужна из-за насилия",
            "Police certificate, if protection is needed because of violence",
        ),
        requirement=C,
    ),
    doc(COUNCIL_DECISION),
]

ALLOWANCE_13_2_3 = [
    doc(APPLICATION),
    doc(GOVERNOR_CERTIFICATE),
    doc(PHOTOS),
    doc(CARED_ID),
    doc(
        (
            "carer_id",
            "Асрагчийн иргэний үнэмлэх, хуулбарын хамт",
            "Күтушінің жеке куәлігі, көшірмесімен",
            "Удостоверение личности ухаживающего с копией",
            "ID card of the carer, with a copy",
        )
    ),
    doc(COUNCIL_DECISION),
]

ALLOWANCE_13_2_4 = [
    doc(APPLICATION),
    doc(GOVERNOR_CERTIFICATE),
    doc(PHOTOS),
    doc(CARED_ID),
    doc(
        (
            "medical_commission_certificate",
            "Суманд сумын эрүүл мэндийн төвийн эрхлэгч их эмч, аймгийн төвийн сум, дүүрэгт "
            "аймаг, дүүргийн нэгдсэн эмнэлгийн нарийн мэргэжлийн эмч нарын хяналтын комисс, "
            "төрөлхийн оюуны хөгжлийн бэрхшээлтэй, сэтгэцийн хүнд хэлбэрийн эмгэгтэй иргэний "
            "тодорхойлолтыг аймагт нэгдсэн эмнэлгийн нарийн мэргэжлийн эмч нарын хяналтын "
            "комисс, нийслэлд сэтгэцийн эрүүл мэндийн үндэсний төвийн тодорхойлолт",
            "Дәрігерлік комиссияның анықтамасы (сұмда: денсаулық орталығының меңгерушісі; "
            "аймақ орталығында және аудандарда: біріккен аурухананың бейінді дәрігерлер "
            "комиссиясы; туа біткен зияткерлік кемістік немесе ауыр психикалық ауру кезінде: "
            "аймақта біріккен аурухана комиссиясы, астанада Психикалық денсаулық ұлттық "
            "орталығы)",
            "Справка медицинской комиссии (в сомоне: главный врач центра здоровья; в центре "
            "аймака и в районах: контрольная комиссия врачей-специалистов объединённой "
            "больницы; при врождённой интеллектуальной инвалидности или тяжёлом психическом "
            "расстройстве: в аймаке комиссия объединённой больницы, в столице Национальный "
            "центр психического здоровья)",
            "Medical commission certificate (in a soum: the head doctor of the soum health "
            "centre; in aimag centres and districts: the specialists' commission of the general "
            "hospital; for congenital intellectual disability or severe mental illness: the "
            "aimag general hospital commission, in the capital the National Center for Mental "
            "Health)",
        ),
        is_health=True,
    ),
    doc(COUNCIL_DECISION),
]

ALLOWANCE_NAME = "Асаргааны тэтгэмж"

SERVICES = [
    {
        "code": "care-home-placement",
        "name_mn": "Төрөлжсөн асрамжийн үйлчилгээ (ахмад настан)",
        "name_kk": "Қарттарды арнаулы күтім үйіне орналастыру",
        "name_ru": "Размещение пожилых в специализированном доме-интернате",
        "name_en": "Residential care-home placement (elderly)",
        "legal_basis": "Нийгмийн халамжийн тухай хууль (Social Welfare Law)",
        "eligibility_mn": (
            "Асрамжийн газарт асруулах шаардлагатай ахмад настан болон тусгай хэрэгцээт иргэн"
        ),
        "eligibility_en": "Elderly people and citizens with special needs who need residential care",
        "payment_frequency": "none",
        "amount": None,
        "currency": "",
        "workflow": "placement",
        "documents": PLACEMENT_DOCUMENTS,
    },
    {
        "code": "caregiver-allowance-13-2-1",
        "name_mn": f"{ALLOWANCE_NAME}: бүтэн өнчин хүүхдийг үрчлэн авсан, асран хамгаалж буй иргэн",
        "name_kk": "Күтім жәрдемақысы: толық жетім баланы асырап алған немесе қамқорлыққа алған "
        "азаматқа",
        "name_ru": "Пособие по уходу: усыновившим или опекающим круглого сироту",
        "name_en": "Caregiver allowance: adopting or legally guarding a full orphan",
        "legal_basis": "НХТ хууль 13.2.1 (Social Welfare Law 13.2.1)",
        "eligibility_mn": "Бүтэн өнчин хүүхдийг хууль ёсоор үрчлэн авсан болон хууль ёсоор асран "
        "хамгаалж харгалзан дэмжиж байгаа иргэн",
        "eligibility_en": "A citizen who has adopted or legally guards and supports a full orphan",
        "documents": ALLOWANCE_13_2_1,
    },
    {
        "code": "caregiver-allowance-13-2-2",
        "name_mn": f"{ALLOWANCE_NAME}: хүчирхийллийн улмаас хамгаалалт шаардлагатай хүүхдийг "
        "гэр бүлдээ авч асрамжилж буй иргэн",
        "name_kk": "Күтім жәрдемақысы: зорлық-зомбылықтан қорғауды қажет ететін баланы отбасына "
        "алған азаматқа",
        "name_ru": "Пособие по уходу: принявшим в семью ребёнка, нуждающегося в защите от насилия",
        "name_en": "Caregiver allowance: taking in a child who needs protection from violence",
        "legal_basis": "НХТ хууль 13.2.2 (Social Welfare Law 13.2.2)",
        "eligibility_mn": "Гэр бүлийн тухай хуулийн 25.5-д заасан болон хүчирхийллийн улмаас "
        "сэтгэл санааны болон бие махбодийн хамгаалалт шаардлагатай болсон хүүхдийг Гэр бүлийн "
        "тухай хуулийн 74 дүгээр зүйлд заасны дагуу гэр бүлдээ авч асрамжилж байгаа иргэн",
        "eligibility_en": "A citizen who, under Family Law article 74, takes into their family a "
        "child needing psychological or physical protection (Family Law 25.5) or from violence",
        "documents": ALLOWANCE_13_2_2,
    },
    {
        "code": "caregiver-allowance-13-2-3",
        "name_mn": f"{ALLOWANCE_NAME}: ганц бие ахмад настан, хөгжлийн бэрхшээлтэй иргэнийг "
        "гэр бүлдээ авч асрамжилж буй иргэн",
        "name_kk": "Күтім жәрдемақысы: жалғызбасты қарт адамды немесе мүгедектігі бар адамды "
        "отбасына алған азаматқа",
        "name_ru": "Пособие по уходу: принявшим в семью одинокого пожилого человека или человека "
        "с инвалидностью",
        "name_en": "Caregiver allowance: taking in a lone elderly person or person with "
        "disability",
        "legal_basis": "НХТ хууль 13.2.3 (Social Welfare Law 13.2.3)",
        "eligibility_mn": "Тэжээн тэтгэх үр хүүхэд, төрөл садангийн хүнгүй ганц бие ахмад "
        "настан, хөгжлийн бэрхшээлтэй иргэнийг гэр бүлдээ авч асрамжилж байгаа иргэн",
        "eligibility_en": "A citizen who takes into their family a lone elderly person or person "
        "with disability who has no children or relatives to support them",
        "documents": ALLOWANCE_13_2_3,
    },
    {
        "code": "caregiver-allowance-13-2-4",
        "name_mn": f"{ALLOWANCE_NAME}: байнгын асаргаа шаардлагатай ахмад настан, хөгжлийн "
        "бэрхшээлтэй хүүхэд, иргэнийг асарч буй иргэн",
        "name_kk": "Күтім жәрдемақысы: медициналық бақылаудағы, тұрақты күтімді қажет ететін "
        "қарт адамды немесе мүгедектігі бар адамды күтетін азаматқа",
        "name_ru": "Пособие по уходу: ухаживающим за пожилым человеком или человеком с "
        "инвалидностью под медицинским наблюдением, нуждающимся в постоянном уходе",
        "name_en": "Caregiver allowance: caring for a person under medical supervision who "
        "needs permanent care",
        "legal_basis": "НХТ хууль 13.2.4 (Social Welfare Law 13.2.4)",
        "eligibility_mn": "Эмнэлгийн хяналтанд байдаг, байнгын асаргаа шаардлагатай ахмад настан "
        "болон хөгжлийн бэрхшээлтэй хүүхэд ба иргэнийг асарч байгаа иргэн",
        "eligibility_en": "A citizen caring for an elderly person or a child or citizen with "
        "disability under medical supervision who needs permanent care",
        "documents": ALLOWANCE_13_2_4,
    },
]

ALLOWANCE_DEFAULTS = {
    "payment_frequency": "monthly",
    "amount": Decimal("70000"),
    "currency": "MNT",
    "workflow": "allowance",
}


def load(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    RequiredDocument = apps.get_model("cases", "RequiredDocument")
    for row in SERVICES:
        row = {**ALLOWANCE_DEFAULTS, **row}
        documents = row.pop("documents")
        code = row.pop("code")
        service, _ = Service.objects.update_or_create(code=code, defaults=row)
        for position, entry in enumerate(documents):
            doc_code, mn, kk, ru, en, requirement, condition, is_health, valid_months = entry
            RequiredDocument.objects.update_or_create(
                service=service,
                code=doc_code,
                defaults={
                    "name_mn": mn,
                    "name_kk": kk,
                    "name_ru": ru,
                    "name_en": en,
                    "requirement": requirement,
                    "condition": condition,
                    "is_health_document": is_health,
                    "valid_months": valid_months,
                    "position": position,
                },
            )


def unload(apps, schema_editor):
    Service = apps.get_model("cases", "Service")
    Service.objects.filter(code__in=[s["code"] for s in SERVICES], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
