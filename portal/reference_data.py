"""Reference data of the identity layer: the 18 French regions (INSEE codes), NAF rev. 2 sections and
the manufacturing divisions 10 to 33, in French and English.

Loaded by a data migration; loading again updates labels without duplicating rows.
"""

REGIONS = [
    ("01", "Guadeloupe", "Guadeloupe"),
    ("02", "Martinique", "Martinique"),
    ("03", "Guyane", "French Guiana"),
    ("04", "La Réunion", "Réunion"),
    ("06", "Mayotte", "Mayotte"),
    ("11", "Île-de-France", "Île-de-France"),
    ("24", "Centre-Val de Loire", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté", "Bourgogne-Franche-Comté"),
    ("28", "Normandie", "Normandy"),
    ("32", "Hauts-de-France", "Hauts-de-France"),
    ("44", "Grand Est", "Grand Est"),
    ("52", "Pays de la Loire", "Pays de la Loire"),
    ("53", "Bretagne", "Brittany"),
    ("75", "Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
    ("76", "Occitanie", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse", "Corsica"),
]

SECTIONS = [
    ("A", "Agriculture, sylviculture et pêche", "Agriculture, forestry and fishing"),
    ("B", "Industries extractives", "Mining and quarrying"),
    ("C", "Industrie manufacturière", "Manufacturing"),
    (
        "D",
        "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
        "Electricity, gas, steam and air conditioning supply",
    ),
    (
        "E",
        "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    ("F", "Construction", "Construction"),
    (
        "G",
        "Commerce ; réparation d'automobiles et de motocycles",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    ("H", "Transports et entreposage", "Transportation and storage"),
    ("I", "Hébergement et restauration", "Accommodation and food service activities"),
    ("J", "Information et communication", "Information and communication"),
    ("K", "Activités financières et d'assurance", "Financial and insurance activities"),
    ("L", "Activités immobilières", "Real estate activities"),
    ("M", "Activités spécialisées, scientifiques et techniques", "Professional, scientific and technical activities"),
    ("N", "Activités de services administratifs et de soutien", "Administrative and support service activities"),
    ("O", "Administration publique", "Public administration and defence; compulsory social security"),
    ("P", "Enseignement", "Education"),
    ("Q", "Santé humaine et action sociale", "Human health and social work activities"),
    ("R", "Arts, spectacles et activités récréatives", "Arts, entertainment and recreation"),
    ("S", "Autres activités de services", "Other service activities"),
    (
        "T",
        "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages en tant que "
        "producteurs de biens et services pour usage propre",
        "Activities of households as employers; undifferentiated goods- and services-producing activities of "
        "households for own use",
    ),
    ("U", "Activités extra-territoriales", "Activities of extraterritorial organisations and bodies"),
]

MANUFACTURING_DIVISIONS = [
    ("10", "Industries alimentaires", "Manufacture of food products"),
    ("11", "Fabrication de boissons", "Manufacture of beverages"),
    ("12", "Fabrication de produits à base de tabac", "Manufacture of tobacco products"),
    ("13", "Fabrication de textiles", "Manufacture of textiles"),
    ("14", "Industrie de l'habillement", "Manufacture of wearing apparel"),
    ("15", "Industrie du cuir et de la chaussure", "Manufacture of leather and related products"),
    (
        "16",
        "Travail du bois et fabrication d'articles en bois et en liège, à l'exception des meubles ; "
        "fabrication d'articles en vannerie et sparterie",
        "Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of "
        "straw and plaiting materials",
    ),
    ("17", "Industrie du papier et du carton", "Manufacture of paper and paper products"),
    ("18", "Imprimerie et reproduction d'enregistrements", "Printing and reproduction of recorded media"),
    ("19", "Cokéfaction et raffinage", "Manufacture of coke and refined petroleum products"),
    ("20", "Industrie chimique", "Manufacture of chemicals and chemical products"),
    ("21", "Industrie pharmaceutique", "Manufacture of basic pharmaceutical products and pharmaceutical preparations"),
    ("22", "Fabrication de produits en caoutchouc et en plastique", "Manufacture of rubber and plastic products"),
    (
        "23",
        "Fabrication d'autres produits minéraux non métalliques",
        "Manufacture of other non-metallic mineral products",
    ),
    ("24", "Métallurgie", "Manufacture of basic metals"),
    (
        "25",
        "Fabrication de produits métalliques, à l'exception des machines et des équipements",
        "Manufacture of fabricated metal products, except machinery and equipment",
    ),
    (
        "26",
        "Fabrication de produits informatiques, électroniques et optiques",
        "Manufacture of computer, electronic and optical products",
    ),
    ("27", "Fabrication d'équipements électriques", "Manufacture of electrical equipment"),
    ("28", "Fabrication de machines et équipements n.c.a.", "Manufacture of machinery and equipment n.e.c."),
    ("29", "Industrie automobile", "Manufacture of motor vehicles, trailers and semi-trailers"),
    ("30", "Fabrication d'autres matériels de transport", "Manufacture of other transport equipment"),
    ("31", "Fabrication de meubles", "Manufacture of furniture"),
    ("32", "Autres industries manufacturières", "Other manufacturing"),
    (
        "33",
        "Réparation et installation de machines et d'équipements",
        "Repair and installation of machinery and equipment",
    ),
]


def load_reference_data(apps):
    """Create or update the reference rows; `apps` is a migration's app registry or the live one."""
    Region = apps.get_model("portal", "Region")
    NafCode = apps.get_model("portal", "NafCode")
    for code, label_fr, label_en in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"label_fr": label_fr, "label_en": label_en})
    for code, label_fr, label_en in SECTIONS:
        NafCode.objects.update_or_create(
            code=code, defaults={"level": "section", "section": None, "label_fr": label_fr, "label_en": label_en}
        )
    manufacturing = NafCode.objects.get(code="C")
    for code, label_fr, label_en in MANUFACTURING_DIVISIONS:
        NafCode.objects.update_or_create(
            code=code,
            defaults={"level": "division", "section": manufacturing, "label_fr": label_fr, "label_en": label_en},
        )
