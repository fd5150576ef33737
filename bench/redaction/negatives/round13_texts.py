# ruff: noqa: E501
"""Hand-written texts of issue 21, round 13 (held back): chat, SMS and notes with names
in lower case or in capitals, and texts without anyone. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE.
POSITIVES = [
    ("sms", "hey [[P:tomasz]] r u still coming tonight? [[P:ewa]] said she might be late"),
    (
        "sms",
        "ok so [[P:rhiannon]] picks up the keys at 6 and drops them with [[P:gethin]] after. dont tell [[P:mali]] its a surprise",
    ),
    ("sms", "morning [[P:deb]]! can u ask [[P:farouk]] if the van is free sat"),
    ("sms", "thx [[P:ines]], got it. see you + [[P:joao]] at 8"),
    ("sms", "lol [[P:kwame]] fell asleep on the sofa again. [[P:abena]] sends love x"),
    ("sms", "running late, tell [[P:svetlana]] to start without me - [[P:oleg]]"),
    ("sms", "did [[P:hamish]] ever pay u back? he owes me 20 too"),
    ("sms", "happy bday [[P:priyanka]]!!! 🎂 love from [[P:arjun]] and the kids"),
    (
        "chat",
        "[[P:marek]]: anyone seen my charger\n[[P:zofia]]: kitchen\n[[P:marek]]: thanks\n[[P:zofia]]: np",
    ),
    ("chat", "[[P:lena]]: pub at 7?\n[[P:jonas]]: in\n[[P:birgit]]: in but late\n[[P:lena]]: 👍"),
    (
        "chat",
        "[12:01] [[P:dilnoza]]: who has the spare key\n[12:03] [[P:rustam]]: me\n[12:04] [[P:dilnoza]]: ok leaving it with you",
    ),
    (
        "chat",
        "<[[P:oisin]]> is the wifi down again\n<[[P:ciara]]> yeah router's blinking\n<[[P:oisin]]> grand",
    ),
    (
        "chat",
        "[[P:fernanda]] joined the group\n[[P:fernanda]]: oi gente!\n[[P:thiago]]: bem-vinda [[P:nanda]]",
    ),
    ("chat", "hi [[P:sunita]], thanks for the notes from yesterday. [[P:rajesh]] wants a copy too"),
    ("chat", "cc @[[P:bogdan.p]] @[[P:ilinca]] can you two review the flyer before friday"),
    (
        "chat",
        "shoutout to @[[P:margot_l]] for organising the bake sale 🙌 and @[[P:yusuf]] for the tables",
    ),
    ("chat", "ask [[P:thandiwe]], she has the spreadsheet. or [[P:sipho]] maybe"),
    ("chat", "thanks [[P:jo]]! and sorry [[P:kit]], i missed your msg"),
    ("chat", "[[P:anneliese]] u there? need the address for [[P:wolfgang]]'s party"),
    (
        "chat",
        "@channel bingo night moved to thursday. ping @[[P:dagny]] if you want to help, @[[P:torvald]] is out sick",
    ),
    (
        "carpool",
        "carpool mon: [[P:nadia]] drives, picks up [[P:yasmin]] 7:40 then [[P:omar]] 7:50\ntue: [[P:yasmin]] drives",
    ),
    (
        "carpool",
        "school run rota\nmon - [[P:ffion]]\ntue - [[P:dai]]\nwed - [[P:ffion]]\nthu - [[P:bethan]]\nfri - whoever's free",
    ),
    (
        "carpool",
        "football carpool: [[P:kenji]]'s dad has 3 seats, [[P:aiko]]'s mum has 2. [[P:haruto]] needs a lift both ways",
    ),
    (
        "carpool",
        "reminder: [[P:padraig]] is driving sat, be at the church car park by 9. [[P:una]] has the booster seat",
    ),
    (
        "babysitting",
        "babysitter notes: [[P:milo]] bath at 7, bed 7:30. [[P:evie]] can stay up till 8 if she's had her tea. call [[P:gabriela]] if anything",
    ),
    (
        "babysitting",
        "[[P:noor]] has a nut allergy!! epipen in the blue bag. [[P:zayd]] is fine with anything",
    ),
    (
        "babysitting",
        "sitter sched: tue [[P:agnieszka]] 5-9, thu [[P:kasia]] 6-10, sat [[P:agnieszka]] again",
    ),
    ("babysitting", "thanks for having [[P:bodhi]] over! he loved it. [[P:saffron]] says hi"),
    (
        "notes",
        "todo: call [[P:gunnar]] re: boat trailer, return [[P:ingrid]]'s drill, book dentist",
    ),
    (
        "notes",
        "met w/ [[P:alessandro]] and [[P:chiara]] re: garden fence. they'll split cost 50/50",
    ),
    ("notes", "gift list - [[P:bernadette]]: scarf, [[P:clement]]: book, [[P:odile]]: ??"),
    (
        "notes",
        "landlord = mr [[P:okafor]], plumber coming tues, [[P:chidinma]] next door has spare key",
    ),
    (
        "notes",
        "phone tree for the allotment: [[P:walt]] calls [[P:dorothea]], [[P:dorothea]] calls [[P:ambrose]] and [[P:pip]]",
    ),
    (
        "notes",
        "xmas cards done: auntie [[P:rosalind]], uncle [[P:fergus]], the [[P:mcinnes]], grandad not yet",
    ),
    ("signoff", "ok see u all sunday\n- [[P:mike]]"),
    ("signoff", "Leaving the ladder by the shed, bring it back when done.\n-- [[P:stellan]]"),
    ("signoff", "can't make it, have fun!! xx [[P:becca]]"),
    (
        "signoff",
        "The boiler man is coming between 8 and 12, someone needs to be in.\ncheers, [[P:gav]]",
    ),
    (
        "caps",
        "URGENT: [[P:MRS PATRICIA OYELARAN]] TO COLLECT PRESCRIPTION FROM FRONT DESK BEFORE 5PM",
    ),
    (
        "caps",
        "MEETING NOTES 3 MARCH\nPRESENT: [[P:DAVID KOWALCZYK]], [[P:AMARA NWOSU]], [[P:LEIF SANDVIK]]\nAPOLOGIES: [[P:ROSEMARY TILL]]",
    ),
    ("caps", "PARCEL FOR [[P:J. ABERNATHY]], FLAT 3. LEFT WITH [[P:MR HUSSAIN]] AT NO. 5"),
    ("caps", "WELCOME HOME [[P:DANIELA]]!!! LOVE MUM, DAD AND [[P:TEO]]"),
    ("caps", "CHORE CHART\n[[P:HENRIK]] - BINS\n[[P:SIGRID]] - DISHES\n[[P:ASTRID]] - HOOVER"),
    ("caps", "LOST CAT. ANSWERS TO BISCUIT. PLEASE CALL [[P:GRAHAM]] ON [[T:07700 900461]]"),
    ("caps", "IN LOVING MEMORY OF [[P:ELSIE MAY THORNBURY]] 1931 - 2026. FOREVER IN OUR HEARTS"),
    ("caps", "NOTE TO NIGHT SHIFT: [[P:KOFI]] IS COVERING FOR [[P:PRISCILLA]] ON WARD 6 TONIGHT"),
    ("caps", "RESERVED FOR [[P:SMITH-ACHEBE]] PARTY OF 6, 7:30PM"),
    (
        "mixed",
        "ok so i told [[P:Fatima]] and she told [[P:hassan]] and now [[P:HASSAN]] knows everything",
    ),
    (
        "mixed",
        "[[P:Rosalind Pike]] wants the hall on the 9th. rang [[P:rosalind]] back, she's fine with the 10th",
    ),
    ("mixed", "[[P:Bartholomew Quist]] has the minutes. thanks [[P:bartholomew]]!"),
    (
        "mixed",
        "Dear [[P:Leopold]], the choir starts at 7. [[P:LEOPOLD]] PLEASE BRING THE MUSIC STANDS",
    ),
    ("mixed", "[[P:Ngozi Adeyemi]] to lead the walk. [[P:ngozi]] says meet at the gate"),
    (
        "mixed",
        "Signed up so far: [[P:Catalina Reyes]], [[P:Mateo]]. [[P:catalina]] will bring cones",
    ),
    ("initials", "[[P:kj]] and [[P:mb]] on nights this week, [[P:rt]] on days"),
    ("initials", "rota: mon [[P:AB]], tue [[P:CD]], wed [[P:AB]]"),
    ("handles", "@[[P:niamh_k]] did you get the tickets? @[[P:conor]] says they sold out"),
    ("handles", "lmao @[[P:dexter.rowe]] 😂 that photo"),
    ("handles", "props to @[[P:ayesha]] and @[[P:bilal99]] for fixing the club website"),
    ("sms", "ma can u get milk on the way back. and tell [[P:gideon]] his shoes are here"),
    ("sms", "yo [[P:dmitri]] u left ur jacket at [[P:vova]]'s"),
    (
        "chat",
        "[[P:elif]]: are we still doing potluck\n[[P:baris]]: yep, i'll bring dolma\n[[P:elif]]: perfect\n[[P:can]]: i'll do drinks",
    ),
    ("notes", "vet - [[P:ottilie]] booked the cat in for thurs, [[P:lars]] to drive"),
    (
        "babysitting",
        "hi [[P:maeve]], kids are in bed. [[P:cormac]] had a nightmare but went back down. see u tmrw",
    ),
    ("carpool", "pickup order: [[P:wanjiru]], [[P:njeri]], then [[P:kamau]] at the corner"),
]

# Texts WITHOUT anyone.
NEGATIVES = [
    ("sms", "running late, traffic on the bypass. start without me"),
    ("sms", "can u get milk and bread on the way back? and bin day is tmrw"),
    ("sms", "ok see u at 8. bring the charger pls"),
    ("sms", "happy new year!!! 🎆 hope 2027 is a good one"),
    ("chat", "pub at 7?\nin\nin but late\n👍"),
    ("chat", "is the wifi down again\nyeah router's blinking\ngrand, i'll reboot it"),
    ("chat", "reminder: bins out tonight, recycling is blue this week"),
    ("chat", "who has the spare key? it's not under the mat"),
    ("chat", "thanks all! great turnout at the bake sale, we raised 340 for the roof fund"),
    ("carpool", "carpool mon: leave 7:40 from the school gate, back by 4. tue same"),
    ("carpool", "school run rota\nmon - bus\ntue - walk\nwed - bus\nthu - car\nfri - walk if dry"),
    (
        "babysitting",
        "bath at 7, bed 7:30. milk in the fridge, nappies in the blue bag. no screens after 6",
    ),
    ("notes", "todo: boat trailer, drill, dentist, car tax, renew passport"),
    ("notes", "garden fence: split cost 50/50, posts arrive tues, concrete from the yard"),
    ("caps", "URGENT: COLLECT PRESCRIPTIONS FROM FRONT DESK BEFORE 5PM"),
    ("caps", "MEETING NOTES 3 MARCH\nPRESENT: ALL STAFF\nAPOLOGIES: NONE\nNEXT MEETING: APRIL"),
    ("caps", "LOST KEYS. BLUE LANYARD. PLEASE HAND IN AT RECEPTION"),
    ("caps", "CHORE CHART\nBINS - MONDAY\nDISHES - DAILY\nHOOVER - SATURDAY"),
    ("caps", "NO PARKING IN FRONT OF THE GATES. VEHICLES WILL BE TOWED"),
    ("caps", "SALE NOW ON! UP TO 50% OFF WINTER COATS, BOOTS AND SCARVES"),
    ("signoff", "ok see u all sunday\n- the committee"),
    ("signoff", "The boiler is fixed, heating back on from 6.\ncheers, management"),
    ("handles", "follow @cityparks for closures and #weekendrun for routes"),
    ("mixed", "may is the busiest month, so book early. will update the sheet friday"),
    ("mixed", "hi all, thanks for coming. grace period for the forms ends monday"),
]
