"""Synthetic master data: parties, sites, products, and their EPCIS vocabularies."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from loaders.generator.clock import Zone
from loaders.generator.rand import StableRandom

CBV = "urn:epcglobal:cbv:mda#"
TG = "https://tracegraph.dev/mda#"
VT_PARTY = "urn:epcglobal:epcis:vtype:Party"
VT_LOCATION = "urn:epcglobal:epcis:vtype:BusinessLocation"
VT_CLASS = "urn:epcglobal:epcis:vtype:EPCClass"

MANUFACTURER_CP = "0614141"


# --------------------------------------------------------------------------- places

@dataclass(frozen=True)
class City:
    name: str
    postal: str
    zone: Zone


@dataclass(frozen=True)
class Country:
    code: str
    region: str
    style: str  # address / naming conventions
    tld: str
    gs1: tuple[str, ...]  # 3-digit GS1 member-organisation prefixes
    legal: tuple[str, ...]
    cities: tuple[City, ...]


def _c(name: str, postal: str, std: int, dst: str | None = None) -> City:
    return City(name, postal, Zone(std, dst))


COUNTRIES: dict[str, Country] = {c.code: c for c in (
    Country("US", "NA", "en_us", "org", ("061", "070", "081", "085", "086", "089"), ("Inc.", "LLC", "Corp."), (
        _c("Boston", "02114", -300, "US"), _c("New York", "10016", -300, "US"),
        _c("Philadelphia", "19104", -300, "US"), _c("Baltimore", "21287", -300, "US"),
        _c("Atlanta", "30322", -300, "US"), _c("Miami", "33136", -300, "US"),
        _c("Cleveland", "44195", -300, "US"), _c("Chicago", "60611", -360, "US"),
        _c("Houston", "77030", -360, "US"), _c("Dallas", "75390", -360, "US"),
        _c("Nashville", "37232", -360, "US"), _c("Rochester", "55905", -360, "US"),
        _c("Denver", "80045", -420, "US"), _c("Phoenix", "85006", -420),
        _c("Los Angeles", "90048", -480, "US"), _c("San Francisco", "94143", -480, "US"),
        _c("Seattle", "98195", -480, "US"), _c("Portland", "97239", -480, "US"))),
    Country("CA", "NA", "en_gb", "ca", ("754", "755"), ("Inc.", "Ltd."), (
        _c("Toronto", "M5G 2C4", -300, "US"), _c("Montréal", "H3A 1A1", -300, "US"),
        _c("Vancouver", "V5Z 1M9", -480, "US"), _c("Calgary", "T2N 2T9", -420, "US"))),
    Country("DE", "EMEA", "de", "de", ("400", "401", "402", "403", "404", "405", "406", "407"), ("GmbH", "AG"), (
        _c("Berlin", "10117", 60, "EU"), _c("Hamburg", "20251", 60, "EU"), _c("München", "81377", 60, "EU"),
        _c("Köln", "50937", 60, "EU"), _c("Frankfurt am Main", "60590", 60, "EU"),
        _c("Heidelberg", "69120", 60, "EU"), _c("Leipzig", "04103", 60, "EU"), _c("Erlangen", "91054", 60, "EU"))),
    Country("FR", "EMEA", "fr", "fr", ("300", "310", "320", "330", "340", "350"), ("SAS", "SA"), (
        _c("Paris", "75013", 60, "EU"), _c("Lyon", "69003", 60, "EU"), _c("Marseille", "13005", 60, "EU"),
        _c("Lille", "59037", 60, "EU"), _c("Toulouse", "31059", 60, "EU"), _c("Bordeaux", "33076", 60, "EU"))),
    Country("GB", "EMEA", "en_gb", "co.uk", ("500", "501", "502", "503", "504", "505"), ("Ltd", "plc"), (
        _c("London", "SE1 7EH", 0, "EU"), _c("Manchester", "M13 9WL", 0, "EU"), _c("Birmingham", "B15 2GW", 0, "EU"),
        _c("Leeds", "LS1 3EX", 0, "EU"), _c("Glasgow", "G51 4TF", 0, "EU"), _c("Oxford", "OX3 9DU", 0, "EU"))),
    Country("IE", "EMEA", "en_gb", "ie", ("539",), ("Ltd", "DAC"), (
        _c("Dublin", "D07 R2WY", 0, "EU"), _c("Cork", "T12 DC4A", 0, "EU"), _c("Limerick", "V94 F858", 0, "EU"))),
    Country("NL", "EMEA", "nl", "nl", ("870", "871", "872", "873"), ("B.V.", "N.V."), (
        _c("Amsterdam", "1105 AZ", 60, "EU"), _c("Rotterdam", "3015 GD", 60, "EU"),
        _c("Utrecht", "3584 CX", 60, "EU"), _c("Eindhoven", "5623 EJ", 60, "EU"))),
    Country("IT", "EMEA", "it", "it", ("800", "801", "802", "803", "805", "809"), ("S.p.A.", "S.r.l."), (
        _c("Milano", "20122", 60, "EU"), _c("Roma", "00168", 60, "EU"), _c("Bologna", "40138", 60, "EU"),
        _c("Torino", "10126", 60, "EU"), _c("Napoli", "80131", 60, "EU"))),
    Country("ES", "EMEA", "es", "es", ("840", "841", "842", "843"), ("S.A.", "S.L."), (
        _c("Madrid", "28046", 60, "EU"), _c("Barcelona", "08035", 60, "EU"), _c("Valencia", "46026", 60, "EU"),
        _c("Sevilla", "41013", 60, "EU"), _c("Bilbao", "48013", 60, "EU"))),
    Country("CH", "EMEA", "de", "ch", ("760", "761", "762", "764"), ("AG", "SA"), (
        _c("Zürich", "8091", 60, "EU"), _c("Bern", "3010", 60, "EU"), _c("Basel", "4031", 60, "EU"))),
    Country("SE", "EMEA", "sv", "se", ("730", "731", "733", "735"), ("AB",), (
        _c("Stockholm", "171 76", 60, "EU"), _c("Göteborg", "413 45", 60, "EU"), _c("Lund", "221 85", 60, "EU"))),
    Country("JP", "APAC", "ja", "jp", ("450", "451", "453", "456", "490", "491"), ("Co., Ltd.", "K.K."), (
        _c("Tokyo", "113-8655", 540), _c("Osaka", "565-0871", 540), _c("Kyoto", "606-8507", 540),
        _c("Nagoya", "466-8560", 540), _c("Fukuoka", "812-8582", 540))),
    Country("AU", "APAC", "en_gb", "com.au", ("930", "931", "932", "934"), ("Pty Ltd",), (
        _c("Sydney", "2050", 600, "AU"), _c("Melbourne", "3050", 600, "AU"), _c("Brisbane", "4029", 600),
        _c("Perth", "6009", 480), _c("Adelaide", "5000", 570, "AU"))),
    Country("SG", "APAC", "en_gb", "com.sg", ("888",), ("Pte. Ltd.",), (
        _c("Singapore", "169608", 480), _c("Singapore", "119074", 480), _c("Singapore", "308433", 480))),
    Country("IN", "APAC", "en_gb", "in", ("890",), ("Pvt. Ltd.", "Ltd."), (
        _c("Mumbai", "400012", 330), _c("New Delhi", "110029", 330), _c("Bengaluru", "560029", 330),
        _c("Chennai", "600116", 330))),
    Country("KR", "APAC", "ko", "co.kr", ("880",), ("Co., Ltd.",), (
        _c("Seoul", "03080", 540), _c("Busan", "49241", 540), _c("Daegu", "41944", 540))),
    Country("BR", "LATAM", "pt", "com.br", ("789", "790"), ("Ltda.", "S.A."), (
        _c("São Paulo", "05403-000", -180), _c("Rio de Janeiro", "22290-140", -180),
        _c("Belo Horizonte", "30130-100", -180), _c("Porto Alegre", "90035-903", -180),
        _c("Curitiba", "80060-900", -180))),
    Country("MX", "LATAM", "es", "com.mx", ("750",), ("S.A. de C.V.",), (
        _c("Ciudad de México", "14080", -360), _c("Guadalajara", "44340", -360), _c("Monterrey", "64460", -360))),
    Country("CO", "LATAM", "es", "com.co", ("770", "771"), ("S.A.S.",), (
        _c("Bogotá", "110111", -300), _c("Medellín", "050034", -300))),
    Country("AR", "LATAM", "es", "com.ar", ("779",), ("S.A.", "S.R.L."), (
        _c("Buenos Aires", "C1425", -180), _c("Córdoba", "X5000", -180))),
)}

REGION_COUNTRIES = {
    "NA": (("US", 85), ("CA", 15)),
    "EMEA": (("DE", 22), ("FR", 16), ("GB", 16), ("IT", 12), ("ES", 10), ("NL", 8), ("CH", 5), ("SE", 5), ("IE", 6)),
    "APAC": (("JP", 35), ("AU", 20), ("KR", 15), ("IN", 15), ("SG", 15)),
    "LATAM": (("BR", 45), ("MX", 30), ("CO", 13), ("AR", 12)),
}
REGION_WEIGHTS = (("NA", 40), ("EMEA", 35), ("APAC", 15), ("LATAM", 10))

STREETS = {
    "en_us": ("Main Street", "Longwood Avenue", "Medical Center Drive", "Park Avenue", "University Avenue",
              "Lakeshore Drive", "Hospital Parkway", "Commerce Drive", "Elm Street", "Oak Street",
              "Washington Street", "Jefferson Avenue", "Riverside Drive", "Market Street", "Harbor Boulevard"),
    "en_gb": ("High Street", "Hospital Road", "Station Road", "Queen's Road", "Victoria Street", "King Street",
              "Church Lane", "Park Road", "Albert Road", "Mill Lane", "Grosvenor Place", "Infirmary Way"),
    "de": ("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Robert-Koch-Straße", "Lindenallee",
           "Gartenstraße", "Schillerstraße", "Goethestraße", "Mühlenweg", "Albert-Schweitzer-Straße"),
    "fr": ("rue de la République", "avenue Jean Jaurès", "boulevard Pasteur", "rue Victor Hugo",
           "avenue de la Libération", "quai Claude Bernard", "rue des Lilas", "boulevard de l'Hôpital"),
    "it": ("Via Roma", "Via Garibaldi", "Viale Europa", "Corso Italia", "Via Giuseppe Mazzini",
           "Via della Libertà", "Viale dell'Ospedale"),
    "es": ("Calle Mayor", "Avenida de la Constitución", "Calle de Alcalá", "Paseo de la Reforma",
           "Avenida del Libertador", "Calle San Vicente", "Avenida Principal", "Calle del Hospital"),
    "pt": ("Rua Augusta", "Avenida Paulista", "Rua das Flores", "Avenida Brasil", "Rua Dr. Arnaldo",
           "Rua Voluntários da Pátria", "Avenida Ipiranga"),
    "nl": ("Stationsplein", "Meibergdreef", "Kerkstraat", "Hoofdweg", "Laan van Europa", "Molenweg"),
    "sv": ("Storgatan", "Drottninggatan", "Kungsgatan", "Sjukhusvägen", "Industrivägen", "Vasagatan"),
    "ja": ("Hongo, Bunkyo-ku", "Shinanomachi, Shinjuku-ku", "Yamadaoka, Suita", "Shogoin, Sakyo-ku",
           "Tsurumai, Showa-ku", "Higashi-ku"),
    "ko": ("Daehak-ro", "Teheran-ro", "Sejong-daero", "Olympic-ro", "Gudeok-ro"),
}

HOSPITAL_NAMES = {
    "en_us": ("{city} General Hospital", "St. {saint} Medical Center", "{surname} Memorial Hospital",
              "University of {city} Medical Center", "{city} Children's Hospital", "Mercy Hospital {city}",
              "{city} Regional Medical Center", "{surname} Heart Institute"),
    "en_gb": ("{city} Royal Infirmary", "St {saint}'s Hospital", "{city} General Hospital",
              "{city} University Hospital", "Royal {city} Hospital", "{surname} Private Hospital"),
    "de": ("Klinikum {city}", "Universitätsklinikum {city}", "St.-{saint}-Krankenhaus {city}",
           "Städtisches Klinikum {city}", "Herzzentrum {city}", "Evangelisches Krankenhaus {city}"),
    "fr": ("CHU de {city}", "Hôpital Saint-{saint}", "Centre Hospitalier de {city}", "Clinique du Parc {city}",
           "Hôpital Privé {city} {surname}"),
    "it": ("Ospedale San {saint}", "Policlinico di {city}", "Azienda Ospedaliera di {city}",
           "Ospedale Maggiore di {city}"),
    "es": ("Hospital Universitario de {city}", "Hospital San {saint}", "Hospital General de {city}",
           "Clínica {surname}", "Centro Médico {city}"),
    "pt": ("Hospital das Clínicas de {city}", "Hospital São {saint}", "Santa Casa de {city}", "Hospital {surname}"),
    "nl": ("Ziekenhuis {city}", "{city} Medisch Centrum", "Sint {saint} Gasthuis",
           "Universitair Medisch Centrum {city}"),
    "sv": ("{city} universitetssjukhus", "Sankt {saint}s sjukhus", "{city} lasarett"),
    "ja": ("{city} University Hospital", "{city} Medical Center", "{city} Red Cross Hospital",
           "{surname} Memorial Hospital"),
    "ko": ("{city} National University Hospital", "{city} {surname} Medical Center", "{city} Medical Center"),
}
SAINTS = {
    "en_us": ("Mary", "Joseph", "Luke", "Vincent", "Francis", "Elizabeth", "Anthony", "Jude", "Catherine"),
    "en_gb": ("Thomas", "George", "Mary", "James", "Bartholomew", "Luke", "Vincent"),
    "de": ("Joseph", "Elisabeth", "Marien", "Vincenz", "Hedwig", "Franziskus", "Martin"),
    "fr": ("Antoine", "Louis", "Joseph", "Vincent", "Jacques", "Camille"),
    "it": ("Raffaele", "Giovanni", "Paolo", "Martino", "Gerardo", "Camillo"),
    "es": ("Pablo", "Rafael", "Juan de Dios", "Carlos", "Jorge", "Cecilio"),
    "pt": ("Lucas", "José", "Rafael", "Vicente", "Luiz", "Marcos"),
    "nl": ("Antonius", "Franciscus", "Elisabeth", "Lucas", "Jansdal"),
    "sv": ("Göran", "Erik", "Lars"),
}
SURNAMES = {
    "en_us": ("Whitmore", "Hartley", "Caldwell", "Brennan", "Ashford", "Sinclair", "Lowell", "Prescott"),
    "en_gb": ("Harrington", "Delaney", "Whitcombe", "Pemberton", "Fairfax"),
    "fr": ("Lemaire", "Fontaine", "Rousseau", "Marchand"),
    "es": ("Olivares", "Mendoza", "Castellanos", "Ibarra", "Quintana"),
    "pt": ("Moinhos", "Oliveira", "Albuquerque", "Sirio"),
    "ja": ("Sato", "Takahashi", "Kobayashi", "Yamamoto"),
    "ko": ("Hanmaeum", "Seongsim", "Dongsan"),
}
DISTRIBUTOR_WORDS = ("Apex", "Summit", "Harbor", "Northstar", "Keystone", "Pioneer", "Crescent", "Atlas", "Beacon",
                     "Cedar", "Continental", "Evergreen", "Frontier", "Granite", "Horizon", "Liberty", "Pacific",
                     "Sterling", "Trident", "Vanguard", "Westbrook", "Alpine", "Nordlicht", "Iberia", "Andes",
                     "Southern Cross", "Sakura", "Lotus", "Polaris", "Orion")
DISTRIBUTOR_KINDS = {
    "en_us": ("Medical Supply", "Healthcare Logistics", "Surgical Distribution", "Hospital Supply"),
    "en_gb": ("Medical Supplies", "Healthcare Logistics", "Hospital Supplies"),
    "de": ("Medizintechnik Vertrieb", "Klinikbedarf", "Medical Logistik"),
    "fr": ("Distribution Médicale", "Fournitures Hospitalières"),
    "it": ("Forniture Ospedaliere", "Distribuzione Medicale"),
    "es": ("Suministros Médicos", "Distribuidora Hospitalaria"),
    "pt": ("Distribuidora Hospitalar", "Produtos Médicos"),
    "nl": ("Medische Groothandel", "Zorglogistiek"),
    "sv": ("Medicinteknik", "Sjukvårdslogistik"),
    "ja": ("Medical Trading", "Iryo Shoji"),
    "ko": ("Medical Trading", "Healthcare Logistics"),
}
CONTACT_LOCAL = {"hospital": ("materials.management", "supplychain", "purchasing", "biomed"),
                 "distributor": ("orders", "customer.service", "logistics")}


def _street(rng: StableRandom, style: str) -> str:
    s = rng.choice(STREETS[style])
    n = rng.randint(1, 250)
    if style in ("en_us",):
        return f"{rng.randint(100, 9800)} {s}"
    if style in ("en_gb", "fr", "ko"):
        return f"{n} {s}"
    if style in ("es", "pt"):
        return f"{s}, {n}"
    if style == "ja":
        return f"{rng.randint(1, 7)}-{rng.randint(1, 30)}-{rng.randint(1, 20)} {s}"
    return f"{s} {n}"


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower().replace("'", ""))
    stop = {"st", "of", "de", "di", "del", "das", "the", "la", "le", "du"}
    return "-".join([w for w in words if w not in stop][:3]) or "site"


# --------------------------------------------------------------------------- entities

@dataclass(eq=False)
class Party:
    cp: str
    name: str
    role: str  # manufacturer | supplier | distributor | hospital
    channel: str  # own | supply | direct | wholesale | gpo
    region: str
    country: str
    city: str
    street: str
    postal: str
    contact: str
    ref: str = "00000"

    @property
    def pgln(self) -> str:
        return f"urn:epc:id:pgln:{self.cp}.{self.ref}"


@dataclass(eq=False)
class Site:
    owner: Party
    loc_ref: str
    ext: str
    name: str
    site_type: str  # supplier | factory | line | warehouse | distributor | hospital
    region: str
    country: str
    city: str
    street: str
    postal: str
    zone: Zone
    parent: Site | None = None
    lines: list[Site] = field(default_factory=list)
    # generation-only traits (not exported)
    weight: float = 1.0
    receive_disposition: str = "in_progress"
    hospitals: list[Site] = field(default_factory=list)  # a distributor's customers
    hospital_cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sgln = f"urn:epc:id:sgln:{self.owner.cp}.{self.loc_ref}.{self.ext}"
        # Shared, never-mutated dicts: events reference them instead of rebuilding.
        self.ref = {"id": self.sgln}
        self.sources = [{"type": "owning_party", "source": self.owner.pgln},
                        {"type": "location", "source": self.sgln}]
        self.destinations = [{"type": "owning_party", "destination": self.owner.pgln},
                             {"type": "location", "destination": self.sgln}]


@dataclass(eq=False)
class Product:
    maker: Party
    item_ref: str  # indicator digit + item reference
    name: str
    kind: str  # finished_good | subassembly | component
    code: str  # prefix of serials and lot numbers
    product_line: str | None = None
    device_class: str | None = None
    shelf_days: int = 1095
    # component or material: (input material, amount per unit); subassembly: ((component, per unit), ...)
    raw: tuple[Product, float] | None = None
    bom: tuple[tuple[Product, int], ...] = ()
    uom: str | None = None
    lot_size: tuple[int, int] = (3000, 9000)
    # serialised inputs, one each per unit (finished goods, and the "deep" shape's core assemblies)
    subassemblies: tuple[Product, ...] = ()
    # finished goods only
    final_parts: tuple[tuple[Product, int], ...] = ()
    case_size: int = 20
    pack_size: int = 0  # devices per inner pack; 0: devices go straight into cases
    cases_per_pallet: int = 8
    use_step: str = "dispensing"
    demand: int = 10
    factories: tuple[Site, ...] = ()
    site: Site | None = None  # where a supplier makes it

    def __post_init__(self) -> None:
        assert len(self.maker.cp) + len(self.item_ref) == 13
        self.epc_class = f"urn:epc:idpat:sgtin:{self.maker.cp}.{self.item_ref}.*"
        self.sgtin_prefix = f"urn:epc:id:sgtin:{self.maker.cp}.{self.item_ref}."
        self.lgtin_prefix = f"urn:epc:class:lgtin:{self.maker.cp}.{self.item_ref}."


@dataclass
class MasterData:
    manufacturer: Party
    suppliers: list[Party]
    distributors: list[Site]
    hospitals: list[Site]
    factories: list[Site]
    dcs: list[Site]
    supplier_sites: list[Site]
    products: list[Product]
    finished_goods: list[Product]
    dc_customers: dict[str, tuple[list[Site], list[float]]]  # dc sgln → (customers, cumulative weights)
    dc_weights: list[float]

    @property
    def parties(self) -> list[Party]:
        return ([self.manufacturer] + self.suppliers + [s.owner for s in self.distributors]
                + [s.owner for s in self.hospitals])

    @property
    def sites(self) -> list[Site]:
        out: list[Site] = []
        for f in self.factories:
            out += [f, *f.lines]
        return out + self.dcs + self.supplier_sites + self.distributors + self.hospitals


# --------------------------------------------------------------------------- building

def _company_site(owner: Party, loc_ref: str, name: str, site_type: str, zone: Zone, *, city=None,
                  street=None, postal=None, country=None, region=None) -> Site:
    return Site(owner, loc_ref, "0", name, site_type, region or owner.region, country or owner.country,
                city or owner.city, street or owner.street, postal or owner.postal, zone)


def build(rng: StableRandom, serials: int, shape: str = "standard") -> MasterData:
    """All master data for a run; party counts scale with `serials` (capped).

    `shape="deep"` changes only the products (longer bills of materials, inner
    packs), so parties and sites are the same as for "standard".
    """
    n_hosp = max(3, min(200, round(serials / 100)))
    n_dist = max(2, min(20, n_hosp // 10))
    n_dcs = 3 if n_hosp >= 60 else 2

    used_cps = {MANUFACTURER_CP, "4012345", "4000001", "4569951"}
    mfr = Party(MANUFACTURER_CP, "Meridian Medical Systems, Inc.", "manufacturer", "own", "NA", "US",
                "Plymouth", "3000 Xenium Lane North", "55441", "traceability@meridian-medsys.com")
    suppliers = [
        Party("4012345", "Kessler Präzisionstechnik GmbH", "supplier", "supply", "EMEA", "DE", "Tuttlingen",
              "Daimlerstraße 14", "78532", "vertrieb@kessler-praezision.de"),
        Party("4000001", "Rheinland Medical Polymers GmbH", "supplier", "supply", "EMEA", "DE", "Aachen",
              "Pascalstraße 8", "52076", "sales@rheinland-polymers.de"),
        Party("4569951", "Hoshida Denshi Co., Ltd.", "supplier", "supply", "APAC", "JP", "Kyoto",
              "3-12 Nishikujo, Minami-ku", "601-8412", "export@hoshida-denshi.co.jp"),
    ]
    eu, us_central, jst = Zone(60, "EU"), Zone(-360, "US"), Zone(540)
    supplier_sites = [
        _company_site(suppliers[0], "00010", "Kessler Werk Tuttlingen", "supplier", eu),
        _company_site(suppliers[1], "00010", "Rheinland Polymers Werk Aachen", "supplier", eu),
        _company_site(suppliers[2], "00010", "Hoshida Kyoto Works", "supplier", jst),
    ]
    factories = [
        _company_site(mfr, "00101", "Meridian Plymouth Plant", "factory", us_central),
        _company_site(mfr, "00102", "Meridian Galway Plant", "factory", Zone(0, "EU"), city="Galway",
                      street="Parkmore Business Park West", postal="H91 K5YD", country="IE", region="EMEA"),
    ]
    for f in factories:
        for n in (1, 2):
            line = Site(mfr, f.loc_ref, str(n), f"{f.name} - Assembly Line {n}", "line", f.region, f.country,
                        f.city, f.street, f.postal, f.zone, parent=f)
            f.lines.append(line)
    dcs = [
        _company_site(mfr, "00201", "Meridian Memphis Distribution Center", "warehouse", us_central,
                      city="Memphis", street="4750 Tchulahoma Road", postal="38118"),
        _company_site(mfr, "00202", "Meridian EMEA Distribution Center Venlo", "warehouse", Zone(60, "EU"),
                      city="Venlo", street="Greenportlaan 10", postal="5928 RB", country="NL", region="EMEA"),
        _company_site(mfr, "00203", "Meridian APAC Distribution Center Singapore", "warehouse", Zone(480),
                      city="Singapore", street="21 Tuas South Avenue 2", postal="637601", country="SG",
                      region="APAC"),
    ][:n_dcs]
    dc_for_region = {"NA": dcs[0], "LATAM": dcs[0], "EMEA": dcs[1], "APAC": dcs[2] if n_dcs > 2 else dcs[1]}

    def new_cp(country: Country) -> str:
        while True:
            cp = rng.choice(country.gs1) + f"{rng.randint(0, 9999):04d}"
            if cp not in used_cps:
                used_cps.add(cp)
                return cp

    def pick_region(i: int) -> str:
        # The first parties cover the regions so that tiny runs are still varied.
        order = ("NA", "EMEA", "APAC", "LATAM")
        if i < len(order):
            return order[i]
        return rng.weighted([r for r, _ in REGION_WEIGHTS], [w for _, w in REGION_WEIGHTS])

    def pick_place(region: str) -> tuple[Country, City]:
        codes = REGION_COUNTRIES[region]
        country = COUNTRIES[rng.weighted([c for c, _ in codes], [w for _, w in codes])]
        return country, rng.choice(country.cities)

    names: set[str] = set()
    keys: set[str] = set()

    def unique(make, key=None) -> str:
        for _ in range(40):
            name = make()
            if name not in names and (key is None or key(name) not in keys):
                break
        else:
            base, n = name, 2
            while name in names:
                name, n = f"{base} - Campus {n}", n + 1
        names.add(name)
        if key is not None:
            keys.add(key(name))
        return name

    distributors: list[Site] = []
    for i in range(n_dist):
        region = pick_region(i)
        country, city = pick_place(region)
        # Keyed on the first word: "Orion ... AG" and "Orion ... GmbH" would read as one company.
        name = unique(lambda: f"{rng.choice(DISTRIBUTOR_WORDS)} {rng.choice(DISTRIBUTOR_KINDS[country.style])} "
                              f"{rng.choice(country.legal)}", key=lambda n: n.split()[0])
        channel = "gpo" if rng.random() < 0.25 else "wholesale"
        contact = f"{rng.choice(CONTACT_LOCAL['distributor'])}@{slug(name)}.{country.tld}"
        street = _street(rng, country.style)
        p = Party(new_cp(country), name, "distributor", channel, region, country.code, city.name, street,
                  city.postal, contact)
        site = Site(p, "00010", "0", f"{name} - {city.name} Warehouse", "distributor", region, country.code,
                    city.name, street, city.postal, city.zone)
        distributors.append(site)

    hospitals: list[Site] = []
    for i in range(n_hosp):
        region = pick_region(i)
        country, city = pick_place(region)
        style = country.style
        name = unique(lambda: rng.choice(HOSPITAL_NAMES[style]).format(
            city=city.name, saint=rng.choice(SAINTS.get(style, SAINTS["en_gb"])),
            surname=rng.choice(SURNAMES.get(style, SURNAMES["en_gb"]))))
        channel = ("direct", "wholesale", "gpo")[i] if i < 3 else rng.weighted(
            ("direct", "wholesale", "gpo"), (30, 50, 20))
        contact = f"{rng.choice(CONTACT_LOCAL['hospital'])}@{slug(name)}.{country.tld}"
        street = _street(rng, style)
        p = Party(new_cp(country), name, "hospital", channel, region, country.code, city.name, street,
                  city.postal, contact)
        site = Site(p, "00010", "0", name, "hospital", region, country.code, city.name, street, city.postal,
                    city.zone)
        site.weight = round(rng.lognormal(5.5, 0.6))  # ~ bed count: a few big hospitals take most
        site.receive_disposition = "active" if rng.random() < 0.3 else "in_progress"
        hospitals.append(site)

    # Wholesale/GPO hospitals buy from 1–2 distributors of their region (any, if none there).
    for h in hospitals:
        if h.owner.channel == "direct":
            continue
        pool = [d for d in distributors if d.region == h.region] or distributors
        for d in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2)))):
            d.hospitals.append(h)
    for d in distributors:
        if not d.hospitals:  # every distributor needs someone to sell to
            pool = [h for h in hospitals if h.region == d.region] or hospitals
            d.hospitals.append(rng.choice(pool))
        d.weight = sum(h.weight for h in d.hospitals)
        d.hospital_cum = _cumulative([h.weight for h in d.hospitals])

    dc_customers: dict[str, tuple[list[Site], list[float]]] = {}
    dc_weights = []
    for dc in dcs:
        custs = [h for h in hospitals if h.owner.channel == "direct" and dc_for_region[h.region] is dc]
        custs += [d for d in distributors if dc_for_region[d.region] is dc]
        dc_customers[dc.sgln] = (custs, _cumulative([c.weight for c in custs]))
        dc_weights.append(sum(c.weight for c in custs))

    products, finished = _products(mfr, suppliers, supplier_sites, factories, shape == "deep")
    return MasterData(mfr, suppliers, distributors, hospitals, factories, dcs, supplier_sites, products,
                      finished, dc_customers, dc_weights)


def _cumulative(weights: list[float]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _products(mfr, suppliers, supplier_sites, factories, deep=False):
    s_kessler, s_rheinland, s_hoshida = suppliers
    site = dict(zip((p.cp for p in suppliers), supplier_sites))
    plymouth, galway = factories

    def comp(maker, ref, name, code, raw=None, lot=(3000, 9000), shelf=1825):
        return Product(maker, ref, name, "component", code, product_line="Components", shelf_days=shelf,
                       raw=raw, lot_size=lot, site=site[maker.cp])

    def rawm(maker, ref, name, code, uom=None, lot=(400, 1200)):
        return Product(maker, ref, name, "component", code, product_line="Raw Materials", shelf_days=1460,
                       uom=uom, lot_size=lot, site=site[maker.cp])

    wafer = rawm(s_kessler, "099001", "Silicon Wafer 150 mm, MEMS Grade", "WF", lot=(60, 150))
    resin = rawm(s_rheinland, "099002", "Medical-Grade Polycarbonate Resin", "PC", uom="KGM", lot=(2000, 6000))
    lsr = rawm(s_rheinland, "099003", "Liquid Silicone Rubber Compound", "LS", uom="KGM", lot=(500, 1500))

    motor = comp(s_kessler, "011223", "Brushless DC Micro Motor 12 V", "KM")
    sensor = comp(s_kessler, "011224", "Piezoresistive Pressure Sensor", "KP", raw=(wafer, 1 / 400))
    housing = comp(s_rheinland, "022301", "Polycarbonate Device Housing", "RH", raw=(resin, 0.35))
    tubing = comp(s_rheinland, "022302", "Silicone Tubing Set 3 mm", "RT", raw=(lsr, 0.04))
    battery = comp(s_hoshida, "033401", "Lithium-Ion Battery Pack 14.4 V", "HB", shelf=1095)
    pcb = comp(s_hoshida, "033402", "Main Control PCB Assembly", "HC")

    def sub(ref, name, code, line, cls, bom):
        return Product(mfr, ref, name, "subassembly", code, product_line=line, device_class=cls,
                       shelf_days=1460, bom=bom)

    drive = sub("030021", "Pump Drive Module", "PDM", "Infusion", "IIb", ((motor, 1), (sensor, 1), (tubing, 1)))
    control = sub("030022", "Control Electronics Module", "CEM", "Infusion", "IIb", ((pcb, 1), (battery, 1)))
    frontend = sub("030023", "Patient Sensor Front-End", "PSF", "Cardiac Monitoring", "IIb",
                   ((sensor, 2), (pcb, 1)))
    blower = sub("030024", "Blower Assembly", "BLA", "Respiratory", "IIb", ((motor, 2), (tubing, 2)))

    def fg(ref, name, code, line, cls, subs, parts, case, pallet, use, demand, facs, shelf):
        return Product(mfr, ref, name, "finished_good", code, product_line=line, device_class=cls,
                       shelf_days=shelf, subassemblies=subs, final_parts=parts, case_size=case,
                       cases_per_pallet=pallet, use_step=use, demand=demand, factories=facs)

    finished = [
        fg("020011", "VoluMed V7 Volumetric Infusion Pump", "VIP", "Infusion", "IIb", (drive, control),
           ((housing, 1),), 10, 8, "installing", 20, (plymouth, galway), 1825),
        fg("020012", "VoluMed S3 Syringe Pump", "SSP", "Infusion", "IIb", (drive,), ((housing, 1),),
           12, 8, "installing", 15, (plymouth, galway), 1825),
        fg("020013", "VoluMed Pole Mount with Power Hub", "PMH", "Infusion", "I", (control,), ((housing, 1),),
           40, 6, "installing", 8, (plymouth,), 3650),
        fg("020021", "CardioTrack M5 Patient Monitor", "CPM", "Cardiac Monitoring", "IIb", (frontend, control),
           ((housing, 1),), 10, 8, "installing", 15, (galway,), 1825),
        fg("020022", "CardioTrack H24 Holter ECG Recorder", "HER", "Cardiac Monitoring", "IIa", (frontend,),
           ((battery, 1),), 24, 10, "dispensing", 12, (galway,), 1460),
        fg("020023", "CardioPace DR Implantable Pacemaker", "IPG", "Cardiac Monitoring", "III", (frontend,),
           ((battery, 1),), 20, 10, "dispensing", 6, (galway,), 540),
        fg("020031", "AeroVent ICU Ventilator", "AIV", "Respiratory", "IIb", (blower, control),
           ((housing, 1),), 10, 4, "installing", 8, (plymouth,), 2555),
        fg("020032", "AeroVent Home CPAP System", "CPS", "Respiratory", "IIa", (blower,), ((housing, 1),),
           16, 8, "dispensing", 12, (plymouth,), 1825),
    ]
    products = [wafer, resin, lsr, motor, sensor, housing, tubing, battery, pcb, drive, control, frontend,
                blower, *finished]
    if deep:
        products += _deepen(mfr, suppliers, site, products, finished)
    return products, finished


# Devices per inner pack in the "deep" shape; a case holds case_size // pack_size packs.
PACK_SIZES = {"VIP": 2, "SSP": 3, "PMH": 5, "CPM": 2, "HER": 4, "IPG": 4, "AIV": 2, "CPS": 4}


def _deepen(mfr, suppliers, site, products, finished) -> list[Product]:
    """Turns the standard products into the "deep" shape; returns the new products.

    Suppliers process raw material before it becomes a component, sensors go
    into transducer modules, and every device is built around one serialised
    core assembly, so the longest genealogy, wafer → die → sensor → transducer →
    module → core → device, is 6 transformations.
    """
    s_kessler, s_rheinland, s_hoshida = suppliers
    by_code = {p.code: p for p in products}
    wafer, resin, lsr, motor, sensor, housing, tubing, pcb = (
        by_code[c] for c in ("WF", "PC", "LS", "KM", "KP", "RH", "RT", "HC"))

    def part(maker, ref, name, code, raw, lot, line="Processed Materials", uom=None):
        return Product(maker, ref, name, "component", code, product_line=line, shelf_days=1460, raw=raw,
                       uom=uom, lot_size=lot, site=site[maker.cp])

    laminate = part(s_hoshida, "099004", "FR-4 Copper-Clad Laminate Panel", "FR", None, (300, 900),
                    "Raw Materials")
    die = part(s_kessler, "099011", "MEMS Pressure Sensing Die", "MD", (wafer, 1 / 400), (20000, 50000))
    bulk = part(s_rheinland, "099012", "Extruded Silicone Tubing 3 mm, Bulk", "ET", (lsr, 0.015),
                (20000, 60000), uom="MTR")
    compound = part(s_rheinland, "099013", "Tinted Polycarbonate Compound", "CG", (resin, 1.02),
                    (2000, 6000), uom="KGM")
    board = part(s_hoshida, "099014", "Bare Printed Circuit Board, 6-Layer", "HP", (laminate, 1 / 6),
                 (4000, 12000))
    transducer = part(s_kessler, "011225", "Pressure Transducer Module", "KT", (sensor, 1), (3000, 9000),
                      "Components")
    frame = part(s_kessler, "011226", "Machined Aluminium Chassis Frame", "KF", None, (3000, 9000), "Components")

    # Sensors are now made from dies and only used inside transducers; big lots fan out widely.
    sensor.raw, sensor.lot_size = (die, 1), (10000, 25000)
    housing.raw = (compound, 0.35)
    tubing.raw = (bulk, 1.6)
    pcb.raw = (board, 1)
    by_code["PDM"].bom = ((motor, 1), (transducer, 1), (tubing, 1))
    by_code["PSF"].bom = ((transducer, 2), (pcb, 1))
    by_code["BLA"].bom = ((motor, 2), (tubing, 2), (transducer, 1))

    cores = []
    for fg in finished:
        cores.append(Product(mfr, "04" + fg.item_ref[2:], f"{fg.name} Core Assembly", "subassembly",
                             fg.code + "C", product_line=fg.product_line, device_class=fg.device_class,
                             shelf_days=1460, bom=((frame, 1),), subassemblies=fg.subassemblies))
        fg.subassemblies = (cores[-1],)
        fg.pack_size = PACK_SIZES[fg.code]
    return [laminate, die, bulk, compound, board, transducer, frame, *cores]


# --------------------------------------------------------------------------- vocabularies

def _attrs(pairs) -> list[dict]:
    return [{"id": k, "attribute": v} for k, v in pairs if v is not None]


def _address(x) -> list[tuple[str, str]]:
    return [(CBV + "streetAddressOne", x.street), (CBV + "city", x.city), (CBV + "postalCode", x.postal),
            (CBV + "countryCode", x.country)]


def vocabulary_list(md: MasterData) -> list[dict]:
    parties = [{"id": p.pgln, "attributes": _attrs([
        (CBV + "name", p.name), *_address(p), (TG + "role", p.role), (TG + "channel", p.channel),
        (TG + "region", p.region), (TG + "contact", p.contact)])} for p in md.parties]
    sites = [{"id": s.sgln, "attributes": _attrs([
        (CBV + "name", s.name), *_address(s), (TG + "siteType", s.site_type), (TG + "owner", s.owner.pgln),
        (TG + "region", s.region), (TG + "parentSite", s.parent.sgln if s.parent else None)])} for s in md.sites]
    classes = [{"id": p.epc_class, "attributes": _attrs([
        (CBV + "name", p.name), (TG + "kind", p.kind), (TG + "productLine", p.product_line),
        (TG + "deviceClass", p.device_class), (TG + "manufacturer", p.maker.pgln)])} for p in md.products]
    return [{"type": VT_PARTY, "vocabularyElementList": parties},
            {"type": VT_LOCATION, "vocabularyElementList": sites},
            {"type": VT_CLASS, "vocabularyElementList": classes}]
