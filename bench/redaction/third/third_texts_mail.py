# ruff: noqa: E501, RUF001
"""Hand-written texts of the third check set (round 16): mail threads and support
tickets. Each entry is (kind, hard-case tags, marked text); marks in build_third.py."""

TEXTS = [
    (
        "mail",
        "repeated-forms quoted-reply signature word-name",
        """From: [[P:Rose Thackeray]] <[[E:rose.thackeray@millbrook-ceramics.co.uk]]>
To: [[P:Hunter Osei-Bonsu]] <[[E:hunter@osei-bonsu.design]]>
Subject: Re: kiln order, revised

[[P:Hunter]], the revised drawing is fine. I'll get [[P:Thackeray]] senior to sign it off tomorrow (that's my dad, he still does the paperwork).

> On Tue, 3 Nov, [[P:Hunter Osei-Bonsu]] wrote:
> Hi [[P:Rose]], attached is the revised kiln shelf drawing. Can you confirm the 40 cm depth?
> [[P:H.]]

Best,
[[P:Rose]]
[[O:Millbrook Ceramics Ltd]] | [[T:01782 630 418]]""",
    ),
    (
        "mail",
        "signature other-script",
        """差出人: [[P:佐々木 由美]] <[[E:y.sasaki@hoshizora-kikaku.jp]]>
宛先: [[E:sales@lumenfield.io]]
件名: 見積もりの件

ご担当者様

先日お送りいただいた見積もりについて、数量を200個から350個に変更したいと考えております。
お手数ですが、再見積もりをお願いできますでしょうか。

よろしくお願いいたします。
[[O:株式会社ほしぞら企画]]
[[P:佐々木 由美]]
電話: [[T:03-6812-4479]]""",
    ),
    (
        "mail",
        "forwarded repeated-forms inverted-name",
        """---------- Forwarded message ---------
From: NAKAMURA, Kenji <[[E:kenji.nakamura@brightwater-analytics.com]]>
Date: Mon, 16 Nov 2026 at 09:12
Subject: contractor access

Please give Priyanka Deshmukh read access to the staging bucket until end of month. She is with [[O:Tidewell Consulting]].

Kenji

---
Fwd to IT: can someone action this? I don't have admin.
-- Marguerite""",
        {
            "P": ["NAKAMURA, Kenji", "Priyanka Deshmukh", "Kenji", "Marguerite"],
            "E": ["kenji.nakamura@brightwater-analytics.com"],
            "O": ["Tidewell Consulting"],
        },
    ),
    (
        "mail",
        "particle lowercase-in-address",
        """Dear Mr. [[P:van der Heijden]],

Thank you for your letter of 2 December. We have updated the delivery address on your account to:

[[P:Pieter van der Heijden]]
[[L:Kerkstraat 114]]
1017 GL [[L:Amsterdam]]

If anything is wrong, reply to this mail or call us on [[T:+31 20 794 2210]].

Kind regards,
[[P:Ilse de Bruijn]]
Customer Care, [[O:Vlieland Wijnhandel B.V.]]""",
    ),
    (
        "mail",
        "word-name sentence-start",
        """Hi all,

Will is out until Monday, so Summer is covering the night shift rota. Bill the Friday overtime to cost centre 4410 as usual.

If the rota app complains, ping Summer directly: [[E:summer.okafor@greyfield-health.org]].

Thanks
Guy""",
        {"P": ["Will", "Summer", "Guy"], "E": ["summer.okafor@greyfield-health.org"]},
    ),
    (
        "mail",
        "quoted-reply thread repeated-forms nickname",
        """Subject: RE: RE: parking permit

Thanks Mags, sorted.

-----Original Message-----
From: Margaret Llewellyn-Price
Sent: 09 December 2026 14:02
To: Dafydd Rees
Subject: RE: parking permit

Dafydd - your permit number is PK-2291. It runs out on 31 Jan. Mags

-----Original Message-----
From: Dafydd Rees
Sent: 09 December 2026 11:47
To: Margaret Llewellyn-Price
Subject: parking permit

Hi Margaret, could you tell me the number of my parking permit? My car reg is on file. Diolch, Dafydd""",
        {"P": ["Margaret Llewellyn-Price", "Dafydd Rees", "Mags", "Dafydd", "Margaret"]},
    ),
    (
        "mail",
        "german signature address",
        """Sehr geehrte Frau [[P:Schwarzenbach]],

anbei erhalten Sie die korrigierte Rechnung. Die Rücksendung holt unser Kurier am Donnerstag bei Ihnen in der [[L:Lindenallee 7]], [[L:Freiburg im Breisgau]] ab.

Bei Rückfragen erreichen Sie mich unter [[T:0761 48 93 120]] oder [[E:j.kowalczyk@holzwerk-suedbaden.de]].

Mit freundlichen Grüßen
[[P:Jakub Kowalczyk]]
[[O:Holzwerk Südbaden GmbH]]""",
    ),
    (
        "mail",
        "bank iban",
        """Hello Chiamaka,

as promised, here are the bank details for the deposit on the flat:

Account holder: Chiamaka Eze-Williams
IBAN: [[I:GB?? BARC 2004 1573 8842 19]]
Reference: FLAT 3B DEPOSIT

Please send the confirmation to this address once it has gone through.

Regards,
Tomasz""",
        {"P": ["Chiamaka Eze-Williams", "Chiamaka", "Tomasz"]},
    ),
    (
        "mail",
        "french quoted-reply",
        """Bonjour [[P:Thérèse]],

Merci pour votre retour. Je transmets à M. [[P:Lefèvre-Dumas]] qui gère les remboursements.

Cordialement,
[[P:Aurélien Boucher]]
[[T:+33 4 72 18 55 06]]

Le 12/11/2026 à 18:40, [[P:Thérèse Nguyen-Carré]] <[[E:therese.nc@laposte-mail.fr]]> a écrit :
> Bonjour, je n'ai toujours pas reçu le remboursement de ma commande 88213.
> Mon adresse est [[L:12 rue des Tanneurs]], [[L:Lyon]].""",
    ),
    (
        "mail",
        "arabic signature",
        """السيد [[P:خالد العتيبي]] المحترم،

نود إعلامكم بأن طلبكم رقم 5521 قد تم شحنه اليوم. يمكنكم التواصل معنا على الرقم [[T:+966 55 731 2048]] لأي استفسار.

مع التحية،
[[P:ريم الحربي]]
خدمة العملاء""",
    ),
    (
        "mail",
        "auto-reply phone extension",
        """Automatic reply: Out of office

I am away from 21 December to 4 January with no access to e-mail. For urgent payroll questions please contact Ngozi Adeyemi-Clarke on [[T:+44 161 496 0732 ext. 2214]] or write to payroll@harrowgate-print.co.uk.

Fergus MacLeod""",
        {"P": ["Ngozi Adeyemi-Clarke", "Fergus MacLeod"], "E": ["payroll@harrowgate-print.co.uk"]},
    ),
    (
        "mail",
        "lowercase initials",
        """hey jb,

can you send me the wifi details for the new office again? the sheet on the wall is gone.

ta,
lou

--
Louisa Brandt-Hargreaves | Ops | 07700 913 224""",
        {"P": ["Louisa Brandt-Hargreaves", "jb", "lou"], "T": ["07700 913 224"]},
    ),
    (
        "mail",
        "greek",
        """Αγαπητή κυρία [[P:Παπαδοπούλου]],

Σας ενημερώνουμε ότι το ραντεβού σας μεταφέρθηκε την Πέμπτη στις 10:30. Για αλλαγές καλέστε στο [[T:210 7723 415]].

Με εκτίμηση,
[[P:Νίκος Κωνσταντίνου]]""",
    ),
    (
        "mail",
        "recruiting repeated-forms",
        """Subject: Interview feedback - Oluwaseun Bakare

Panel: Ines Carvalho, Björn Lindqvist, me.

Oluwaseun was strong on system design and a bit nervous on the SQL exercise. Ines thinks he would fit the payments team; Björn would rather see a second technical round. Seun asked about relocation to Lisbon; he is currently in Porto.

Recommendation: second round.
- Devika""",
        {
            "P": [
                "Oluwaseun Bakare",
                "Oluwaseun",
                "Ines Carvalho",
                "Björn Lindqvist",
                "Ines",
                "Björn",
                "Seun",
                "Devika",
            ],
            "L": ["Lisbon", "Porto"],
        },
    ),
    (
        "mail",
        "obfuscated-email signature",
        """Hi there,

I'm interested in the bike you listed (the green Raleigh). Is it still available? I can pick it up this weekend in Leith.

Write to me at mairi [dot] campbell [at] postbox [dot] scot or text 07842 551 903.

Mairi""",
        {
            "P": ["Mairi"],
            "E": ["mairi [dot] campbell [at] postbox [dot] scot"],
            "T": ["07842 551 903"],
            "L": ["Leith"],
        },
    ),
    (
        "mail",
        "russian patronymic",
        """Уважаемый [[P:Андрей Викторович]],

Направляю Вам договор на подпись. Оригинал прошу передать [[P:Светлане Игоревне]] до пятницы.

С уважением,
[[P:Ольга Миронова]]
[[O:ООО «Северный Ветер»]]
тел. [[T:+7 812 409-22-71]]""",
    ),
    (
        "mail",
        "hyphen particle",
        """To: Jean-Baptiste Ould-Mohamed <jb.ouldmohamed@sahel-transit.org>
Cc: Fatoumata Diallo <f.diallo@sahel-transit.org>
Subject: visa letter

Dear Jean-Baptiste,

The invitation letter for the Dakar workshop is attached. Fatoumata will collect your passport copy at the front desk.

Best wishes,
Carla Dos Santos""",
        {
            "P": [
                "Jean-Baptiste Ould-Mohamed",
                "Fatoumata Diallo",
                "Jean-Baptiste",
                "Fatoumata",
                "Carla Dos Santos",
            ],
            "E": ["jb.ouldmohamed@sahel-transit.org", "f.diallo@sahel-transit.org"],
        },
    ),
    (
        "mail",
        "card",
        """Subject: your booking, please do not reply

Dear Guest,

Thank you for booking with us. Payment received from card [[C:4916 3382 0719 445?]] (holder: [[P:ANITA KRISHNAMURTHY]]).

Arrival: 14 Feb, 2 nights
Room: Garden double

[[O:The Old Rectory, Hay-on-Wye]]""",
    ),
    (
        "mail",
        "quoted-reply korean",
        """[[P:박지훈]]님 안녕하세요,

요청하신 자료 보내드립니다. 확인 후 회신 부탁드립니다.

[[P:이서연]] 드림
[[T:010-4823-9917]]

-----원본 메시지-----
보낸 사람: [[P:박지훈]] <[[E:jihoon.park@hanbit-soft.kr]]>
제목: 자료 요청
[[P:서연]] 씨, 지난 분기 매출 자료 좀 보내주실 수 있을까요?""",
    ),
    (
        "mail",
        "word-name possessive",
        """Hi Grace,

May's leaving drinks are on Friday at the Crown. Could you collect for her card? Faith has the envelope. Cash or transfer to Faith's account is fine.

Cheers,
Dennis""",
        {"P": ["Grace", "May", "Faith", "Dennis"]},
    ),
    (
        "mail",
        "hebrew",
        """שלום [[P:יעל]],

קיבלתי את המסמכים, תודה. [[P:אבי כהן]] יחזור אלייך מחר בבוקר לגבי החוזה.

בברכה,
[[P:נועה לוי]]
[[T:052-718-4406]]""",
    ),
    (
        "mail",
        "url signature",
        """Hello Mr. Fairweather,

Your appointment is confirmed for Wednesday 9 December at 15:00 at our Harrogate branch. You can change it here: https://book.pennine-opticians.co.uk/a/7HkQ2

Regards,
Elspeth Garroway
Pennine Opticians""",
        {
            "P": ["Fairweather", "Elspeth Garroway"],
            "U": ["https://book.pennine-opticians.co.uk/a/7HkQ2"],
            "L": ["Harrogate"],
            "O": ["Pennine Opticians"],
        },
    ),
    (
        "mail",
        "spanish",
        """Hola [[P:Guadalupe]]:

Te confirmo que [[P:Rodrigo Ibáñez de la Fuente]] llega el martes a [[L:Valencia]]. Lo recoges tú en el aeropuerto? Su móvil es [[T:+34 612 480 339]].

Un abrazo,
[[P:Maite]]""",
    ),
    (
        "mail",
        "repeated-forms initials",
        """Subject: minutes approved

All,

The minutes of the 2 Dec board meeting are approved with one correction: item 4 was proposed by AK (Amara Kallstrom), not by TW. Tobias Wendt seconded it.

Amara, please upload the corrected version.

Henrietta Boakye
Company Secretary""",
        {"P": ["Amara Kallstrom", "Amara", "AK", "TW", "Tobias Wendt", "Henrietta Boakye"]},
    ),
    (
        "mail",
        "hindi",
        """नमस्ते [[P:सुनीता]] जी,

आपका पार्सल कल [[L:जयपुर]] पहुँच जाएगा। कोई समस्या हो तो [[T:+91 98290 41736]] पर कॉल करें।

धन्यवाद,
[[P:राजेश वर्मा]]""",
    ),
    (
        "mail",
        "line-split email",
        """Please copy in our new finance lead, Bartholomew Achterberg, on every invoice from now on. His address is bartholomew.achterberg@
noordkaap-shipping.nl (sorry, my mail client wraps it).

Kind regards,
Wilma""",
        {
            "P": ["Bartholomew Achterberg", "Wilma"],
            "E": ["bartholomew.achterberg@\nnoordkaap-shipping.nl"],
        },
    ),
    (
        "ticket",
        "lowercase chat-like",
        """Ticket #48213 | Priority: normal | Channel: web form
Name: [[P:derek o'halloran]]
Email: [[E:dohalloran77@eirmail.ie]]
Phone: [[T:087 441 2096]]

message: hi my router keeps dropping every evening around 9, i have rebooted it loads of times. mac on the sticker is [[M:A4:2B:8C:19:F0:6E]]. can someone call me back, thanks [[P:derek]]""",
    ),
    (
        "ticket",
        "ip log",
        """INC-20931 Login failures for user mbergstrom

Reporter: Malin Bergström (Finance)
Assignee: Yaw Asante

Malin reports her account is locked after three failed logins she did not make. Auth log shows attempts from 185.220.101.47 and 91.207.174.12 between 02:10 and 02:14 UTC.

Yaw: reset done, MFA re-enrolled, IPs added to the block list.""",
        {
            "P": ["Malin Bergström", "Malin", "Yaw Asante", "Yaw", "mbergstrom"],
            "A": ["185.220.101.47", "91.207.174.12"],
        },
    ),
    (
        "ticket",
        "french",
        """Demande n° 77104
Client : Mme [[P:Éloïse Garnier-Baptiste]]
Téléphone : [[T:06 14 52 88 73]]
Adresse : [[L:4 impasse des Lilas]], 33000 [[L:Bordeaux]]

Description : la machine à laver livrée le 2 décembre fuit. Le technicien [[P:Karim Haddad]] passera jeudi matin. Mme [[P:Garnier-Baptiste]] sera présente.""",
    ),
    (
        "ticket",
        "secret prose",
        """Support ticket 5512 - cannot connect to VPN

From: Hamid Rahimi
Hi, since the update I can't connect. I typed my password Qasr-e-Shirin!84 three times and it says invalid. My username is hrahimi. Please help, I have a deadline.

Agent note (Lena): never ask users to send passwords. Password reset link sent, asked him to change it.""",
        {"P": ["Hamid Rahimi", "hrahimi", "Lena"], "K": ["Qasr-e-Shirin!84"]},
    ),
    (
        "ticket",
        "word-name",
        """Case 33019
Customer: Hope Mbatha
Summary: Hope says the invoice for November was charged twice.

Agent (Drew): I can see two charges on 3 Nov. Refunded one. Told Hope it takes 5 working days. Drew""",
        {"P": ["Hope Mbatha", "Hope", "Drew"]},
    ),
    (
        "ticket",
        "spanish address",
        """Incidencia 20-4471
Nombre: [[P:Concepción Ruiz Valdés]]
DNI: no aportado
Dirección: [[L:Calle de Alcalá 212, 4º B]], [[L:Madrid]]
Teléfono: [[T:+34 91 430 72 18]]

La señora [[P:Ruiz]] indica que el técnico no vino el lunes. Se reprograma para el miércoles.""",
    ),
    (
        "ticket",
        "mac ip",
        """[HELPDESK-8821] New laptop for Zoltán Farkas
Asset: LT-0441, Wi-Fi MAC 3C:22:FB:7A:91:0D, Ethernet MAC 3c-22-fb-7a-91-0e
Assigned IP (DHCP reservation): 10.40.12.87
Zoltán starts Monday, desk 3.14. Badge to be picked up from reception (ask for Edit).""",
        {
            "P": ["Zoltán Farkas", "Zoltán", "Edit"],
            "M": ["3C:22:FB:7A:91:0D", "3c-22-fb-7a-91-0e"],
            "A": ["10.40.12.87"],
        },
    ),
    (
        "ticket",
        "thai",
        """คำร้องเลขที่ 2291
ชื่อลูกค้า: [[P:สมชาย ใจดี]]
เบอร์โทร: [[T:081-457-3302]]
รายละเอียด: คุณ[[P:สมชาย]]แจ้งว่าสินค้าที่ได้รับชำรุด ขอเปลี่ยนสินค้าใหม่""",
    ),
    (
        "ticket",
        "card partial",
        """Ticket: Refund not received
Customer: Bartosz Wiśniewski
Card used: Visa, last digits on the statement

Customer says he paid with card [[C:4024 0071 5338 447?]] and wants the refund on the same card. Checked: refund issued to that card on 30 Nov.""",
        {"P": ["Bartosz Wiśniewski"]},
    ),
    (
        "ticket",
        "hyphen initials repeated-forms",
        """JIRA OPS-1182: Export job fails for tenant acme-eu

Reported by: A. Kowalski-Nowak
Assignee: Sung-min Yoon

Sung-min: reproduced, the job dies on a row with an emoji in the address. AKN confirmed it started after the 4.2 upgrade.
Agnieszka: thanks, waiting for the fix.""",
        {"P": ["A. Kowalski-Nowak", "Sung-min Yoon", "Sung-min", "AKN", "Agnieszka"]},
    ),
    (
        "ticket",
        "ssn us",
        """Case #A-55817 (Benefits enrollment)
Employee: Tyrone Washington-Hale
SSN: [[S:412-58-3307]]
DOB: 04/11/1986
Note: Tyrone's dependent (daughter, Jada) missing from the plan. Added after call on 12/01.""",
        {"P": ["Tyrone Washington-Hale", "Tyrone", "Jada"]},
    ),
    (
        "ticket",
        "chinese",
        """工单号：CN-30917
客户：[[P:王秀英]]
电话：[[T:138 1027 4456]]
地址：[[L:上海市]]徐汇区[[L:漕溪北路88号]]
问题描述：[[P:王]]女士反映快递三天未更新物流信息。已联系快递公司。""",
    ),
    (
        "ticket",
        "url lowercase",
        """ticket 9921: blog theme broken
from: kwabena (kwabena.mensah.writes@gmail.com)
my site https://kwabenawrites.blog shows a white page since your update. admin is at https://kwabenawrites.blog/wp-admin. i can give temporary access if you need it""",
        {
            "P": ["kwabena"],
            "E": ["kwabena.mensah.writes@gmail.com"],
            "U": ["https://kwabenawrites.blog/wp-admin", "https://kwabenawrites.blog"],
        },
    ),
    (
        "ticket",
        "polish",
        """Zgłoszenie 4410
Zgłaszający: [[P:Grzegorz Brzęczyszczykiewicz]]
Telefon: [[T:+48 601 227 994]]
Opis: Pan [[P:Grzegorz]] zgłasza, że faktura VAT nie zawiera NIP firmy [[O:Brzęczyszczykiewicz i Syn sp. z o.o.]] Proszę o korektę.""",
    ),
    (
        "ticket",
        "medical-admin phone",
        """Appointment request
Patient: Summer Delacroix
NHS number: not given
Contact: 020 7946 0381 (home), 07911 123 480 (mobile)
Reason: follow-up after knee scan. Summer would prefer mornings. GP: Dr Adaeze Nwosu.""",
        {
            "P": ["Summer Delacroix", "Summer", "Adaeze Nwosu"],
            "T": ["020 7946 0381", "07911 123 480"],
        },
    ),
    (
        "ticket",
        "secret api key",
        """Ticket 7720: webhook signature invalid

Customer (Ravi Subramanian, Lumen Apps) pasted their config:

  WEBHOOK_SECRET=whsec_9fK2mQx7LpR4tV8nZ1cB6yH3
  STRIPE_KEY=sk_live_51Hq8ZkLmN2pQ7rT4vX9yB3cD6fG

Told Ravi to roll both keys since they were sent in a ticket.""",
        {
            "P": ["Ravi Subramanian", "Ravi"],
            "O": ["Lumen Apps"],
            "K": ["whsec_9fK2mQx7LpR4tV8nZ1cB6yH3", "sk_live_51Hq8ZkLmN2pQ7rT4vX9yB3cD6fG"],
        },
    ),
    (
        "ticket",
        "german lowercase",
        """Ticket 1208 – Lieferung beschädigt
Kunde: [[P:Friederike Möllenkamp]]
Tel.: [[T:+49 40 3398 1157]]
Nachricht: hallo, der tisch kam mit einem kratzer an. bitte um rückruf. lg [[P:friederike]]""",
    ),
    (
        "ticket",
        "japanese",
        """問い合わせ番号: JP-5520
お名前: [[P:田中 翔太]] 様
メール: [[E:shota.tanaka88@docomo-mail.jp]]
内容: [[P:田中]]様より、ログインできないとの連絡あり。パスワード再設定のご案内済み。""",
    ),
    (
        "ticket",
        "word-name sentence-start",
        """#6631 Keys not returned
Tenant: Rich Abernathy, flat 9
Rich moved out on 30 Nov but the second key fob is missing. Mark from the letting office will chase him. Rich's forwarding number: 07455 208 117.""",
        {"P": ["Rich Abernathy", "Rich", "Mark"], "T": ["07455 208 117"]},
    ),
    (
        "ticket",
        "turkish",
        """Talep No: 3309
Müşteri: [[P:Ayşe Yıldırım]]
Telefon: [[T:0532 418 77 90]]
Açıklama: [[P:Ayşe]] Hanım siparişinin eksik geldiğini bildirdi. Kargo firması aranacak.""",
    ),
    (
        "ticket",
        "vietnamese",
        """Phiếu hỗ trợ 8812
Khách hàng: [[P:Nguyễn Thị Hồng Nhung]]
SĐT: [[T:0912 345 871]]
Chị [[P:Nhung]] báo đơn hàng giao nhầm màu. Đã hẹn đổi hàng thứ Sáu.""",
    ),
]
