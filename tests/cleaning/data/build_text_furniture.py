# ruff: noqa: E501 (article paragraphs are data, one per line)
"""Build ``text_furniture.jsonl``: raw news texts with page furniture glued on, labelled.

Written for Wirewatch (own work, see SOURCES.md). Every article body and every piece of
furniture below was composed for this set in the style of real news sites; no text is
copied from a site. Outlet names are invented.

Run ``python tests/cleaning/data/build_text_furniture.py`` to regenerate the JSONL file.
The build is deterministic: same script, same bytes.

Labelling decisions:

- bylines, datelines and "Published ..." / "Updated ..." lines are **body** (they are the
  outlet's own text about the article, and event extraction uses them);
- a headline is not in the texts (a first-line headline becomes the title, which is not
  scored);
- breadcrumb trails and section menus ("Home › World › Europe") are ``related_links``
  (rows of links); single controls ("Menu", "Close", "X", "Listen to this article") are
  ``ui_token``; cookie buttons that name cookies or settings are ``cookie_notice``;
  "follow us on Telegram" prompts are ``subscription_prompt``; the headlines listed under
  "Related" / "Most read" are ``related_links``; captions carrying a photo credit are
  ``photo_credit``; copyright, imprint and privacy links are ``legal_footer``.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

OUT = Path(__file__).with_name("text_furniture.jsonl")

# Which RemovalReason a furniture key means (digits at the end of a key are dropped).
KEY_REASON = {
    "nav": "related_links",
    "menu": "ui_token",
    "close": "ui_token",
    "accept": "ui_token",
    "listen": "ui_token",
    "ad": "advertisement",
    "share": "share_bar",
    "comments": "share_bar",
    "cookie": "cookie_notice",
    "cookiebtn": "cookie_notice",
    "news": "subscription_prompt",
    "paywall": "subscription_prompt",
    "follow": "subscription_prompt",
    "related": "related_links",
    "rel": "related_links",
    "readmore": "related_links",
    "tags": "related_links",
    "credit": "photo_credit",
    "caption": "photo_credit",
    "copyright": "legal_footer",
    "legal": "legal_footer",
}

# ---------------------------------------------------------------------------------------
# Furniture, by language. Keys: see KEY_REASON.
# ---------------------------------------------------------------------------------------
FURNITURE: dict[str, dict[str, str]] = {
    "any": {
        "close": "X",
        "close2": "×",
        "close3": "✕",
        "accept": "OK",
    },
    "en": {
        "nav": "Home › World › Middle East",
        "nav2": "News | World | Business | Politics | Sport | Culture",
        "menu": "Menu",
        "menu2": "Search",
        "listen": "Listen to this article",
        "ad": "Advertisement",
        "ad2": "Story continues below advertisement",
        "ad3": "ADVERTISEMENT",
        "share": "Facebook Twitter LinkedIn Email Copy link",
        "share2": "Share this article",
        "comments": "Comments (14)",
        "cookie": "We and our partners use cookies and similar technologies to store and access information on "
        "your device, measure audiences and show personalised ads. You can change your choices at any time "
        "from the Privacy settings link at the bottom of the page.",
        "cookie2": "This website uses cookies to ensure you get the best experience. By continuing to browse the "
        "site you are agreeing to our use of cookies.",
        "cookie3": "Your privacy choices: we use essential cookies to make this site work, and optional analytics "
        "cookies to understand how it is used. Select 'Accept all' to allow them.",
        "cookiebtn": "Accept all cookies",
        "cookiebtn2": "Manage preferences",
        "accept": "Accept",
        "close": "Close",
        "news": "Sign up for our Morning Briefing newsletter and get the day's top stories in your inbox "
        "before breakfast.",
        "news2": "Get the latest headlines delivered to your inbox. Enter your email address",
        "paywall": "You've reached your limit of free articles this month. Subscribe now for unlimited access "
        "from just $1 a week.",
        "paywall2": "Already a subscriber? Log in",
        "follow": "Follow us on Facebook, X and Instagram for the latest updates.",
        "related": "Related stories",
        "related2": "Most read",
        "related3": "More from World",
        "rel1": "Central bank holds rates steady as inflation cools",
        "rel2": "Storm warning issued for northern coastal towns",
        "rel3": "Opposition leader calls for snap election after budget defeat",
        "readmore": "Read more: Oil prices jump after Gulf tanker seizure",
        "readmore2": "READ MORE: Why the port strike could hit supermarket shelves",
        "tags": "Topics: Elections, Europe, Migration",
        "credit": "Photo: Sean Gallup/Getty Images",
        "caption": "Firefighters work at the site of a damaged building in Kharkiv on Sunday. "
        "REUTERS/Vyacheslav Madiyevskyi",
        "caption2": "Protesters gather outside parliament on Tuesday evening. (AP Photo/Martin Meissner)",
        "copyright": "© 2025 Northgate Media Ltd. All rights reserved.",
        "copyright2": "Copyright 2025 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed without permission.",
        "legal": "Privacy Policy | Terms of Use | Cookie Settings | Contact Us",
    },
    "de": {
        "nav": "Startseite > Politik > Ausland",
        "ad": "Anzeige",
        "ad2": "Weiter nach der Anzeige",
        "share": "Teilen Facebook Twitter WhatsApp E-Mail",
        "cookie": "Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Inhalte zu "
        "personalisieren, Werbung anzuzeigen und die Nutzung unserer Website zu analysieren. Mit einem Klick "
        "auf „Alle akzeptieren“ stimmen Sie der Verarbeitung zu. Ihre Einwilligung können Sie jederzeit "
        "widerrufen.",
        "cookiebtn": "Alle akzeptieren",
        "cookiebtn2": "Nur notwendige Cookies",
        "news": "Newsletter: Jeden Morgen die wichtigsten Nachrichten des Tages kostenlos in Ihr Postfach.",
        "paywall": "Lesen Sie jetzt weiter mit Abendpost+ – den ersten Monat für nur 1 €. Jederzeit kündbar.",
        "related": "Mehr zum Thema",
        "related2": "Meistgelesen",
        "readmore": "Lesen Sie auch: Koalition streitet über den Haushalt 2026",
        "rel1": "Bahnstreik: Was Pendler am Donnerstag wissen müssen",
        "rel2": "Wahl in Thüringen: Die wichtigsten Ergebnisse im Überblick",
        "credit": "Foto: Kay Nietfeld/dpa",
        "copyright": "© Rheinische Abendpost 2025 – Alle Rechte vorbehalten",
        "legal": "Impressum | Datenschutz | AGB | Kontakt",
        "close": "Schließen",
    },
    "fr": {
        "nav": "Accueil > International > Afrique",
        "ad": "Publicité",
        "ad2": "La suite après cette publicité",
        "share": "Partager Facebook Twitter E-mail Copier le lien",
        "cookie": "Avec votre accord, nous et nos partenaires utilisons des cookies ou technologies similaires "
        "pour stocker et accéder à des informations personnelles comme votre visite sur ce site. Vous pouvez "
        "retirer votre consentement à tout moment.",
        "cookiebtn": "Accepter et fermer",
        "cookiebtn2": "Continuer sans accepter",
        "news": "Recevez chaque matin notre newsletter avec l'essentiel de l'actualité.",
        "paywall": "Cet article est réservé aux abonnés. Il vous reste 72% à découvrir.",
        "related": "À lire aussi",
        "related2": "Les plus lus",
        "readmore": "Lire aussi : Grève à la SNCF, le trafic fortement perturbé jeudi",
        "rel1": "Inflation : les prix de l'énergie repartent à la hausse",
        "credit": "Photo : Ludovic Marin / AFP",
        "copyright": "© Le Courrier du Midi 2025. Tous droits réservés.",
        "legal": "Mentions légales | Politique de confidentialité | Gestion des cookies | Contact",
        "close": "Fermer",
    },
    "es": {
        "nav": "Portada > Internacional > América Latina",
        "ad": "Publicidad",
        "share": "Compartir en Facebook Compartir en Twitter Enviar por email",
        "cookie": "Utilizamos cookies propias y de terceros con fines analíticos y para mostrarte publicidad "
        "personalizada en base a un perfil elaborado a partir de tus hábitos de navegación. Puedes obtener "
        "más información y configurar tus preferencias aquí.",
        "cookiebtn": "Aceptar y continuar",
        "news": "Suscríbete a nuestro boletín y recibe cada tarde las noticias más importantes del día.",
        "paywall": "Este contenido es exclusivo para suscriptores. Suscríbete por 1 € el primer mes.",
        "related": "Noticias relacionadas",
        "related2": "Lo más leído",
        "readmore": "Lee también: El Banco Central mantiene los tipos de interés",
        "rel1": "Las lluvias dejan tres muertos en el norte del país",
        "credit": "Foto: EFE / Juan Carlos Hidalgo",
        "copyright": "© Diario del Litoral S.A. Todos los derechos reservados.",
        "legal": "Aviso legal · Política de privacidad · Política de cookies · Contacto",
        "close": "Cerrar",
    },
    "it": {
        "nav": "Home / Esteri / Europa",
        "ad": "Pubblicità",
        "share": "Condividi Facebook Twitter WhatsApp Email",
        "cookie": "Questo sito utilizza cookie tecnici e, previo tuo consenso, cookie di profilazione di terze "
        "parti per inviarti pubblicità in linea con le tue preferenze. Cliccando su «Accetta» acconsenti "
        "all'uso di tutti i cookie.",
        "cookiebtn": "Personalizza",
        "accept": "Accetta",
        "news": "Iscriviti alla newsletter per ricevere ogni mattina le notizie principali.",
        "paywall": "Per continuare a leggere questo articolo abbonati a 0,99 € al mese per i primi tre mesi.",
        "related": "Leggi anche",
        "related2": "I più letti",
        "rel1": "Maltempo, allerta rossa in Liguria e Toscana",
        "credit": "Foto: Ansa/Ettore Ferrari",
        "copyright": "© Riproduzione riservata",
        "legal": "Privacy policy | Cookie policy | Note legali | Contatti | P.IVA 01234560789",
        "close": "Chiudi",
    },
    "pt": {
        "nav": "Início > Mundo > Europa",
        "ad": "Publicidade",
        "ad2": "Continua após a publicidade",
        "share": "Compartilhe: Facebook Twitter WhatsApp",
        "cookie": "Utilizamos cookies essenciais e tecnologias semelhantes de acordo com a nossa Política de "
        "Privacidade e, ao continuar navegando, você concorda com estas condições.",
        "cookiebtn": "Aceitar todos os cookies",
        "news": "Receba as principais notícias do dia no seu e-mail. Inscreva-se na nossa newsletter.",
        "paywall": "Este conteúdo é exclusivo para assinantes. Assine a partir de R$ 1,90 no primeiro mês.",
        "related": "Leia também",
        "related2": "Mais lidas",
        "rel1": "Seca no Sul: governo anuncia ajuda a agricultores",
        "credit": "Foto: Ricardo Stuckert/PR",
        "copyright": "© 2025 Jornal da Serra. Todos os direitos reservados. É proibida a reprodução do conteúdo "
        "desta página.",
        "legal": "Termos de uso | Política de privacidade | Expediente | Fale conosco",
        "close": "Fechar",
    },
    "nl": {
        "nav": "Home › Nieuws › Buitenland",
        "ad": "Advertentie",
        "share": "Deel dit artikel",
        "cookie": "Wij gebruiken cookies en vergelijkbare technieken om de website goed te laten werken, het "
        "gebruik te meten en advertenties af te stemmen op jouw interesses. Door op ‘Akkoord’ te klikken ga je "
        "hiermee akkoord.",
        "accept": "Akkoord",
        "cookiebtn": "Instellingen aanpassen",
        "news": "Schrijf je in voor onze nieuwsbrief en ontvang elke ochtend het belangrijkste nieuws.",
        "paywall": "Lees verder met een abonnement. Al abonnee? Log in.",
        "related": "Lees ook",
        "related2": "Meest gelezen",
        "rel1": "Kabinet wil strengere regels voor flitsbezorgers",
        "credit": "Foto: ANP / Robin van Lonkhuijsen",
        "copyright": "© 2025 Dagblad Noorderlicht. Alle rechten voorbehouden.",
        "close": "Sluiten",
    },
    "tr": {
        "nav": "Anasayfa > Dünya > Orta Doğu",
        "ad": "Reklam",
        "share": "Paylaş Facebook Twitter WhatsApp",
        "cookie": "Sitemizde size daha iyi hizmet sunabilmek için çerezler kullanılmaktadır. Detaylı bilgi için "
        "Çerez Politikamızı inceleyebilirsiniz.",
        "cookie2": "Kişisel verileriniz, 6698 sayılı KVKK kapsamında aydınlatma metnimizde belirtilen amaçlarla "
        "sınırlı olarak işlenmektedir.",
        "cookiebtn": "Tümünü Kabul Et",
        "accept": "Kabul Et",
        "news": "Günün öne çıkan haberleri için e-bültenimize abone olun.",
        "follow": "Bizi Google News üzerinden takip edin",
        "related": "İlgili Haberler",
        "related2": "En Çok Okunanlar",
        "rel1": "Merkez Bankası faiz kararını açıkladı",
        "rel2": "İstanbul'da sağanak uyarısı: Trafik durma noktasına geldi",
        "credit": "Fotoğraf: AA",
        "copyright": "Copyright © 2025 - Tüm hakları saklıdır. Yeni Ufuk Gazetecilik A.Ş.",
        "close": "Kapat",
    },
    "ru": {
        "nav": "Главная / Новости / В мире",
        "ad": "Реклама",
        "share": "Поделиться ВКонтакте Одноклассники Telegram",
        "cookie": "Мы используем файлы cookie, чтобы улучшить работу сайта. Продолжая пользоваться сайтом, вы "
        "соглашаетесь с политикой обработки персональных данных.",
        "accept": "Принять",
        "accept2": "Понятно",
        "news": "Подписывайтесь на наш Telegram-канал, чтобы первыми узнавать о главных новостях.",
        "related": "Читайте также",
        "related2": "Самое читаемое",
        "readmore": "Читайте также: Центробанк сохранил ключевую ставку",
        "rel1": "В Подмосковье ожидается ледяной дождь",
        "credit": "Фото: Сергей Бобылев / ТАСС",
        "copyright": "© 2025 ООО «Северная медиагруппа». Все права защищены. При использовании материалов "
        "ссылка на сайт обязательна.",
        "legal": "Сетевое издание зарегистрировано Роскомнадзором, свидетельство Эл № ФС77-12345. 18+",
        "close": "Закрыть",
    },
    "uk": {
        "nav": "Головна / Новини / Світ",
        "ad": "Реклама",
        "share": "Поділитися Facebook Telegram Viber",
        "cookie": "Ми використовуємо файли cookie, щоб покращити роботу сайту. Продовжуючи користуватися "
        "сайтом, ви погоджуєтеся з політикою конфіденційності.",
        "news": "Підписуйтесь на наш Telegram-канал, щоб не пропустити головне.",
        "related": "Читайте також",
        "related2": "Новини за темою",
        "rel1": "Укренерго попередило про можливі відключення світла",
        "credit": "Фото: Укрінформ",
        "copyright": "© 2025 Усі права захищені. Використання матеріалів дозволяється за умови гіперпосилання на сайт.",
        "close": "Закрити",
    },
    "ar": {
        "nav": "الرئيسية > أخبار > العالم العربي",
        "ad": "إعلان",
        "share": "شارك فيسبوك تويتر واتساب",
        "cookie": "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. باستمرارك في تصفح الموقع فإنك توافق "
        "على سياسة الخصوصية.",
        "accept": "موافق",
        "news": "اشترك في نشرتنا الإخبارية لتصلك أهم الأخبار يوميا.",
        "related": "اقرأ أيضا",
        "related2": "الأكثر قراءة",
        "rel1": "ارتفاع أسعار النفط بعد قرار أوبك بلس",
        "credit": "الصورة: رويترز",
        "copyright": "جميع الحقوق محفوظة © 2025 شبكة الأفق الإخبارية",
        "close": "إغلاق",
    },
    "pl": {
        "nav": "Strona główna › Świat › Europa",
        "ad": "Reklama",
        "share": "Udostępnij Facebook X E-mail",
        "cookie": "Używamy plików cookies i podobnych technologii, aby dostosować serwis do Twoich potrzeb oraz "
        "w celach statystycznych i reklamowych. Korzystając z serwisu, wyrażasz zgodę na ich użycie.",
        "cookiebtn": "Przejdź do serwisu",
        "accept": "Akceptuję",
        "news": "Zapisz się na nasz newsletter i otrzymuj najważniejsze informacje dnia.",
        "paywall": "Pozostało 80% treści. Wykup dostęp, aby przeczytać cały artykuł.",
        "related": "Czytaj także",
        "related2": "Najczęściej czytane",
        "rel1": "Sejm przyjął ustawę o ochronie ludności",
        "credit": "Fot. Paweł Supernak / PAP",
        "copyright": "© 2025 Gazeta Nadwiślańska. Wszelkie prawa zastrzeżone.",
        "close": "Zamknij",
    },
    "hr": {
        "ad": "Oglas",
        "share": "Podijeli Facebook Twitter WhatsApp",
        "cookie": "Ova web stranica koristi kolačiće kako bi vam pružila bolje korisničko iskustvo. Nastavkom "
        "pregledavanja pristajete na korištenje kolačića.",
        "accept": "Prihvaćam",
        "news": "Pretplatite se na naš newsletter i primajte najvažnije vijesti svakog jutra.",
        "related": "Pročitajte još",
        "related2": "Najčitanije",
        "credit": "Foto: Pixsell",
        "copyright": "© 2025 Jadranski list. Sva prava pridržana.",
        "close": "Zatvori",
    },
    "sr": {
        "ad": "Оглас",
        "cookie": "Овај сајт користи колачиће како би вам пружио боље корисничко искуство. Наставком "
        "коришћења сајта сагласни сте са употребом колачића.",
        "cookie2": "Ovaj sajt koristi kolačiće. Nastavkom korišćenja sajta saglasni ste sa upotrebom kolačića.",
        "related": "Прочитајте још",
        "related2": "Povezane vesti",
        "share": "Podeli Facebook Twitter Viber",
        "copyright": "© 2025 Сва права задржана.",
        "close": "Затвори",
        "close2": "Zatvori",
    },
    "bs": {
        "cookie": "Ova stranica koristi kolačiće (cookies) kako bi poboljšala vaše iskustvo. Daljnjim "
        "korištenjem stranice prihvatate njihovu upotrebu.",
        "follow": "Pratite nas na Facebooku i Instagramu.",
        "related": "Povezano",
        "copyright": "© 2025 Sarajevski vjesnik. Sva prava zadržana.",
    },
    "sv": {
        "ad": "Annons",
        "share": "Dela Facebook Twitter E-post",
        "cookie": "Vi använder cookies för att ge dig en bättre upplevelse av vår webbplats. Genom att "
        "fortsätta surfa godkänner du att vi använder cookies.",
        "cookiebtn": "Godkänn alla cookies",
        "news": "Prenumerera på vårt nyhetsbrev och få dagens viktigaste nyheter varje morgon.",
        "paywall": "Den här artikeln är låst. Logga in eller bli prenumerant för att läsa vidare.",
        "related": "Läs också",
        "related2": "Mest läst",
        "credit": "Foto: Fredrik Sandberg/TT",
        "copyright": "© 2025 Norrlandsbladet. Ansvarig utgivare: Anna Lindqvist.",
        "close": "Stäng",
    },
    "no": {
        "ad": "Annonse",
        "share": "Del artikkelen",
        "cookie": "Vi bruker informasjonskapsler (cookies) for å gi deg en bedre brukeropplevelse og for å vise "
        "relevante annonser. Du kan når som helst endre samtykket ditt.",
        "cookiebtn": "Godta alle",
        "paywall": "Denne artikkelen er for abonnenter. Kjøp abonnement for å lese videre.",
        "related": "Les også",
        "related2": "Mest lest",
        "credit": "Foto: Lise Åserud / NTB",
        "copyright": "© 2025 Vestlandsposten. Ansvarlig redaktør: Kari Nordmann.",
        "close": "Lukk",
    },
    "da": {
        "ad": "Annonce",
        "share": "Del artiklen",
        "cookie": "Vi bruger cookies til at forbedre din oplevelse, analysere trafikken og vise målrettede "
        "annoncer. Ved at klikke på 'Accepter alle' giver du samtykke.",
        "cookiebtn": "Accepter alle",
        "news": "Tilmeld dig vores nyhedsbrev og få dagens vigtigste historier.",
        "related": "Læs også",
        "related2": "Mest læste",
        "credit": "Foto: Ida Marie Odgaard/Ritzau Scanpix",
        "copyright": "© 2025 Øresund Avis. Alle rettigheder forbeholdes.",
        "close": "Luk",
    },
    "fi": {
        "ad": "Mainos",
        "share": "Jaa Facebook Twitter WhatsApp",
        "cookie": "Käytämme evästeitä parantaaksemme sivuston toimivuutta ja kohdentaaksemme mainontaa. "
        "Jatkamalla sivuston käyttöä hyväksyt evästeiden käytön.",
        "cookiebtn": "Hyväksy kaikki",
        "news": "Tilaa uutiskirjeemme ja saat päivän tärkeimmät uutiset sähköpostiisi.",
        "paywall": "Tämä artikkeli on vain tilaajille. Tilaa nyt ja lue rajattomasti.",
        "related": "Lue myös",
        "related2": "Luetuimmat",
        "credit": "Kuva: Heikki Saukkomaa / Lehtikuva",
        "copyright": "© 2025 Pohjolan Sanomat. Kaikki oikeudet pidätetään.",
        "close": "Sulje",
    },
    "el": {
        "ad": "Διαφήμιση",
        "share": "Κοινοποίηση Facebook Twitter Email",
        "cookie": "Χρησιμοποιούμε cookies για να βελτιώσουμε την εμπειρία σας στον ιστότοπό μας. Συνεχίζοντας "
        "την περιήγηση, συμφωνείτε με τη χρήση τους.",
        "cookiebtn": "Αποδοχή όλων",
        "news": "Εγγραφείτε στο newsletter μας για να λαμβάνετε τις σημαντικότερες ειδήσεις.",
        "related": "Διαβάστε επίσης",
        "related2": "Δημοφιλή",
        "credit": "Φωτογραφία: Eurokinissi",
        "copyright": "© 2025 Ημερήσιος Ταχυδρόμος. Με την επιφύλαξη παντός δικαιώματος.",
        "close": "Κλείσιμο",
    },
    "ro": {
        "ad": "Publicitate",
        "share": "Distribuie Facebook WhatsApp",
        "cookie": "Acest site folosește cookie-uri pentru a vă oferi o experiență mai bună. Continuarea "
        "navigării implică acceptarea lor.",
        "cookiebtn": "Accept toate",
        "news": "Abonează-te la newsletter-ul nostru și primești cele mai importante știri.",
        "related": "Citește și",
        "related2": "Cele mai citite",
        "credit": "Foto: Inquam Photos / Octav Ganea",
        "copyright": "© 2025 Gazeta de Nord. Toate drepturile rezervate.",
        "close": "Închide",
    },
    "hu": {
        "ad": "Hirdetés",
        "share": "Megosztás Facebook Twitter",
        "cookie": "Weboldalunk sütiket (cookie-kat) használ a jobb felhasználói élmény érdekében. Az oldal "
        "további használatával hozzájárul a sütik használatához.",
        "accept": "Elfogadom",
        "news": "Iratkozzon fel hírlevelünkre, és minden reggel megkapja a nap legfontosabb híreit.",
        "related": "Kapcsolódó cikkek",
        "related2": "Legolvasottabb",
        "credit": "Fotó: MTI/Koszticsák Szilárd",
        "copyright": "© 2025 Alföldi Hírlap. Minden jog fenntartva.",
        "close": "Bezárás",
    },
    "cs": {
        "ad": "Reklama",
        "share": "Sdílet Facebook Twitter",
        "cookie": "Tento web používá soubory cookies k poskytování služeb, personalizaci reklam a analýze "
        "návštěvnosti. Používáním tohoto webu s tím souhlasíte.",
        "cookiebtn": "Přijmout vše",
        "news": "Přihlaste se k odběru našeho newsletteru a dostávejte nejdůležitější zprávy dne.",
        "paywall": "Celý článek je dostupný pouze pro předplatitele. Předplaťte si nás ještě dnes.",
        "related": "Mohlo by vás zajímat",
        "related2": "Nejčtenější",
        "credit": "Foto: ČTK / Michal Kamaryt",
        "copyright": "© 2025 Moravský deník. Všechna práva vyhrazena.",
        "close": "Zavřít",
    },
    "zh": {
        "ad": "广告",
        "share": "分享到： 微信 微博 QQ",
        "cookie": "本网站使用Cookie以改善您的浏览体验。继续浏览即表示您同意我们使用Cookie。",
        "cookiebtn": "接受全部",
        "news": "订阅我们的新闻简报，每天获取最新要闻。",
        "related": "相关阅读",
        "related2": "热门文章",
        "credit": "图片来源：新华社",
        "copyright": "版权所有 © 2025 东方日报 未经授权禁止转载",
        "close": "关闭",
    },
    "ja": {
        "ad": "広告",
        "share": "シェア Twitter Facebook LINE",
        "cookie": "当サイトでは、利便性向上のためにCookieを使用しています。サイトを閲覧し続けることで、"
        "Cookieの使用に同意したものとみなされます。",
        "accept": "同意する",
        "news": "メールマガジンに登録すると、毎朝主要ニュースをお届けします。",
        "paywall": "この記事は有料会員限定です。続きを読むには会員登録が必要です。",
        "related": "関連記事",
        "related2": "アクセスランキング",
        "credit": "写真：共同通信",
        "copyright": "Copyright © 2025 北海新報社 All rights reserved. 無断転載を禁じます。",
        "close": "閉じる",
    },
    "ko": {
        "ad": "광고",
        "share": "공유하기 페이스북 트위터 카카오톡",
        "cookie": "이 웹사이트는 더 나은 서비스 제공을 위해 쿠키를 사용합니다. 계속 이용하시면 쿠키 사용에 "
        "동의하는 것으로 간주됩니다.",
        "cookiebtn": "모두 허용",
        "news": "뉴스레터를 구독하시면 매일 아침 주요 뉴스를 보내드립니다.",
        "related": "관련 기사",
        "related2": "많이 본 뉴스",
        "credit": "사진=연합뉴스",
        "copyright": "ⓒ 한빛일보, 무단 전재 및 재배포 금지",
        "close": "닫기",
    },
}

# ---------------------------------------------------------------------------------------
# Article bodies: id -> (language, paragraphs one per line). Bylines/datelines are body.
# ---------------------------------------------------------------------------------------
BODIES: dict[str, tuple[str, str]] = {
    "en-quake": (
        "en",
        """By Hannah Clarke
A magnitude 6.1 earthquake struck eastern Turkey early on Wednesday, damaging dozens of buildings in the province of Malatya and sending residents into the streets in freezing temperatures.
The disaster agency AFAD said the quake hit at 4.12 a.m. local time at a depth of about 10 kilometres, and was followed by more than 40 aftershocks within three hours.
At least 23 people were injured, most of them while trying to leave their homes, the health minister told reporters in Ankara. No deaths had been reported by midday.
Many of the buildings that collapsed had already been damaged in the February 2023 earthquakes and were standing empty, local officials said.
Schools in the province will stay closed until Friday while engineers inspect them.""",
    ),
    "en-cookie-law": (
        "en",
        """BRUSSELS, March 4 -
The European Commission on Tuesday proposed to simplify the rules on website cookies, after years of complaints that consent banners annoy users without protecting their privacy.
Under the draft, browsers would let people set their cookie preferences once, and websites would have to respect that choice instead of asking again on every visit.
Consumer groups welcomed the plan but warned that advertisers would lobby to weaken it. "People click 'accept all' because they are exhausted, not because they agree," said one campaigner.
The online advertising industry said the proposal could cut the revenue of small publishers that rely on tracking cookies to sell ads.
The proposal needs the approval of the European Parliament and member states, which could take two years.
Until then, the existing rules requiring a cookie banner on most European websites stay in force.""",
    ),
    "en-paper-price": (
        "en",
        """The Northern Ledger will raise the price of its print subscription by 12 percent from April, the newspaper's owner said on Monday, blaming the cost of paper and delivery.
A seven-day subscription will cost £42 a month, up from £37.50, while the digital-only subscription stays at £9.99.
The company said print circulation fell 8 percent last year, while digital subscribers rose to 210,000.
"Readers who want the paper on their doorstep every morning are paying for lorries, fuel and paper mills," the chief executive said in a statement.
Media analysts said more regional titles were likely to follow, and that some could stop printing on weekdays altogether.
Subscribers who pay annually will keep their current price until their subscription renews.""",
    ),
    "en-ad-market": (
        "en",
        """Advertising spending in Britain fell for the second quarter running, an industry survey showed on Thursday, as retailers and carmakers cut their budgets.
Total advertising spend dropped 3.4 percent in the three months to June, according to the survey of 300 companies.
Television advertising was hit hardest, down 9 percent, while spending on search and social media advertising still grew slightly.
Economists said the figures pointed to weak consumer demand in the second half of the year.""",
    ),
    "en-newsletter": (
        "en",
        """A start-up that helps journalists publish paid email newsletters has raised $30 million from investors, it said on Tuesday, betting that readers will pay for individual writers rather than whole publications.
The company takes a 10 percent cut of subscription revenue and says more than 4,000 writers use its platform, with the largest newsletters earning over $1 million a year.
Critics say the model rewards a few stars while most newsletters struggle to attract more than a few hundred paying subscribers.
The company plans to use the money to add podcasts and video, and to expand in Germany and Brazil.
Subscribe buttons, it argues, work better when they come from a writer readers already trust.""",
    ),
    "en-copyright-ai": (
        "en",
        """A group of news publishers sued an artificial intelligence company in New York on Monday, accusing it of copying millions of articles to train its chatbot without permission.
The lawsuit claims the company breached copyright by reproducing stories "almost word for word" in answers to users, and seeks damages that could run into billions of dollars.
The company said it would fight the case, arguing that training on publicly available text is fair use under U.S. copyright law.
Similar cases are pending in Britain and Canada, and a ruling could decide whether AI firms must pay for the news they use.
All rights to the articles remain with the publishers, their lawyers said, and no licence was ever granted.""",
    ),
    "en-privacy-fine": (
        "en",
        """Ireland's data protection regulator fined a social media company 310 million euros on Friday for the way it collected consent for targeted advertising.
The regulator found that the company's consent screens pushed users to accept tracking by making the "accept" button larger and brighter than the option to refuse.
The company has three months to change its consent screens and said it would appeal.
Privacy campaigners said the decision showed that a cookie notice or consent pop-up is not valid if it is designed to steer people towards one answer.""",
    ),
    "en-port-strike": (
        "en",
        """Dock workers at Rotterdam and Antwerp began a 48-hour strike on Monday over pay, halting the loading of container ships at Europe's two busiest ports.
The unions want a 9 percent pay rise to cover last year's inflation. Port employers have offered 5 percent.
Shipping companies said about 30 vessels were waiting at anchor off the Dutch coast by the evening.
Retail groups warned that longer strikes could empty supermarket shelves of fresh fruit within a week.""",
    ),
    "en-ceasefire": (
        "en",
        """Updated 14:32 GMT
Negotiators from both sides returned to Doha on Sunday for a new round of indirect talks on a ceasefire, mediators said.
Qatar's foreign ministry said the delegations would discuss the exchange of prisoners and the entry of aid convoys.
A senior official briefed on the talks said gaps remained on the timing of a withdrawal, but described the atmosphere as serious.
The previous round ended two weeks ago without agreement.
Aid agencies say the humanitarian situation has worsened sharply since the last truce collapsed.""",
    ),
    "en-wildfire": (
        "en",
        """More than 12,000 people were ordered to leave their homes in western Canada on Saturday as a wildfire driven by strong winds moved towards the town of Fort Nelson.
The fire has burned about 8,000 hectares since Friday, the British Columbia Wildfire Service said.
Officials closed the main highway south of the town and said the evacuation could last several days.
Firefighters from Alberta and three U.S. states have been sent to help.""",
    ),
    "en-central-bank": (
        "en",
        """The Bank of Japan raised its main interest rate to 0.5 percent on Friday, the highest level in 17 years, saying wages and prices were rising steadily.
Governor Kazuo Ueda told a news conference that the bank would keep raising rates if the economy developed as expected.
The yen strengthened against the dollar after the decision, while Tokyo shares closed slightly lower.
Most economists had expected the move after large companies agreed to pay rises of more than 5 percent this spring.""",
    ),
    "en-drone": (
        "en",
        """KYIV, Ukraine (AP) -
Russia launched more than 100 drones at Ukraine overnight, damaging energy facilities in three regions and cutting power to thousands of homes, Ukrainian officials said on Tuesday.
The air force said 87 drones were shot down and a further 20 were lost, probably because of electronic jamming.
In the Odesa region, a fire broke out at a substation and was put out by morning, the regional governor said. No one was injured.
Ukraine's energy ministry said repairs were under way and that scheduled power cuts would be needed in some areas in the evening.""",
    ),
    "en-flood": (
        "en",
        """Monsoon floods have killed at least 64 people in Pakistan over the past week, the national disaster agency said on Thursday, with Punjab and Khyber Pakhtunkhwa worst hit.
Rescuers used boats to move families from villages along the Swat river, where water levels rose by several metres overnight.
The agency warned of more heavy rain over the weekend and told residents of low-lying areas to be ready to leave.""",
    ),
    "en-chips": (
        "en",
        """The Netherlands will tighten export controls on advanced chipmaking equipment from next month, the trade ministry said on Friday, in a move that mainly affects sales to China.
Companies will need a licence to export certain machines used to make the most advanced semiconductors.
The Dutch government said the decision was taken for national security reasons and was not aimed at any single country.
China's commerce ministry said it firmly opposed the measure and would protect the rights of Chinese companies.""",
    ),
    "en-photo-agency": (
        "en",
        """A photographer working for a news agency was killed in southern Lebanon on Friday when a shell hit a group of journalists filming on a hillside, his employer said.
Six other journalists were wounded, two of them seriously. All were wearing vests marked "PRESS".
Press freedom groups called for an independent investigation. The army said it was looking into the incident.
The agency said its photo credits would carry his name for the pictures he filed that morning, the last he took.""",
    ),
    "en-rail-crash": (
        "en",
        """By Daniel Osei and Maria Fernández
Two passenger trains collided head-on in central Greece late on Tuesday, killing at least 12 people and injuring more than 60, the fire service said.
The collision happened near the town of Lamia shortly before midnight. Several carriages derailed and one caught fire.
The transport minister said an investigation had been opened and that the station master on duty had been questioned by police.
Rail unions called a 24-hour strike for Thursday, saying they had warned for years about outdated signalling on the line.""",
    ),
    "en-un-vote": (
        "en",
        """The U.N. General Assembly on Wednesday adopted a resolution calling for a global moratorium on deep-sea mining, with 112 countries voting in favour and 14 against.
The resolution is not legally binding, but supporters said it increased pressure on the International Seabed Authority, which is drafting rules for the industry.
Several Pacific island states led the push, arguing that too little is known about the deep ocean to allow mining safely.
Countries with mining companies ready to start operations voted against or abstained.""",
    ),
    "en-mine": (
        "en",
        """Rescuers in Chile reached 11 miners trapped underground for three days at a copper mine in the Atacama desert, the mining minister said on Sunday.
All 11 were alive and in good health, and were being brought to the surface one by one in a cage lowered through a ventilation shaft.
The miners had been cut off on Thursday when part of a tunnel collapsed about 400 metres below ground.
The company that runs the mine said it would cooperate fully with an inquiry into the accident.
Families who had waited at the mine entrance since Thursday cheered as the first man came out.""",
    ),
    "de-bahn": (
        "de",
        """Von Julia Weber, Berlin
Die Lokführergewerkschaft GDL hat für Donnerstag einen bundesweiten Warnstreik bei der Deutschen Bahn angekündigt. Der Ausstand soll im Personenverkehr um 3 Uhr beginnen und 24 Stunden dauern.
Die Bahn kündigte einen Notfahrplan an und rief Reisende auf, nicht notwendige Fahrten zu verschieben. Fahrkarten für Donnerstag behalten bis Sonntag ihre Gültigkeit.
Die Gewerkschaft fordert eine Verkürzung der Wochenarbeitszeit bei vollem Lohnausgleich. Die Bahn nannte den Streik „völlig unnötig“, da für die kommende Woche bereits Verhandlungen vereinbart seien.
Auch im Güterverkehr wird mit erheblichen Einschränkungen gerechnet.""",
    ),
    "de-werbung": (
        "de",
        """Der deutsche Werbemarkt ist im vergangenen Jahr erneut geschrumpft. Die Netto-Werbeeinnahmen der Medien sanken nach Angaben des Zentralverbands der Werbewirtschaft um 2,1 Prozent.
Besonders stark betroffen waren Zeitungen und Zeitschriften, deren Anzeigenerlöse um mehr als sieben Prozent zurückgingen. Online-Werbung legte dagegen leicht zu.
Der Verband forderte die Politik auf, keine weiteren Werbeverbote etwa für Lebensmittel zu beschließen. Solche Verbote würden vor allem lokale Medien treffen.
Verbraucherschützer halten dagegen, dass an Kinder gerichtete Werbung für ungesunde Lebensmittel strenger geregelt werden müsse.""",
    ),
    "de-hochwasser": (
        "de",
        """Nach tagelangem Starkregen ist die Lage in den Hochwassergebieten in Bayern weiter angespannt. In mehreren Orten an der Donau wurde Katastrophenalarm ausgelöst.
In Regensburg stieg der Pegel am Sonntagmorgen auf mehr als sechs Meter. Hunderte Einsatzkräfte sicherten Deiche mit Sandsäcken.
Ein Feuerwehrmann kam bei einem Einsatz in Pfaffenhofen ums Leben, als sein Boot kenterte. Ministerpräsident Söder sprach den Angehörigen sein Beileid aus.
Der Deutsche Wetterdienst erwartet erst ab Dienstag ein Ende der Niederschläge.""",
    ),
    "de-mieten": (
        "de",
        """Stand: 12.05.2025, 09:15 Uhr
Die Angebotsmieten in deutschen Großstädten sind im ersten Quartal erneut deutlich gestiegen. In Berlin lagen sie bei neu vermieteten Wohnungen im Schnitt 8,4 Prozent höher als ein Jahr zuvor.
Das geht aus einer Auswertung von Inseraten auf großen Immobilienportalen hervor. Am teuersten bleibt München mit durchschnittlich 22 Euro pro Quadratmeter.
Der Mieterbund forderte eine Verlängerung der Mietpreisbremse über das Jahr 2025 hinaus. Die Bundesregierung will bis zum Sommer einen Gesetzentwurf vorlegen.""",
    ),
    "fr-greve": (
        "fr",
        """Par Claire Dubois
Les contrôleurs aériens français ont entamé jeudi une grève de deux jours, entraînant l'annulation de centaines de vols dans plusieurs aéroports du pays.
La Direction générale de l'aviation civile a demandé aux compagnies de réduire d'un tiers leurs programmes de vols à Paris-Orly, Marseille et Nice.
Les syndicats protestent contre un projet de réforme qui prévoit de nouveaux contrôles de présence des agents.
Le ministre des Transports a appelé à « la responsabilité » et promis de recevoir les syndicats la semaine prochaine.""",
    ),
    "fr-droit-auteur": (
        "fr",
        """L'Autorité de la concurrence a infligé mercredi une amende de 250 millions d'euros à un géant américain de l'internet pour ne pas avoir respecté ses engagements envers les éditeurs de presse sur les droits voisins.
Le groupe avait promis de négocier « de bonne foi » la rémunération des contenus de presse repris par ses services, conformément à la loi sur le droit d'auteur.
Les éditeurs reprochent aussi à l'entreprise d'avoir utilisé leurs articles pour entraîner son outil d'intelligence artificielle sans les en informer.
L'entreprise a indiqué qu'elle ne contesterait pas les faits afin de « tourner la page ».
Cette décision renforce la protection des droits d'auteur des journaux, estime l'Alliance de la presse d'information générale.""",
    ),
    "fr-senegal": (
        "fr",
        """DAKAR (AFP) -
Le président sénégalais a annoncé samedi la dissolution de l'Assemblée nationale et la tenue d'élections législatives anticipées le 17 novembre.
Dans une adresse à la nation, il a estimé que la majorité parlementaire issue de l'ancien pouvoir bloquait la mise en œuvre de son programme.
L'opposition a dénoncé une décision précipitée, tout en appelant ses partisans à se préparer au scrutin.
Le Sénégal est considéré comme l'une des démocraties les plus stables d'Afrique de l'Ouest.""",
    ),
    "es-sequia": (
        "es",
        """La sequía que afecta a Cataluña obligó este jueves al Gobierno regional a decretar la emergencia en Barcelona y otros 200 municipios, con nuevas restricciones al consumo de agua.
Los embalses de las cuencas internas se encuentran por debajo del 16 % de su capacidad, el nivel más bajo desde que existen registros.
A partir de ahora, el consumo por habitante no podrá superar los 200 litros diarios, y queda prohibido regar jardines y llenar piscinas.
El Gobierno catalán estudia traer agua en barco desde la planta desalinizadora de Sagunto.""",
    ),
    "es-suscripciones": (
        "es",
        """Las principales plataformas de televisión por internet han subido el precio de sus suscripciones en España por segunda vez en un año, según un estudio de la organización de consumidores OCU.
El coste medio de la suscripción más básica pasó de 7,99 a 9,99 euros al mes, y varias plataformas han introducido planes más baratos con publicidad.
La OCU calcula que un hogar con tres suscripciones paga ahora más de 400 euros al año.
La organización recomienda revisar las suscripciones activas y darse de baja de las que no se usan, ya que muchas se renuevan automáticamente.""",
    ),
    "es-elecciones": (
        "es",
        """CIUDAD DE MÉXICO, 2 de junio (EFE) -
Millones de mexicanos acudieron este domingo a las urnas en unas elecciones en las que se renuevan la presidencia, el Congreso y miles de cargos locales.
Las autoridades electorales informaron de una participación superior al 60 % a media tarde y de incidentes aislados en varios estados.
Los primeros resultados oficiales se esperan a partir de las once de la noche, hora local.""",
    ),
    "es-vivienda": (
        "es",
        """El Congreso aprobó este martes la nueva ley de vivienda con los votos del Gobierno y de sus socios parlamentarios, tras más de un año de negociaciones.
La norma permite a las comunidades autónomas limitar el precio del alquiler en las zonas declaradas tensionadas y obliga a los grandes propietarios a rebajar las rentas.
Las asociaciones de propietarios advierten de que la ley reducirá la oferta de pisos en alquiler.
El texto entrará en vigor al día siguiente de su publicación en el Boletín Oficial del Estado.""",
    ),
    "it-maltempo": (
        "it",
        """Un'ondata di maltempo ha colpito nella notte l'Emilia-Romagna, dove diversi fiumi sono esondati costringendo centinaia di persone a lasciare le proprie case.
La Protezione civile ha diramato l'allerta rossa per le province di Bologna, Ravenna e Forlì-Cesena. Le scuole resteranno chiuse anche domani.
A Faenza i vigili del fuoco hanno soccorso con i gommoni una famiglia rimasta bloccata al primo piano di un'abitazione.
Il governo ha convocato per domani un consiglio dei ministri per dichiarare lo stato di emergenza.""",
    ),
    "it-governo": (
        "it",
        """Roma, 14 ottobre
Il Consiglio dei ministri ha approvato nella tarda serata di ieri la manovra economica per il prossimo anno, dal valore di circa 30 miliardi di euro.
Il provvedimento conferma il taglio del cuneo fiscale per i redditi medio-bassi e introduce nuove risorse per la sanità pubblica.
Le opposizioni hanno criticato l'assenza di misure contro il caro affitti, mentre i sindacati hanno annunciato una mobilitazione.
Il testo dovrà essere approvato dal Parlamento entro la fine di dicembre.""",
    ),
    "it-cookie-garante": (
        "it",
        """Il Garante per la protezione dei dati personali ha sanzionato un grande quotidiano online con una multa di 80 mila euro per l'uso dei cookie di profilazione senza un consenso valido.
Secondo l'Autorità, il banner mostrato ai lettori non offriva un pulsante per rifiutare i cookie con la stessa facilità con cui era possibile accettarli.
Il giornale dovrà modificare il proprio sito entro sessanta giorni.
Il Garante ricorda che chiudere il banner con la X deve equivalere a rifiutare i cookie non necessari.""",
    ),
    "pt-incendios": (
        "pt",
        """Mais de mil bombeiros combatem desde domingo um incêndio de grandes dimensões no distrito de Aveiro, no centro de Portugal, que já obrigou à evacuação de várias aldeias.
Segundo a Proteção Civil, as chamas são alimentadas por ventos fortes e temperaturas acima dos 35 graus.
Três bombeiros ficaram feridos com gravidade e foram transportados para o hospital de Coimbra.
O Governo pediu ajuda ao mecanismo europeu de proteção civil, e Espanha enviou dois aviões de combate a incêndios.""",
    ),
    "pt-juros": (
        "pt",
        """BRASÍLIA -
O Banco Central do Brasil elevou nesta quarta-feira a taxa básica de juros em meio ponto percentual, para 11,25% ao ano, citando a alta das expectativas de inflação.
A decisão do Comitê de Política Monetária foi unânime e já era esperada pela maioria dos analistas.
No comunicado, o comitê indicou que novos aumentos podem ocorrer nas próximas reuniões.
O ministro da Fazenda afirmou que o governo vai apresentar medidas de corte de gastos ainda este mês.""",
    ),
    "nl-stikstof": (
        "nl",
        """Het kabinet trekt de komende tien jaar 24 miljard euro uit om de stikstofuitstoot in Nederland te verminderen, heeft de minister van Landbouw vrijdag bekendgemaakt.
Het grootste deel van het geld is bedoeld om boeren in de buurt van kwetsbare natuurgebieden uit te kopen of te helpen overschakelen op een andere bedrijfsvoering.
Boerenorganisaties reageerden kritisch en kondigden nieuwe acties aan in Den Haag.
Natuurorganisaties vinden dat het plan te weinig haast maakt.""",
    ),
    "nl-haven": (
        "nl",
        """De haven van Rotterdam heeft vorig jaar minder goederen overgeslagen dan een jaar eerder. De totale overslag daalde met 6 procent tot 439 miljoen ton.
Vooral de aanvoer van kolen en ruwe olie nam af, terwijl de overslag van containers stabiel bleef.
Havenbedrijf Rotterdam wijt de daling aan de zwakke economie in Europa en de energietransitie.
Het havenbedrijf verwacht dat de overslag dit jaar ongeveer gelijk blijft.""",
    ),
    "tr-deprem": (
        "tr",
        """Malatya'da sabah saatlerinde meydana gelen 5,9 büyüklüğündeki deprem, kentte ve çevre illerde paniğe neden oldu.
AFAD'dan yapılan açıklamaya göre deprem yerin 7 kilometre derinliğinde gerçekleşti ve ardından çok sayıda artçı sarsıntı kaydedildi.
Valilik, 19 kişinin hafif yaralandığını, ağır hasarlı üç binanın boşaltıldığını bildirdi.
Okullarda eğitime iki gün ara verilirken, vatandaşların hasarlı binalara girmemesi istendi.""",
    ),
    "tr-kvkk": (
        "tr",
        """Kişisel Verileri Koruma Kurulu, ziyaretçilerinin açık rızasını almadan reklam amaçlı çerez kullanan bir e-ticaret sitesine 1,2 milyon lira idari para cezası verdi.
Kurul kararında, sitenin çerez bildiriminde yalnızca "Kabul Et" seçeneği sunduğunu ve kullanıcılara reddetme imkânı tanımadığını tespit etti.
Şirketin, çerez politikasını üç ay içinde mevzuata uygun hale getirmesi istendi.
Uzmanlar, benzer uygulamaların Türkiye'deki pek çok sitede sürdüğünü belirtiyor.""",
    ),
    "tr-ekonomi": (
        "tr",
        """ANKARA (AA) -
Türkiye İstatistik Kurumu, yıllık enflasyonun ekim ayında yüzde 48,6'ya gerilediğini açıkladı.
Aylık bazda tüketici fiyatları yüzde 2,9 artış gösterdi. En yüksek artış konut ve eğitim harcamalarında görüldü.
Ekonomistler, dezenflasyon sürecinin yavaş da olsa devam ettiğini, ancak hizmet fiyatlarındaki katılığın sürdüğünü değerlendirdi.""",
    ),
    "tr-secim": (
        "tr",
        """Yüksek Seçim Kurulu, yerel seçimlerin kesin sonuçlarını Resmi Gazete'de yayımladı.
Sonuçlara göre ana muhalefet partisi 35 il belediye başkanlığını kazanırken, iktidar partisi 24 ilde seçimi aldı.
Seçime katılım oranı yüzde 78,5 olarak gerçekleşti. Bu oran, son yirmi yılın en düşük katılımı oldu.
Yeni belediye başkanları mazbatalarını önümüzdeki hafta alacak.""",
    ),
    "ru-peregovory": (
        "ru",
        """МОСКВА, 13 июня -
Министерство иностранных дел России заявило о готовности провести новый раунд переговоров по обмену военнопленными при посредничестве Турции.
По словам официального представителя ведомства, консультации могут начаться уже на следующей неделе в Стамбуле.
В Анкаре подтвердили, что получили соответствующее предложение, и пообещали рассмотреть его в ближайшие дни.
Последний обмен состоялся в конце мая, тогда стороны передали друг другу по 75 человек.""",
    ),
    "ru-reklama": (
        "ru",
        """Государственная дума приняла в первом чтении законопроект, запрещающий размещать рекламу на сайтах и в каналах, признанных нежелательными.
Авторы инициативы считают, что реклама в таких ресурсах фактически финансирует их деятельность.
Представители рекламного рынка предупредили, что закон ударит по небольшим блогерам, для которых реклама остается главным источником дохода.
Второе чтение законопроекта запланировано на осеннюю сессию.""",
    ),
    "ru-pogoda": (
        "ru",
        """Сильный снегопад парализовал движение в Москве в понедельник утром: на дорогах образовались пробки протяженностью в сотни километров.
По данным метеорологов, за сутки выпало около трети месячной нормы осадков.
Мэрия призвала водителей пересесть на общественный транспорт. На улицы выведены более 10 тысяч единиц снегоуборочной техники.
В аэропортах Шереметьево и Внуково задержаны десятки рейсов.""",
    ),
    "uk-energy": (
        "uk",
        """Російські війська в ніч на вівторок атакували енергетичну інфраструктуру у трьох областях України, повідомили в Міністерстві енергетики.
Унаслідок ударів частина споживачів у Харківській та Сумській областях залишилася без світла.
Енергетики вже розпочали аварійно-відновлювальні роботи. Укренерго попередило про можливі графіки відключень увечері.
Повітряні сили заявили, що знешкодили більшість ударних дронів, запущених цієї ночі.""",
    ),
    "uk-grain": (
        "uk",
        """Україна експортувала у вересні понад 5 мільйонів тонн зерна морем, що є найкращим показником з початку повномасштабної війни, повідомили в Міністерстві аграрної політики.
Основну частину вантажів відвантажили з портів Одеської області через тимчасовий коридор у Чорному морі.
Найбільшими покупцями української пшениці стали Єгипет, Іспанія та Туреччина.
Експерти попереджають, що атаки на портову інфраструктуру залишаються головним ризиком для експорту.""",
    ),
    "ar-aid": (
        "ar",
        """أعلنت الأمم المتحدة يوم الثلاثاء دخول أكثر من مئة شاحنة مساعدات إنسانية إلى قطاع غزة عبر معبر كرم أبو سالم، في أكبر قافلة منذ أسابيع.
وقال متحدث باسم مكتب تنسيق الشؤون الإنسانية إن الشاحنات تحمل مواد غذائية وأدوية ووقودا للمستشفيات.
وحذرت منظمات الإغاثة من أن الكميات التي تدخل لا تزال أقل بكثير من احتياجات السكان.
ودعا الأمين العام للأمم المتحدة إلى فتح مزيد من المعابر بشكل دائم.""",
    ),
    "ar-oil": (
        "ar",
        """قررت مجموعة أوبك بلس يوم الأحد تمديد خفض إنتاج النفط حتى نهاية العام المقبل، في محاولة لدعم الأسعار.
وقال وزير الطاقة السعودي إن القرار يهدف إلى تحقيق الاستقرار في الأسواق العالمية.
وارتفعت أسعار خام برنت بنحو اثنين في المئة في التعاملات المبكرة يوم الاثنين.
ويرى محللون أن ضعف الطلب في الصين لا يزال يضغط على الأسعار.""",
    ),
    "pl-powodz": (
        "pl",
        """Fala powodziowa na Odrze dotarła w poniedziałek do Wrocławia. Służby przez całą noc umacniały wały przeciwpowodziowe workami z piaskiem.
Premier zapowiedział, że rząd przeznaczy dwa miliardy złotych na pomoc dla poszkodowanych gmin.
W Kłodzku i Nysie trwa sprzątanie po przejściu wielkiej wody. Mieszkańcy zgłaszają brak wody pitnej i prądu.
Instytut Meteorologii i Gospodarki Wodnej ostrzega, że stany alarmowe mogą się utrzymać do końca tygodnia.""",
    ),
    "pl-prawa-autorskie": (
        "pl",
        """Sejm uchwalił w piątek nowelizację ustawy o prawie autorskim, która wdraża unijną dyrektywę o prawach autorskich na jednolitym rynku cyfrowym.
Nowe przepisy dają wydawcom prasy prawo do wynagrodzenia od platform internetowych, które wykorzystują fragmenty ich artykułów.
Izba Wydawców Prasy oceniła, że ustawa wzmocni pozycję mediów w negocjacjach z wielkimi firmami technologicznymi.
Krytycy wskazują, że przepisy są nieprecyzyjne i mogą prowadzić do sporów sądowych.""",
    ),
    "hr-turizam": (
        "hr",
        """Hrvatska je u prvih osam mjeseci ove godine zabilježila više od 17 milijuna dolazaka turista, što je tri posto više nego lani, objavilo je Ministarstvo turizma.
Najviše gostiju stiglo je iz Njemačke, Slovenije i Austrije, a najveći rast bilježe tržišta Sjedinjenih Država i Poljske.
Turistički djelatnici upozoravaju da visoke cijene smještaja i usluga odbijaju dio gostiju.
Ministarstvo očekuje da će i posezona biti uspješna zahvaljujući novim zrakoplovnim linijama.""",
    ),
    "sr-izbori": (
        "sr",
        """Републичка изборна комисија објавила је у понедељак коначне резултате парламентарних избора у Србији.
Према тим подацима, владајућа коалиција освојила је 47 одсто гласова и имаће апсолутну већину у скупштини.
Опозиција је најавила да ће поднети приговоре због, како тврди, неправилности на више бирачких места.
Посматрачи ОЕБС-а оценили су да су избори били технички добро спроведени, али у неравноправним условима.""",
    ),
    "sv-nato": (
        "sv",
        """Sveriges försvarsminister besökte på onsdagen de svenska soldaterna i Lettland, som ingår i Natos framskjutna styrkor i Baltikum.
Omkring 550 svenska soldater ska tjänstgöra i Lettland under det kommande året, enligt Försvarsmakten.
Ministern sade att närvaron visar att Sverige tar sitt ansvar som Natomedlem på allvar.
Regeringen har aviserat att försvarsanslagen ska nå 2,6 procent av BNP nästa år.""",
    ),
    "no-strom": (
        "no",
        """Strømprisene i Sør-Norge steg kraftig i januar, og mange husholdninger fikk den høyeste regningen på over et år.
Ifølge Statistisk sentralbyrå betalte husholdningene i snitt 1,35 kroner per kilowattime inkludert nettleie og avgifter.
Regjeringen viser til at strømstøtten dekker 90 prosent av prisen over et visst nivå.
Opposisjonen krever at staten innfører en fast strømpris for husholdninger.""",
    ),
    "da-vind": (
        "da",
        """Regeringen har indgået en aftale om at opføre tre nye havvindmølleparker i Nordsøen, som skal kunne levere strøm til omkring tre millioner husstande.
Parkerne skal efter planen stå færdige i 2030, og udbuddet af dem begynder allerede i efteråret.
Klimaministeren kalder aftalen et vigtigt skridt mod målet om at gøre Danmark uafhængigt af fossile brændsler.
Branchen har tidligere kritiseret, at staten ikke vil give økonomisk støtte til projekterne.""",
    ),
    "fi-raja": (
        "fi",
        """Suomen hallitus päätti torstaina pitää itärajan rajanylityspaikat suljettuina ainakin helmikuun loppuun asti.
Sisäministerin mukaan päätös perustuu viranomaisten arvioon siitä, että välineellistetty maahantulo voisi jatkua, jos raja avattaisiin.
Rajavartiolaitos on lisännyt valvontaa raja-alueella ja rakentaa parhaillaan aitaa Kaakkois-Suomeen.
Oppositio on vaatinut hallitukselta selvitystä rajan sulkemisen vaikutuksista paikalliseen elinkeinoelämään.""",
    ),
    "el-fotia": (
        "el",
        """Μεγάλη πυρκαγιά ξέσπασε το απόγευμα της Κυριακής σε δασική έκταση στη βορειοανατολική Αττική, κοντά στον Μαραθώνα.
Η Πυροσβεστική Υπηρεσία κινητοποίησε περισσότερους από 400 πυροσβέστες, καθώς και δεκάδες εναέρια μέσα.
Εστάλησαν μηνύματα μέσω του 112 για την εκκένωση τεσσάρων οικισμών, ενώ κλειστοί παραμένουν αρκετοί δρόμοι.
Οι ισχυροί άνεμοι δυσκολεύουν το έργο των πυροσβεστών, σύμφωνα με τις αρχές.""",
    ),
    "ro-alegeri": (
        "ro",
        """Biroul Electoral Central a anunțat luni rezultatele finale ale primului tur al alegerilor prezidențiale din România.
Cei doi candidați calificați în turul al doilea au obținut împreună aproape 45 la sută din voturi.
Prezența la vot a fost de 52 la sută, mai mare decât la scrutinul precedent.
Turul al doilea va avea loc peste două săptămâni, iar campania electorală începe de vineri.""",
    ),
    "hu-infl": (
        "hu",
        """A Központi Statisztikai Hivatal csütörtöki adatai szerint az éves infláció 3,7 százalékra gyorsult szeptemberben.
Az élelmiszerek ára átlagosan 4,2 százalékkal emelkedett, a szolgáltatások pedig 7 százalékkal drágultak.
A Magyar Nemzeti Bank közleménye szerint a jegybank a következő hónapokban óvatos kamatpolitikát folytat.
Elemzők szerint az év végéig az infláció 4 százalék körül maradhat.""",
    ),
    "cs-rozpocet": (
        "cs",
        """Poslanecká sněmovna ve středu schválila státní rozpočet na příští rok se schodkem 230 miliard korun.
Pro návrh hlasovali poslanci vládní koalice, opozice byla proti.
Ministr financí uvedl, že rozpočet počítá s vyššími výdaji na obranu a dopravní infrastrukturu.
Opozice vládě vyčítá, že neplní slib snížit zadlužení státu.""",
    ),
    "zh-taifeng": (
        "zh",
        """新华社广州9月6日电
今年第11号台风“摩羯”于6日下午在海南省文昌市沿海登陆，登陆时中心附近最大风力达17级。
受台风影响，海南、广东多地停课停工，铁路和航班大面积停运。
当地政府已转移安置群众超过40万人，并组织救援队伍做好抢险准备。
气象部门预计，台风将于7日进入北部湾，继续带来强降雨。""",
    ),
    "ja-jishin": (
        "ja",
        """1日午後4時10分ごろ、石川県能登地方を震源とする強い地震があり、輪島市などで震度7を観測した。
気象庁によると、震源の深さは約16キロ、地震の規模を示すマグニチュードは7.6と推定される。
石川県の沿岸には一時大津波警報が発表され、住民が高台へ避難した。
政府は首相官邸に対策本部を設置し、被害状況の把握を急いでいる。""",
    ),
    "ko-bank": (
        "ko",
        """한국은행이 기준금리를 연 3.25%로 0.25%포인트 인하했다.
한국은행 금융통화위원회는 11일 통화정책방향 회의를 열고 이같이 결정했다고 밝혔다.
이창용 총재는 기자간담회에서 물가 상승률이 안정세를 보이고 있어 금리를 낮출 여건이 마련됐다고 설명했다.
시장에서는 내수 부진을 고려할 때 추가 인하 가능성도 있다는 관측이 나온다.
김민수 기자 minsu@example.kr""",
    ),
}

# Bodies whose paragraphs mention cookies, subscriptions, advertising, copyright or credits.
MENTIONS = {
    "en-cookie-law",
    "en-paper-price",
    "en-ad-market",
    "en-newsletter",
    "en-copyright-ai",
    "en-privacy-fine",
    "en-photo-agency",
    "de-werbung",
    "fr-droit-auteur",
    "es-suscripciones",
    "it-cookie-garante",
    "tr-kvkk",
    "ru-reklama",
    "pl-prawa-autorskie",
}

# ---------------------------------------------------------------------------------------
# Records: body id, furniture before the body, furniture inserted after body paragraph n
# (0-based), furniture after the body, and how paragraphs are separated:
#   "blank": blank lines everywhere; "single": single newlines everywhere;
#   "mixed": blank lines between body paragraphs, single newlines around furniture.
# Furniture is named "lang.key" (see FURNITURE).
# ---------------------------------------------------------------------------------------
Spec = tuple[str, list[str], dict[int, list[str]], list[str], str]

SPECS: list[Spec] = [
    ("en-quake", ["en.nav", "en.listen"], {}, ["en.related", "en.rel1", "en.rel2", "tr.cookie", "tr.accept"], "blank"),
    (
        "en-cookie-law",
        ["en.menu", "en.menu2"],
        {},
        ["en.share2", "en.cookie", "en.cookiebtn", "en.cookiebtn2"],
        "blank",
    ),
    ("en-paper-price", ["en.ad3"], {}, ["en.paywall2", "en.news", "en.copyright"], "mixed"),
    ("en-ad-market", [], {1: ["en.ad"]}, ["en.related2", "en.rel3", "en.rel1", "en.legal", "en.copyright"], "blank"),
    ("en-newsletter", ["en.nav2"], {}, ["en.news2", "en.close"], "blank"),
    ("en-copyright-ai", ["en.listen"], {}, ["en.copyright2"], "single"),
    ("en-privacy-fine", ["de.cookie", "de.cookiebtn"], {}, ["en.readmore", "en.share"], "blank"),
    ("en-port-strike", ["nl.cookie", "nl.accept", "en.caption"], {}, ["en.follow", "en.comments"], "blank"),
    ("en-ceasefire", ["en.nav", "en.share"], {}, ["ar.related", "ar.rel1", "ar.copyright"], "blank"),
    ("en-wildfire", ["fr.cookie", "fr.cookiebtn2"], {}, ["en.related3", "en.rel2", "any.close2"], "mixed"),
    ("en-central-bank", ["en.menu"], {2: ["en.readmore2"]}, ["ja.related", "ja.copyright"], "single"),
    ("en-drone", ["uk.nav", "uk.close"], {}, ["uk.cookie", "uk.news"], "blank"),
    ("en-flood", [], {}, ["en.copyright2", "any.close"], "single"),
    ("en-chips", ["nl.ad"], {}, ["nl.cookie", "nl.cookiebtn", "nl.copyright"], "blank"),
    ("en-photo-agency", ["en.caption"], {}, ["en.related", "en.rel3", "en.legal"], "blank"),
    ("en-rail-crash", ["el.cookie", "el.cookiebtn"], {}, ["el.close", "el.copyright"], "blank"),
    ("en-un-vote", [], {1: ["en.ad2"]}, ["bs.follow", "bs.cookie", "bs.copyright"], "single"),
    ("en-mine", ["es.nav"], {}, ["en.tags", "es.cookie", "es.cookiebtn", "es.close"], "blank"),
    (
        "de-bahn",
        ["de.nav", "de.share"],
        {2: ["de.ad2"]},
        ["de.related", "de.rel1", "de.rel2", "de.cookie", "de.cookiebtn"],
        "blank",
    ),
    ("de-werbung", ["de.ad"], {}, ["de.readmore", "de.copyright", "de.legal"], "blank"),
    ("de-hochwasser", ["de.credit"], {}, ["de.news", "de.close"], "single"),
    ("de-mieten", ["en.cookie2", "any.accept"], {}, ["de.paywall", "de.related2", "de.rel2"], "mixed"),
    (
        "fr-greve",
        ["fr.nav", "fr.share"],
        {2: ["fr.ad2"]},
        ["fr.related2", "fr.rel1", "fr.cookie", "fr.cookiebtn"],
        "blank",
    ),
    ("fr-droit-auteur", [], {}, ["fr.readmore", "fr.copyright", "fr.legal"], "blank"),
    ("fr-senegal", ["fr.credit"], {}, ["fr.news", "fr.close", "en.cookie"], "single"),
    ("es-sequia", ["es.nav", "es.share"], {}, ["es.related", "es.rel1", "es.cookie", "es.cookiebtn"], "blank"),
    ("es-suscripciones", [], {}, ["es.news", "es.copyright", "es.legal"], "blank"),
    ("es-elecciones", ["es.ad"], {}, ["es.paywall", "es.close"], "mixed"),
    ("es-vivienda", ["es.credit"], {}, ["es.readmore", "es.related2", "es.rel1", "en.cookie3", "any.accept"], "single"),
    ("it-maltempo", ["it.nav"], {}, ["it.related", "it.rel1", "it.cookie", "it.accept", "it.cookiebtn"], "blank"),
    ("it-governo", ["it.share"], {}, ["it.paywall", "it.copyright"], "blank"),
    ("it-cookie-garante", ["it.credit"], {}, ["it.legal", "it.copyright"], "blank"),
    ("pt-incendios", ["pt.nav"], {2: ["pt.ad2"]}, ["pt.related", "pt.rel1", "pt.cookie", "pt.cookiebtn"], "blank"),
    ("pt-juros", ["pt.share"], {}, ["pt.paywall", "pt.copyright", "pt.legal"], "single"),
    ("nl-stikstof", ["nl.nav", "nl.share"], {}, ["nl.related", "nl.rel1", "nl.cookie", "nl.accept"], "blank"),
    ("nl-haven", [], {}, ["nl.paywall", "nl.credit", "nl.copyright"], "mixed"),
    (
        "tr-deprem",
        ["tr.nav", "tr.share"],
        {},
        ["tr.related", "tr.rel1", "tr.rel2", "tr.cookie", "tr.cookie2", "tr.accept"],
        "blank",
    ),
    ("tr-kvkk", [], {}, ["tr.follow", "tr.copyright"], "blank"),
    ("tr-ekonomi", ["tr.ad"], {}, ["tr.related2", "tr.rel1", "tr.cookie", "tr.close"], "single"),
    ("tr-secim", ["en.cookie", "en.cookiebtn", "en.cookiebtn2"], {}, ["tr.news", "tr.credit"], "blank"),
    ("ru-peregovory", ["ru.nav", "ru.share"], {}, ["ru.readmore", "ru.news", "ru.cookie", "ru.accept"], "blank"),
    ("ru-reklama", ["ru.ad"], {}, ["ru.related2", "ru.rel1", "ru.copyright", "ru.legal"], "blank"),
    ("ru-pogoda", ["ru.credit"], {}, ["ru.cookie", "ru.accept2", "ru.close"], "single"),
    ("uk-energy", ["uk.nav", "uk.share"], {}, ["uk.related", "uk.rel1", "uk.news", "uk.cookie"], "blank"),
    ("uk-grain", ["uk.credit"], {}, ["uk.related2", "uk.copyright", "en.cookie2", "any.close"], "mixed"),
    ("ar-aid", ["ar.nav", "ar.share"], {}, ["ar.related", "ar.rel1", "ar.cookie", "ar.accept"], "blank"),
    ("ar-oil", ["ar.ad", "ar.credit"], {}, ["ar.news", "ar.copyright", "ar.close", "en.cookie2"], "blank"),
    (
        "pl-powodz",
        ["pl.nav", "pl.share"],
        {2: ["pl.ad"]},
        ["pl.related", "pl.rel1", "pl.cookie", "pl.cookiebtn"],
        "blank",
    ),
    (
        "pl-prawa-autorskie",
        ["pl.credit"],
        {},
        ["pl.paywall", "pl.related2", "pl.rel1", "pl.copyright", "pl.close"],
        "blank",
    ),
    (
        "hr-turizam",
        ["hr.share"],
        {},
        ["hr.related", "hr.related2", "hr.news", "hr.cookie", "hr.accept", "hr.copyright"],
        "blank",
    ),
    ("sr-izbori", ["sr.ad"], {}, ["sr.related", "sr.share", "sr.cookie", "sr.close", "sr.copyright"], "blank"),
    (
        "sv-nato",
        ["sv.ad", "sv.share"],
        {},
        ["sv.paywall", "sv.related2", "sv.cookie", "sv.cookiebtn", "sv.copyright"],
        "blank",
    ),
    (
        "no-strom",
        ["no.credit", "no.share"],
        {},
        ["no.paywall", "no.related", "no.cookie", "no.cookiebtn", "no.copyright"],
        "blank",
    ),
    (
        "da-vind",
        ["da.ad", "da.credit"],
        {},
        ["da.news", "da.related2", "da.cookie", "da.cookiebtn", "da.close"],
        "mixed",
    ),
    (
        "fi-raja",
        ["fi.credit", "fi.share"],
        {},
        ["fi.paywall", "fi.related", "fi.cookie", "fi.cookiebtn", "fi.copyright"],
        "blank",
    ),
    (
        "el-fotia",
        ["el.share", "el.credit"],
        {},
        ["el.related", "el.news", "el.cookie", "el.cookiebtn", "el.close"],
        "blank",
    ),
    (
        "ro-alegeri",
        ["ro.ad", "ro.credit"],
        {},
        ["ro.related", "ro.news", "ro.cookie", "ro.cookiebtn", "ro.copyright"],
        "blank",
    ),
    (
        "hu-infl",
        ["hu.share", "hu.credit"],
        {},
        ["hu.related2", "hu.news", "hu.cookie", "hu.accept", "hu.copyright"],
        "single",
    ),
    (
        "cs-rozpocet",
        ["cs.ad", "cs.share", "cs.credit"],
        {},
        ["cs.paywall", "cs.related2", "cs.news", "cs.cookie", "cs.cookiebtn", "cs.close"],
        "blank",
    ),
    (
        "zh-taifeng",
        ["zh.ad"],
        {},
        ["zh.related", "zh.share", "zh.credit", "zh.cookie", "zh.cookiebtn", "zh.copyright"],
        "blank",
    ),
    (
        "ja-jishin",
        ["ja.share"],
        {},
        ["ja.paywall", "ja.credit", "ja.related", "ja.news", "ja.cookie", "ja.accept", "ja.close"],
        "blank",
    ),
    (
        "ko-bank",
        ["ko.ad"],
        {},
        ["ko.copyright", "ko.related2", "ko.share", "ko.cookie", "ko.cookiebtn", "ko.close"],
        "blank",
    ),
]


def _furniture(name: str) -> dict[str, str]:
    language, key = name.split(".", 1)
    return {"text": FURNITURE[language][key], "reason": KEY_REASON[re.sub(r"\d+$", "", key)], "language": language}


def _join(pieces: list[tuple[str, bool]], style: str) -> str:
    """Join (text, is_furniture) pieces with the separator style of the record."""
    out = pieces[0][0]
    for (_, prev_furniture), (text, furniture) in itertools.pairwise(pieces):
        if style == "single" or (style == "mixed" and (prev_furniture or furniture)):
            out += "\n" + text
        else:
            out += "\n\n" + text
    return out


def build_record(spec: Spec) -> dict[str, object]:
    """One JSONL record from its spec."""
    body_id, head, middle, tail, style = spec
    language, block = BODIES[body_id]
    body = block.split("\n")
    pieces: list[tuple[str, bool]] = []
    furniture: list[dict[str, str]] = []

    def add_furniture(names: list[str]) -> None:
        for name in names:
            item = _furniture(name)
            furniture.append(item)
            pieces.append((item["text"], True))

    add_furniture(head)
    for n, paragraph in enumerate(body):
        pieces.append((paragraph, False))
        add_furniture(middle.get(n, []))
    add_furniture(tail)
    return {
        "id": body_id,
        "language": language,
        "mentions": body_id in MENTIONS,
        "text": _join(pieces, style),
        "body": body,
        "furniture": furniture,
    }


def build() -> list[dict[str, object]]:
    """All records, in spec order."""
    return [build_record(spec) for spec in SPECS]


def main() -> None:
    records = build()
    assert len({r["id"] for r in records}) == len(records), "duplicate ids"
    assert all(3 <= len(r["body"]) <= 8 for r in records), "bodies have 3-8 paragraphs"  # type: ignore[arg-type]
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in records]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    languages = {f["language"] for r in records for f in r["furniture"]}  # type: ignore[attr-defined]
    print(f"{len(records)} records, furniture in {len(languages)} languages -> {OUT}")


if __name__ == "__main__":
    main()
