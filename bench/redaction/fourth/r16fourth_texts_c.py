# ruff: noqa: E501, RUF001
"""Hand-written texts with personal data, part C: invoices, shipping, vCards,
calendar invites, transcripts, OCR'd forms, notes in many languages (round 16, fourth set)."""

POSITIVES: list[tuple[str, list[str], str]] = [
    (
        "invoice",
        ["invoice", "iban"],
        """RECHNUNG Nr. 2026-118
[[O:Malerbetrieb Kolbe]] · [[L:Lindenweg 4, 04109 Leipzig]]
An: Herrn [[P:Jens-Uwe Richter]]
Bitte überweisen Sie 1.240,00 EUR auf [[I:DE?? 8605 0000 1000 4418 62]] (Kontoinhaber [[P:Rainer Kolbe]]).""",
    ),
    (
        "invoice",
        ["invoice", "card"],
        """Receipt — [[O:Corner Cobbler]], [[L:Rathmines]]
Customer: [[P:Aoife Brennan]]
Card: [[C:5555 3412 7788 091?]]
Total €46.00. Thanks [[P:Aoife]]!""",
    ),
    (
        "invoice",
        ["invoice", "french"],
        """Facture F-0931
Client : Mme [[P:Solène Abiteboul]]
Adresse : [[L:3 allée des Cerisiers, 44300 Nantes]]
Règlement par virement : [[I:FR?? 3000 6000 0119 8245 1730 442]]""",
    ),
    (
        "invoice",
        ["invoice", "spanish"],
        """FACTURA 0042/26
Emisor: [[P:Joaquín Ferrándiz Soler]], fontanero autónomo
Cliente: [[O:Comunidad de Propietarios Calle Sagunto 14]]
IBAN: [[I:ES?? 2100 0418 4102 0073 5519]]""",
    ),
    (
        "invoice",
        ["invoice", "italian"],
        """Fattura n. 77
[[P:Chiara Lombardo]] — traduzioni
Destinatario: [[O:Studio Legale Ferraris & Bassi]], [[L:Corso Vittorio Emanuele II 72, Torino]]
Pagamento su [[I:IT??K0306909606100000117723]]""",
    ),
    (
        "shipping",
        ["shipping", "address"],
        """Your parcel is on its way!
Hi [[P:Mahmoud]], your order will be delivered to:
[[P:Mahmoud El-Sayed]]
[[L:Apt 5, 17 Tahrir St, Dokki, Giza]]
Courier will call [[T:+20 100 452 7781]].""",
    ),
    (
        "shipping",
        ["shipping", "lowercase"],
        """DELIVERY NOTE
to: [[P:lucy chang]], [[L:88 kingsland rd, london e2 8dp]]
leave with neighbour at no. 90 if out (mr. [[P:adeleke]])""",
    ),
    (
        "shipping",
        ["shipping", "japanese"],
        """お届け先：[[L:〒150-0001 東京都渋谷区神宮前4-12-10]]
[[P:山田 花子]] 様
電話：[[T:080-1234-5678]]""",
    ),
    (
        "shipping",
        ["shipping", "german"],
        """Zustellbenachrichtigung: Ihr Paket wurde bei Familie [[P:Wojcik]], [[L:Hauptstr. 12b, Eppelheim]] abgegeben. Empfänger: [[P:Kerstin Albrecht]].""",
    ),
    (
        "vcard",
        ["vcard"],
        """BEGIN:VCARD
VERSION:3.0
FN:[[P:Ngaio Whitcombe-Tane]]
ORG:[[O:Te Awa Veterinary Clinic]]
TEL;TYPE=CELL:[[T:+64 27 318 4402]]
EMAIL:[[E:ngaio@teawavets.co.nz]]
ADR:;;[[L:12 Riverbank Road;Hamilton;;3204;New Zealand]]
END:VCARD""",
    ),
    (
        "vcard",
        ["vcard", "korean"],
        """BEGIN:VCARD
FN:[[P:최유진]]
N:[[P:최]];[[P:유진]];;;
TEL:[[T:+82 10-7732-1904]]
EMAIL:[[E:yujin.choi@snu.ac.kr]]
END:VCARD""",
    ),
    (
        "calendar",
        ["ics"],
        """BEGIN:VEVENT
SUMMARY:Parent-teacher meeting
ORGANIZER;CN=Mrs. [[P:Adaeze Umeh]]:mailto:[[E:a.umeh@greenhill-primary.org.uk]]
ATTENDEE;CN=[[P:Piotr Zając]]:mailto:[[E:piotr.zajac@gmail.com]]
LOCATION:Room 4
END:VEVENT""",
    ),
    (
        "calendar",
        ["invite", "url"],
        """Invitation: physio follow-up
When: Tue 15 Dec 09:30
Who: [[P:Sunniva Berg]], Dr. [[P:Karim Haddad]]
Join: [[U:https://meet.klinikk-nord.no/r/sberg-0915]]
Dial-in [[T:+47 21 04 55 90]], PIN 4471#""",
    ),
    (
        "transcript",
        ["call", "speaker-labels"],
        """AGENT ([[P:Priscilla]]): Thank you for calling [[O:Harbour Gas]], who am I speaking with?
CALLER: It's [[P:Desmond Achebe-Grant]].
AGENT: Thanks Mr [[P:Achebe-Grant]]. Can you confirm the first line of the address?
CALLER: [[L:27 Lighthouse Close, Whitby]].
AGENT: And a phone number?
CALLER: [[T:07723 418 660]].""",
    ),
    (
        "transcript",
        ["call", "spelled"],
        """Caller: my email is [[E:b.okoro@yahoo.co.uk]], that's B dot O K O R O.
Agent: thank you Ms [[P:Okoro]]. And your card number?
Caller: [[C:4485 2761 0932 118?]].""",
    ),
    (
        "transcript",
        ["meeting", "zoom"],
        """[00:01:12] [[P:Ravi Shankar Pillai]]: okay let's start, [[P:Ingeborg]] can you share?
[00:01:20] [[P:Ingeborg Nilsen]]: sure. [[P:Ravi]], the Tromsø numbers are in.
[00:02:03] [[P:Pillai]]: great""",
    ),
    (
        "transcript",
        ["voicemail"],
        """Voicemail from [[T:+1 (312) 555-0199]], 0:41: "Hi, this is [[P:Jolene]] from [[O:Lakeview Dental]], calling for [[P:Marcus Tran]] to confirm Thursday. Call us back, thanks." """,
    ),
    (
        "ocr",
        ["ocr", "form"],
        """PATIENT REGISTRATION FORM
Name: [[P:ABIGAIL  MORTENSEN]]      D.O.B. 02/11/1988
Addr: [[L:1448 E Pine St, Seattle WA 98122]]
Phone: [[T:(206) 555-0173]]   SSN: [[S:539-22-6718]]
Insurance ID: PRM-4471-0092""",
    ),
    (
        "ocr",
        ["ocr", "broken"],
        """Nam e: [[P:Kwame Ofori-Atta]]
Emai l: [[E:kwame.oforiatta@ug.edu.gh]]
Ad dress: [[L:House 7, Ring Road, Osu, Accra]]""",
    ),
    (
        "ocr",
        ["ocr", "cheque"],
        """PAY [[P:GRETA LINDHOLM]] ************* 350.00
[[O:ÖRESUND BÅTKLUBB]]
Signed: [[P:A. Persson]]""",
    ),
    (
        "email",
        ["estonian"],
        """Tere [[P:Kadri]],
[[P:Mart Tamm]] saatis arve aadressile [[L:Tartu mnt 18, Tallinn]]. Tema telefon on [[T:+372 5123 4477]].
[[P:Liis]]""",
    ),
    (
        "email",
        ["latvian"],
        """Sveika, [[P:Ilze]]!
[[P:Jānis Bērziņš]] atnesīs atslēgas uz [[L:Jūrmalu]]. Viņa e-pasts: [[E:janis.berzins@inbox.lv]].
[[P:Anda]]""",
    ),
    (
        "email",
        ["lithuanian"],
        """Labas, [[P:Rūta]],
[[P:Gintaras Petrauskas]] sumokėjo į [[I:LT??7300010144927713]].
[[P:Vaida]]""",
    ),
    (
        "email",
        ["croatian"],
        """Poštovana gospođo [[P:Marić]],
[[P:Ivana Marić]] može preuzeti dokumente u [[L:Splitu]]. Kontakt: [[T:+385 91 447 2208]].
Lijep pozdrav, [[P:Tomislav]]""",
    ),
    (
        "email",
        ["swedish"],
        """Hej [[P:Elsa]]!
[[P:Björn Åkesson]] flyttar till [[L:Umeå]] i januari. Hans nya nummer: [[T:070-441 28 93]].
/[[P:Maja]]""",
    ),
    (
        "email",
        ["danish"],
        """Hej [[P:Søren]],
kan du sende [[P:Mette Frederiksen-Holm]] kvitteringen? Hun bor på [[L:Nørrebrogade 140, 2200 København N]].
Mvh [[P:Lasse]]""",
    ),
    (
        "email",
        ["icelandic"],
        """Sæl [[P:Guðrún]],
[[P:Sigurður Þórsson]] hringir frá [[L:Akureyri]] á morgun, [[T:+354 862 4410]].
[[P:Helga]]""",
    ),
    (
        "email",
        ["malay"],
        """Salam Encik [[P:Faizal]],
Puan [[P:Nurul Aisyah binti Kamarudin]] akan hantar borang ke [[E:nurul.aisyah@um.edu.my]].
Terima kasih, [[P:Hafiz]]""",
    ),
    (
        "email",
        ["urdu", "other-script"],
        """محترم [[P:عمران]] صاحب،
[[P:ثمینہ بیگم]] کا نمبر [[T:0300 4412 887]] ہے۔ وہ [[L:لاہور]] میں رہتی ہیں۔
[[P:ندیم]]""",
    ),
    (
        "email",
        ["amharic", "other-script"],
        """ሰላም [[P:ሄኖክ]]፣
[[P:ትዕግስት ገብረመድህን]] ስልክ [[T:+251 911 402 733]] ነው።
[[P:ሳባ]]""",
    ),
    (
        "email",
        ["georgian", "other-script"],
        """გამარჯობა [[P:ნინო]],
[[P:გიორგი ბერიძე]] ხვალ ჩამოვა [[L:ბათუმში]]. ტელ: [[T:+995 599 41 22 80]].
[[P:ლაშა]]""",
    ),
    (
        "email",
        ["armenian", "other-script"],
        """Բարև [[P:Անի]],
[[P:Արամ Պետրոսյան]]ի հեռախոսը [[T:+374 91 224 771]] է։
[[P:Լիլիթ]]""",
    ),
    (
        "email",
        ["nepali", "other-script"],
        """नमस्कार [[P:बिनिता]] दिदी,
[[P:रमेश श्रेष्ठ]] ले [[L:ललितपुर]] मा घर लिनुभयो। फोन [[T:984-1123456]]।
[[P:सुजन]]""",
    ),
    (
        "email",
        ["marathi", "other-script"],
        """प्रिय [[P:सायली]],
[[P:अनिकेत देशपांडे]] यांचा पत्ता [[L:कोथरूड, पुणे]] आहे.
[[P:मंगेश]]""",
    ),
    (
        "email",
        ["telugu", "other-script"],
        """[[P:శ్రీనివాస్]] గారు,
[[P:లావణ్య రెడ్డి]] గారి ఫోన్ [[T:+91 98490 33712]].
[[P:కిరణ్]]""",
    ),
    (
        "email",
        ["sinhala", "other-script"],
        """[[P:නිමල්]] මහත්මයා,
[[P:චමරි පෙරේරා]] [[L:නුගේගොඩ]] පදිංචි. දුරකථන [[T:077 341 2290]].
[[P:කසුන්]]""",
    ),
    (
        "email",
        ["chinese-traditional", "other-script"],
        """[[P:陳怡君]]小姐您好：
您的包裹已寄到[[L:台北市大安區復興南路一段390號]]。如有問題請聯絡[[P:黃志明]] [[T:02-2703-5566]]。""",
    ),
    (
        "email",
        ["cantonese", "other-script"],
        """[[P:阿婷]]，[[P:梁家輝]]話佢聽日會去[[L:旺角]]攞嘢，你打佢手機[[T:9123 4567]]啦。""",
    ),
    (
        "email",
        ["mongolian", "other-script"],
        """Сайн байна уу [[P:Бат-Эрдэнэ]],
[[P:Оюунчимэг]] эгчийн утас [[T:9911 4572]].
[[P:Тэмүүжин]]""",
    ),
    (
        "email",
        ["kazakh"],
        """Сәлем [[P:Айгүл]]!
[[P:Ерлан Жұмабаев]] ертең [[L:Қарағанды]]ға барады.
[[P:Асель]]""",
    ),
    (
        "email",
        ["yoruba"],
        """Ẹ n lẹ Bàbá [[P:Tunde]],
[[P:Adéọlá Adébáyọ̀]] ti fi owó ranṣẹ. Nọ́mbà rẹ̀ ni [[T:+234 802 331 4478]].
[[P:Fúnmi]]""",
    ),
    (
        "email",
        ["hausa"],
        """Salam Malam [[P:Aminu]],
[[P:Hadiza Abubakar]] tana zaune a [[L:Unguwar Rimi, Kaduna]].
[[P:Sani]]""",
    ),
    (
        "email",
        ["afrikaans"],
        """Hallo [[P:Riaan]],
[[P:Annemarie du Plessis]] se nommer is [[T:083 412 7756]]. Sy bly in [[L:Stellenbosch]].
Groete, [[P:Hennie]]""",
    ),
    (
        "email",
        ["welsh"],
        """Annwyl [[P:Gwenllian]],
Bydd [[P:Rhodri ap Iorwerth]] yn galw o [[L:Aberystwyth]] ddydd Llun. Ei rif yw [[T:07700 900 318]].
Cofion, [[P:Dafydd]]""",
    ),
    (
        "email",
        ["catalan"],
        """Hola [[P:Montse]],
en [[P:Jordi Puigdomènech i Serra]] ja ha enviat el rebut a [[E:jordi.puigdomenech@xtec.cat]].
[[P:Núria]]""",
    ),
    (
        "email",
        ["basque-spanish", "nickname"],
        """Kaixo [[P:Gorka]], [[P:Iñaki]] ("[[P:Txiki]]") [[P:Arrieta]] dice que paga él.""",
    ),
    (
        "email",
        ["esperanto"],
        """Saluton [[P:Karlo]]! [[P:Ljudmila]] loĝas en [[L:Bjalistoko]] nun.""",
    ),
    (
        "email",
        ["maori"],
        """Kia ora [[P:Wiremu]],
ka tae mai a [[P:Hinemoa Te Rangi]] ki [[L:Rotorua]] ā te Rātapu. Waea: [[T:027 552 3109]].
Nā [[P:Mere]]""",
    ),
    (
        "crm",
        ["crm", "obfuscated-email"],
        """Prospect: [[P:Ludovica Ricci]] — writes her address as [[E:ludo.ricci at libero dot it]] to dodge spam. Works for [[O:Cantina Sociale di Soave]].""",
    ),
    (
        "crm",
        ["crm", "mentions"],
        """Note by @[[P:anouk]]: talked to mr [[P:ebrahimi]] ([[P:Dariush Ebrahimi]]), [[O:Ebrahimi Rugs]] in [[L:Harrow]]. he wants a callback on [[T:020 8427 3390]].""",
    ),
    (
        "crm",
        ["crm", "email-local-part"],
        """Imported contact: [[E:yaw.boateng1978@hotmail.com]] (no name given) — probably [[P:Yaw Boateng]] from the [[L:Kumasi]] fair.""",
    ),
    (
        "school",
        ["school", "report"],
        """End-of-term report
Pupil: [[P:Zara Iqbal-Hussain]]
Form tutor: Mr [[P:Okwuosa]]
[[P:Zara]] has worked hard in maths. Parents: [[P:Nadia Iqbal]], [[T:0113 496 0927]].""",
    ),
    (
        "school",
        ["university", "org"],
        """Dear Dr [[P:Fennimore]],
I am [[P:Aditi Venkataraman]], a second-year PhD student at the [[O:Institute of Marine Sciences, University of Algarve]]. My supervisor Prof. [[P:Jorge Sampaio]] suggested I write.""",
    ),
    (
        "school",
        ["kindergarten", "ambiguous-name"],
        """Pick-up list for Friday
[[P:Sky]] — collected by grandma [[P:June]]
[[P:Rich]] — bus
[[P:Iris]] and [[P:Dawn]] — their dad, [[P:Chase Holloway]] ([[T:0412 334 905]])""",
    ),
    (
        "hr",
        ["hr", "reference"],
        """To whom it may concern: [[P:Mohammed Al-Farsi]] worked at [[O:Muscat Desalination Services LLC]] from 2019 to 2025. Mr [[P:Al-Farsi]] lived in company housing in [[L:Al Khuwair]].""",
    ),
    (
        "hr",
        ["hr", "background-check"],
        """Candidate [[P:Tyrone Beauchamp]], SSN [[S:301-44-9821]], previous address [[L:918 Elm St, Dayton, OH 45402]]. References: [[P:Sheila Marx]] ([[T:937-555-0144]]).""",
    ),
    (
        "medical",
        ["referral", "french"],
        """Cher confrère,
Je vous adresse Mme [[P:Thi Mai Lefebvre]], 67 ans, domiciliée à [[L:Roubaix]], pour bilan cardiologique.
Dr [[P:Hélène Castaing]]""",
    ),
    (
        "medical",
        ["dental", "card"],
        """Appointment confirmed for [[P:Gus Papadakis]] (Tue 10:00). Deposit taken on [[C:4024 0071 5336 217?]]. Reminder to [[E:gus.papadakis@outlook.com]].""",
    ),
    (
        "medical",
        ["vet", "lowercase"],
        """vet record: owner [[P:marguerite lacoste]], dog 'biscuit', [[T:06 71 22 48 90]], lives [[L:rue du Moulin, Saint-Émilion]]""",
    ),
    (
        "medical",
        ["triage", "spanish"],
        """Triaje 03:12 — paciente [[P:Rosa María Quintero]], 34 a. Acompañante: su pareja [[P:Wilmer]] ([[T:+57 310 556 2214]]). Vive en [[L:barrio La Candelaria, Bogotá]].""",
    ),
    (
        "court",
        ["tenancy", "inverted-name"],
        """Tenancy tribunal — party list
Applicant: [[P:SINGH, Harpreet Kaur]]
Respondent: [[P:O'MALLEY, Brendan]]
Property: [[L:Unit 3/41 Albert St, Brunswick VIC 3056]]""",
    ),
    (
        "court",
        ["police", "german"],
        """Vernehmung vom 02.12.
Zeuge: [[P:Jürgen Pfaffenberger]], wohnhaft [[L:Am Kirchberg 7, 86150 Augsburg]]
[[P:Pfaffenberger]] gibt an, das Fahrzeug gegen 22 Uhr gesehen zu haben.""",
    ),
    (
        "gov",
        ["tax", "dutch"],
        """Belastingdienst — machtiging
Naam: [[P:Fenna Kuipers-de Boer]]
Adres: [[L:Oude Kijk in 't Jatstraat 22, Groningen]]
Rekening: [[I:NL??RABO0311809276]]""",
    ),
    (
        "gov",
        ["benefits", "ssn"],
        """Re: claim for [[P:Juanita Begay]], SSN [[S:602-19-4478]]. Mailing address [[L:PO Box 318, Window Rock, AZ 86515]].""",
    ),
    (
        "gov",
        ["visa", "passport"],
        """Applicant: [[P:Olusegun Bamidele Oduya]]
Employer: [[O:Lagos State University Teaching Hospital]]
UK sponsor: Dr [[P:Imogen Hartley-Wood]], [[E:i.hartleywood@nhs.net]]""",
    ),
    (
        "club",
        ["allotment", "ambiguous-name"],
        """Allotment society: plot 14 goes to [[P:Mark]] and [[P:Faith Oduya]]. [[P:Faith]] asked for a water key; [[P:Mark]] paid cash.""",
    ),
    (
        "club",
        ["chess-club", "handle"],
        """Ladder update — @[[P:bogdan_s]] beat @[[P:kiri.w]]. [[P:Bogdan Sandu]] now 1st. Subs to [[E:treasurer.chessclub@gmail.com]] ([[P:Kiri Walker]]).""",
    ),
    (
        "club",
        ["running", "whatsapp"],
        """[06:02] [[P:Lungile]]: who's at the park? 🏃
[06:03] [[P:Thabo M]]: me + [[P:Zanele]]
[06:03] [[P:Lungile]]: [[P:Zanele]] bring my spare key pls, I'm at [[L:14 Jan Smuts Ave]]""",
    ),
    (
        "shop",
        ["repair-shop"],
        """Repair tag #331 — iPhone 12, cracked screen
Owner: [[P:Yusuf Demir]], [[T:+90 532 418 6603]]
Passcode given: [[K:270519]]
Serial: F2LZK1ABCD""",
    ),
    (
        "shop",
        ["marketplace", "address"],
        """Hi! I'd like the bike. I'm [[P:Ophelia]], I live on [[L:Grindel Allee, Hamburg-Eimsbüttel]]. Can pay by PayPal to [[E:ophelia.kranz@web.de]].""",
    ),
    (
        "shop",
        ["loyalty", "phone"],
        """Loyalty signup: [[P:Bongani Khumalo]], birthday 11 Mar, mobile [[T:+27 71 228 4019]], store [[L:Durban North]].""",
    ),
    (
        "small-firm",
        ["quote"],
        """Quote for Mrs [[P:Oyinlola Bakare]] — roof repairs at [[L:6 Cedar Mews, Luton]]. Contact our surveyor [[P:Wojtek]] on [[T:07934 556 102]].""",
    ),
    (
        "small-firm",
        ["accounting", "iban"],
        """Payroll run Nov: [[P:Katrin Jóhannsdóttir]] → [[I:IS??0159260076545520931187]]; [[P:Piet Smit]] → [[I:BE??539007714482]]""",
    ),
    (
        "open-source",
        ["maintainers", "email"],
        """MAINTAINERS
[[P:Hiroshi "hiro" Tanabe]] <[[E:hiro@tanabe.dev]]>
[[P:Agnès Dubois-Mbeki]] <[[E:agnes@dubois-mbeki.org]]> (docs)
[[P:Vikram Sethi]] <[[E:vikram.sethi@pm.me]]>""",
    ),
    (
        "open-source",
        ["changelog", "thanks"],
        """## 2.4.0
- Fixed Unicode crash (thanks [[P:Ewa Lewandowska]], @[[P:ewal]])
- Windows paths (thanks [[P:Obi Nwachukwu]])""",
    ),
    (
        "open-source",
        ["code-of-conduct", "email"],
        """Report violations to [[P:Marisa Ferreyra]] ([[E:conduct@ferreyra.me]]) or [[P:Jun Takeda]] ([[T:+81 90-4412-7731]]).""",
    ),
    (
        "chat",
        ["slack", "mention", "secret"],
        """@[[P:gaurav]] the staging db pw is [[K:Masala-Dosa-2026]] — don't paste it in #general again 😅
— [[P:Ilse]]""",
    ),
    (
        "chat",
        ["matrix", "ip"],
        """<@[[P:kasimir]]:[[U:matrix.org]]> my home server is at [[A:84.113.20.71]], ssh as [[P:kasimir]]
<@[[P:noor]]:[[U:matrix.org]]> got it""",
    ),
    (
        "chat",
        ["signal", "lowercase", "address"],
        """[[P:ben]]: what's [[P:oma]]'s address again
[[P:lotte]]: [[L:kastanjelaan 3, haarlem]]
[[P:ben]]: thx [[P:lot]]""",
    ),
    (
        "chat",
        ["support-chat", "card"],
        """Customer ([[P:Nkechi]]): I was charged twice on [[C:4111 2233 4455 667?]]
Agent ([[P:Leroy]]): sorry [[P:Nkechi]], let me check. Can I have your email?
Customer: [[E:nkechi.obi@gmail.com]]""",
    ),
    (
        "chat",
        ["mixed-scripts", "handle"],
        """[[P:Dmitri]]: @[[P:sakura_t]] 明日の会議は？
[[P:さくら]]: 10時から。[[P:Дмитрий]]さんも来る？
[[P:Dmitri]]: да, I'll be there""",
    ),
    (
        "chat",
        ["arabic-latin", "lowercase"],
        """[[P:yasmine]]: 3ayza raqam [[P:karim]]
[[P:nour]]: [[T:01012345678]]
[[P:yasmine]]: merci ya [[P:noura]]""",
    ),
    (
        "note",
        ["sticky-note"],
        """Pls call back Mr. [[P:Bartholomew Ng]] re: leak in flat 9 — [[T:9876 5432]] — he's home after 6. [[P:Bart]] says the landlord is Ms. [[P:Fong]].""",
    ),
    (
        "note",
        ["handover", "hospital"],
        """Night handover ward 7
Bed 3: [[P:Alfie Dunmore]] (82) — family: son [[P:Graham]] [[T:07851 446 210]]
Bed 5: Mrs [[P:Kaur]] — interpreter booked, Punjabi""",
    ),
    (
        "note",
        ["lost-and-found"],
        """Found: blue wallet, ID of [[P:Santiago Ibáñez Rocha]], card [[C:4539 6781 2345 678?]], address [[L:Calle Hortaleza 31, Madrid]].""",
    ),
    (
        "email",
        ["quoted-reply", "lowercase"],
        """> from: [[P:yuki]]
> can you send [[P:hamid]]'s email
sure: [[E:hamid.karimi@uni-bonn.de]]
-- [[P:Paulina]]""",
    ),
    (
        "email",
        ["reply-chain", "repeated-forms"],
        """On 3 Dec, [[P:Chukwuemeka Obi]] <[[E:emeka.obi@techhub.ng]]> wrote:
> [[P:Emeka]] here — [[P:Obi]] family moved to [[L:Lekki Phase 1]].
Thanks [[P:Emeka]], updated. — [[P:Adaora]]""",
    ),
    (
        "email",
        ["newsletter", "unsubscribe"],
        """You received this because [[E:rosalind.hunter@btopenworld.com]] subscribed. [[P:Rosalind]], manage preferences: [[U:https://news.kentwildlife.org.uk/p/8f2a91]]""",
    ),
    (
        "email",
        ["out-of-office"],
        """I'm away until 4 January. For urgent matters contact [[P:Bashir Osman]] ([[E:b.osman@mogadishu-port.so]], [[T:+252 61 552 4410]]).
[[P:Hodan]]""",
    ),
    (
        "email",
        ["password-reset", "url"],
        """Hi [[P:Wilhelmina]], reset your password here: [[U:https://account.fahrschule-kessler.de/reset?t=8f2a1c9e7b]]. Your temporary code is [[K:K7-Q2-M9-X4]].""",
    ),
    (
        "log",
        ["email-delivery", "lowercase"],
        """delivered to [[E:tanvi.rao@iitm.ac.in]] (name: [[P:tanvi rao]]); bounced [[E:s.kapoor@oldmail.in]] (name: [[P:sahil kapoor]])""",
    ),
    (
        "log",
        ["iot", "mac"],
        """[thermostat] owner=[[P:Nilufar Yusupova]] mac=[[M:7C-2E-0D-19-A4-F3]] wan=[[A:95.214.10.77]] fw=3.2.1""",
    ),
    (
        "log",
        ["access", "url"],
        """[[A:203.0.114.9]] GET [[U:https://portal.kemer-belediyesi.bel.tr/odeme?tc=18422190442&ad=Serkan]] 200""",
    ),
    (
        "email",
        ["slovak"],
        """Dobrý deň pán [[P:Hudák]],
pani [[P:Zuzana Hudáková]] prevzala kľúče od bytu v [[L:Petržalke]]. Telefón: [[T:+421 905 331 227]].
[[P:Marek]]""",
    ),
    (
        "email",
        ["slovenian"],
        """Živjo [[P:Špela]],
[[P:Matevž Kranjc]] bo prinesel račun. Plačilo na [[I:SI??263300012884317]].
[[P:Nejc]]""",
    ),
    (
        "email",
        ["bulgarian"],
        """Здравей, [[P:Цвети]],
[[P:Стоян Георгиев]] живее в [[L:Пловдив, кв. Тракия]]. Телефон: [[T:+359 88 412 7730]].
[[P:Ваня]]""",
    ),
    (
        "email",
        ["serbian-latin"],
        """Ćao [[P:Jelena]], [[P:Nemanja Jovanović]] je poslao mejl sa [[E:nemanja.j@gmail.com]] — javi mu se.
[[P:Milica]]""",
    ),
    (
        "email",
        ["albanian"],
        """Përshëndetje [[P:Arbër]],
[[P:Drita Hoxha]] jeton në [[L:Rrugën e Kavajës, Tiranë]]. Numri: [[T:+355 69 412 2871]].
[[P:Blerina]]""",
    ),
    (
        "chat",
        ["gaming", "handle", "ip"],
        """[[P:xX_Lior_Xx]]: server ip is [[A:46.121.77.203]] pw [[K:hummus4life]]
[[P:shira.b]]: joining, [[P:Lior]] don't kick me lol""",
    ),
    (
        "ticket",
        ["landlord", "obfuscated-email"],
        """Maintenance request — tenant [[P:Precious Moyo]], flat 2B, [[L:Belgravia, Harare]]. Email: [[E:precious.moyo at yahoo dot com]]. Boiler leaking.""",
    ),
    (
        "crm",
        ["crm", "inverted-name", "lowercase"],
        """imported from old crm: "[[P:haddad, rania]]", "[[P:RANIA HADDAD]]" and "[[P:r.haddad]]" are the same person — merge. her firm [[O:Haddad Architecture]] in [[L:Beirut]].""",
    ),
    (
        "log",
        ["radius", "mac", "lowercase"],
        """radiusd: Login OK: [[[P:emre.kaya]]] (from client ap-3f port 0 cli [[M:AC-DE-48-00-11-22]])
radiusd: Login incorrect: [[[P:emre.kaya]]] (password "[[K:Bosphorus!99]]")""",
    ),
    (
        "note",
        ["babysitter"],
        """Babysitter notes: kids in bed by 8. If anything, call [[P:Marguerite]] ([[T:+33 6 12 48 77 30]]) or neighbour [[P:Yannick]] at no. 14. Wifi pw [[K:chatonsroux2020]].""",
    ),
]
