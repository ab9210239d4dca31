import * as z from "zod";
import { lazy } from "../model/lazy";
import { countrySlugs } from "./taxonomy";

/**
 * Gazetteer of the taxonomy's countries, for tagging stories whose source names no country.
 *
 * Notation of a term (shared with the topic lexicon, compiled by src/ingest/tagger.ts):
 * - matched on whole words, case-insensitively unless `caseSensitive`;
 * - a space or hyphen matches any run of spaces and hyphens ("Nagorno-Karabakh" = "Nagorno Karabakh");
 * - a word ending in `*` is a stem: any letters may follow. This is how Russian inflection is
 *   handled ("Казахстан*" = Казахстан, Казахстана, казахстанский). Where a short stem would also
 *   start common words (Грузи- in "грузить", Китай- misses Китая), the forms are listed instead;
 * - a Latin-script, case-insensitive term without `*` also matches with a plural "s" (Armenians);
 * - `ё` is read as `е` in both terms and text.
 * When several terms match at one place, the longest match wins, then the longer term, so
 * "Georgia Tech" beats "Georgia", "российск*" beats "Росси*", and a `nonMentions` phrase
 * ("bone china", "FC Astana") swallows the name inside it.
 *
 * Kinds carry a weight (KIND_WEIGHT): a country's own name or capital is the strongest evidence;
 * cities, regions, demonyms, leaders and institutions a little less; `weak` terms ("pro-Russian",
 * "Russian-speaking") say more about a story's subject than about the country and count little.
 *
 * `unless`: phrases that, anywhere in the story, make this one term mean something else
 * (Georgia next to Atlanta is the US state; Turkey next to Thanksgiving is the bird). Only that
 * term is ignored; the country's other terms (Tbilisi, Ankara) still count.
 */

export const KIND_WEIGHT = {
  names: 1,
  capitals: 1,
  cities: 0.8,
  demonyms: 0.8,
  people: 0.8,
  weak: 0.4,
} as const;
/** What a gazetteer term is of its country (a name, its capital, a city…), which sets its weight. */
export type GazetteerKind = keyof typeof KIND_WEIGHT;
export const gazetteerKinds = Object.keys(KIND_WEIGHT) as GazetteerKind[];

export const TermText = lazy(() =>
  z
    .string()
    // Letters/digits with inner dots, apostrophes; words joined by a space or hyphen; `*` ends a word.
    .regex(
      /^[\p{L}\p{N}][\p{L}\p{N}.']*\*?(?:[ -][\p{L}\p{N}][\p{L}\p{N}.']*\*?)*$/u,
      "a term is words of letters/digits (with . or '), joined by space or hyphen, a word may end in *",
    )
    .refine((t) => !/^[\p{L}\p{N}]\*/u.test(t), "a stem needs at least two letters before *"),
);

const TermSpec = lazy(() =>
  z.union([
    TermText,
    z.object({
      text: TermText,
      caseSensitive: z.boolean().optional(),
      unless: z.array(TermText).min(1).optional(),
    }),
  ]),
);
export type TermSpec = z.infer<typeof TermSpec>;

const CountryTerms = lazy(() =>
  z.object({
    names: z.array(TermSpec).min(1),
    capitals: z.array(TermSpec),
    cities: z.array(TermSpec),
    demonyms: z.array(TermSpec),
    people: z.array(TermSpec),
    weak: z.array(TermSpec),
  }),
);
export type CountryTerms = z.infer<typeof CountryTerms>;

/** Lower-cased, ё as е: how two terms are compared for duplicates (and how text is read). */
export function foldTerm(text: string): string {
  return text.toLowerCase().replace(/ё/g, "е");
}

export function termTextOf(spec: TermSpec): string {
  return typeof spec === "string" ? spec : spec.text;
}

/** The gazetteer's shape and its rules (every taxonomy country, no other, one meaning per term). */
export const GazetteerSchema = lazy(() =>
  z
    .object({
      countries: z.record(z.string(), CountryTerms),
      /** Phrases that contain a country term but are no mention of any country. */
      nonMentions: z.array(TermText),
    })
    .superRefine((g, ctx) => {
      const known = new Set(countrySlugs);
      for (const slug of Object.keys(g.countries)) {
        if (!known.has(slug))
          ctx.addIssue({
            code: "custom",
            path: ["countries", slug],
            message: `"${slug}" is not a taxonomy country; valid: ${countrySlugs.join(", ")}`,
          });
      }
      for (const slug of countrySlugs) {
        if (!g.countries[slug])
          ctx.addIssue({
            code: "custom",
            path: ["countries", slug],
            message: `taxonomy country "${slug}" has no gazetteer entry`,
          });
      }
      // One spelling must mean one thing: a term listed under two countries (or also as a
      // non-mention) would make the tagger's answer depend on list order.
      const owner = new Map<string, string>();
      const claim = (text: string, who: string, path: (string | number)[]) => {
        const key = foldTerm(text);
        const prev = owner.get(key);
        if (prev && prev !== who)
          ctx.addIssue({ code: "custom", path, message: `term "${text}" is listed under both ${prev} and ${who}` });
        else if (prev) ctx.addIssue({ code: "custom", path, message: `term "${text}" is listed twice under ${who}` });
        owner.set(key, who);
      };
      for (const [slug, terms] of Object.entries(g.countries)) {
        for (const kind of gazetteerKinds) {
          for (const [i, spec] of terms[kind].entries()) claim(termTextOf(spec), slug, ["countries", slug, kind, i]);
        }
      }
      for (const [i, text] of g.nonMentions.entries()) claim(text, "nonMentions", ["nonMentions", i]);
    }),
);
export type Gazetteer = z.infer<typeof GazetteerSchema>;

const cs = (text: string): TermSpec => ({ text, caseSensitive: true });

/** Context that turns "Georgia" into the US state. */
const US_GEORGIA_CONTEXT = [
  "Atlanta",
  "Savannah",
  "Augusta",
  "Peach State",
  "Georgia Tech",
  "state of Georgia",
  "U.S. state",
  "US state",
  "Brian Kemp",
  "Kemp",
  "Fulton County",
  "Georgia Bulldogs",
];
/** Context that turns "Turkey" into the bird (lower-case "turkey" is never read as the country). */
const TURKEY_BIRD_CONTEXT = [
  "Thanksgiving",
  "poultry",
  "roast",
  "stuffing",
  "turkey meat",
  "turkey farm",
  "turkey farms",
  "wild turkey",
  "turkeys",
  "gobble",
];

// The schemas above and this data are built and checked on first use (the tagger's), not at
// module load: a cold start that answers a feed never needs them (see model/lazy.ts).
export const gazetteer: Gazetteer = lazy(() =>
  GazetteerSchema.parse({
    countries: {
      armenia: {
        names: ["Armenia", "Republic of Armenia", "Армени*"],
        capitals: ["Yerevan", "Ереван*"],
        cities: [
          "Gyumri",
          "Vanadzor",
          "Syunik",
          "Jermuk",
          "Lake Sevan",
          "Meghri",
          "Goris",
          "Гюмри",
          "Ванадзор*",
          "Сюник*",
          "Севан*",
        ],
        demonyms: ["Armenian", "армян*"],
        people: ["Pashinyan", "Nikol Pashinyan", "Пашинян*"],
        weak: [],
      },
      azerbaijan: {
        names: ["Azerbaijan", "Republic of Azerbaijan", "Азербайджан*"],
        capitals: ["Baku", "Баку"],
        cities: [
          cs("Ganja"),
          "Sumgait",
          "Sumqayit",
          "Nakhchivan",
          "Nakhichevan",
          "Lankaran",
          "Гянджа",
          "Гяндже",
          "Гянджи",
          "Сумгаит*",
          "Нахчыван*",
          "Нахичеван*",
        ],
        demonyms: ["Azerbaijani", "Azeri"],
        people: ["Aliyev", "Ilham Aliyev", "Mehriban Aliyeva", "Алиев*"],
        weak: [],
      },
      georgia: {
        names: [
          { text: "Georgia", unless: US_GEORGIA_CONTEXT },
          "Sakartvelo",
          "Georgian Dream",
          "Грузия",
          "Грузии",
          "Грузию",
          "Грузией",
        ],
        capitals: ["Tbilisi", "Tiflis", "Тбилиси"],
        cities: [
          "Batumi",
          "Kutaisi",
          "Rustavi",
          "Zugdidi",
          "Poti",
          "Adjara",
          "Ajara",
          "Imereti",
          "Kakheti",
          "Svaneti",
          "Pankisi",
          "Батуми",
          "Кутаиси",
          "Рустави",
          "Зугдиди",
          "Аджари*",
          "Панкиси",
        ],
        demonyms: [{ text: "Georgian", unless: US_GEORGIA_CONTEXT }, "грузин*"],
        people: [
          "Ivanishvili",
          "Kobakhidze",
          "Zurabishvili",
          "Kavelashvili",
          "Иванишвили",
          "Кобахидзе",
          "Зурабишвили",
          "Кавелашвили",
        ],
        weak: [],
      },
      kazakhstan: {
        names: ["Kazakhstan", "Qazaqstan", "Kazakstan", "Казахстан*"],
        capitals: ["Astana", "Nur-Sultan", "Akmola", "Aqmola", "Tselinograd", "Астан*", "Нур-Султан*", "Акмол*"],
        cities: [
          "Almaty",
          "Alma-Ata",
          "Shymkent",
          "Karaganda",
          "Karagandy",
          "Qaraghandy",
          "Aktau",
          "Atyrau",
          "Aktobe",
          "Taraz",
          "Zhanaozen",
          "Semey",
          "Pavlodar",
          "Oskemen",
          "Ust-Kamenogorsk",
          "Kyzylorda",
          "Baikonur",
          "Алматы",
          "Алма-Ат*",
          "Шымкент*",
          "Караганд*",
          "Актау",
          "Атырау",
          "Актобе",
          "Тараз*",
          "Жанаозен*",
          "Семей",
          "Павлодар*",
          "Усть-Каменогорск*",
          "Кызылорд*",
          "Байконур*",
        ],
        demonyms: ["Kazakh", "Kazakhstani", "казах*"],
        people: ["Tokayev", "Kassym-Jomart Tokayev", "Nazarbayev", "Токаев*", "Назарбаев*"],
        weak: [],
      },
      kyrgyzstan: {
        names: ["Kyrgyzstan", "Kirghizia", "Kirgizia", "Kyrgyz Republic", "Кыргызстан*", "Киргизи*"],
        capitals: ["Bishkek", "Бишкек*"],
        cities: [
          cs("Osh"),
          "Jalal-Abad",
          "Issyk-Kul",
          "Karakol",
          "Naryn",
          "Batken",
          "Talas",
          "Tokmok",
          "Kumtor",
          cs("Ош"),
          cs("Оше"),
          cs("Оша"),
          "Джалал-Абад*",
          "Иссык-Кул*",
          "Каракол*",
          "Нарын*",
          "Баткен*",
          "Талас*",
          "Токмок*",
          "Кумтор*",
        ],
        demonyms: ["Kyrgyz", "Kirghiz", "Kirgiz", "кыргыз*", "киргиз*"],
        people: ["Japarov", "Zhaparov", "Sadyr Japarov", "Tashiev", "Жапаров*", "Ташиев*"],
        weak: [],
      },
      tajikistan: {
        names: ["Tajikistan", "Tadjikistan", "Таджикистан*"],
        capitals: ["Dushanbe", "Душанбе"],
        cities: [
          "Khujand",
          "Khorog",
          "Gorno-Badakhshan",
          "GBAO",
          "Kulob",
          "Kulyab",
          "Bokhtar",
          "Isfara",
          "Rogun",
          "Penjikent",
          "Худжанд*",
          "Хорог*",
          "Горно-Бадахшан*",
          "ГБАО",
          "Куляб*",
          "Исфар*",
          "Рогун*",
        ],
        demonyms: ["Tajik", "Tadjik", "таджик*"],
        people: ["Rahmon", "Rakhmon", "Emomali Rahmon", "Рахмон*"],
        weak: [],
      },
      turkmenistan: {
        names: ["Turkmenistan", "Туркменистан*", "Туркмени*"],
        capitals: ["Ashgabat", "Ashkhabad", "Ашхабад*"],
        cities: [
          "Turkmenbashi",
          "Turkmenabat",
          "Dashoguz",
          "Balkanabat",
          "Awaza",
          "Galkynysh",
          "Дашогуз*",
          "Туркменбаши",
          "Туркменабад*",
        ],
        demonyms: ["Turkmen", "туркмен*"],
        people: ["Berdymukhamedov", "Berdimuhamedow", "Gurbanguly", "Бердымухамедов*", "Гурбангулы"],
        weak: [],
      },
      uzbekistan: {
        names: ["Uzbekistan", "Узбекистан*"],
        capitals: ["Tashkent", "Ташкент*"],
        cities: [
          "Samarkand",
          "Samarqand",
          "Bukhara",
          "Khiva",
          "Nukus",
          "Karakalpakstan",
          "Andijan",
          "Andijon",
          "Namangan",
          "Termez",
          "Jizzakh",
          "Navoi",
          "Самарканд*",
          "Бухара",
          "Бухары",
          "Бухаре",
          "Бухару",
          "бухарск*",
          "Хива",
          "Хиве",
          "Хиву",
          "Хивы",
          "Нукус*",
          "Каракалпак*",
          "Андижан*",
          "Наманган*",
          "Термез*",
          "Джизак*",
          "Навои",
        ],
        demonyms: ["Uzbek", "Karakalpak", "узбек*"],
        people: ["Mirziyoyev", "Shavkat Mirziyoyev", "Islam Karimov", "Мирзиёев*", "Ислам Каримов*"],
        weak: [],
      },
      abkhazia: {
        names: ["Abkhazia", "Абхази*"],
        capitals: ["Sukhumi", "Sukhum", "Сухум*"],
        cities: ["Gagra", "Pitsunda", "Ochamchire", "New Athos", "Гагр*", "Пицунд*", "Очамчир*"],
        demonyms: ["Abkhaz", "Abkhazian", "абхаз*"],
        people: ["Bzhania", "Бжания"],
        weak: [],
      },
      "south-ossetia": {
        names: ["South Ossetia", "Southern Ossetia", "Tskhinvali Region", "Samachablo", "Южн* Осети*"],
        capitals: ["Tskhinvali", "Tskhinval", "Цхинвал*"],
        cities: ["Akhalgori", "Ахалгори"],
        demonyms: ["South Ossetian", "югоосетин*", "юго-осетин*"],
        people: [],
        weak: ["Ossetia", "Осети*"],
      },
      "nagorno-karabakh": {
        names: [
          "Nagorno-Karabakh",
          "Nagorny Karabakh",
          "Nagorno-Karabagh",
          "Karabakh",
          "Karabagh",
          "Artsakh",
          "Нагорн* Карабах*",
          "Карабах*",
          "Арцах*",
        ],
        capitals: ["Stepanakert", "Khankendi", "Xankendi", "Степанакерт*", "Ханкенди"],
        cities: [
          "Shusha",
          "Shushi",
          "Lachin",
          "Lachin corridor",
          "Martakert",
          "Hadrut",
          cs("Шуша"),
          cs("Шуши"),
          cs("Шуше"),
          "Лачин*",
        ],
        demonyms: ["Karabakh Armenian"],
        people: [],
        weak: [],
      },
      belarus: {
        names: ["Belarus", "Belorussia", "Byelorussia", "Беларус*", "Белорусси*"],
        capitals: ["Minsk", "Минск*"],
        cities: [
          "Grodno",
          "Hrodna",
          "Gomel",
          "Homel",
          cs("Brest"),
          "Vitebsk",
          "Mogilev",
          "Гродн*",
          "Гомел*",
          "Брест*",
          "Витебск*",
          "Могилев*",
        ],
        demonyms: ["Belarusian", "Belarussian", "Byelorussian", "белорус*"],
        people: ["Lukashenko", "Lukashenka", "Tsikhanouskaya", "Tikhanovskaya", "Лукашенк*", "Тихановск*"],
        weak: [],
      },
      moldova: {
        names: ["Moldova", "Moldavia", "Молдов*", "Молдави*"],
        capitals: ["Chisinau", "Chișinău", "Chişinău", "Kishinev", "Кишинев*", "Кишинэу"],
        cities: [
          "Transnistria",
          "Transdniestria",
          "Pridnestrovie",
          "Gagauzia",
          "Tiraspol",
          "Comrat",
          "Приднестров*",
          "Гагауз*",
          "Тираспол*",
          "Комрат*",
        ],
        demonyms: ["Moldovan", "Transnistrian", "Gagauz", "молдав*", "молдован*"],
        people: ["Maia Sandu", "Igor Dodon", "Майя Санду", "Додон*"],
        weak: [],
      },
      russia: {
        names: ["Russia", "Russian Federation", "Росси*", cs("РФ")],
        capitals: ["Moscow", "Москв*"],
        cities: [
          "St. Petersburg",
          "St Petersburg",
          "Saint Petersburg",
          "Chechnya",
          "Grozny",
          "Dagestan",
          "Makhachkala",
          "North Ossetia",
          "Vladikavkaz",
          "Belgorod",
          "Kursk",
          "Kaliningrad",
          "Siberia",
          "Tatarstan",
          "Novosibirsk",
          "Санкт-Петербург*",
          "Петербург*",
          "Чечн*",
          cs("Грозн*"),
          "Дагестан*",
          "Северн* Осети*",
          "Владикавказ*",
          "Белгород*",
          "Курск*",
          "Калининград*",
          "Сибир*",
          "Татарстан*",
        ],
        demonyms: ["Russian", "российск*", "россиян*", "чеченск*"],
        people: [
          "Putin",
          "Vladimir Putin",
          "Kremlin",
          "Lavrov",
          "Peskov",
          "Kadyrov",
          "Medvedev",
          "State Duma",
          "FSB",
          "Gazprom",
          "Rosatom",
          "Путин*",
          "Кремл*",
          "Лавров*",
          "Песков*",
          "Кадыров*",
          "Госдум*",
          "ФСБ",
          "Газпром*",
          "Росатом*",
        ],
        weak: [
          "pro-Russian",
          "Russian-speaking",
          "Russian-speaker",
          "Russian-language",
          "Russian language",
          "Russia-led",
          "пророссийск*",
          "русскоязычн*",
        ],
      },
      "the-baltics": {
        names: [
          "Baltic states",
          "Baltics",
          "Baltic countries",
          "Baltic nations",
          "Baltic republics",
          "Estonia",
          "Latvia",
          "Lithuania",
          "Прибалтик*",
          "Балтия",
          "Балтии",
          "Балтию",
          "балтийск*",
          "Эстони*",
          "Латви*",
          "Литв*",
        ],
        capitals: [
          "Tallinn",
          "Riga",
          "Vilnius",
          "Таллин*",
          cs("Рига"),
          cs("Риги"),
          cs("Риге"),
          cs("Ригу"),
          cs("Ригой"),
          "Вильнюс*",
        ],
        cities: [
          "Tartu",
          "Narva",
          "Kaunas",
          "Klaipeda",
          "Daugavpils",
          "Тарту",
          cs("Нарв*"),
          "Каунас*",
          "Клайпед*",
          "Даугавпилс*",
        ],
        demonyms: [
          "Estonian",
          "Latvian",
          "Lithuanian",
          "эстонск*",
          "эстонц*",
          "латвийск*",
          "латыш*",
          "литовск*",
          "литовц*",
        ],
        people: [],
        weak: ["Baltic"],
      },
      ukraine: {
        names: ["Ukraine", "Украин*"],
        capitals: ["Kyiv", "Kiev", "Киев*"],
        cities: [
          "Kharkiv",
          "Kharkov",
          "Odesa",
          "Odessa",
          "Lviv",
          "Dnipro",
          "Zaporizhzhia",
          "Donbas",
          "Donbass",
          "Donetsk",
          "Luhansk",
          "Lugansk",
          "Crimea",
          "Sevastopol",
          "Mariupol",
          "Kherson",
          "Bakhmut",
          "Харьков*",
          "Одесс*",
          "Львов*",
          "Запорож*",
          "Донбасс*",
          "Донецк*",
          "Луганск*",
          "Крым*",
          "Севастопол*",
          "Мариупол*",
          "Херсон*",
          "Бахмут*",
        ],
        demonyms: ["Ukrainian", "украинск*", "украинц*"],
        people: ["Zelensky", "Zelenskyy", "Zelenskiy", "Зеленск*"],
        weak: [],
      },
      afghanistan: {
        names: ["Afghanistan", "Islamic Emirate", "Афганистан*"],
        capitals: ["Kabul", "Кабул*"],
        cities: [
          "Herat",
          "Kandahar",
          "Mazar-i-Sharif",
          "Mazar-e-Sharif",
          "Kunduz",
          "Jalalabad",
          "Герат*",
          "Кандагар*",
          "Мазари-Шариф*",
          "Кундуз*",
        ],
        demonyms: ["Afghan", "афган*"],
        people: ["Taliban", "Akhundzada", "Талибан*", "талиб*"],
        weak: [],
      },
      china: {
        names: [
          cs("China"),
          "People's Republic of China",
          cs("PRC"),
          "КНР",
          "Китай",
          "Китая",
          "Китаю",
          "Китаем",
          "Китае",
        ],
        capitals: ["Beijing", "Peking", "Пекин*"],
        cities: [
          "Shanghai",
          "Xinjiang",
          "Urumqi",
          "Kashgar",
          "Xi'an",
          "Hong Kong",
          "Tibet",
          "Inner Mongolia",
          "Шанха*",
          "Синьцзян*",
          "Урумчи",
          "Кашгар*",
          "Гонконг*",
          "Тибет*",
          "Внутренн* Монголи*",
        ],
        demonyms: ["Chinese", "китайск*", "китайц*"],
        people: ["Xi Jinping", cs("Xi"), "Си Цзиньпин*"],
        weak: [],
      },
      eu: {
        names: ["European Union", cs("EU"), "Евросоюз*", "Европейск* союз*", cs("ЕС")],
        capitals: ["Brussels", "Брюссел*"],
        cities: [],
        demonyms: [],
        people: [
          "European Commission",
          "European Parliament",
          "European Council",
          "von der Leyen",
          "Kaja Kallas",
          "Borrell",
          "Еврокомисси*",
          "Европарламент*",
          "Европейск* комисси*",
          "Европейск* парламент*",
          "Европейск* совет*",
        ],
        weak: ["eurozone"],
      },
      iran: {
        names: ["Iran", "Islamic Republic of Iran", "Иран*"],
        capitals: ["Tehran", "Teheran", "Тегеран*"],
        cities: ["Tabriz", "Mashhad", "Isfahan", "Shiraz", "Urmia", "Lake Urmia", "Тебриз*", "Мешхед*", "Исфахан*"],
        demonyms: ["Iranian"],
        people: ["Khamenei", "Pezeshkian", "Raisi", "Araghchi", "Хаменеи", "Пезешкиан*", "Раиси"],
        weak: [],
      },
      mongolia: {
        names: ["Mongolia", "Монголи*"],
        capitals: ["Ulaanbaatar", "Ulan Bator", "Улан-Батор*"],
        cities: ["Erdenet", "Darkhan", "Oyu Tolgoi", "Эрдэнэт*"],
        demonyms: ["Mongolian", "монгол*"],
        people: [],
        weak: [],
      },
      turkey: {
        names: [{ text: "Turkey", caseSensitive: true, unless: TURKEY_BIRD_CONTEXT }, "Türkiye", "Turkiye", "Турци*"],
        capitals: ["Ankara", "Анкар*"],
        cities: ["Istanbul", "Izmir", "Antalya", "Стамбул*", "Измир*", "Анталь*"],
        demonyms: ["Turkish", cs("Turk"), "турецк*", cs("Турок")],
        people: ["Erdogan", "Erdoğan", "Эрдоган*"],
        weak: [],
      },
      "united-kingdom": {
        names: [
          "United Kingdom",
          cs("UK"),
          cs("U.K."),
          "Britain",
          "Great Britain",
          "Великобритани*",
          "Британи*",
          "Соединенн* Королевств*",
        ],
        capitals: ["London", "Лондон*"],
        cities: ["England", "Scotland", "Wales", "Manchester", "Edinburgh", "Англия", "Англии", "Англию", "Шотланди*"],
        demonyms: ["British", "Briton", "британ*"],
        people: ["Keir Starmer", "Starmer", "Downing Street", "Foreign Office", "Стармер*"],
        weak: [],
      },
      "united-states": {
        names: [
          "United States",
          "United States of America",
          cs("US"),
          cs("U.S."),
          cs("USA"),
          cs("U.S.A."),
          cs("America"),
          "США",
          "Соединенн* Штат*",
          "Америк*",
        ],
        capitals: ["Washington", "Washington DC", "Вашингтон*"],
        cities: [
          "New York",
          "Los Angeles",
          "Chicago",
          "San Francisco",
          "Atlanta",
          "Georgia Tech",
          "Нью-Йорк*",
          "Лос-Анджелес*",
        ],
        demonyms: ["American", "американ*"],
        people: [
          "Trump",
          "Donald Trump",
          "Biden",
          "Joe Biden",
          "Blinken",
          "Brian Kemp",
          "State Department",
          "White House",
          "Pentagon",
          "FBI",
          "USAID",
          "Трамп",
          "Трампа",
          "Трампу",
          "Трампом",
          "Трампе",
          "Байден*",
          "Госдеп*",
          "Пентагон*",
          "ФБР",
          "ЦРУ",
        ],
        weak: [],
      },
    },
    nonMentions: [
      "bone china",
      "fine china",
      "FC Astana",
      "Astana FC",
      "Astana Qazaqstan",
      "Astana Pro Team",
      "Latin America",
      "Latin American",
      "Central America",
      "Central American",
      "South America",
      "South American",
      "North America",
      "North American",
      "American University of Central Asia",
      "Washington Post",
      "Латинск* Америк*",
      "Южн* Америк*",
      "Северн* Америк*",
      "Центральн* Америк*",
      "Minsk agreements",
      "Minsk accords",
      "Istanbul Convention",
      "Стамбульск* конвенци*",
      "Shanghai Cooperation Organization",
      "Шанхайск* организаци*",
      "Baltic Sea",
      "Балтийск* мор*",
      "Pakistani Taliban",
      "Fergana Valley",
      "Ферганск* долин*",
    ],
  }),
);
