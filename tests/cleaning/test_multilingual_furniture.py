"""Must-hold 6: tail furniture in other languages than English is removed."""

from __future__ import annotations

import pytest

from schemas.articles import RawArticle
from streams.cleaning.stage import clean

# (language, body paragraphs, tail furniture)
CASES = [
    (
        "de",
        [
            "Die Bundesregierung hat am Montag neue Sanktionen gegen mehrere russische Banken angekündigt, "
            "teilte das Außenministerium in Berlin mit.",
            "Die Maßnahmen sollen nach Angaben eines Sprechers sofort in Kraft treten und mit den europäischen "
            "Partnern abgestimmt sein.",
        ],
        [
            "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten. Mit der Nutzung dieser Website "
            "stimmen Sie der Verwendung zu.",
            "Alle akzeptieren",
            "Newsletter abonnieren",
        ],
    ),
    (
        "fr",
        [
            "Le gouvernement français a annoncé mardi l'envoi d'une mission diplomatique au Liban pour tenter "
            "de relancer les négociations entre les partis.",
            "Selon le ministère des Affaires étrangères, la délégation rencontrera le président du Parlement "
            "et plusieurs chefs de groupe dès mercredi.",
        ],
        [
            "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
            "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, "
            "vous acceptez leur utilisation.",
            "Fermer",
        ],
    ),
    (
        "es",
        [
            "El Gobierno de Colombia y la guerrilla del ELN reanudaron este lunes en Caracas las conversaciones "
            "de paz suspendidas desde el pasado mes de enero.",
            "Los negociadores de ambas partes se comprometieron a presentar una propuesta de alto el fuego "
            "antes de que termine el mes, según un comunicado conjunto.",
        ],
        [
            "Lee también: El ELN libera a dos soldados secuestrados en Arauca",
            "Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle publicidad.",
            "Aceptar",
        ],
    ),
    (
        "tr",
        [
            "Dışişleri Bakanlığı, Ankara'da düzenlenen toplantıda bölgedeki çatışmaların sona erdirilmesi "
            "için yeni bir arabuluculuk girişimi başlatıldığını açıkladı.",
            "Bakanlık sözcüsü, tarafların önümüzdeki hafta İstanbul'da bir araya gelmesinin beklendiğini "
            "ve görüşmelerin birkaç gün süreceğini söyledi.",
        ],
        [
            "İlgili Haberler",
            "Sitemizde çerezler kullanılmaktadır. Detaylı bilgi için çerez politikamızı inceleyebilirsiniz.",
            "Kabul et",
        ],
    ),
    (
        "ru",
        [
            "Министерство иностранных дел России в понедельник заявило о готовности провести новый раунд "
            "переговоров по обмену военнопленными.",
            "По словам официального представителя ведомства, консультации могут начаться уже на следующей "
            "неделе в Стамбуле при посредничестве Турции.",
        ],
        [
            "Читайте также: Лавров провел телефонный разговор с главой МИД Турции",
            "Мы используем файлы cookie, чтобы сделать сайт удобнее. Продолжая пользоваться сайтом, вы "
            "соглашаетесь с этим.",
            "Закрыть",
            "© 2025 Все права защищены",
        ],
    ),
]


REASONS = {
    "de": ["cookie_notice", "ui_token", "subscription_prompt"],
    "fr": ["subscription_prompt", "cookie_notice", "ui_token"],
    "es": ["related_links", "cookie_notice", "ui_token"],
    "tr": ["related_links", "cookie_notice", "ui_token"],
    "ru": ["related_links", "cookie_notice", "ui_token", "legal_footer"],
}


@pytest.mark.parametrize(("language", "body", "furniture"), CASES, ids=[case[0] for case in CASES])
def test_tail_furniture_is_removed_with_its_reason(language: str, body: list[str], furniture: list[str]) -> None:
    cleaned = clean(RawArticle(text="\n\n".join([*body, *furniture])))
    assert cleaned.paragraphs == body
    assert [(r.text, r.reason) for r in cleaned.removed] == list(zip(furniture, REASONS[language], strict=True))
    assert cleaned.language == language
