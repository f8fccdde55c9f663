/**
 * Hand-written articles for the chrome-injection dev set (scripts/chrome-injection.ts): one
 * news story and one list-style piece per language, plus the chrome lines a scraper leaves around
 * articles in that language (menus, social labels, skip links, breadcrumbs, reading-time badges,
 * section labels, teaser rails). Written for this set; no text is taken from any evaluation page.
 *
 * Must not: hold behaviour (the script injects and scores).
 */

export interface InjectionLanguage {
  readonly lang: string;
  /** Each article: a title line, then its body lines (paragraphs or list items). */
  readonly articles: readonly (readonly string[])[];
  /** Chrome lines that open a page (before the title). */
  readonly head: readonly string[];
  /** Chrome lines that close a page (after the last paragraph). */
  readonly tail: readonly string[];
}

export const INJECTION_LANGUAGES: readonly InjectionLanguage[] = [
  {
    lang: 'fr',
    articles: [
      [
        'La ville teste des navettes électriques sur la ligne du port',
        'Depuis lundi, trois navettes électriques relient la gare au port toutes les quinze minutes, a annoncé la mairie dans un communiqué publié dimanche soir.',
        "L'essai doit durer six mois. Si les chiffres de fréquentation sont bons, la ligne sera prolongée jusqu'au nouveau quartier des Tanneries, où deux mille logements sont en construction.",
        'Les usagers interrogés se disent plutôt satisfaits.',
        "« C'est plus calme et on respire mieux », explique une habitante qui prend la navette chaque matin pour rejoindre son travail.",
        "Le coût du projet, près de quatre millions d'euros, est partagé entre la ville, la région et un fonds européen consacré aux transports propres.",
      ],
      [
        'Cinq conseils pour bien conserver ses légumes en hiver',
        'Avec le froid, beaucoup de jardiniers se demandent comment garder leur récolte le plus longtemps possible. Voici les gestes qui marchent.',
        'Stocker les pommes de terre dans un endroit sombre, sec et frais.',
        'Ne pas laver les carottes avant de les ranger dans une caisse de sable.',
        'Éloigner les pommes des autres légumes, car elles accélèrent leur maturation.',
        'Vérifier chaque semaine les courges et retirer celles qui présentent une tache.',
        'Garder les oignons suspendus dans un filet, à l’abri de l’humidité.',
        "Avec ces précautions, la plupart des légumes racines se conservent jusqu'au printemps.",
      ],
    ],
    head: [
      'Aller au contenu principal',
      'Menu principal',
      'Accueil › Régions › Transports',
      'Lecture : 2 min',
      'Actualités',
      'Publié le 7 décembre 2026 à 08h15',
    ],
    tail: [
      'Facebook',
      'Twitter',
      'LinkedIn',
      'WhatsApp',
      'Copier le lien',
      'Dans la même rubrique',
      'Le marché de Noël ouvre ses portes ce week-end avec plus de cent exposants venus de toute la région et des animations pour les enfants.',
      'Mentions légales',
      'Nous contacter',
      'Haut de page',
    ],
  },
  {
    lang: 'de',
    articles: [
      [
        'Stadtwerke senken die Preise für Fernwärme im neuen Jahr',
        'Die Stadtwerke haben am Dienstag angekündigt, dass die Preise für Fernwärme ab Januar um durchschnittlich acht Prozent sinken werden.',
        'Grund dafür seien die gefallenen Einkaufspreise für Gas und ein neues Blockheizkraftwerk, das seit dem Sommer am Netz ist.',
        'Ein Haushalt mit einem durchschnittlichen Verbrauch spart damit rund hundertzwanzig Euro im Jahr.',
        'Der Mieterverein begrüßte die Entscheidung, forderte aber, dass die Ersparnis auch tatsächlich bei den Mietern ankommt und nicht in den Nebenkosten verschwindet.',
      ],
      [
        'Die wichtigsten Änderungen im Nahverkehr zum Fahrplanwechsel',
        'Am Sonntag tritt der neue Fahrplan in Kraft. Diese Änderungen sollten Fahrgäste kennen.',
        'Die Linie 4 fährt abends bis Mitternacht im Zehn-Minuten-Takt.',
        'Die Haltestelle am Rathaus wird wegen Bauarbeiten verlegt.',
        'Nachtbusse fahren künftig auch in der Nacht auf Sonntag.',
        'Das Deutschlandticket gilt weiterhin in allen Bussen und Bahnen.',
        'Fahrgäste finden alle Zeiten ab sofort in der App und an den Haltestellen.',
      ],
    ],
    head: [
      'Zum Inhalt springen',
      'Hauptmenü',
      'Startseite / Lokales / Wirtschaft',
      'Lesezeit: 3 Min.',
      'Nachrichten',
      'Von Anna Becker, 7. Dezember 2026',
    ],
    tail: [
      'Facebook',
      'X',
      'E-Mail',
      'Link kopieren',
      'Mehr zum Thema',
      'Der Weihnachtsmarkt öffnet am Freitag mit mehr als hundert Ständen und einem großen Programm für Familien und Kinder.',
      'Impressum',
      'Datenschutz',
      'Kontakt',
    ],
  },
  {
    lang: 'es',
    articles: [
      [
        'El ayuntamiento amplía el horario de las bibliotecas durante los exámenes',
        'Las bibliotecas municipales abrirán hasta la medianoche durante el periodo de exámenes, según ha anunciado este lunes la concejalía de Cultura.',
        'La medida, que se aplicará desde el 15 de diciembre hasta el 31 de enero, responde a una petición de las asociaciones de estudiantes de la ciudad.',
        'Además, se habilitarán doscientas plazas más en las salas de estudio del centro.',
        'El coste del servicio, unos noventa mil euros, saldrá del presupuesto municipal de este año.',
      ],
      [
        'Receta de tortilla de patatas paso a paso',
        'Una de las recetas más populares de la cocina española, con ingredientes sencillos y un poco de paciencia.',
        'Pela y corta las patatas en láminas finas.',
        'Fríe las patatas a fuego lento con la cebolla durante veinte minutos.',
        'Bate los huevos con una pizca de sal en un bol grande.',
        'Mezcla las patatas escurridas con el huevo y deja reposar cinco minutos.',
        'Cuaja la tortilla por los dos lados en una sartén caliente.',
      ],
    ],
    head: [
      'Saltar al contenido',
      'Menú principal',
      'Inicio > Local > Sociedad',
      'Lectura: 4 min',
      'Noticias',
      'Por Lucía Romero',
    ],
    tail: [
      'Facebook',
      'Twitter',
      'WhatsApp',
      'Copiar enlace',
      'Te puede interesar',
      'La cabalgata de Reyes cambiará su recorrido este año por las obras en la avenida principal de la ciudad.',
      'Aviso legal',
      'Política de privacidad',
      'Contacto',
    ],
  },
  {
    lang: 'pl',
    articles: [
      [
        'Miasto otwiera nowe lodowisko na rynku',
        'W sobotę na rynku zostanie otwarte miejskie lodowisko, które będzie czynne codziennie od dziesiątej do dwudziestej drugiej.',
        'Wstęp dla dzieci i młodzieży do lat szesnastu będzie bezpłatny, a dorośli zapłacą dziesięć złotych za godzinę jazdy.',
        'Na miejscu będzie można wypożyczyć łyżwy i kaski.',
        'Urzędnicy zapowiadają, że w tym roku lodowisko będzie większe niż poprzednio i zostanie otwarte aż do końca lutego.',
      ],
      [
        'Jak przygotować dom na mrozy',
        'Zima zbliża się wielkimi krokami. Oto kilka prostych rzeczy, które warto zrobić już teraz.',
        'Sprawdź uszczelki w oknach i drzwiach.',
        'Odpowietrz grzejniki przed sezonem grzewczym.',
        'Zabezpiecz zewnętrzne krany przed zamarznięciem.',
        'Oczyść rynny z liści i gałęzi.',
        'Dzięki temu zimą zapłacisz mniej za ogrzewanie i unikniesz kosztownych napraw.',
      ],
    ],
    head: [
      'Przejdź do treści',
      'Menu główne',
      'Strona główna > Region > Miasto',
      'Czas czytania: 2 min',
      'Wiadomości',
    ],
    tail: [
      'Facebook',
      'Twitter',
      'Udostępnij',
      'Kopiuj link',
      'Zobacz także',
      'Jarmark bożonarodzeniowy potrwa w tym roku dwa tygodnie, a na scenie wystąpią lokalne zespoły i chóry.',
      'Regulamin',
      'Polityka prywatności',
      'Kontakt',
    ],
  },
  {
    lang: 'ru',
    articles: [
      [
        'В городе открылся новый пешеходный мост через реку',
        'В субботу в городе открылся новый пешеходный мост, который соединил центр с жилыми кварталами на правом берегу реки.',
        'Строительство заняло почти два года и обошлось городскому бюджету в полтора миллиарда рублей.',
        'Мост освещается ночью и оборудован пандусами.',
        'По словам мэра, теперь жителям правого берега не придётся делать крюк в три километра, чтобы попасть в центр пешком.',
      ],
      [
        'Как выбрать зимние шины: пять советов',
        'С наступлением холодов водители задумываются о смене резины. Вот на что стоит обратить внимание.',
        'Проверьте глубину протектора старых шин.',
        'Выбирайте шипованные шины, если часто ездите за город.',
        'Не экономьте на размере и индексе скорости.',
        'Меняйте резину, когда температура опускается ниже плюс пяти градусов.',
        'Правильно подобранные шины делают поездки зимой заметно безопаснее.',
      ],
    ],
    head: [
      'Перейти к содержанию',
      'Главное меню',
      'Главная / Город / Транспорт',
      'Время чтения: 3 минуты',
      'Новости',
    ],
    tail: [
      'ВКонтакте',
      'Telegram',
      'Одноклассники',
      'Скопировать ссылку',
      'Читайте также',
      'В парке на набережной установят новую ёлку высотой двадцать метров и откроют каток для детей и взрослых.',
      'Реклама',
      'Контакты',
      'Политика конфиденциальности',
    ],
  },
  {
    lang: 'ja',
    articles: [
      [
        '市立図書館が年末年始も開館へ',
        '市は、市立図書館を年末年始も通常どおり開館すると発表した。昨年は六日間休館していたが、利用者からの要望を受けて見直したという。',
        '開館時間は午前十時から午後五時までで、自習室も利用できる。',
        '市の担当者は「冬休み中の学生や、家で静かに過ごしたい人にぜひ利用してほしい」と話している。',
      ],
      [
        '冬の節電に役立つ五つのポイント',
        '電気代の値上がりが続くなか、家庭でできる節電の工夫を紹介する。',
        'エアコンの設定温度を一度下げる。',
        'カーテンを厚手のものに替える。',
        '使わない家電のプラグを抜く。',
        '冷蔵庫に食品を詰め込みすぎない。',
        '小さな工夫の積み重ねで、冬の電気代は大きく変わる。',
      ],
    ],
    head: ['本文へ移動', 'メインメニュー', 'ホーム > 地域 > 暮らし', '読了時間：3分', 'ニュース'],
    tail: [
      'Facebook',
      'X',
      'LINE',
      'リンクをコピー',
      '関連記事',
      '駅前の商店街で恒例のイルミネーションが始まり、多くの家族連れでにぎわっている。',
      'お問い合わせ',
      'プライバシーポリシー',
      '利用規約',
    ],
  },
  {
    lang: 'en',
    articles: [
      [
        'Council approves new cycle lanes on the ring road',
        'The city council voted on Tuesday to build protected cycle lanes along the whole ring road, a project that has been debated for almost ten years.',
        'Work will start in the spring and should be finished before the end of next year, the transport committee said.',
        'Shop owners on the eastern section remain worried.',
        'They fear that removing forty parking spaces will keep customers away, and have asked the council for a delivery area in front of the market hall.',
      ],
      [
        'Seven things to know before adopting a dog',
        'Thinking about bringing a dog home for the holidays? Here is what shelters want you to know first.',
        'A dog needs at least two walks a day, whatever the weather.',
        'Vet bills in the first year often cost more than expected.',
        'Puppies need weeks of patient training.',
        'Some rented flats do not allow pets at all.',
        'Older dogs are often calmer and already house-trained.',
        'If you are still sure after reading this, your local shelter will be glad to hear from you.',
      ],
    ],
    head: ['Skip to content', 'Main menu', 'Home / Local / Transport', '4 min read', 'Latest news'],
    tail: [
      'Facebook',
      'Twitter',
      'LinkedIn',
      'Reddit',
      'Copy link',
      'More from Local',
      'The winter market opens on Friday with more than a hundred stalls and a skating rink for children.',
      'Privacy policy',
      'Terms of use',
      'Contact us',
    ],
  },
];
