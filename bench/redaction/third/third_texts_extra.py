# ruff: noqa: E501, RUF001
"""Hand-written texts of the third check set (round 16): more languages, particles,
nicknames and mixed documents. Each entry is (kind, hard-case tags, marked text[, listed
values]); marks in build_third.py."""

TEXTS = [
    (
        "mail",
        "indonesian",
        """Halo Pak [[P:Budi]],

Terima kasih atas pesanannya. Barang akan dikirim ke [[L:Jl. Cempaka Putih No. 17]], [[L:Bandung]]. Jika ada pertanyaan, hubungi [[P:Sri Wahyuni]] di [[T:0812-2291-7740]].

Salam,
[[P:Dewi Lestari]]""",
    ),
    (
        "chat",
        "swahili",
        """[[P:Baraka]]: [[P:Neema]], umefika Mombasa?
[[P:Neema]]: Ndiyo, niko kwa shangazi [[P:Rehema]]. Namba yake ni [[T:+254 722 418 905]]""",
        {"L": ["Mombasa"]},
    ),
    (
        "ticket",
        "ukrainian",
        """Звернення №5518
Клієнт: [[P:Оксана Петренко]]
Телефон: [[T:+380 67 441 2290]]
Пані [[P:Оксана]] повідомляє, що рахунок за грудень прийшов двічі.""",
    ),
    (
        "mail",
        "finnish",
        """Hei [[P:Eero]],

[[P:Aino Mäkelä]] aloittaa maanantaina. Hänen sähköpostinsa on [[E:aino.makela@revontuli-soft.fi]] ja puhelin [[T:040 718 2245]].

Terveisin,
[[P:Juha]]""",
    ),
    (
        "ticket",
        "czech",
        """Požadavek 2291
Zákazník: [[P:Jiří Dvořák]]
Adresa: [[L:Vinohradská 48]], [[L:Praha]] 2
Pan [[P:Dvořák]] žádá o výměnu vadného zboží. Kontakt: [[T:+420 602 118 447]]""",
    ),
    (
        "mail",
        "hungarian inverted",
        """Kedves [[P:Kovács Eszter]]!

A számlát [[P:Nagy Bence]] kollégám küldi holnap. Kérdés esetén hívjon: [[T:+36 30 441 2278]].

Üdvözlettel:
[[P:Tóth Gábor]]""",
    ),
    (
        "crm",
        "romanian",
        """Client: [[P:Ioana Popescu-Radu]], [[O:Carpați Mobila SRL]]
Notă: doamna [[P:Popescu-Radu]] vrea ofertă pentru 40 de scaune. Telefon [[T:0722 418 390]], email [[E:ioana.pr@carpati-mobila.ro]].""",
    ),
    (
        "mail",
        "particles von bin",
        """Dear Professor von Hohenberg, dear Dr. bin Rashid,

thank you both for agreeing to review. Dr. Khalid bin Rashid will take chapters 1–3; Professor Konstantin von Hohenberg chapters 4–6.

With best regards,
Mairéad Mac Giolla Phádraig
Editorial Office""",
        {
            "P": [
                "Khalid bin Rashid",
                "Konstantin von Hohenberg",
                "von Hohenberg",
                "bin Rashid",
                "Mairéad Mac Giolla Phádraig",
            ]
        },
    ),
    (
        "chat",
        "nicknames repeated-forms",
        """Alexandra: has anyone told Sasha about Friday?
Big Mike: i think Alex did
Alexandra: I'm Alex, Mike 😂 and no I didn't
Michael Ferreira: ok I'll tell Sasha then""",
        {"P": ["Alexandra", "Sasha", "Big Mike", "Alex", "Mike", "Michael Ferreira"]},
    ),
    (
        "config",
        "env iban phone",
        """# payouts.env – test account of [[P:Lars Bjørnstad]]
PAYOUT_IBAN=[[I:NO?? 8601 1117 947]]
PAYOUT_PHONE=[[T:+47 412 88 305]]
PAYOUT_WEBHOOK_TOKEN=[[K:whk_7Lm2Xq9Vt4Rb8Nz3Kc6P]]""",
    ),
    (
        "log",
        "cisco mac ipv6",
        """Dec  7 09:12:44 sw-core-2 %SW_MATRIX-5-LEARN: host [[M:3c5a.b4f1.92c7]] on Gi1/0/14 vlan 30
Dec  7 09:12:45 sw-core-2 %DHCPV6: lease [[A:2a01:4f8:1c1b:7e2a::1f4]] to client [[M:3c5a.b4f1.92c7]] (desk of [[P:R. Achterberg]])""",
    ),
    (
        "ticket",
        "word-name guy may",
        """Ticket 8840
Customer: May Ocampo
Agent: Guy Lemaire
May called about a duplicate charge. Guy refunded it and emailed May at may.ocampo@pinoymail.ph. May said she may switch plans in January.""",
        {
            "P": ["May Ocampo", "May", "Guy Lemaire", "Guy"],
            "E": ["may.ocampo@pinoymail.ph"],
        },
    ),
    (
        "meeting",
        "transcript lowercase initials",
        """notes from call w/ ks + dm (kasper sørensen, divya menon)
- ks: migration date 14 jan
- dm wants a rollback plan by fri
- kasper to share runbook""",
        {"P": ["kasper sørensen", "divya menon", "kasper", "ks", "dm"]},
    ),
    (
        "code",
        "yaml people secret",
        """# codeowners-bot.yml
reviewers:
  - [[P:matías.herrera]]
  - [[P:yuna.kim]]
notify_email: [[E:matias.herrera@ollin-dev.mx]]
bot_token: "[[K:obt_4Kq9Lz2Xm7Vr8Tn3Bw6Pc1]]\"""",
    ),
    (
        "hr",
        "visa letter",
        """To the Consulate,

This is to confirm that Ms. Nomvula Sithole, passport holder, is employed by Umoya Energy (Pty) Ltd as a senior engineer since 2021. Ms Sithole will attend a conference in Oslo from 3 to 7 February.

Karabo Molefe, HR Manager, +27 11 884 2290""",
        {
            "P": ["Nomvula Sithole", "Sithole", "Karabo Molefe"],
            "O": ["Umoya Energy (Pty) Ltd"],
            "L": ["Oslo"],
            "T": ["+27 11 884 2290"],
        },
    ),
    (
        "chat",
        "telegram secret",
        """[[P:Reza]]: the router admin is admin / [[K:Persepolis#1358]]
[[P:Reza]]: and the camera app code is [[K:771204]]
[[P:Shirin]]: got it, thx [[P:Reza]]""",
    ),
    (
        "invoice",
        "card line-split",
        """Payment details (please keep):
Cardholder: [[P:Oluwadamilare Johnson]]
Card: [[C:5187 2209
4613 552?]]""",
    ),
    (
        "medical",
        "lab result",
        """LAB REPORT
Patient: Ahmad Karimi   Sex: M   Age: 52
Requested by: Dr. Leilani Kahale
HbA1c 6.9 % (high). Please inform Mr Karimi and book follow-up. Results copied to leilani.kahale@wailuku-clinic.org""",
        {
            "P": ["Ahmad Karimi", "Karimi", "Leilani Kahale"],
            "E": ["leilani.kahale@wailuku-clinic.org"],
        },
    ),
    (
        "shipping",
        "whatsapp delivery",
        """Hi! This is your courier Vusi. I'm outside 12 Jacaranda Ave, Pretoria, but nobody answers. Please call me on 071 448 2219 or I'll leave it with the guard.""",
        {"P": ["Vusi"], "L": ["12 Jacaranda Ave", "Pretoria"], "T": ["071 448 2219"]},
    ),
    (
        "form",
        "warranty",
        """WARRANTY REGISTRATION
Product: DW-700 dishwasher, serial 5520-1187-04
Owner: Hemi Walker
Email: hemi.walker@kiwimail.nz
Installed by: Wiremu & Sons Plumbing, Rotorua""",
        {
            "P": ["Hemi Walker"],
            "E": ["hemi.walker@kiwimail.nz"],
            "O": ["Wiremu & Sons Plumbing"],
            "L": ["Rotorua"],
        },
    ),
    (
        "config",
        "ini ldap",
        """[ldap]
uri = ldaps://[[U:dc01.aurora-paper.fi]]
bind_dn = cn=svc-print,ou=Service,dc=aurora-paper,dc=fi
bind_pw = [[K:Revontulet.Hanki.77]]
admin_contact = [[P:Ville Heikkinen]]""",
    ),
    (
        "transcript",
        "court interpreter",
        """THE COURT: Please state your full name.
WITNESS: Mohammed Al-Farsi.
THE COURT: Mr Al-Farsi, you may be seated.
MS. OKORO: Mr Al-Farsi, where were you on the night of 4 March?""",
        {"P": ["Mohammed Al-Farsi", "Al-Farsi", "OKORO"]},
    ),
    (
        "crm",
        "lowercase whole",
        """met w/ luca rinaldi + his cfo (giorgia) from rinaldi vini. luca wants samples shipped to verona. giorgia's cell +39 347 118 2290""",
        {
            "P": ["luca rinaldi", "luca", "giorgia"],
            "O": ["rinaldi vini"],
            "L": ["verona"],
            "T": ["+39 347 118 2290"],
        },
    ),
    (
        "mail",
        "bengali",
        """প্রিয় [[P:রহিম]] ভাই,

আপনার পাঠানো কাগজপত্র পেয়েছি। [[P:ফাতেমা খাতুন]] আগামীকাল আপনাকে ফোন করবেন [[T:+880 1711 448 290]] নম্বর থেকে।

ধন্যবাদ,
[[P:তানভীর আহমেদ]]""",
    ),
]
