# ruff: noqa: E501 (article paragraphs are data)
"""A small held-out check of the text path: NOT used for tuning, NOT asserted in tests.

Written for Wirewatch (own work) after the lexicon was extended on
``text_furniture.jsonl``, with furniture worded differently from that set, to estimate
how far the rules generalise. Run: ``python tests/cleaning/data/holdout_text_furniture.py``.
Measured when written: furniture removed 0.660 (31/47), body kept 1.000 (36/36).
Do not "fix" the lexicon against this file without writing a fresh held-out set.
"""

from __future__ import annotations

from streams.cleaning.bench_text import score_records

R: list[dict[str, object]] = []


def rec(
    i: str, lang: str, head: list[tuple[str, str]], body: list[str], tail: list[tuple[str, str]], sep: str = "\n\n"
) -> None:
    text = sep.join([h for h, _ in head] + body + [t for t, _ in tail])
    R.append(
        {
            "id": i,
            "language": lang,
            "text": text,
            "body": body,
            "furniture": [{"text": t, "reason": r, "language": lang} for t, r in head + tail],
        }
    )


rec(
    "h-en1",
    "en",
    [("Skip to main content", "ui_token"), ("World", "related_links")],
    [
        "Japan's parliament elected a new prime minister on Tuesday after the ruling party chose its leader in a runoff vote.",
        "The new leader promised to raise wages and to increase defence spending over the next five years.",
        "He will name his cabinet later in the day, officials said.",
    ],
    [
        ("Sign up to our free politics newsletter", "subscription_prompt"),
        (
            "We care about your data, and we'd like to use cookies to give you a smooth browsing experience. Please agree and read more about our privacy policy.",
            "cookie_notice",
        ),
        ("AGREE", "ui_token"),
    ],
)
rec(
    "h-en2",
    "en",
    [("LIVE", "ui_token")],
    [
        "Heavy snow closed schools and airports across the northeastern United States on Wednesday.",
        "More than 3,000 flights were cancelled, according to a flight tracking website.",
        "Forecasters said up to 60 centimetres of snow could fall in parts of New England by Thursday morning.",
    ],
    [
        ("Recommended", "related_links"),
        ("How to protect your pipes from freezing", "related_links"),
        ("Five things to know about the winter storm", "related_links"),
        ("Terms & Conditions | Privacy | Accessibility | Sitemap", "legal_footer"),
    ],
)
rec(
    "h-de",
    "de",
    [("Zur Startseite", "ui_token")],
    [
        "Der Bundestag hat am Freitag das neue Heizungsgesetz verabschiedet. Für das Gesetz stimmten 399 Abgeordnete.",
        "Die Opposition kritisierte das Verfahren als überhastet und kündigte eine Klage an.",
        "Das Gesetz soll Anfang kommenden Jahres in Kraft treten.",
    ],
    [
        ("Artikel verschenken", "share_bar"),
        ("Dieser Artikel ist Teil unseres Plus-Angebots. Jetzt weiterlesen für 0,99 €.", "subscription_prompt"),
        (
            "Wir brauchen Ihre Zustimmung. Wir setzen auf dieser Website Cookies und vergleichbare Technologien ein, um Inhalte zu personalisieren.",
            "cookie_notice",
        ),
        ("Zustimmen", "ui_token"),
    ],
)
rec(
    "h-fr",
    "fr",
    [],
    [
        "La Banque centrale européenne a laissé jeudi ses taux directeurs inchangés, tout en signalant une possible baisse en juin.",
        "La présidente de l'institution a estimé que l'inflation reculait plus vite que prévu.",
        "Les marchés financiers ont salué cette annonce.",
    ],
    [
        ("Newsletter Économie", "subscription_prompt"),
        ("Chaque vendredi, l'actualité économique décryptée par la rédaction.", "subscription_prompt"),
        ("Ce site utilise des cookies pour mesurer l'audience.", "cookie_notice"),
        ("OK pour moi", "ui_token"),
    ],
)
rec(
    "h-es",
    "es",
    [("Última hora", "related_links")],
    [
        "El Gobierno argentino anunció este lunes una devaluación del peso del 50 % frente al dólar.",
        "El ministro de Economía dijo que la medida busca corregir los desequilibrios heredados.",
        "Los sindicatos convocaron una marcha para el miércoles.",
    ],
    [
        ("Comentarios", "share_bar"),
        ("Más de Economía", "related_links"),
        ("Copyright © Diario Austral. Prohibida su reproducción total o parcial.", "legal_footer"),
    ],
)
rec(
    "h-it",
    "it",
    [],
    [
        "Il Parlamento europeo ha approvato la nuova legge sull'intelligenza artificiale con un'ampia maggioranza.",
        "Le norme vietano alcuni usi considerati ad alto rischio, come il riconoscimento delle emozioni sul lavoro.",
        "Le imprese avranno due anni per adeguarsi.",
    ],
    [
        ("Riproduzione riservata ©", "legal_footer"),
        ("Ti potrebbe interessare", "related_links"),
        (
            "Noi e terze parti selezionate utilizziamo cookie o tecnologie simili per finalità tecniche e, con il tuo consenso, anche per altre finalità.",
            "cookie_notice",
        ),
        ("Accetta tutti", "ui_token"),
    ],
)
rec(
    "h-tr",
    "tr",
    [("Son Dakika", "related_links")],
    [
        "Meteoroloji Genel Müdürlüğü, Karadeniz'in doğusu için kuvvetli yağış uyarısı yaptı.",
        "Uyarıda, sel ve su baskınlarına karşı dikkatli olunması istendi.",
        "Yağışların hafta sonuna kadar sürmesi bekleniyor.",
    ],
    [
        ("Haberin devamı için tıklayın", "related_links"),
        (
            "Bu sitede çerezler kullanılmaktadır. Siteyi kullanmaya devam ederek çerez kullanımını kabul etmiş olursunuz.",
            "cookie_notice",
        ),
        ("Tamam", "ui_token"),
    ],
)
rec(
    "h-ru",
    "ru",
    [],
    [
        "Центральный банк России в пятницу повысил ключевую ставку до 18 процентов годовых.",
        "Регулятор объяснил решение ускорением инфляции и ростом кредитования.",
        "Следующее заседание совета директоров запланировано на декабрь.",
    ],
    [
        ("Новости партнеров", "related_links"),
        ("Нашли ошибку? Выделите текст и нажмите Ctrl+Enter", "ui_token"),
        ("Этот сайт использует cookies. Оставаясь на сайте, вы соглашаетесь с условиями.", "cookie_notice"),
    ],
)
rec(
    "h-pl",
    "pl",
    [],
    [
        "Rada Polityki Pieniężnej pozostawiła w środę stopy procentowe bez zmian.",
        "Prezes banku centralnego zapowiedział, że obniżki są możliwe dopiero w przyszłym roku.",
        "Ekonomiści spodziewali się takiej decyzji.",
    ],
    [
        ("Dołącz do nas na Facebooku", "subscription_prompt"),
        (
            "Szanowny Użytkowniku, zanim przejdziesz do serwisu, prosimy o zapoznanie się z informacjami dotyczącymi plików cookie.",
            "cookie_notice",
        ),
        ("Przejdź do serwisu", "cookie_notice"),
    ],
)
rec(
    "h-sv",
    "sv",
    [],
    [
        "Riksbanken sänkte styrräntan med 0,25 procentenheter till 3,5 procent på onsdagen.",
        "Riksbankschefen sade att inflationen nu är nära målet på två procent.",
        "Fler sänkningar kan komma under hösten, enligt banken.",
    ],
    [
        ("Publicerad i samarbete med TT", "legal_footer"),
        ("Vi och våra partner behandlar personuppgifter och använder cookies.", "cookie_notice"),
        ("Okej", "ui_token"),
    ],
)
rec(
    "h-ja",
    "ja",
    [("ニュース", "related_links")],
    [
        "政府は10日の閣議で、今年度の補正予算案を決定した。",
        "物価高対策として、低所得世帯への給付金が盛り込まれた。",
        "補正予算案は臨時国会に提出され、月内の成立を目指す。",
    ],
    [
        ("この記事をシェアする", "share_bar"),
        ("おすすめの記事", "related_links"),
        ("当ウェブサイトはクッキーを利用しています。", "cookie_notice"),
    ],
)
rec(
    "h-ko",
    "ko",
    [],
    [
        "정부가 내년도 예산안을 국회에 제출했다.",
        "예산안 규모는 올해보다 3.2% 늘어난 677조 원이다.",
        "국회는 다음 달부터 예산안 심사에 들어간다.",
    ],
    [
        ("저작권자 © 한빛일보 무단전재 및 재배포 금지", "legal_footer"),
        ("기사 공유하기", "share_bar"),
        ("이 사이트는 쿠키를 사용합니다.", "cookie_notice"),
    ],
)


def main() -> None:
    s = score_records(R)
    print(
        f"furniture removed {s.furniture_removed:.3f} ({s.furniture.hits}/{s.furniture.total}), body kept {s.body_kept:.3f} ({s.body.hits}/{s.body.total})"
    )
    for m in s.misses:
        print(" ", m.kind, m.article_id, m.reason, "|", m.text[:100])


if __name__ == "__main__":
    main()
