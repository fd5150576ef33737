# ruff: noqa: E501, RUF001  (addresses of other scripts)
"""Hand-written texts of issue 21, round 16, postal addresses (held back): private
people's home addresses of many countries, on their own line or inside a sentence, with
and without postcode and town, and look-alikes without any address (versions, prices,
quantities, times, road closures, log lines). The whole address is one LOCATION mark.
Marks: see build_marked.py."""

# Texts WITH an address. Markup: [[P:value]] PERSON, [[L:value]] LOCATION.
POSITIVES = [
    (
        "us",
        "Please send the refund cheque to [[L:2207 Maple Grove Ave, Dayton, OH 45406]] as soon as you can.",
    ),
    ("us", "Ship to:\n[[P:Darnell Whitcombe]]\n[[L:88 Juniper Hollow Rd\nAsheville, NC 28804]]"),
    (
        "us",
        "I moved last month, my new place is [[L:5120 N Kedzie Ave Apt 2B, Chicago, IL 60625]].",
    ),
    ("us", "Mail the signed lease to [[L:PO Box 4471, Flagstaff, AZ 86003]] before Friday."),
    ("us", "The parcel went to [[L:731 Elmwood Dr]] instead of my house, can you fix the label?"),
    ("uk", "Forwarding address: [[L:Flat 7, 42 Cromwell Terrace, Leeds LS6 2QT]]"),
    ("uk", "Could you post the keys to [[L:16 Brambley Close, Norwich NR4 7HJ]] please?"),
    ("uk", "She lives at [[L:3 Wharf Lane, Skipton]] now, since the divorce."),
    (
        "uk",
        "Delivery note: leave it with the neighbour at [[L:27 Sefton Park Road]], not at the door.",
    ),
    ("ie", "Our new address is [[L:14 Ashgrove Lawn, Ballincollig, Co. Cork P31 X2E4]] from May."),
    (
        "fr",
        "Merci d'envoyer le colis au [[L:8 impasse des Glycines, 44300 Nantes]], je serai là toute la journée.",
    ),
    ("fr", "Adresse de livraison : [[L:27 avenue Jean Jaurès, 69007 Lyon]]"),
    ("fr", "Mon nouveau domicile : [[L:5 allée des Peupliers, Rennes]] depuis janvier."),
    ("be", "Je woont nu op [[L:Kerkstraat 112, 9000 Gent]], klopt dat?"),
    ("de", "Bitte schicken Sie die Unterlagen an [[L:Lindenweg 7, 79102 Freiburg]], danke."),
    ("de", "Meine Anschrift hat sich geändert:\n[[L:Kastanienallee 58\n10435 Berlin]]"),
    ("de", "Wir treffen uns bei mir in der [[L:Schillerstraße 23, München]], zweiter Stock."),
    ("at", "Die Rechnung geht an [[L:Mariahilfer Gasse 9/14, 1060 Wien]]."),
    ("ch", "Neue Wohnadresse: [[L:Bergweg 4, 3012 Bern]]"),
    ("nl", "Stuur de sleutels naar [[L:Prinsengracht 431-2, 1016 HN Amsterdam]] alsjeblieft."),
    ("nl", "Mijn adres is [[L:Esdoornlaan 17, Utrecht]], bel maar aan."),
    ("es", "Envíame el paquete a [[L:Calle de Toledo 64, 3º B, 28005 Madrid]], por favor."),
    ("es", "Vivo en [[L:Avenida de la Constitución 12, Sevilla]] desde el verano."),
    ("co", "La dirección de entrega es [[L:Carrera 15 # 93-47, Bogotá]]."),
    ("it", "Spedite il pacco a [[L:Via Garibaldi 18, 40124 Bologna]], citofono Russo."),
    ("it", "Abito in [[L:Viale Monza 140, Milano]] al terzo piano."),
    ("se", "Skicka fakturan till [[L:Drottninggatan 9, 753 10 Uppsala]], tack."),
    ("no", "Ny adresse: [[L:Thereses gate 21, 0358 Oslo]]"),
    ("dk", "Pakken skal til [[L:Nørrebrogade 66, 2200 København N]]."),
    ("dk", "Jeg bor på [[L:Ryesvej 3, Aarhus]] nu."),
    ("ee", "Saada pakk aadressile [[L:Narva mnt 31, Tartu]], aitäh."),
    ("pl", "Proszę wysłać dokumenty na adres [[L:ul. Długa 14/6, 80-827 Gdańsk]]."),
    ("ru", "Мой адрес: [[L:г. Новосибирск, ул. Ленина, д. 27, кв. 12]]"),
    ("ru", "Отправьте посылку на [[L:пр. Мира, д. 5, кв. 81, Москва]], пожалуйста."),
    ("tr", "Kargoyu [[L:Bağdat Cad. No:214 D:7, Kadıköy/İstanbul]] adresine gönderin."),
    ("tr", "Evim [[L:Gül Sok. No:3, Çankaya/Ankara]] adresinde."),
    ("id", "Tolong kirim ke [[L:Jl. Diponegoro No. 45, Bandung]] ya."),
    ("au", "Postal address: [[L:Unit 5/22 Station St, Fairfield NSW 2165]]"),
    ("au", "We've moved to [[L:9 Banksia Cres, Mount Gravatt QLD 4122]] if you want to visit."),
    ("ca", "Send the form to [[L:1450 Rue Sherbrooke O, Montréal, QC H3G 1K4]] by mail."),
    ("nz", "My address is [[L:36 Kowhai Road, Whangārei 0112]] for the insurance claim."),
    ("jp", "Deliver it to [[L:Apt 402, 3-7-12 Kitazawa, Setagaya-ku, Tokyo 155-0031]] please."),
]

# Look-alikes without any address.
NEGATIVES = [
    ("version", "Upgrade from 3.4 to 3.5 before the Main St release branch is cut."),
    ("road", "Road 2 closed until Monday because of the flooding, use the bypass."),
    ("price", "The cottage pie costs 12 EUR and the side salad 4 EUR at lunch."),
    ("quantity", "Add 3 cups of flour and 2 tbsp of sugar, then bake for 40 minutes."),
    ("time", "Standup moved to 10:30 in room 4, the street team joins at 11."),
    ("log", "2026-03-04 12:01:33 INFO worker 17 street_index rebuilt 4821 rows in 3.2 s"),
    ("log", "GET /api/v2/avenue/42 200 13ms user_agent=curl/8.4"),
    ("sports", "Lane 4 won the 200 m in 22.1 s, lane 6 was second."),
    ("spec", "The Platz 3 board has 16 GB of RAM and 2 USB-C ports."),
    ("game", "Move your piece 5 squares along the road, then draw 2 cards."),
    ("bus", "Bus 14 runs every 20 minutes between the station and the hospital."),
    ("generic", "Most streets in the old town have numbers on both sides, odd on the left."),
    ("unit", "Unit 4 of the course covers recursion and takes about 6 hours."),
    ("suite", "The test suite 12 runs in 48 seconds on CI."),
    ("box", "Box 3 of 7: winter clothes, two scarves and the spare duvet."),
]
