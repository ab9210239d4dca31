import * as z from "zod";
import { TermText, foldTerm } from "./gazetteer";
import { countrySlugs, topicSlugs } from "./taxonomy";

/**
 * Cue words and phrases per topic, in English and Russian, with weights, for tagging stories
 * whose source gives no topic. Terms use the gazetteer's notation (whole words, `*` = stem,
 * space/hyphen interchangeable, optional English plural "s"; always case-insensitive).
 *
 * Weights: 1 for a cue that on its own says what a story is about ("election", "ceasefire",
 * "inflation"); 0.3-0.7 for cues that lean one way but turn up everywhere ("president", "border",
 * "gold"); above 1 for a cue that is nearly proof ("COVID-19", "domestic violence"). A cue may
 * serve two topics ("sanctions": politics and economy).
 *
 * `requiresCountry`: a sub-topic about one country's events (Kazakhstan's January 2022, the
 * Kyrgyz unrest of October 2020) is only given when the story mentions one of these countries,
 * so "January 2022" alone does not make a story about Kazakhstan's unrest.
 *
 * Not here: `student-spotlight`, an editorial series with no vocabulary of its own (its pieces
 * are about anything); the tagger never assigns it.
 */

const Cues = z.record(TermText, z.number().positive().max(3));

const TopicCues = z.object({
  cues: Cues,
  requiresCountry: z.array(z.string()).min(1).optional(),
});

export const TopicLexiconSchema = z.record(z.string(), TopicCues).superRefine((lexicon, ctx) => {
  const topics = new Set(topicSlugs);
  const countries = new Set(countrySlugs);
  for (const [slug, entry] of Object.entries(lexicon)) {
    if (!topics.has(slug)) ctx.addIssue({ code: "custom", path: [slug], message: `"${slug}" is not a taxonomy topic; valid: ${topicSlugs.join(", ")}` });
    for (const c of entry.requiresCountry ?? []) {
      if (!countries.has(c)) ctx.addIssue({ code: "custom", path: [slug, "requiresCountry"], message: `"${c}" is not a taxonomy country` });
    }
    const seen = new Set<string>();
    for (const cue of Object.keys(entry.cues)) {
      const key = foldTerm(cue);
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [slug, "cues", cue], message: `cue "${cue}" is listed twice under ${slug}` });
      seen.add(key);
    }
  }
});
export type TopicLexicon = z.infer<typeof TopicLexiconSchema>;

const CENTRAL_ASIA = ["kazakhstan", "kyrgyzstan", "tajikistan", "turkmenistan", "uzbekistan"];

export const topicLexicon: TopicLexicon = TopicLexiconSchema.parse({
  environment: {
    cues: {
      environment: 1, environmental: 1.2, environmentalist: 1.2, ecology: 1, ecological: 1, climate: 1, "climate change": 1.5,
      drought: 1, glacier: 1, pollution: 1.2, polluted: 1, smog: 1.2, "air quality": 1.2, emissions: 1, "Aral Sea": 1,
      flood: 0.8, flooding: 0.8, earthquake: 0.8, landslide: 0.8, mudflow: 0.8, wildfire: 1, heatwave: 1, wildlife: 1,
      "snow leopard": 1, deforestation: 1, "renewable*": 0.8, solar: 0.6, "wind farm": 0.8, "national park": 0.8,
      "COP29": 1, dzud: 1.2, "water shortage": 1, "Amu Darya": 0.8, "Syr Darya": 0.8, irrigation: 0.7, lake: 0.4,
      river: 0.3, "dried up": 0.6, water: 0.6, canal: 0.6,
      "климат*": 1, "засух*": 1, "ледник*": 1, "загрязн*": 1.2, "смога": 1.2, "смогом": 1.2, "смоге": 1.2, "выброс*": 0.8, "эколог*": 1.2,
      "Арал*": 1, "наводнени*": 0.8, "паводк*": 0.8, "землетрясени*": 0.8, "цунами": 0.8, "сель": 0.8, "оползн*": 0.8,
      "лесн* пожар*": 1, "снежн* барс*": 1, "возобновляем*": 0.8, "солнечн*": 0.6, "ветрян*": 0.6, "нехватк* воды": 1,
      "дефицит* воды": 1, "водн* ресурс*": 1, "заповедник*": 0.8, "вырубк*": 0.8,
    },
  },
  economy: {
    cues: {
      economy: 1, economic: 1, GDP: 1, inflation: 1, "investment*": 1, investor: 1, trade: 0.8, "export*": 1, import: 1, imports: 1, imported: 1, "importer*": 1,
      budget: 0.8, bank: 0.6, currency: 1, tenge: 1, manat: 1, ruble: 1, rouble: 1, lari: 1, price: 0.8, prices: 0.8,
      oil: 0.8, gas: 0.7, pipeline: 0.8, tariff: 1, duties: 0.6, customs: 0.6, remittance: 1, loan: 0.8, IMF: 1,
      "World Bank": 1, market: 0.5, business: 0.6, tax: 0.8, taxes: 0.8, wage: 0.8, salary: 0.8, salaries: 0.8,
      "gold mine": 1, mining: 0.8, miner: 0.6, gold: 0.5, coal: 0.4, railway: 0.8, "transport links": 1, hydropower: 0.8,
      electricity: 0.8, energy: 0.6, blackout: 0.6, farmer: 0.7, poultry: 0.7, sales: 0.8, billion: 0.6,
      factory: 0.8, company: 0.4, companies: 0.4, tourism: 0.8, tourist: 0.6, transit: 0.8, sanctions: 0.3,
      "nationaliz*": 1, privatization: 1, casino: 0.5, gambling: 0.5, fuel: 0.6, petrol: 0.8, gasoline: 0.8, goods: 0.7, cargo: 0.7, truck: 0.5, demand: 0.5, boom: 0.5, grid: 0.8, construction: 0.5, meat: 0.5,
      "экономик*": 1, "экономическ*": 1, "ВВП": 1, "инфляци*": 1, "инвестиц*": 1, "инвестор*": 1, "торгов*": 0.8,
      "экспорт*": 1, "импорт*": 1, "ввоз*": 0.8, "вывоз*": 0.8, "бюджет*": 0.8, "банк*": 0.6, "валют*": 1, "тенге": 1,
      "манат*": 1, "рубл*": 0.8, "цена": 0.8, "цены": 0.8, "цен": 0.8, "ценам": 0.8, "ценах": 0.8, "ценой": 0.8,
      "стоимост*": 0.8, "подорожа*": 1, "нефт*": 0.8, "газ": 0.7, "газа": 0.7, "газом": 0.7, "газу": 0.7, "газовый": 0.8,
      "газов*": 0.8, "газопровод*": 0.8, "тариф*": 1, "денежн* перевод*": 1.2, "кредит*": 0.8, "МВФ": 1, "налог*": 0.8,
      "бизнес*": 0.6, "зарплат*": 0.8, "добыч*": 0.8, "золот*": 0.5, "уголь": 0.4, "угля": 0.4, "электроэнерги*": 0.8,
      "энергетик*": 0.6, "АЭС": 0.8, "ГЭС": 0.8, "турист*": 0.6, "пошлин*": 0.8, "санкци*": 0.3, "бензин*": 1,
      "топлив*": 0.6, "поставк*": 0.6, "завод*": 0.6, "доход*": 0.6, "строительств*": 0.5, "товар": 0.7, "товара": 0.7, "товары": 0.7, "товаров": 0.7, "товарам": 0.7, "товарооборот*": 0.8, "груз": 0.6, "груза": 0.6, "грузы": 0.6, "грузов*": 0.6, "спрос": 0.5, "спроса": 0.5, "спросом": 0.5,
    },
  },
  politics: {
    cues: {
      election: 1, "vot*": 0.8, ballot: 0.8, "parliament*": 0.8, lawmaker: 0.8, legislature: 0.8,
      president: 0.3, presidential: 0.6, "prime minister": 0.4, opposition: 1, party: 0.5, referendum: 1, "constitution*": 0.8,
      government: 0.3, "protest*": 0.8, rally: 0.6, rallied: 0.6, sanctions: 0.7, sanction: 0.7, diplomat: 0.5, diplomatic: 0.6,
      summit: 0.8, talks: 0.6, "peace treaty": 1, treaty: 0.7, "political prisoner": 1.2, pardon: 0.8, pardons: 0.8,
      amnesty: 0.8, political: 0.8, democracy: 1, crackdown: 0.6, jailed: 0.6, sentenced: 0.6, court: 0.4, trial: 0.5,
      journalist: 0.5, critic: 0.4, "foreign agent*": 1.2, "re-elected": 1, candidate: 0.8, campaign: 0.4, inauguration: 1,
      decree: 0.4, corruption: 0.6, embezzle: 0.6, embezzled: 0.6, "human rights": 0.6, OSCE: 0.6, envoy: 0.5, ambassador: 0.4,
      accession: 0.7, "de facto president": 0.8, regime: 0.6, "freedom of expression": 0.8, "press freedom": 0.8, minister: 0.3, judge: 0.4, "appoint*": 0.5, ICC: 0.8, "International Criminal Court": 0.8, "arrest warrant": 0.6,
      "выбор*": 0.8, "голосовани*": 0.8, "бюллетен*": 0.8, "парламент*": 0.8, "депутат*": 0.8, "законопроект*": 0.6,
      "президент*": 0.3, "премьер": 0.4, "премьер-министр*": 0.4, "оппозици*": 1, "партия": 0.5, "партии": 0.5, "референдум*": 1, "конституци*": 0.8,
      "правительств*": 0.3, "протест*": 0.8, "митинг*": 0.8, "акци* протест*": 1, "санкци*": 0.7, "переговор*": 0.8,
      "саммит*": 0.8, "договор*": 0.6, "иноагент*": 1.2, "политзаключенн*": 1.2, "помилова*": 0.8, "амнисти*": 0.8,
      "приговор*": 0.6, "суд": 0.4, "суде": 0.4, "судом": 0.4, "журналист*": 0.5, "отставк*": 0.8, "власт*": 0.3,
      "посол*": 0.4, "разгон*": 0.6, "оппозиционер*": 1, "демократи*": 1, "коррупци*": 0.6, "задержа*": 0.3,
    },
  },
  security: {
    cues: {
      military: 1, army: 1, troops: 1, soldier: 1, "armed forces": 1, clash: 0.8, clashes: 0.8, "border guard": 0.6,
      border: 0.3, shelling: 1, war: 0.8, ceasefire: 1, attack: 0.6, weapon: 0.8, arms: 0.5, drone: 0.7, missile: 1,
      "terror*": 1, militant: 1, "extremis*": 0.8, insurgent: 1, peacekeeper: 1, CSTO: 1, NATO: 1, defense: 0.8,
      defence: 0.8, "security forces": 0.8, security: 0.6, drills: 1, exercise: 0.4, explosion: 0.6, killed: 0.5,
      fighting: 0.8, occupation: 0.6, "boundary line": 0.8, borderization: 1, incursion: 1, mobilization: 0.8, securing: 0.6,
      "conscript*": 0.8, "military contract*": 1, smuggling: 0.3, bombing: 1, "airstrike": 1, "strikes": 0.4,
      "военн*": 1, "арми*": 0.8, "войск*": 1, "солдат*": 1, "вооруж*": 1, "обстрел*": 1, "войн*": 0.8, "перемири*": 1,
      "атак*": 0.6, "оружи*": 0.8, "беспилотник*": 0.7, "дрон*": 0.7, "ракет*": 0.8, "террор*": 1, "боевик*": 1,
      "миротвор*": 1, "ОДКБ": 1, "НАТО": 1, "оборон*": 0.8, "спецслужб*": 0.8, "силовик*": 0.8, "взрыв*": 0.6,
      "погиб*": 0.5, "границ*": 0.3, "пограничн*": 0.6, "КПП": 0.5, "разграничени*": 0.8, "контрабанд*": 0.4,
      "учения": 0.4, "учений": 0.4, "учениях": 0.4, "удар": 0.6, "удара": 0.6, "удары": 0.6, "ударов": 0.6, "ударами": 0.6, "мобилизаци*": 0.8, "безопасност*": 0.6, "экстремис*": 0.8,
    },
  },
  society: {
    cues: {
      women: 0.8, woman: 0.6, gender: 1, "domestic violence": 1.5, violence: 0.5, education: 1, school: 0.8, university: 0.6,
      student: 0.6, teacher: 0.8, religion: 1, religious: 1, Islam: 0.6, mosque: 0.8, church: 0.6, hijab: 1, LGBT: 1,
      language: 0.8, "Latin script": 1, script: 0.4, Cyrillic: 0.8, migrant: 0.7, migration: 0.7, "social media": 0.8,
      TikTok: 0.6, internet: 0.5, censorship: 0.6, health: 0.7, hospital: 0.6, doctor: 0.5, pension: 0.8, "retirement": 0.8,
      poverty: 0.8, youth: 0.6, children: 0.6, family: 0.4, families: 0.4, marriage: 0.7, "bride kidnapping": 1.5,
      minority: 0.7, minorities: 0.7, ethnic: 0.5, refugee: 0.8, housing: 0.6, homes: 0.3, rents: 0.5, citizenship: 0.5,
      disability: 1, discrimination: 0.8, feminist: 1, "traditional values": 0.8, diaspora: 0.6, emigrant: 0.6,
      "residence permit": 0.8, exam: 0.5, exodus: 0.8, fled: 0.5, speakers: 0.5,
      "женщин*": 0.8, "гендер*": 1, "домашн* насили*": 1.5, "насили*": 0.5, "образовани*": 1, "школ*": 0.8,
      "университет*": 0.6, "студент*": 0.6, "учител*": 0.8, "религи*": 1, "ислам*": 0.6, "мечет*": 0.8, "церк*": 0.6,
      "хиджаб*": 1, "ЛГБТ": 1, "язык*": 0.7, "латиниц*": 1, "кириллиц*": 0.8, "мигрант*": 0.7, "миграц*": 0.7,
      "соцсет*": 0.8, "интернет*": 0.5, "цензур*": 0.6, "здравоохранени*": 1, "больниц*": 0.6, "врач*": 0.5,
      "пенси*": 0.8, "бедност*": 0.8, "молодеж*": 0.6, "дети": 0.6, "детей": 0.6, "беженц*": 0.8, "жиль*": 0.6,
      "гражданств*": 0.5, "вид на жительство": 0.8, "вида на жительство": 0.8, "экзамен*": 0.5, "эмигрант*": 0.6, "диаспор*": 0.6,
    },
  },
  "arts-and-culture": {
    cues: {
      film: 1, movie: 1, cinema: 1, director: 0.4, festival: 1, museum: 1, art: 0.6, artist: 1, exhibition: 1, music: 1,
      musician: 1, concert: 1, singer: 1, song: 0.8, novel: 0.8, writer: 0.8, poet: 1, poetry: 1, literature: 1, book: 0.6,
      theater: 1, theatre: 1, opera: 1, ballet: 1, heritage: 0.8, UNESCO: 0.8, culture: 1, cultural: 1, architecture: 0.8,
      Berlinale: 1.2, Cannes: 1, Oscar: 1, "Golden Bear": 1.2, painting: 1, painter: 1, dance: 0.8, folk: 0.6, monument: 0.8, historic: 0.5, "preservation*": 0.8, madrasa: 0.6,
      "фильм*": 1, "кино*": 1, "режиссер*": 0.6, "фестивал*": 1, "музе*": 1, "выставк*": 1, "художник*": 1,
      "искусство": 1, "искусства": 1, "искусстве": 1, "музык*": 1, "концерт*": 1, "певиц*": 1, "певец": 1, "песн*": 0.8,
      "писател*": 0.8, "поэт": 1, "поэта": 1, "поэты": 1, "поэтов": 1, "поэтесс*": 1, "поэзи*": 1, "литератур*": 1, "книг*": 0.6, "театр*": 1, "балет*": 1, "наследи*": 0.8,
      "ЮНЕСКО": 0.8, "культур*": 1, "архитектур*": 0.8, "Оскар*": 1,
    },
  },
  coronavirus: {
    cues: {
      coronavirus: 2, COVID: 2, "COVID-19": 2, pandemic: 1.5, lockdown: 1.5, quarantine: 1.2, "vaccin*": 1,
      "Sputnik V": 1.5, infection: 0.8, pneumonia: 0.8, "social distancing": 1.5,
      "коронавирус*": 2, "ковид*": 2, "пандеми*": 1.5, "карантин*": 1.5, "локдаун*": 1.5, "вакцин*": 1,
      "заражени*": 0.8, "самоизоляци*": 1.2, "пневмони*": 0.8,
    },
  },
  "kazakhstans-bloody-january-2022": {
    requiresCountry: ["kazakhstan"],
    cues: {
      "Bloody January": 2.5, "January 2022": 1.5, "January events": 2, "January unrest": 2, "January riots": 2,
      "January protests": 1.5, "Qandy Qantar": 2.5, Kantar: 1.5, Qantar: 1.5,
      "январск* событи*": 2, "январск* беспорядк*": 2, "январск* протест*": 1.5, "январ* 2022": 1.5, "Кантар": 1.5,
      "Кровав* январ*": 2.5,
    },
  },
  "kyrgyzstan-2020-unrest": {
    requiresCountry: ["kyrgyzstan"],
    cues: {
      "October 2020": 1.5, "2020 unrest": 2, "2020 uprising": 2, "2020 revolution": 2, "2020 protests": 1.5,
      "October events": 1.5, "post-election unrest": 1, "post-election protests": 1,
      "октябр* 2020": 1.5, "октябрьск* событи*": 2, "событи* 2020": 1, "беспорядк* 2020": 1.5,
    },
  },
  "american-diplomats-in-central-asia": {
    requiresCountry: CENTRAL_ASIA,
    cues: {
      "former U.S. ambassador": 2.5, "former US ambassador": 2.5, "former American ambassador": 2.5, "U.S. ambassador": 1.5,
      "US ambassador": 1.5, "American ambassador": 1.5, "American diplomat": 1.5, "U.S. diplomat": 1.5, "US diplomat": 1.5,
      "посол США": 1.5, "посла США": 1.5, "американск* дипломат*": 1.5, "американск* посол*": 1.5,
    },
  },
});
