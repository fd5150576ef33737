# ruff: noqa: E501, RUF001
"""Hand-written texts of the third check set (round 16): chat exports, call transcripts,
meeting notes, CRM notes, HR and medical-style notes, calendar invites. Each entry is
(kind, hard-case tags, marked text[, listed values]); marks in build_third.py."""

TEXTS = [
    (
        "chat",
        "lowercase speakers",
        """[09:14] kofi: anyone seen the delivery note for the oak boards?
[09:15] marisol: nope, ask bea
[09:15] kofi: bea?? you there
[09:21] bea: it's in the blue folder, kofi. ring the driver if missing, his number is 07723 418 506""",
        {"P": ["kofi", "marisol", "bea"], "T": ["07723 418 506"]},
    ),
    (
        "chat",
        "word-name",
        """Summer: can you cover Sat?
Will: can't, it's my sister's wedding
Summer: Hunter?
Hunter: yeah fine, I'll swap with you for the 19th
Summer: legend, thanks""",
        {"P": ["Summer", "Will", "Hunter"]},
    ),
    (
        "chat",
        "whatsapp phone",
        """[07/12/2026, 18:02] Abuela Carmen: Mijo, llegaste bien?
[07/12/2026, 18:10] Tomás: sí abuela, ya estoy en casa
[07/12/2026, 18:11] Abuela Carmen: apunta el número nuevo de tu tía Lupe: +52 55 4127 8830""",
        {"P": ["Carmen", "Tomás", "Lupe"], "T": ["+52 55 4127 8830"]},
    ),
    (
        "chat",
        "slack mention secret",
        """#infra-oncall
@dmitri.volkov the staging db password is still the old one: Kr0nstadt-Winter-22, can you rotate?
dmitri.volkov: on it. @yuki.tanabe fyi
yuki.tanabe: 👍""",
        {"P": ["dmitri.volkov", "yuki.tanabe"], "K": ["Kr0nstadt-Winter-22"]},
    ),
    (
        "chat",
        "chinese speakers",
        """[[P:李娜]] 10:02
明天的会改到下午三点了
[[P:陈伟]] 10:05
好的，我通知[[P:小刘]]
[[P:李娜]] 10:06
谢谢[[P:陈伟]]！""",
    ),
    (
        "chat",
        "discord lowercase nickname",
        """<zaz> who's running the raid tonight
<mo_khan> me. zaz you bringing ellie?
<zaz> ya she's in
<ellie_b> i'm in but lagging, my ip is 81.102.44.219 if you wanna whitelist""",
        {"P": ["zaz", "mo_khan", "ellie_b", "ellie"], "A": ["81.102.44.219"]},
    ),
    (
        "chat",
        "teams repeated-forms",
        """Olumide Bankole 2:41 PM
Has anyone heard back from Guillermo about the Madrid venue?
Guillermo Ortega-Sáenz 2:44 PM
Yes, confirmed for 12 March. Contract in my inbox, Olu
Olumide Bankole 2:45 PM
Brilliant, cheers G""",
        {"P": ["Olumide Bankole", "Guillermo Ortega-Sáenz", "Guillermo", "Olu", "G"]},
    ),
    (
        "chat",
        "family address",
        """Mum: Don't forget nana's new address
Mum: Flat 2, 17 Rosebery Crescent, Dundee DD3 6JP
Iain: got it 👍
Mum: and ring her Sunday, Iain""",
        {"P": ["Iain"], "L": ["Flat 2, 17 Rosebery Crescent", "Dundee"]},
    ),
    (
        "chat",
        "russian",
        """[[P:Маша]]: [[P:Серёжа]], ты забрал документы у [[P:Петрова]]?
[[P:Серёжа]]: да, вечером занесу. его телефон [[T:+7 916 302-14-88]] если что""",
    ),
    (
        "chat",
        "word-name lowercase",
        """[[P:bill]]: [[=will]] you be at standup?
[[P:will]]: yes, [[P:bill]], running late
[[P:bill]]: ok [[=will]] start without you""",
    ),
    (
        "chat",
        "arabic",
        """[[P:أحمد]]: صباح الخير يا [[P:سارة]]
[[P:سارة]]: صباح النور، هل وصلك ملف العقد؟
[[P:أحمد]]: نعم، سأرسله إلى الأستاذ [[P:يوسف]] اليوم""",
    ),
    (
        "chat",
        "card prose",
        """ok here's the card for the hotel deposit, dont share: [[C:5425 2334 1092 771?]] exp 09/28, name on card [[P:PRIYA RAMANATHAN]]
thx [[P:priya]], booking now""",
    ),
    (
        "chat",
        "japanese",
        """[[P:山本]]: [[P:健太]]くん、明日の資料できた？
[[P:健太]]: はい、夜に送ります
[[P:山本]]: よろしく。[[P:鈴木]]部長にもCCで""",
    ),
    (
        "chat",
        "hinglish lowercase",
        """rahul: bhai kal office aa raha hai?
aditya: haan, 10 baje. tu neha ko bol dena
rahul: ok. neha ka number 98110 27463 hai na?""",
        {"P": ["rahul", "aditya", "neha"], "T": ["98110 27463"]},
    ),
    (
        "chat",
        "discord ip url",
        """[[P:frostbyte]] — Today at 21:07
server's up at [[A:51.158.63.20]]:25565, map download on [[U:https://frostbyte-mc.net/maps/season4.zip]]
[[P:Lwazi]] — Today at 21:09
joining, thanks [[P:frost]]""",
    ),
    (
        "transcript",
        "call secret spoken",
        """Agent: Thank you for calling, can I take your name?
Caller: Yes, it's Bronwyn Achebe.
Agent: Thanks Bronwyn. And the postcode on the account?
Caller: CF10 3AT.
Agent: Lovely. For security, what's your memorable word?
Caller: pumpernickel
Agent: Great, you're verified, Ms Achebe.""",
        {"P": ["Bronwyn Achebe", "Bronwyn", "Achebe"], "K": ["pumpernickel"]},
    ),
    (
        "transcript",
        "caps speakers",
        """INTERVIEWER: Could you say your name for the recording?
HALVORSEN: Ingrid Halvorsen. I ran the ferry kiosk in Tromsø from 1998.
INTERVIEWER: And your brother, Magnus, worked there too?
HALVORSEN: Magnus did the night boats, yes.""",
        {"P": ["Ingrid Halvorsen", "HALVORSEN", "Magnus"], "L": ["Tromsø"]},
    ),
    (
        "transcript",
        "spelled email phone",
        """[00:01:12] Agent (Kelechi): can I get an email?
[00:01:15] Customer: sure, it's b.ferreira.santos@correio-luso.pt
[00:01:22] Agent (Kelechi): and a callback number?
[00:01:25] Customer: plus three five one, nine one two, four four seven, two zero eight. So +351 912 447 208.
[00:01:40] Agent (Kelechi): thank you, Mr Ferreira Santos""",
        {
            "P": ["Kelechi", "Ferreira Santos"],
            "E": ["b.ferreira.santos@correio-luso.pt"],
            "T": [
                "+351 912 447 208",
                "plus three five one, nine one two, four four seven, two zero eight",
            ],
        },
    ),
    (
        "transcript",
        "voicemail",
        """Voicemail, 08:47, from 0121 496 0853:
"Hi, this is Joy from Dr. Okonjo's surgery, calling for Mr. Amadi. Your results are back, nothing to worry about, but please call us back on 0121 496 0853. Thanks, bye."
""",
        {"P": ["Joy", "Okonjo", "Amadi"], "T": ["0121 496 0853"]},
    ),
    (
        "transcript",
        "zoom auto-caption",
        """00:03:10 Matteo Bianchi: can everybody hear me
00:03:14 Aoife Ní Bhraonáin: yes go ahead matteo
00:03:20 Matteo Bianchi: ok so aoife and I looked at the numbers for Q3
00:03:31 Rafael Mendes: matteo, which sheet""",
        {"P": ["Matteo Bianchi", "Aoife Ní Bhraonáin", "matteo", "aoife", "Rafael Mendes"]},
    ),
    (
        "transcript",
        "card spoken",
        """Agent: And the long number on the card please?
Caller: [[C:4539 6011 2846 901?]]
Agent: Expiry?
Caller: Eleven twenty-eight.
Agent: And the name as it appears?
Caller: Dr [[P:Femi Oyelaran-Moss]]. It's [[P:Femi]] with an F.""",
    ),
    (
        "meeting",
        "attendees initials",
        """Weekly sync, 3 Dec
Present: Yasmin Haddad (YH), Connor McAllister (CM), Léa Rousseau (LR)
Apologies: Wojtek

- YH: vendor contract signed, CM to circulate
- LR raised the data retention question; Wojtek to answer by Friday
- Next: Léa chairs""",
        {
            "P": [
                "Yasmin Haddad",
                "Connor McAllister",
                "Léa Rousseau",
                "Wojtek",
                "Léa",
                "YH",
                "CM",
                "LR",
            ]
        },
    ),
    (
        "meeting",
        "word-name",
        """Parish council minutes, 1 December
Chair: Cllr Penny Marchbanks
Present: Cllrs Guy Featherstone, Dawn Achterberg-Oyelowo, Frank Iwu

The chair welcomed Frank to his first meeting. Guy reported the footpath repair is done. Dawn asked that the bus shelter be added to the next agenda.""",
        {
            "P": [
                "Penny Marchbanks",
                "Guy Featherstone",
                "Dawn Achterberg-Oyelowo",
                "Frank Iwu",
                "Frank",
                "Guy",
                "Dawn",
            ]
        },
    ),
    (
        "meeting",
        "german",
        """Protokoll Teamrunde 04.12.
Anwesend: Frau Dr. Hildegard Sommerfeld, Herr Emre Aydın, Kübra
Frau Sommerfeld berichtet über das Budget. Herr Aydın übernimmt die Lieferantenliste. Kübra klärt den Raum in Stuttgart.""",
        {
            "P": ["Hildegard Sommerfeld", "Sommerfeld", "Emre Aydın", "Aydın", "Kübra"],
            "L": ["Stuttgart"],
        },
    ),
    (
        "meeting",
        "action-items lowercase",
        """action items
- @sofia.m send the deck to nordlicht
- ben + tariq: fix the staging deploy
- ask ms. ogunleye about budget sign-off (she's back thu)""",
        {"P": ["sofia.m", "ben", "tariq", "ogunleye"], "O": ["nordlicht"]},
    ),
    (
        "meeting",
        "other-script korean",
        """회의록 12/3
참석: [[P:김민수]] 팀장, [[P:정하은]], [[P:오태윤]]
- [[P:김]] 팀장: 예산안 검토 완료
- [[P:정하은]]: 고객사 미팅 일정 조율 중""",
    ),
    (
        "crm",
        "lowercase repeated-forms",
        """12/02 spoke w/ harriet quaye re renewal. harriet wants a 2nd quote; QUAYE holds the budget till march. call back on +233 24 418 9920.""",
        {"P": ["harriet quaye", "harriet", "QUAYE"], "T": ["+233 24 418 9920"]},
    ),
    (
        "crm",
        "org url",
        """Account: Fjordline Outdoor AS
Contact: Sigrid Aasheim, purchasing
Website: www.fjordline-outdoor.no
Notes: Sigrid asked for the winter catalogue. Follow up in January. Prefers email: sigrid.aasheim@fjordline-outdoor.no""",
        {
            "P": ["Sigrid Aasheim", "Sigrid"],
            "O": ["Fjordline Outdoor AS"],
            "U": ["www.fjordline-outdoor.no"],
            "E": ["sigrid.aasheim@fjordline-outdoor.no"],
        },
    ),
    (
        "crm",
        "nickname initials",
        """Lead: Bartholomew "Bat" Okwuosa, CTO at Greenlane Robotics
Met Bat at the Leeds expo. Interested in the fleet plan. BO says decision in Q1. Mobile 07380 554 219.""",
        {
            "P": ['Bartholomew "Bat" Okwuosa', "Bat", "BO"],
            "O": ["Greenlane Robotics"],
            "L": ["Leeds"],
            "T": ["07380 554 219"],
        },
    ),
    (
        "crm",
        "portuguese",
        """Cliente: [[P:Joana Figueiredo]] ([[O:Padaria Estrela Lda]])
Tel: [[T:+351 219 440 382]]
Nota: a D. [[P:Joana]] pediu visita técnica ao forno. Morada: [[L:Rua da Prata 41]], [[L:Sintra]].""",
    ),
    (
        "crm",
        "word-name",
        """Call log 04/12: Chase Whitlock (owner, Whitlock Farm Supplies). Chase wants to chase the late delivery himself. Said May is fine for the next order, but not before. Wife Rose handles the invoices: rose@whitlockfarm.com""",
        {
            "P": ["Chase Whitlock", "Chase", "Rose"],
            "O": ["Whitlock Farm Supplies"],
            "E": ["rose@whitlockfarm.com"],
        },
    ),
    (
        "crm",
        "particle",
        """Contact card updated: Ludovica degli Esposti → new role at Banca Ferrante. Ms degli Esposti moved from Milan to Turin. New direct line +39 011 518 2274.""",
        {
            "P": ["Ludovica degli Esposti", "degli Esposti"],
            "O": ["Banca Ferrante"],
            "L": ["Milan", "Turin"],
            "T": ["+39 011 518 2274"],
        },
    ),
    (
        "hr",
        "sick-note",
        """Absence record
Employee: Kateryna Shevchenko (ID 20417)
Manager: Alistair Munro
Dates: 30 Nov – 4 Dec
Reason: flu, GP note received. Kateryna to phase back with half days. Alistair informed.""",
        {"P": ["Kateryna Shevchenko", "Kateryna", "Alistair Munro", "Alistair"]},
    ),
    (
        "hr",
        "salary iban",
        """Payroll change form
Name: Mehmet Öztürk
New bank account: [[I:DE?? 5001 0517 5407 3249 31]]
Effective: January payroll
Approved by: S. Lindgren""",
        {"P": ["Mehmet Öztürk", "S. Lindgren"]},
    ),
    (
        "hr",
        "reference letter",
        """To whom it may concern,

I am pleased to recommend Anneliese Vogt-Kaminski, who worked under me at Haverford Precision from 2019 to 2025. Anneliese led our quality team; Ms Vogt-Kaminski is careful and kind.

Desmond Achterberg
Head of Operations, Haverford Precision
+44 1904 771 320""",
        {
            "P": ["Anneliese Vogt-Kaminski", "Anneliese", "Vogt-Kaminski", "Desmond Achterberg"],
            "O": ["Haverford Precision"],
            "T": ["+44 1904 771 320"],
        },
    ),
    (
        "hr",
        "grievance",
        """Confidential – HR case 2026-031
Complainant: Precious Dlamini
Respondent: Brandon Kessler (team lead)
Summary: PD states that BK repeatedly scheduled her shifts against her stated childcare hours. Witness: Marcus Yeo.""",
        {"P": ["Precious Dlamini", "Brandon Kessler", "PD", "BK", "Marcus Yeo"]},
    ),
    (
        "hr",
        "ssn onboarding",
        """New hire checklist – Destiny Ramírez-Cole
[x] I-9 verified
[x] W-4 received, SSN [[S:523-71-4908]]
[ ] direct deposit
Start date 1/4, reports to Gabe Lindqvist.""",
        {"P": ["Destiny Ramírez-Cole", "Gabe Lindqvist"]},
    ),
    (
        "medical",
        "clinical note",
        """Clinic note 07/12/2026
Patient: Mr. Obadiah Fenwick, DOB 14/03/1951
Seen with daughter (Clementine). Mr Fenwick reports dizziness on standing. BP 150/90. Plan: review meds, bloods, follow-up 2 weeks. Dr H. Sato""",
        {"P": ["Obadiah Fenwick", "Fenwick", "Clementine", "H. Sato"]},
    ),
    (
        "medical",
        "referral address",
        """Referral to physiotherapy
Name: Ms Wanjiru Kamau
Address: 9 Albion Terrace, Bath BA1 5LP
Tel: 01225 318 704
Reason: post-op rehab, right ACL. Wanjiru prefers Tuesday appointments.""",
        {
            "P": ["Wanjiru Kamau", "Wanjiru"],
            "L": ["9 Albion Terrace", "Bath"],
            "T": ["01225 318 704"],
        },
    ),
    (
        "medical",
        "pharmacy lowercase",
        """rx pickup: jolene mcbride, 2 items, called pt on (503) 555-0148 x22 left msg. jolene's husband may collect.""",
        {"P": ["jolene mcbride", "jolene"], "T": ["(503) 555-0148 x22"]},
    ),
    (
        "medical",
        "dental french",
        """Cabinet dentaire – rappel
Patient : [[P:Gaspard Lemoine]]
Rendez-vous : mardi 15 décembre, 9h00, avec le Dr [[P:Nadia Benali]]
Pour annuler : [[T:01 45 22 81 07]]""",
    ),
    (
        "calendar",
        "ics",
        """BEGIN:VEVENT
SUMMARY:Design review with Oksana
DTSTART:20261210T140000Z
ORGANIZER;CN=Phineas Achterberg:mailto:phineas@quillstone.studio
ATTENDEE;CN=Oksana Hrytsenko:mailto:oksana.h@quillstone.studio
LOCATION:Quillstone Studio, 22 Dock Street, Hull
END:VEVENT""",
        {
            "P": ["Oksana Hrytsenko", "Oksana", "Phineas Achterberg"],
            "E": ["phineas@quillstone.studio", "oksana.h@quillstone.studio"],
            "O": ["Quillstone Studio"],
            "L": ["22 Dock Street", "Hull"],
        },
    ),
    (
        "calendar",
        "invite meeting-id",
        """Invitation: 1:1 Kwame / Siobhan @ Thu 10 Dec 11:00 – 11:30
Join: https://meet.brightcanal.io/j/88213047
Meeting ID 882 1304 7 · Passcode 5521
Organizer: Siobhan O'Rourke""",
        {
            "P": ["Kwame", "Siobhan O'Rourke", "Siobhan"],
            "U": ["https://meet.brightcanal.io/j/88213047"],
        },
    ),
    (
        "calendar",
        "birthday",
        """Reminder: Grandad Wilf's 90th — Sunday 13 Dec, 1pm, at Auntie June's (4 Mill Lane, Ludlow). Bring the photo album. Call June on 01584 872 310 if you're late.""",
        {"P": ["Wilf", "June"], "L": ["4 Mill Lane", "Ludlow"], "T": ["01584 872 310"]},
    ),
    (
        "calendar",
        "outlook dutch",
        """Uitnodiging: Kwartaaloverleg
Wanneer: donderdag 17 december 2026 10:00-11:00
Waar: Vergaderzaal 2, [[O:Hoogland & Zonen]], [[L:Utrecht]]
Organisator: [[P:Femke Hoogland]]
Deelnemers: [[P:Sander van Wijk]]; [[P:Yara Bouzid]]""",
    ),
    (
        "chat",
        "lowercase signoff",
        """hey, the plumber said he can come tues morning, his name's gavin and his number is 07984 223 617. i'm out so can you let him in? xx becca""",
        {"P": ["gavin", "becca"], "T": ["07984 223 617"]},
    ),
    (
        "chat",
        "greek",
        """[[P:Κώστας]]: [[P:Ελένη]], έστειλες το τιμολόγιο;
[[P:Ελένη]]: Ναι, στον κύριο [[P:Σταματόπουλο]] χθες""",
    ),
    (
        "chat",
        "line-split name",
        """[14:02] Moderator: please welcome our guest speaker, Professor
Chinwe Okafor-Lindahl, who joins us from Uppsala.
[14:03] Chinwe: thank you!""",
        {"P": ["Chinwe Okafor-Lindahl", "Chinwe"], "L": ["Uppsala"]},
    ),
    (
        "transcript",
        "hebrew",
        """נציג: שלום, עם מי אני מדבר?
לקוח: [[P:משה אברהמי]].
נציג: תודה [[P:משה]]. מה מספר הטלפון?
לקוח: [[T:054-331-8720]]""",
    ),
    (
        "meeting",
        "standup",
        """Standup 9 Dec
Ngozi: finished the billing migration, PR up
Hamish: blocked on the VPN, IT says tomorrow
Xiu Ying: pairing with Hamish on the import bug""",
        {"P": ["Ngozi", "Hamish", "Xiu Ying"]},
    ),
    (
        "crm",
        "chat transcript email",
        """Live chat, 04/12 16:22
Visitor (Annika): hi, do you deliver to Tampere?
Agent: We do! Can I take an email for the quote?
Visitor (Annika): annika.virtanen@kotiposti.fi""",
        {"P": ["Annika"], "L": ["Tampere"], "E": ["annika.virtanen@kotiposti.fi"]},
    ),
    (
        "hr",
        "performance word-name",
        """Review 2026 – Guy Bellweather
Strengths: Guy mentors new hires well. Weaknesses: deadlines slip. Reviewer: Faith Ogundipe. Faith recommends a pay step.""",
        {"P": ["Guy Bellweather", "Guy", "Faith Ogundipe", "Faith"]},
    ),
    (
        "medical",
        "discharge",
        """DISCHARGE SUMMARY
Patient: KOVAČ, Marija  MRN 0044871
Attending: Dr Ibrahim Sesay
Marija Kovač, 67, admitted with pneumonia, improved on antibiotics. Home with her son Luka. GP to review in 1 week.""",
        {"P": ["KOVAČ, Marija", "Marija Kovač", "Ibrahim Sesay", "Luka"]},
    ),
    (
        "chat",
        "secret prose wifi",
        """[[P:Ife]]: what's the wifi at the cottage again?
[[P:Dayo]]: network BrambleCottage, password [[K:hedgehog-teapot-91]]
[[P:Ife]]: ta""",
    ),
    (
        "transcript",
        "podcast",
        """[Intro music]
HOST (Marisa): Welcome back. Today I'm joined by Ekow Arthur, who founded Cedi Cycles in Kumasi. Ekow, thanks for coming.
EKOW: Thanks, Marisa, happy to be here.""",
        {"P": ["Marisa", "Ekow Arthur", "Ekow", "EKOW"], "O": ["Cedi Cycles"], "L": ["Kumasi"]},
    ),
    (
        "meeting",
        "board minutes org",
        """Minutes – Ashgrove Housing Co-operative AGM
Treasurer Ruth Abara presented the accounts. Secretary Colm Ó Súilleabháin read apologies from Mr. and Mrs. Haddad. Motion carried. Ruth thanked Colm for his years of service.""",
        {
            "P": ["Ruth Abara", "Ruth", "Colm Ó Súilleabháin", "Colm", "Haddad"],
            "O": ["Ashgrove Housing Co-operative"],
        },
    ),
    (
        "calendar",
        "cal lowercase",
        """tue 10:00 dentist (dr. mehta)
tue 13:00 lunch w/ kasia @ the noodle place
wed 18:30 pick up eli from swim""",
        {"P": ["mehta", "kasia", "eli"]},
    ),
    (
        "hr",
        "exit interview polish",
        """Rozmowa końcowa
Pracownik: [[P:Małgorzata Zielińska-Kur]]
Przełożony: [[P:Tadeusz Wróbel]]
Pani [[P:Małgorzata]] odchodzi do [[O:Polsoft S.A.]] Nowy adres do korespondencji: [[L:ul. Długa 15/3]], [[L:Gdańsk]].""",
    ),
]
