# ruff: noqa: E501, RUF001
"""Hand-written texts of the third check set (round 16): invoices, shipping notices,
CSV and Markdown tables, vCards, OCR'd forms, letters and notices in other languages.
Each entry is (kind, hard-case tags, marked text[, listed values]); marks in
build_third.py."""

TEXTS = [
    (
        "invoice",
        "iban address",
        """INVOICE 2026-1187
[[O:Brennan & Vos Joinery Ltd]]
[[L:Unit 4, Quarry Road]], [[L:Galway]]

Bill to: [[P:Siobhán Fitzgerald-Nakamura]]
[[L:23 Claddagh Quay]], [[L:Galway]]

Oak staircase, fitted ........ EUR 6,480.00
Please pay to IBAN [[I:IE?? AIBK 9311 5212 3456 78]], ref 2026-1187.""",
    ),
    (
        "invoice",
        "german iban",
        """Rechnung Nr. 4471 – Fotografie Hochzeit
Leistungserbringer: [[P:Johanna Brückner]], [[L:Am Mühlbach 3]], [[L:Bamberg]]
Kunde: Herr und Frau [[P:Osterloh]]
Betrag: 1.850,00 €
Bankverbindung: [[I:DE?? 7705 0000 0300 2194 66]]
USt-IdNr. DE812449371""",
    ),
    (
        "invoice",
        "card receipt",
        """RECEIPT – Tidewater Kayak Rentals
Customer: [[P:Marcus Delgado-Byrne]]
Card: [[C:3782 822463 1000?]] (AMEX)
2 x double kayak, 4 h ..... $140.00
Signature on file. Thank you, [[P:Marcus]]!""",
        {"O": ["Tidewater Kayak Rentals"]},
    ),
    (
        "invoice",
        "freelance",
        """Invoice #37 from [[P:Amélie Tremblay]] (illustration)
To: [[O:Northbeam Games Inc.]], attn. [[P:Dwayne Kowalczyk]]
Payment: e-transfer to [[E:amelie.tremblay.art@courriel.ca]]
Questions: [[T:(514) 555-0199]]""",
    ),
    (
        "invoice",
        "french iban",
        """FACTURE F-2026-338
Émetteur : [[O:SARL Boulangerie Lecomte]], [[L:18 place du Marché]], [[L:Rennes]]
Client : M. [[P:Yannick Le Goff]]
Règlement par virement : [[I:FR?? 3000 4028 3798 7654 3210 943]]""",
    ),
    (
        "shipping",
        "address phone",
        """Your parcel is on its way!
Tracking: 1Z 999 AA1 01 2345 6784
Delivering to: [[P:Keziah Mensah-Holt]]
[[L:Flat 11, Harbour View]], [[L:Whitby]] YO21 1PT
We'll text [[T:07512 664 903]] on the day.""",
    ),
    (
        "shipping",
        "german",
        """Ihre Sendung 00340434161094020537 wird heute zugestellt.
Empfänger: [[P:Lukas Oberhuber]], [[L:Hauptstraße 42]], 5020 [[L:Salzburg]]
Bei Abwesenheit Abgabe bei Nachbar Fr. [[P:Pichler]].""",
    ),
    (
        "shipping",
        "customs form",
        """CN23 CUSTOMS DECLARATION
Sender: [[P:Aiko Fujimoto]], [[L:2-14-7 Kichijoji]], [[L:Musashino]], [[L:Tokyo]]
Recipient: [[P:Rangi Parata]], [[L:17 Kauri Street]], [[L:Whanganui]], NZ
Tel: [[T:+64 21 448 207]]
Contents: ceramics (gift), value JPY 8,000""",
    ),
    (
        "shipping",
        "lowercase sms",
        """[[O:DPD]]: hi [[P:tomasz]], your parcel from [[O:Lindqvist Cycles]] arrives today 13:04-14:04. driver: [[P:ahmed]]. change: [[U:dpd.co.uk/r/8KQ2M]]""",
    ),
    (
        "table",
        "csv",
        """customer_id,first_name,last_name,email,phone,city
1041,Hope,Adjei,hope.adjei@mailbox.gh,+233 20 771 4418,Accra
1042,Will,Strandberg,wstrandberg@fjordpost.se,+46 70 318 22 41,Malmö
1043,Xu,Mingyue,mingyue.xu@163-mail.cn,+86 139 0211 5587,Chengdu""",
        {
            "P": ["Hope", "Adjei", "Will", "Strandberg", "Xu", "Mingyue"],
            "E": ["hope.adjei@mailbox.gh", "wstrandberg@fjordpost.se", "mingyue.xu@163-mail.cn"],
            "T": ["+233 20 771 4418", "+46 70 318 22 41", "+86 139 0211 5587"],
            "L": ["Accra", "Malmö", "Chengdu"],
        },
    ),
    (
        "table",
        "markdown",
        """| Name | Role | Phone |
|---|---|---|
| Dr. Temperance Mbah | on-call lead | +44 7700 118 402 |
| Rhys ap Gwilym | backup | +44 7700 118 617 |
| May Lin Thu | pager | ext. 4410 |""",
        {
            "P": ["Temperance Mbah", "Rhys ap Gwilym", "May Lin Thu"],
            "T": ["+44 7700 118 402", "+44 7700 118 617", "ext. 4410"],
        },
    ),
    (
        "table",
        "tsv lowercase",
        """user	email	last_login_ip
aminata.toure	aminata.toure@sahelnet.sn	196.207.224.19
k.oduya	k.oduya@sahelnet.sn	41.82.113.250""",
        {
            "P": ["aminata.toure", "k.oduya"],
            "E": ["aminata.toure@sahelnet.sn", "k.oduya@sahelnet.sn"],
            "A": ["196.207.224.19", "41.82.113.250"],
        },
    ),
    (
        "table",
        "markdown rota word-name",
        """## Cleaning rota, December
| Week | Kitchen | Bathroom |
|---|---|---|
| 1 | Rose | Bill |
| 2 | Summer | Rose |
| 3 | Bill | Summer |""",
        {"P": ["Rose", "Bill", "Summer"]},
    ),
    (
        "table",
        "csv cards",
        """order,name,card,amount
A-771,[[P:Teodora Marinescu]],[[C:4111 2233 4455 667?]],89.00
A-772,[[P:Hakan Şahin]],[[C:5555 4444 3333 221?]],12.50""",
    ),
    (
        "vcard",
        "vcard",
        """BEGIN:VCARD
VERSION:3.0
N:Achterberg;Wilhelmina;;Dr.;
FN:Dr. Wilhelmina Achterberg
ORG:Zeeland Maritime Institute
TEL;TYPE=work:+31 118 65 4410
EMAIL:w.achterberg@zmi-research.nl
ADR;TYPE=work:;;Boulevard de Ruyter 12;Vlissingen;;4381 KB;Netherlands
END:VCARD""",
        {
            "P": ["Achterberg;Wilhelmina", "Wilhelmina Achterberg"],
            "O": ["Zeeland Maritime Institute"],
            "T": ["+31 118 65 4410"],
            "E": ["w.achterberg@zmi-research.nl"],
            "L": ["Boulevard de Ruyter 12", "Vlissingen"],
        },
    ),
    (
        "vcard",
        "vcard other-script",
        """BEGIN:VCARD
VERSION:4.0
FN:[[P:Σοφία Αντωνίου]]
N:[[P:Αντωνίου;Σοφία]];;;
TEL;TYPE=cell:[[T:+30 694 118 2275]]
EMAIL:[[E:sofia.antoniou@aigaio-mail.gr]]
END:VCARD""",
    ),
    (
        "form",
        "ocr",
        """APPLICATION FOR LIBRARY CARD
Surname: 0KAFOR        Given names: CHUKWUEMEKA JAMES
Address: 7 Pembroke Rd, Wrexharn LL11 2AB
Phone: O1978 290 554     Email: c.okafor@ntlworld.corn
Signature: C J Okafor""",
        {
            "P": ["0KAFOR", "CHUKWUEMEKA JAMES", "C J Okafor"],
            "L": ["7 Pembroke Rd", "Wrexharn"],
            "T": ["O1978 290 554"],
            "E": ["c.okafor@ntlworld.corn"],
        },
    ),
    (
        "form",
        "ocr ssn",
        """W-9 (scanned)
Name: [[P:DELACRUZ, ROSALIND M.]]
SSN: [[S:5 3 1 - 4 4 - 8 0 1 2]]
Address: [[L:1190 Mission St Apt 6]]
[[L:San Francisco]], CA 94103""",
    ),
    (
        "form",
        "line-split iban",
        """SEPA-Lastschriftmandat
Kontoinhaber: [[P:Dragana Petrović]]
IBAN: [[I:AT?? 1904 3002 3457
3201]]
Ort, Datum: [[L:Graz]], 02.12.2026""",
    ),
    (
        "form",
        "medical intake",
        """PATIENT INTAKE
Name: Bongiwe Ndlovu-Schmidt   Preferred name: Bongi
Emergency contact: Jörg Schmidt (husband) 0176 4418 2290
Allergies: penicillin""",
        {
            "P": ["Bongiwe Ndlovu-Schmidt", "Bongi", "Jörg Schmidt"],
            "T": ["0176 4418 2290"],
        },
    ),
    (
        "letter",
        "tenancy",
        """Dear Ms [[P:Adeyinka-Rowe]],

Re: [[L:14b Paradise Street]], [[L:Liverpool]]

Your tenancy deposit of £1,100 is protected with the scheme. Your landlord, Mr [[P:Cornelius Vane]], has asked us to arrange the inspection on 18 December.

Yours sincerely,
[[P:Philippa Grayling]]
[[O:Mersey Lettings]]""",
    ),
    (
        "letter",
        "italian",
        """Gentile Sig.ra [[P:Benedetta Caruso]],

La informiamo che il rimborso di 240 euro sarà accreditato sul conto [[I:IT?? X054 2811 1010 0000 0123 456]] entro dieci giorni.

Cordiali saluti,
[[P:Vittorio Sala]]
[[O:Assicurazioni Lario S.p.A.]]""",
    ),
    (
        "letter",
        "school",
        """Dear parents of Year 4,

Thank you to Mrs Ogbonna and Mr Kowalski for helping with the trip. Please send consent forms to Miss Hartley by Friday. Parents of Kai, Maisie and Tobiah: the coach leaves at 8:15.

Mrs G. Penhaligon, Head""",
        {
            "P": ["Ogbonna", "Kowalski", "Hartley", "Kai", "Maisie", "Tobiah", "G. Penhaligon"],
        },
    ),
    (
        "notice",
        "lost-found",
        """FOUND: black wallet near the station, Tuesday. Belongs to a Sandeep Gill according to the library card inside. Sandeep, text me on 07841 330 927 - Tash""",
        {"P": ["Sandeep Gill", "Sandeep", "Tash"], "T": ["07841 330 927"]},
    ),
    (
        "notice",
        "obituary",
        """Eileen Margaret O'Donoghue (née Murphy), 1938–2026, of Clonakilty, peacefully at home. Beloved wife of the late Dermot, mother of Siobhan, Declan and Aoife. Eileen will be sadly missed.""",
        {
            "P": [
                "Eileen Margaret O'Donoghue",
                "Murphy",
                "Dermot",
                "Siobhan",
                "Declan",
                "Aoife",
                "Eileen",
            ],
            "L": ["Clonakilty"],
        },
    ),
    (
        "notice",
        "classified",
        """For sale: upright piano, £200, buyer collects from Penarth. Call Gwen on 029 2070 4418 after 6pm or email gwenllian.pryce@btinternet.com""",
        {
            "P": ["Gwen"],
            "L": ["Penarth"],
            "T": ["029 2070 4418"],
            "E": ["gwenllian.pryce@btinternet.com"],
        },
    ),
    (
        "form",
        "registration json",
        """{"event":"Lagos Tech Fest","attendee":{"first":"Ebunoluwa","last":"Adekunle-Ojo","email":"ebun.ao@zenmail.ng","phone":"+234 906 118 4472","company":"Paystack Tribe Ventures"}}""",
        {
            "P": ["Ebunoluwa", "Adekunle-Ojo"],
            "E": ["ebun.ao@zenmail.ng"],
            "T": ["+234 906 118 4472"],
            "O": ["Paystack Tribe Ventures"],
        },
    ),
    (
        "invoice",
        "dutch",
        """Factuur 2026-091
Van: [[P:Daan Mulder]] Klusbedrijf, [[L:Zwolle]]
Aan: mevr. [[P:A. Bakker]]
Totaal: € 412,50
Graag overmaken naar [[I:NL?? RABO 0312 4587 96]] t.n.v. [[P:D. Mulder]]""",
    ),
    (
        "shipping",
        "return label",
        """RETURN TO:
[[O:Nordlys Knitwear ApS]]
[[L:Vestergade 21]], 8000 [[L:Aarhus]] C
FROM:
[[P:Caoimhe Brannigan]], [[L:3 Strand Road]], [[L:Derry]]""",
    ),
    (
        "table",
        "markdown contacts",
        """### Venue contacts
- **Caterer**: Ayşegül Demir, +90 212 334 17 80
- **Florist**: Petal & Stem (ask for Juniper)
- **Band**: The Night Herons, booking via Ollie, ollie@nightherons.band""",
        {
            "P": ["Ayşegül Demir", "Juniper", "Ollie"],
            "T": ["+90 212 334 17 80"],
            "O": ["Petal & Stem", "The Night Herons"],
            "E": ["ollie@nightherons.band"],
        },
    ),
    (
        "form",
        "chinese form",
        """姓名：[[P:赵思远]]
身份证号：未填写
手机：[[T:139 2847 6610]]
住址：[[L:北京市]]海淀区[[L:中关村大街27号]]
紧急联系人：[[P:赵明]]（父亲）""",
    ),
    (
        "letter",
        "spanish medical",
        """Estimada Sra. [[P:Pilar Echeverría]]:

Le recordamos su cita con la Dra. [[P:Inmaculada Roldán]] el día 14 a las 10:15 en el centro de salud de [[L:Triana]]. Para cambiarla llame al [[T:955 01 44 80]].""",
    ),
    (
        "notice",
        "neighbourhood lowercase",
        """lost cat!! ginger tom called biscuit, last seen on ashdown rd. if found pls call jen on 07700 900 461 or knock at no. 12. thanks, jen & marcus""",
        {"P": ["jen", "marcus"], "T": ["07700 900 461"], "L": ["ashdown rd"]},
    ),
    (
        "invoice",
        "swedish",
        """Faktura 1102
Från: [[P:Linnea Sjöberg]] Design, [[L:Umeå]]
Till: [[O:Norrsken Media AB]], att. [[P:Pelle Åkesson]]
Att betala: 18 750 kr
IBAN: [[I:SE?? 5000 0000 0583 9825 7466]]""",
    ),
    (
        "table",
        "csv inverted",
        """"Last, First",Department,Extension
"Okonjo, Adaeze",Radiology,[[T:x4471]]
"Van Buren, Cornelius",Pharmacy,[[T:x4490]]""",
        {"P": ["Okonjo, Adaeze", "Van Buren, Cornelius"]},
    ),
    (
        "form",
        "hotel registration",
        """GUEST REGISTRATION
Name: Jarrah Whitford-Nguyen
Nationality: Australian   Passport: on file
Home address: 5/27 Bondi Road, Bondi NSW 2026
Mobile: 0412 883 205
Vehicle: white Corolla""",
        {
            "P": ["Jarrah Whitford-Nguyen"],
            "L": ["5/27 Bondi Road", "Bondi"],
            "T": ["0412 883 205"],
        },
    ),
    (
        "letter",
        "court",
        """IN THE MATTER OF the estate of Augustine Fairbairn, deceased.
Applicant: Cressida Fairbairn of 2 Rookery Close, Tewkesbury.
Solicitors: Pemberton Haigh LLP (ref. CF/2291).""",
        {
            "P": ["Augustine Fairbairn", "Cressida Fairbairn"],
            "L": ["2 Rookery Close", "Tewkesbury"],
            "O": ["Pemberton Haigh LLP"],
        },
    ),
    (
        "notice",
        "sms otp personal",
        """Hi Meera, your Bluefin Bank one-time code is [[K:482 917]]. Never share it. If this wasn't you call [[T:0800 917 4410]].""",
        {"P": ["Meera"], "O": ["Bluefin Bank"]},
    ),
    (
        "form",
        "wedding rsvp",
        """RSVP
Name(s): Callum & Priya Sutherland-Rao
Attending: yes (2)
Dietary: Priya is vegetarian
Song request: anything by ABBA""",
        {"P": ["Callum", "Priya Sutherland-Rao", "Priya"]},
    ),
    (
        "invoice",
        "utility",
        """Electricity bill – December
Account holder: Mr Ifeanyi Chukwu
Supply address: 41 Larkspur Way, Milton Keynes MK8 0PL
Direct debit from account ending 2291
Questions? Our team is on [[T:0330 102 7788]].""",
        {
            "P": ["Ifeanyi Chukwu"],
            "L": ["41 Larkspur Way", "Milton Keynes"],
        },
    ),
    (
        "letter",
        "german formal",
        """Sehr geehrter Herr Dr. Wojciechowski,

wie telefonisch besprochen sende ich Ihnen die Unterlagen für Ihre Mutter, Frau Irena Wojciechowska.

Freundliche Grüße
Annegret Holzapfel
Pflegedienst Sonnenhof, Tel. 0351 8874 220""",
        {
            "P": ["Wojciechowski", "Irena Wojciechowska", "Annegret Holzapfel"],
            "O": ["Pflegedienst Sonnenhof"],
            "T": ["0351 8874 220"],
        },
    ),
    (
        "notice",
        "sports club personal",
        """Under-12s team for Saturday: Noah, Ayaan, Kofi, Mateus, Sami, Ethan B., Ethan K. Parents: kick-off 10:00 at Riverside, coach Darren on 07956 114 802.""",
        {
            "P": ["Noah", "Ayaan", "Kofi", "Mateus", "Sami", "Ethan B.", "Ethan K.", "Darren"],
            "T": ["07956 114 802"],
        },
    ),
]
