# ruff: noqa: E501, RUF001
"""Hand-written texts with personal data, part A: mail, tickets, chat, CRM, school,
club, clinic and court notes (round 16, fourth set; marks in build_fourth.py)."""

POSITIVES: list[tuple[str, list[str], str]] = [
    (
        "email",
        ["quoted-reply", "repeated-forms"],
        """From: [[P:Wanjiru Kamau]] <[[E:wanjiru.k@ndege-logistics.co.ke]]>
To: [[P:Tobias Lindqvist]] <[[E:t.lindqvist@fjordfrakt.no]]>
Subject: Re: pallets stuck in Mombasa

[[P:Tobias]], they released them this morning. Call me on [[T:+254 722 418 903]] if the trucker is late.
[[P:Wanjiru]]

> On Mon, [[P:Tobias Lindqvist]] wrote:
> [[P:Wanjiru]], any news from customs? -- [[P:TL]]""",
    ),
    (
        "email",
        ["ambiguous-name", "sentence-start"],
        """Hi all,
[[P:Summer]] will cover reception on Friday. [[P:Hunter]] is off, so ring [[P:Rose Abernethy]] at [[T:0161 496 0732]] with anything urgent.
Cheers, [[P:Guy]]""",
    ),
    (
        "email",
        ["inverted-name", "outlook-header"],
        """From: [[P:Nakamura, Haruto]] <[[E:haruto.nakamura@kitaboshi-shoji.jp]]>
Sent: Thursday 14:02
To: [[P:Oyelaran, Adebisi]]
Cc: [[P:FERREIRA, João Pedro]]
Subject: contract draft v3

[[P:Adebisi]]-san, please find the draft attached. [[P:João Pedro]] will sign for [[O:Ferreira & Filhos Lda]].
-- [[P:Haruto]]""",
    ),
    (
        "email",
        ["german", "signature"],
        """Hallo Frau [[P:Schäfer-Ilić]],

anbei die Unterlagen für die Wohnung in der [[L:Gneisenaustraße 41, 10961 Berlin]]. Die Kaution bitte auf [[I:DE?? 1001 0010 0618 4427 93]] überweisen.

Mit freundlichen Grüßen
[[P:Dragan Ilić]]
[[O:Hausverwaltung Kreuzberg Süd GmbH]]
Tel. [[T:030 61 28 77 40]]""",
    ),
    (
        "email",
        ["french", "forwarded"],
        """---------- Message transféré ---------
De : [[P:Aurélie Ngo-Baptiste]] <[[E:aurelie.ngobaptiste@orange.fr]]>
Objet : inscription cantine

Bonjour, mon fils [[P:Malo]] mange à la cantine les lundis et jeudis. Nous habitons [[L:12 rue des Tanneurs, Quimper]].
Merci, [[P:A. Ngo-Baptiste]]""",
    ),
    (
        "email",
        ["spanish", "obfuscated-email"],
        """Hola [[P:Itziar]]:
Te paso el correo de [[P:Begoña Etxeberria]], la nueva tesorera del club: [[E:bego.etxeberria (arroba) euskalnet (punto) net]]. Vive en [[L:Errenteria]], así que mejor quedar allí.
Un abrazo,
[[P:Koldo]]""",
    ),
    (
        "email",
        ["italian", "lowercase"],
        """ciao [[P:giulia]],
ho parlato con [[P:marco de santis]] del [[O:Liceo Scientifico Galilei]], ti richiama lui al [[T:347 812 3390]].
[[P:fede]]""",
    ),
    (
        "email",
        ["portuguese", "signature"],
        """Prezado Sr. [[P:Valdemar]],

O pagamento da consulta foi feito com o cartão final 4417. Segue o comprovante.
Atenciosamente,
[[P:Luíza Carvalho Matos]]
CPF no cadastro, telefone [[T:(11) 98234-5170]]""",
    ),
    (
        "email",
        ["dutch", "particle-name"],
        """Beste [[P:Sanne]],

[[P:Pieter-Jan van 't Hof]] neemt de sleutels mee naar [[L:Zwolle]]. Zijn nummer: [[T:06 4127 8850]].

Groet, [[P:Wim de Jager]]""",
    ),
    (
        "email",
        ["polish", "declined-name"],
        """Dzień dobry Pani [[P:Agnieszko]],
przesyłam skan umowy pana [[P:Krzysztofa Wróblewskiego]]. Proszę o kontakt z [[P:Krzysztofem]] pod numerem [[T:+48 601 224 987]].
Pozdrawiam, [[P:Ola Kamińska]]""",
    ),
    (
        "email",
        ["russian", "patronymic"],
        """Уважаемая [[P:Светлана Игоревна]],
направляю справку для [[P:Мирона Алексеевича Кузнецова]]. Адрес: [[L:г. Казань, ул. Баумана, д. 19, кв. 4]].
С уважением, [[P:Т. Гарипова]]
[[E:t.garipova@kfu-clinic.ru]]""",
    ),
    (
        "email",
        ["greek"],
        """Καλησπέρα [[P:Δημήτρη]],
η [[P:Ελευθερία Παπαδοπούλου]] θα έρθει στο γραφείο στη [[L:Θεσσαλονίκη]] την Τρίτη. Το κινητό της: [[T:+30 694 412 7781]].
[[P:Νίκος]]""",
    ),
    (
        "email",
        ["arabic", "other-script"],
        """السلام عليكم أستاذ [[P:يوسف الحربي]]،
أرفقت لكم فاتورة الصيانة. يرجى التحويل إلى الحساب [[I:SA??80000000608014422371]].
مع التحية، [[P:مريم العتيبي]]
[[T:+966 55 318 2044]]""",
    ),
    (
        "email",
        ["persian", "other-script"],
        """سلام [[P:آرش]] جان،
شماره خانم [[P:نگار رضایی]] را برایت می‌فرستم: [[T:0912 845 3310]]. ایشان در [[L:شیراز]] زندگی می‌کنند.
[[P:پریسا]]""",
    ),
    (
        "email",
        ["hebrew", "other-script"],
        """שלום [[P:נועה]],
[[P:אביגיל כהן-שטרן]] ביקשה שתשלחי את הטופס ל-[[E:avigail.cs@walla.co.il]].
תודה, [[P:איתי]]""",
    ),
    (
        "email",
        ["japanese", "other-script"],
        """[[P:佐藤 美咲]] 様

いつもお世話になっております。[[O:株式会社みなと設計]]の[[P:高橋]]です。
打ち合わせの件、[[T:03-5412-8876]]までご連絡ください。""",
    ),
    (
        "email",
        ["korean", "other-script"],
        """[[P:박서연]] 님께,
[[O:한빛초등학교]] 3학년 담임 [[P:이도윤]]입니다. [[P:서연]] 어머님 번호 [[T:010-4821-6637]]로 연락드렸는데 받지 않으셔서 메일 드립니다.""",
    ),
    (
        "email",
        ["chinese", "other-script"],
        """[[P:王建国]]老师：
您好！我是[[P:刘思琪]]的家长，她下周请假回[[L:成都]]。有事请打[[T:138 1024 5567]]。
[[P:刘]]妈妈""",
    ),
    (
        "email",
        ["turkish"],
        """Merhaba [[P:Elif]] Hanım,
[[P:Burak Öztürk]] bey'in adresi: [[L:Moda Cad. No:88 D:5, Kadıköy/İstanbul]]. Kargo yarın çıkacak.
Saygılarımla, [[P:Cem]]""",
    ),
    (
        "email",
        ["vietnamese"],
        """Chào anh [[P:Tuấn]],
Chị [[P:Nguyễn Thị Hồng Nhung]] gửi lại hợp đồng thuê nhà ở [[L:quận Bình Thạnh]]. Số của chị ấy: [[T:0903 618 224]].
[[P:Minh Khang]]""",
    ),
    (
        "email",
        ["indonesian"],
        """Halo Pak [[P:Bambang]],
Tolong transfer uang sewa ke rekening atas nama [[P:Sri Rahayu Wulandari]]. Alamat kos: [[L:Jl. Kaliurang Km 5, Sleman]].
Terima kasih, [[P:Dewi]]""",
    ),
    (
        "email",
        ["swahili"],
        """Habari [[P:Mwanaisha]],
Mkutano wa chama utafanyika kwa Bi. [[P:Zuhura Mfinanga]] huko [[L:Mwenge]]. Piga [[T:+255 754 120 338]] ukipotea.
[[P:Baraka]]""",
    ),
    (
        "email",
        ["hindi", "other-script"],
        """नमस्ते [[P:सुनीता]] जी,
[[P:राजेश कुमार वर्मा]] का पता: [[L:मकान 14, सेक्टर 9, रोहिणी, दिल्ली]]। उनका फ़ोन [[T:98110 47263]] है।
धन्यवाद, [[P:अमित]]""",
    ),
    (
        "email",
        ["bengali", "other-script"],
        """প্রিয় [[P:তানভীর]],
[[P:শর্মিষ্ঠা দাশগুপ্ত]] কাল [[L:যাদবপুর]] থেকে আসবেন। ওঁর নম্বর [[T:+91 98300 51274]]।
[[P:রুমা]]""",
    ),
    (
        "email",
        ["tamil", "other-script"],
        """அன்புள்ள [[P:கார்த்திக்]],
[[P:மீனாட்சி சுந்தரம்]] அவர்களின் மின்னஞ்சல் [[E:meenakshi.s@annauniv.edu]]. அவர் [[O:அண்ணா பல்கலைக்கழகம்]] ஆய்வகத்தில் வேலை செய்கிறார்.
[[P:செல்வி]]""",
    ),
    (
        "email",
        ["thai", "other-script"],
        """เรียนคุณ[[P:ศิริพร]]
คุณ[[P:ธนากร วงศ์สวัสดิ์]] จะส่งเอกสารไปที่[[L:ซอยอารีย์ 4 พญาไท]] โทร [[T:081 447 2093]]
[[P:ปิยะ]]""",
    ),
    (
        "ticket",
        ["support", "repeated-forms"],
        """Ticket #88214 - Cannot log in
Requester: [[P:Obinna Eze]] ([[E:obinna.eze@lagosfreight.ng]])
Description: Mr [[P:Eze]] says the reset link goes to an old address. Verified by phone [[T:+234 803 555 0172]]. Customer IP [[A:41.203.77.19]].
Agent note: told [[P:Obinna]] to clear cookies.""",
    ),
    (
        "ticket",
        ["help-desk", "lowercase"],
        """#4471 printer on 3rd floor jammed again
opened by [[P:kasia]] — [[P:katarzyna nowak-lis]] ext [[T:2214]]
assigned: [[P:ravi]]
mac of the printer [[M:00:1B:A9:4C:7E:21]], ip [[A:10.40.3.18]]""",
    ),
    (
        "ticket",
        ["help-desk", "password-in-prose"],
        """Ticket 20931
User [[P:Hamish McAllister]] forgot VPN password, reset to temporary [[K:Thistle-Brae-42!]] and asked him to change it on first login.
Laptop: HMC-LT-07, MAC [[M:3c:22:fb:91:0a:6e]].""",
    ),
    (
        "ticket",
        ["zendesk", "spanish"],
        """Ticket #55102 (abierto)
Cliente: [[P:Ximena Quispe Mamani]]
Correo: [[E:ximena.qm@gmail.com]]
Teléfono: [[T:+51 987 334 120]]
Mensaje: el pedido llegó a [[L:Av. Arequipa 2450, Lince]] pero faltaba una caja.""",
    ),
    (
        "ticket",
        ["jira", "handle"],
        """PAY-1312 Refund not processed
Reporter: @[[P:lena.bergstrom]]
Customer [[P:Mats Holmgren]] paid with card [[C:4916 3382 0417 559?]] and was charged twice. [[P:Mats]] wants the refund to [[I:SE??50000000058391172304]].""",
    ),
    (
        "ticket",
        ["github-issue", "open-source"],
        """### Bug: crash on import
Reported by @[[P:xiaoyu-chen]] — I'm [[P:Chen Xiaoyu]] from [[O:Zhejiang University]]; the stack trace is below. Ping me at [[E:xychen@zju.edu.cn]] if you need the file.
cc @[[P:mfernandes]]""",
    ),
    (
        "ticket",
        ["it", "ip"],
        """INC0041177 Suspicious login
User: [[P:Abdirahman Warsame]] ([[E:a.warsame@council-leeds.gov.uk]])
Sign-in from [[A:185.220.101.34]] at 03:14, user was at home in [[L:Harehills]]. Password reset; new temp password [[K:Kettle%Moor%2219]].""",
    ),
    (
        "ticket",
        ["school", "ambiguous-name"],
        """Absence note
Pupil: [[P:Will Okafor]] (Year 8)
Parent: [[P:May Okafor]], [[T:07700 900 412]]
[[P:Will]] has a dentist appointment and will return after lunch.""",
    ),
    (
        "chat",
        ["slack", "lowercase", "handle"],
        """[09:14] [[P:dani]]: anyone seen [[P:rory]]?
[09:15] [[P:bea.s]]: he's wfh, text him [[T:+353 87 614 2290]]
[09:15] [[P:dani]]: ta
[09:17] @[[P:rory.oconnell]]: here! laptop died""",
    ),
    (
        "chat",
        ["whatsapp", "family"],
        """[12/03, 18:22] [[P:Amma]]: [[P:Kofi]] did you send money to Auntie [[P:Esi]]
[12/03, 18:25] [[P:Kofi]]: yes mobile money [[T:024 412 6698]]
[12/03, 18:26] [[P:Amma]]: God bless""",
    ),
    (
        "chat",
        ["discord", "secret"],
        """<[[P:vexx]]> lol someone pasted the bot token in #general
<[[P:vexx]]> [[K:MTEzODQ1NjIxOTk4NTQ3MzYwMA.GkR2vq.Zp7mFt0wYxq3LbN9cHsUeVd2aJiKoR8lQwEr1s]]
<[[P:moth]]> rotate it now pls""",
    ),
    (
        "chat",
        ["teams", "inverted-name"],
        """[[P:Mahlangu, Thandeka]] 10:02
Can you forward [[P:Sipho]]'s number?
[[P:Dlamini, Sipho]] 10:04
it's [[T:+27 82 443 9016]] — I'm at the [[L:Soweto]] branch today""",
    ),
    (
        "chat",
        ["telegram", "russian"],
        """[[P:Лёша]]: скинь номер [[P:Оксаны]]
[[P:Ира]]: [[T:+7 916 204-55-83]]
[[P:Лёша]]: спс, а адрес?
[[P:Ира]]: [[L:Москва, Профсоюзная 56, кв 112]]""",
    ),
    (
        "chat",
        ["line", "japanese"],
        """[[P:ゆうこ]]：明日は[[L:吉祥寺]]の駅で待ち合わせね
[[P:たけし]]：了解、[[P:ゆうこ]]の携帯 [[T:090-3381-7720]] にかけるよ""",
    ),
    (
        "chat",
        ["kakaotalk", "korean"],
        """[[P:지훈]]: [[P:민지]]야 계좌번호 보내줘
[[P:민지]]: 카뱅 3333-04-8812734 [[P:김민지]]
[[P:지훈]]: ㅇㅋ""",
    ),
    (
        "chat",
        ["wechat", "chinese"],
        """[[P:阿杰]]：[[P:小美]]的快递地址是啥？
[[P:林小美]]：[[L:上海市徐汇区漕溪北路88号]]，电话[[T:186 2177 4039]]""",
    ),
    (
        "chat",
        ["irc", "open-source", "handle"],
        """<[[P:fenrir]]> [[P:jkowalczyk]]: your CI key leaked in the log: [[K:glpat-7xQm2vRzK9fL3aWcYt1B]]
<[[P:jkowalczyk]]> argh, revoking. thanks [[P:fenrir]]""",
    ),
    (
        "chat",
        ["sms", "ambiguous-name"],
        """From [[P:Bill]]: running late, tell [[P:Hope]] to start without me
From [[P:Hope]]: [[P:Bill]] you owe me a coffee
To [[P:Hope]]: will do""",
    ),
    (
        "crm",
        ["crm", "lowercase"],
        """call w/ [[P:devika ramaswamy]] ([[O:Ramaswamy Textiles]]) — wants 40 units, invoice to [[E:accounts@ramaswamytextiles.in]]. follow up thu. [[P:RAMASWAMY]] prefers whatsapp [[T:+91 94431 22870]].""",
    ),
    (
        "crm",
        ["crm", "notes"],
        """Lead: [[P:Benedikt Hörmann]], Head of IT at [[O:Brauerei Hörmann KG]]
Met at trade fair in [[L:Nürnberg]]. Lives near [[L:Bamberg]], two kids. Mobile [[T:+49 171 3308845]].
Next step: demo with [[P:B. Hörmann]] and his admin [[P:Luzia]].""",
    ),
    (
        "crm",
        ["crm", "nickname"],
        """Account: [[O:Okonkwo & Daughters Catering]]
Contact: [[P:Ngozi "Zizi" Okonkwo]]
Notes: [[P:Zizi]] said the deposit came from her personal card [[C:5425 2334 3010 990?]]; move to the company account next time.""",
    ),
    (
        "crm",
        ["crm", "initials"],
        """2026-11-30 [[P:JRM]] spoke with [[P:Pavla Dvořáková]] re renewal. [[P:PD]] wants a discount; [[P:JRM]] to check with [[P:Jarmil Růžička-Mach]].""",
    ),
    (
        "meeting",
        ["minutes", "attendees"],
        """Parents' association — minutes
Present: [[P:Ifeoma Nwosu]] (chair), [[P:Gareth Pryce]], [[P:Soo-ah Kim]], [[P:Rahul Bhattacharya]]
1. Bake sale: [[P:Gareth]] collects the float.
2. [[P:Soo-ah]] to email the head ([[E:head@stmarys-caerdydd.sch.uk]]).""",
    ),
    (
        "meeting",
        ["minutes", "initials"],
        """Sprint retro 48
AI: [[P:MK]] to fix flaky test; [[P:AS]] to ask [[P:Ana Sousa]]'s team for logs
([[P:MK]] = [[P:Mikael Korhonen]])""",
    ),
    (
        "hr",
        ["hr", "ssn"],
        """Employee record
Name: [[P:Darnell Whitfield]]
SSN: [[S:412-68-3307]]
Home: [[L:2217 Magnolia Ave, Chattanooga, TN 37404]]
Emergency contact: [[P:Loretta Whitfield]] [[T:(423) 555-0186]]""",
    ),
    (
        "hr",
        ["hr", "salary"],
        """Confidential — salary change
[[P:Anneke Visser]] (ID 00412) moves to band 5 from 1 January. Salary paid to [[I:NL??ABNA0528813907]].
Approved: [[P:H. de Vries]]""",
    ),
    (
        "hr",
        ["hr", "sick-note"],
        """Absence: [[P:Ciarán Ó Súilleabháin]] off sick 2-6 Dec, GP note received. Manager [[P:Ó Súilleabháin]]'s cover is [[P:Deirdre]].""",
    ),
    (
        "medical",
        ["clinic", "notes"],
        """Clinic note 04/12
Pt: [[P:Eleanor Fairweather]], DOB 1957-08-03
Lives alone at [[L:Flat 3, 19 Holloway Road, Bath]]. Daughter [[P:Kate]] ([[T:07911 123 456]]) is next of kin.
BP 148/92, review in 2 weeks.""",
    ),
    (
        "medical",
        ["hospital", "german"],
        """Entlassbrief
Patientin: [[P:Gül Yıldırım-Becker]], geb. 12.05.1969
Hausarzt: Dr. med. [[P:Anselm Treu]], [[L:Marktplatz 3, 72764 Reutlingen]]
Rückfragen: Station 4B, [[T:07121 200-4412]]""",
    ),
    (
        "medical",
        ["pharmacy", "lowercase"],
        """rx for mr. [[P:tomasz zieliński]] ready, he'll send his son [[P:kuba]] to collect. phone on file [[T:+44 7458 330 912]].""",
    ),
    (
        "court",
        ["court", "legal"],
        """IN THE COUNTY COURT AT [[L:MANCHESTER]]
Claimant: [[P:PRIYANKA SHARMA-HOLT]]
Defendant: [[P:LIAM FINNEGAN]]
Mr [[P:Finnegan]] of [[L:44 Cheetham Hill Road]] failed to return the deposit.""",
    ),
    (
        "court",
        ["court", "french"],
        """Tribunal judiciaire de [[L:Lyon]] — audience du 9 décembre
Demandeur : M. [[P:Rachid Benali]], demeurant [[L:7 impasse des Lilas, Villeurbanne]]
Défendeur : [[O:SARL Bâtiments Rhône Confort]]""",
    ),
    (
        "club",
        ["sports-club", "ambiguous-name"],
        """Under-12 football — lift rota
Sat: [[P:Penny]] ([[T:07812 604 221]])
Sun: [[P:Frank Adeyemi]]
If [[P:Frank]] can't, ask [[P:Drew]]'s dad.""",
    ),
    (
        "club",
        ["choir", "mixed-scripts"],
        """Choir contacts
sopranos: [[P:Ingrid Solberg]], [[P:Mei-Lin Chou]] ([[P:周美玲]])
altos: [[P:Fatima Zahra Bennani]]
treasurer: [[P:Otto Brunner]] — subs to [[I:AT?? 2011 1822 4471 0093]]""",
    ),
    (
        "shop",
        ["shop", "order"],
        """Order 10-4471 — click & collect
Customer: [[P:Ava-Grace Mensah]], [[E:avagrace.m@icloud.com]]
Paid: Visa ending 0062
Collect at [[L:Peckham]] store; [[P:Ava-Grace]] asked us to text [[T:07405 221 876]].""",
    ),
    (
        "gov",
        ["form", "ocr"],
        """APPLICATION FOR A RESIDENT PARKING PERMIT
Surname: [[P:OKONJO]]   Forename(s): [[P:CHIAMAKA ADAEZE]]
Address: [[L:18 Ladbroke Grove, London W11 3BQ]]
Tel: [[T:020 7946 0581]]  Email: [[E:c.okonjo@btinternet.com]]
Vehicle reg: LN19 KXY""",
    ),
    (
        "gov",
        ["form", "ssn"],
        """Form W-9 (copy)
Name: [[P:Esperanza Villarreal]]
Business: [[O:Villarreal Tamales LLC]]
SSN: [[S:528-71-0943]]
Address: [[L:410 W Commerce St, San Antonio, TX 78207]]""",
    ),
    (
        "gov",
        ["form", "norwegian"],
        """Søknad om barnehageplass
Barn: [[P:Sigrid Aune Haugen]]
Foresatt: [[P:Eirik Haugen]], [[L:Møllergata 8, 0179 Oslo]]
Telefon: [[T:+47 918 44 203]]""",
    ),
    (
        "email",
        ["finnish"],
        """Hei [[P:Aino]],
[[P:Juhani Mäkelä]] tulee maanantaina [[L:Tampereelle]]. Hänen numeronsa on [[T:040 712 5589]].
t. [[P:Kaisa]]""",
    ),
    (
        "email",
        ["czech"],
        """Dobrý den paní [[P:Nováková]],
zasílám fakturu za opravu střechy v [[L:Kutné Hoře]]. Platbu prosím na [[I:CZ?? 0800 0000 1933 8107 2261]].
S pozdravem [[P:Vojtěch Kratochvíl]]""",
    ),
    (
        "email",
        ["hungarian", "inverted-order"],
        """Kedves [[P:Zsófia]]!
[[P:Kovács Levente]] holnap hozza a szerződést. Telefonszáma: [[T:+36 30 412 7789]].
Üdv, [[P:Szabó Réka]]""",
    ),
    (
        "email",
        ["romanian"],
        """Bună [[P:Ioana]],
domnul [[P:Radu Popescu-Vlad]] a trimis actele la [[E:radu.pv@yahoo.ro]]. Locuiește în [[L:Cluj-Napoca]], cartierul [[L:Gheorgheni]].
[[P:Andreea]]""",
    ),
    (
        "email",
        ["ukrainian"],
        """Добрий день, пане [[P:Тарасе]]!
[[P:Олена Коваленко]] передала документи. Її телефон: [[T:+380 67 441 2093]].
З повагою, [[P:Богдан]]""",
    ),
    (
        "email",
        ["filipino"],
        """Hi Ate [[P:Joy]],
Si [[P:Maricel Dela Cruz]] po ang magdadala ng padala sa [[L:Marikina]]. Number niya [[T:0917 552 8841]].
Salamat, [[P:Jun-Jun]]""",
    ),
]
