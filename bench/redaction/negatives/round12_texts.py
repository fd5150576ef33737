# ruff: noqa: E501, RUF001
"""Hand-written texts of issue 21, round 12 (held back): everyday settings with people,
and without anyone. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE, [[I:value]] IBAN.
POSITIVES = [
    (
        "wedding",
        "Save the date! [[P:Aoife Brennan]] and [[P:Tadhg Ó Súilleabháin]] are getting married on 14 June 2027 at the old mill in [[L:Kinsale]]. RSVP to [[P:Aoife]]'s sister [[P:Niamh]] at [[E:niamh.brennan@example.ie]] by 1 March.",
    ),
    (
        "wedding",
        "Seating plan, table 4: Granny [[P:Peg]], Uncle [[P:Dermot]], [[P:Fiona]] and [[P:Lachlan McAllister]], [[P:Isla]] (vegetarian), [[P:Callum]]. Table 5 is the kids' table.",
    ),
    (
        "obituary",
        "It is with great sadness that we announce the passing of [[P:Hendrika]] ([[P:Riek]]) [[P:de Vries]], aged 91, at home in [[L:Zwolle]]. Beloved wife of the late [[P:Gerrit]], mother of [[P:Anneke]] and [[P:Joost]]. The funeral will take place on Friday; in lieu of flowers, donations to the hospice.",
    ),
    (
        "obituary",
        'Condolence book\n"So sorry for your loss, [[P:Marguerite]]. [[P:Bernard]] was the kindest neighbour we ever had." - the [[P:Okonjo]] family\n"Rest easy, [[P:Bernie]]. Thanks for all the fishing trips." - [[P:Wes]]',
    ),
    (
        "genealogy",
        "Family tree notes: [[P:Johann Friedrich Kessler]] (b. 1887, [[L:Kaiserslautern]]) married [[P:Anna Maria Schuck]] in 1911. Their son [[P:Wilhelm]] emigrated to [[L:Milwaukee]] in 1929 and changed the name to [[P:Kesler]].",
    ),
    (
        "genealogy",
        "1921 census transcription, household 112: head [[P:Patrick Moran]], 46, labourer; wife [[P:Bridget Moran]], 41; children [[P:Mary]] 14, [[P:Thomas]] 11, [[P:Kathleen]] 7. Lodger: [[P:Seamus Doyle]], 23, railway porter.",
    ),
    (
        "newsletter",
        "School newsletter, week 12. Well done to [[P:Zara Ahmed]] (Year 4) who won the county spelling bee, and to [[P:Oliver]] and [[P:Freddie Hughes]] for the best science fair volcano. Mrs [[P:Kowalczyk]] is back from maternity leave on Monday.",
    ),
    (
        "newsletter",
        "Parish bulletin: the flower rota this month is [[P:Maureen]], [[P:Doreen]] and Sister [[P:Agnes]]. Please keep Fr. [[P:Emeka Nwosu]] in your prayers as he recovers from surgery. Coffee after Mass is hosted by the [[P:Delgado]] family.",
    ),
    (
        "bookclub",
        "Book club minutes, March: present [[P:priya]], [[P:jen]], [[P:tomás]], [[P:hiroshi]]; apologies from [[P:bea]]. We finished the novel; [[P:jen]] hated the ending, [[P:tomás]] loved it. Next month at [[P:hiroshi]]'s place.",
    ),
    (
        "bookclub",
        "Reading list for April, picked by [[P:Ngozi]]: two novels and a memoir. [[P:Ngozi]] will bring snacks; [[P:Rafael]] hosts. Text [[P:Rafael]] on [[T:+34 612 345 678]] if you get lost.",
    ),
    (
        "theatre",
        "Cast list, The Winter's Tale (community players):\nLeontes ........ [[P:Graham Pettigrew]]\nHermione ....... [[P:Sunita Varma]]\nPerdita ........ [[P:Lily-Mae Johnson]]\nAutolycus ...... [[P:Bartosz Nowicki]]\nDirected by [[P:Fenella Craig]].",
    ),
    (
        "theatre",
        "Rehearsal notes from [[P:Fenella]]: [[P:Graham]], please be off book for act 2 by Thursday. [[P:Sunny]] is covering lights while [[P:Dev]] is away.",
    ),
    (
        "podcast",
        "Show notes, episode 88: this week [[P:Marisol Quintero]] talks to beekeeper [[P:Abebe Girma]] about urban hives. Follow [[P:Abebe]]'s project on his site. Music by [[P:Kenji Watanabe]].",
    ),
    (
        "podcast",
        "Transcript excerpt\nMARISOL: So how did you start?\nABEBE: My grandmother kept bees in [[L:Debre Birhan]]. I was six.\nMARISOL: And your first hive here?\nABEBE: On my neighbour [[P:Gloria]]'s roof, in 2015.",
    ),
    (
        "realestate",
        "For sale: three-bed semi, viewing by appointment with [[P:Craig Whitlock]] at the branch, [[T:0161 496 0321]]. Current owners Mr and Mrs [[P:Fairbairn]] have lived here since 1987 and are downsizing.",
    ),
    (
        "realestate",
        "Tenancy agreement between [[P:Olumide Adeyemi]] (landlord) and [[P:Katarzyna Lis]] and [[P:Mateusz Lis]] (tenants) for the flat at [[L:14 Harcourt Terrace, Leeds LS6 2AB]]. Rent is paid to [[I:GB33BUKB20201555555555]].",
    ),
    (
        "vet",
        "Patient: Biscuit (beagle, 7y). Owner: [[P:Hannah Lindqvist]], [[T:+46 70 123 45 67]]. Seen by Dr [[P:Okoro]] for a limp. [[P:Hannah]] to bring Biscuit back in two weeks.",
    ),
    (
        "vet",
        "Reminder sent to mr. [[P:alvarez]]: Whiskers is due for her booster. [[P:Alvarez]] asked if his daughter [[P:Luz]] can bring the cat instead.",
    ),
    (
        "babysitting",
        "Babysitting schedule\nMon: [[P:Sophie]] 3-6pm\nTue: Grandma [[P:Rosa]]\nWed: [[P:Sophie]]\nThu: [[P:Ayesha]] (pick up from swimming)\nFri: Dad works from home",
    ),
    (
        "carpool",
        "carpool this week: monday [[P:kev]] drives, tuesday [[P:mel]], wed [[P:kev]] again, thu [[P:anja]], fri nobody - bikes! [[P:anja]]'s car fits 5 so she takes the twins.",
    ),
    (
        "choir",
        "Choir rota for Sunday: sopranos [[P:Heather]], [[P:Joy]], [[P:Carys Bevan]]; altos [[P:Ruth]] and [[P:Mererid]]; tenors [[P:Iwan]]; basses [[P:Gareth Pugh]] and [[P:Dai]]. Organist: [[P:Hywel Rees]].",
    ),
    (
        "volunteer",
        "Food bank volunteers, Saturday shift: [[P:Marcus Bell]] (lead), [[P:Aaliyah Brooks]], [[P:Ignacio Ruiz]], [[P:Pat Doherty]], [[P:Chen Yuqi]]. Call [[P:Marcus]] on [[T:07700 900461]] if you can't make it.",
    ),
    (
        "chess",
        "Club championship, round 5 results:\n[[P:Varga Bence]] 1-0 [[P:Lindholm]]\n[[P:Okafor, C.]] ½-½ [[P:Petrosyan, A.]]\n[[P:Mbeki]] 0-1 [[P:Ramírez-Ortega]]\nLeader after 5: [[P:Varga]] with 4.5 points.",
    ),
    (
        "chess",
        "Congratulations to [[P:Anahit Petrosyan]] on her first norm! [[P:Anahit]] played the final round against [[P:Chidi Okafor]] and held a tough endgame.",
    ),
    (
        "gig",
        "Friday at the Lamb & Flag: [[P:Rosie Calloway]] Trio with [[P:Mo Haddad]] on bass and [[P:Lenny]] '[[P:Sticks]]' [[P:Abara]] on drums. Doors 8pm. Support from local singer [[P:Bex Tanner]].",
    ),
    (
        "birthday",
        "Happy 40th [[P:Dominic]]!! From everyone on the third floor. Special thanks to [[P:Yolanda]] for the cake and [[P:Rich]] for not eating it all before the party.",
    ),
    (
        "birthday",
        "Card message draft: Dear Auntie [[P:Funmi]], happy birthday! We miss you in [[L:Ibadan]]. Love, [[P:Tolu]], [[P:Segun]] and little [[P:Ife]].",
    ),
    (
        "whatsapp",
        "[12/03/27, 19:02] [[P:Dani]]: who's bringing the tent\n[12/03/27, 19:03] [[P:Marco]]: me\n[12/03/27, 19:03] [[P:Dani]]: legend. [[P:chiara]] can you do the gas?\n[12/03/27, 19:05] [[P:Chiara Russo]]: yep",
    ),
    (
        "whatsapp",
        "mum: did [[P:jake]] get home ok\n[[P:Lucy]]: yes he's asleep\nmum: tell [[P:jake]] to ring grandad tomorrow",
    ),
    (
        "chat",
        "hey is [[P:olga]] in today? need her sign-off on the rota. if not ask [[P:dmitri]] or [[P:svetlana]]",
    ),
    ("chat", "lol [[P:baz]] just fell off his chair. [[P:barry]] you ok?? 😂"),
    (
        "acknowledgments",
        "Acknowledgments. We thank [[P:Mei-Ling Chu]] for the field samples, [[P:Rolf Ingvarsson]] for statistical advice and [[P:Adaeze Nnamdi]] for comments on an earlier draft. Any errors are our own.",
    ),
    (
        "bibliography",
        "References\n[1] [[P:Hartmann, K.]] and [[P:Obi, N.]] (2019). Soil carbon under grazing. J. Agron. 12(3).\n[2] [[P:Lindqvist, S.]], [[P:Tanaka, R.]], [[P:Moreau, É.]] (2021). Root depth and drought.",
    ),
    (
        "hoa",
        "HOA meeting minutes. Present: [[P:Bill Carrington]] (chair), [[P:Sandy Ostrowski]], [[P:Wade Lumley]], [[P:Grace Okwu]]. [[P:Bill]] raised the parking issue; [[P:Sandy]] will write to the council. Meeting closed at 8:40.",
    ),
    (
        "neighbourhood",
        "Lost cat! Grey tabby called Mochi, last seen on Elm Street. Belongs to [[P:Yusuf]] and [[P:Leyla Demir]] at no. 22. Please call [[T:+44 7700 900123]].",
    ),
    (
        "classified",
        "For sale: child's bike, barely used, £40. Ask for [[P:Trevor]] after 6pm on [[T:01632 960 555]].",
    ),
    (
        "letter",
        "Letter to the editor: Sir, as a resident of [[L:Harrogate]] for thirty years I was appalled by the new bus timetable. Yours, [[P:Eleanor Whitcombe]] (retired teacher).",
    ),
    (
        "award",
        "Employee of the month: [[P:Jasmine Oyelaran]] from the warehouse team! [[P:Jasmine]] reorganised the returns bay and cut picking times by a third. Nominated by [[P:Pete]] and [[P:Hollis]].",
    ),
    (
        "directory",
        "Staff directory - facilities\nName | Role | Ext\n[[P:Amber Nkosi]] | Facilities manager | 4410\n[[P:Hunter Lowe]] | Caretaker | 4412\n[[P:Dawn Price]] | Reception | 4400",
    ),
    (
        "shiftswap",
        "Shift swap request: [[P:Grant]] takes [[P:Faith]]'s Sunday late, [[P:Faith]] takes [[P:Grant]]'s Tuesday early. Approved by [[P:Miles]] (duty manager).",
    ),
    (
        "gym",
        "Class timetable\nMon 07:00 Spin - [[P:Kai]]\nMon 18:30 Yoga - [[P:Priyanka]]\nWed 12:15 HIIT - [[P:Kai]]\nSat 09:00 Pilates - [[P:Brooke Adair]]",
    ),
    (
        "tutoring",
        "Tutoring log: 3 March, [[P:Emeka]] (GCSE maths), worked on quadratics. Mum (Mrs [[P:Obi]]) paid cash. Next session with [[P:Emeka]] on the 10th.",
    ),
    (
        "exam",
        "Exam seating, Hall B\nRow A: [[P:Abdi, Hodan]]; [[P:Baker, Tom]]; [[P:Castillo, Inés]]\nRow B: [[P:Duong, Minh]]; [[P:Eriksen, Sofie]]\nInvigilator: Mr [[P:Fitzgerald]]",
    ),
    (
        "wine",
        "Tasting notes from [[P:Gustavo]]'s cellar night: the 2015 was corked, said [[P:Gustavo]]. [[P:Ilse]] preferred the rosé; [[P:Joaquín]] brought a bottle from his uncle [[P:Rafa]]'s vineyard near [[L:Ribera del Duero]].",
    ),
    (
        "allotment",
        "Allotment society: plot 17 passes from Mr [[P:Henshaw]] to [[P:Rukhsana Begum]]. Plot 9 (Old [[P:Stan]]) needs weeding before the inspection. Keys from [[P:Brenda]] in the shed.",
    ),
    (
        "credits",
        "Credits\nWritten and directed by [[P:Ines Balogun]]\nProduced by [[P:Tariq Sulaiman]] and [[P:Harriet Vance]]\nCinematography [[P:Jun-ho Park]]\nEditor [[P:Magnus Falk]]",
    ),
    (
        "song",
        "Track 3 - Low Tide (words: [[P:Cormac Daly]], music: [[P:Cormac Daly]] / [[P:Saoirse Kenny]]). Backing vocals by [[P:Saoirse]]. Recorded at her brother [[P:Liam]]'s garage.",
    ),
    (
        "interview",
        "Interviewer: Can you state your name for the record?\nWitness: [[P:Delphine Marchetti]].\nInterviewer: And you were with Mr. [[P:Kovač]] that evening?\nWitness: Yes, with [[P:Luka]], until about ten.",
    ),
    (
        "quiznight",
        "Quiz night scores: The Quizzly Bears 62 ([[P:Nadia]], [[P:Oskar]], [[P:Priti]]), Les Quizerables 58 ([[P:Fran]] and [[P:Guy]]), Tequila Mockingbird 41. Quizmaster: Big [[P:Al]].",
    ),
    (
        "fantasy",
        "fantasy league table wk 9: 1. [[P:dazza]] 512pts 2. [[P:Jono]] 498 3. [[P:steph k]] 470 ... last: [[P:Robbo]] 301 (again). [[P:Robbo]] owes everyone a pint.",
    ),
    (
        "birth",
        "Welcome to the world, [[P:Ayo Oluwaseun Bankole]]! Born 3.4 kg on 2 May to proud parents [[P:Tobi]] and [[P:Kemi Bankole]]. Big sister [[P:Dara]] is thrilled.",
    ),
    (
        "reference",
        "Reference for Ms [[P:Ingrid Solberg]]: I supervised [[P:Ingrid]] for three years at the lab. She is diligent and kind. Please contact me, Prof. [[P:Anil Mehta]], at [[E:a.mehta@example.edu]] with questions.",
    ),
    (
        "will",
        "Last will and testament: I, [[P:Cornelius Abernethy]], leave my house to my niece [[P:Philippa Abernethy]] and my books to my friend [[P:Reginald Hale]]. Executor: [[P:Philippa]].",
    ),
    (
        "police",
        "Police log, Tuesday: 14:10 shoplifting at the pharmacy, suspect detained. 16:45 Mrs [[P:Odile Fontaine]], 82, reported her handbag stolen on the high street. 22:30 noise complaint, no action.",
    ),
    (
        "conference",
        "Programme, day 2\n09:00 Keynote: Rethinking soil - Dr. [[P:Wanjiru Kamau]]\n10:30 Panel with [[P:Ravi Subramanian]], [[P:Astrid Holm]] and [[P:Tomasz Zieliński]], chaired by [[P:Lerato Dlamini]]\n12:00 Lunch",
    ),
    (
        "alumni",
        "Class of 2009 notes: [[P:Keanu Kahale]] is now teaching in [[L:Hilo]]; [[P:Rebecca]] '[[P:Becks]]' [[P:Tan]] opened a bakery; [[P:Ollie Grant]] and [[P:Mia Santos]] got married last spring!",
    ),
    (
        "hospital",
        "Visiting list for bay 3: patient [[P:Agnes Fairweather]]. Approved visitors: [[P:Colin Fairweather]] (son), [[P:Denise]] (daughter-in-law). No visits after 8pm.",
    ),
    (
        "recipe",
        "Nonna [[P:Carmela]]'s ragù, as written down by [[P:Giuseppe]]: soffritto, beef, pork, a glass of red, three hours. [[P:Giuseppe]] adds a bay leaf; Nonna never did.",
    ),
    (
        "recipe",
        "Potluck sign-up: [[P:Hoang]] - spring rolls, [[P:Linh]] - pho, [[P:Bao]] - drinks, Ms. [[P:Tran]] - dessert. Bring containers!",
    ),
    (
        "sports",
        "Match report: [[P:Osei]] opened the scoring on 12', Haaland-style finishing from young [[P:Tobias Engström]] made it 2-0, and [[P:Kwame Osei]] added a third after the break. Man of the match: [[P:Engström]].",
    ),
    (
        "sports",
        "Parkrun results: 1. [[P:J. Mwangi]] 16:02  2. [[P:S. O'Hare]] 16:40  3. [[P:L. Petit]] 17:11. First woman: [[P:Anouk Petit]] in 17:11.",
    ),
    (
        "sports",
        "under 9s: great game today. goals from [[P:alfie]] (2) and [[P:maya]], [[P:rory]] in goal was a wall. well done all - coach [[P:dave]]",
    ),
    (
        "sports",
        "Tennis ladder: [[P:Wang Lei]] def. [[P:Suzuki Haruka]] 6-3 6-4; [[P:Suzuki]] challenges [[P:Nakamura Ren]] next week.",
    ),
    (
        "hr",
        "Onboarding for [[P:Chidinma Eze]] starts Monday. Buddy: [[P:Lance]]. Laptop from IT (ask [[P:Penny]]). [[P:Chidinma]]'s manager is [[P:Roisin Gallagher]].",
    ),
    (
        "hr",
        "Leave tracker - March\n[[P:Summer Hollis]]: 4-8 Mar\n[[P:Chase Whitfield]]: 11 Mar\n[[P:River Santiago]]: 18-22 Mar (parental)\n[[P:Autumn Reyes]]: none",
    ),
    (
        "hr",
        "Exit interview: [[P:Bongani]] said the workload was fine but he wanted more training. HR rep [[P:Melody]] noted it. [[P:Bongani]]'s last day is Friday.",
    ),
    (
        "review",
        "Five stars. [[P:Stelios]] at the front desk upgraded our room and his colleague [[P:Eleni]] booked us a boat trip. Ask for [[P:Stelios]]!",
    ),
    (
        "review",
        "Our guide [[P:Thabo]] was brilliant - he spotted the leopard before anyone. Driver [[P:Sipho]] also very safe. Would book [[P:Thabo]] again.",
    ),
    (
        "support",
        "Ticket 4471 - customer [[P:Gwendolyn Ashby]] says her order never arrived. Spoke to [[P:Gwendolyn]] by phone ([[T:+1 415 555 0142]]); courier confirms it was left with a neighbour, Mr. [[P:Pruitt]].",
    ),
    (
        "support",
        "Escalated to [[P:Ravi]] because [[P:Brandon]] was off sick. Customer is [[P:Dolores Uribe]], account owner since 2014.",
    ),
    (
        "travel",
        "Itinerary for the [[P:Haddad]] family: [[P:Samir]], [[P:Rania]], [[P:Karim]] (9) and [[P:Yasmin]] (6). Flight on the 3rd, hotel in [[L:Lisbon]] booked under [[P:Rania]]'s name.",
    ),
    (
        "travel",
        "Couchsurfing reference: [[P:Björn]] hosted me for three nights in [[L:Uppsala]], showed me the cathedral and cooked kanelbullar. His flatmate [[P:Elsa]] was lovely too.",
    ),
    (
        "transit",
        "Lost property: a blue umbrella was handed in by driver [[P:Winston Clarke]] on route 38. Claimed by Ms. [[P:Abimbola]] on Thursday.",
    ),
    (
        "education",
        "Report card comments: [[P:Noah]] has made great progress in reading. [[P:Noah]]'s handwriting still needs work. Class teacher: Ms [[P:Ferreira]].",
    ),
    (
        "education",
        "Group project teams:\nTeam 1: [[P:Aarav]], [[P:Zoe]], [[P:Mateo]]\nTeam 2: [[P:Sakura]], [[P:Luca]], [[P:Amara]]\nTeam 3: [[P:Finn]], [[P:Yara]], [[P:Ezra]]",
    ),
    (
        "finance",
        "Splitwise summary: [[P:Tom]] owes [[P:Kasia]] £23.50, [[P:Kasia]] owes [[P:Ahmed]] £12.00, [[P:Jo]] is settled up.",
    ),
    (
        "finance",
        "Payment received from [[P:Ferhat Yıldız]] for invoice 2231. Please thank [[P:Ferhat]] and send the receipt to [[E:ferhat.yildiz@example.com.tr]].",
    ),
    (
        "legal",
        "Witness statement of [[P:Rosalind Achterberg]]: on 4 March I saw the defendant, Mr. [[P:Declan Foyle]], leave the premises at around 11pm. Signed, [[P:R. Achterberg]].",
    ),
    (
        "health",
        "Physio note: [[P:Iñaki]] reports less knee pain after week 3. Continue exercises. Next appt with [[P:Marta]] (physio) on 21/03.",
    ),
    (
        "gaming",
        "GG everyone! Tournament MVP: [[P:Kim Min-jun]], playing as 'Frostbite'. Runner-up [[P:Lucía Herrera]] ('Lux'). Thanks to caster [[P:Ibrahim]] for the commentary.",
    ),
    (
        "museum",
        "Donated by Mrs [[P:Evangeline Pryce]] in memory of her husband [[P:Arthur]], who worked at the pit from 1952 to 1985.",
    ),
    (
        "ops",
        "on-call handover: [[P:stefan]] -> [[P:ngozi]]. [[P:stefan]] says the disk alert on db2 is noisy; [[P:ngozi]] to silence it if it fires again.",
    ),
    (
        "science",
        "Lab meeting: [[P:Hamid]] presents the qPCR results, then [[P:Ruth Abernathy]] on the mouse cohort. [[P:Hamid]] needs the centrifuge booked for Thursday.",
    ),
    (
        "home",
        "House rules for the cat sitter: [[P:Jules]], the spare key is under the blue pot. Feed Pepper twice a day. My mum [[P:Veronique]] lives next door if anything goes wrong.",
    ),
    (
        "survey",
        "Survey response #118, free text: 'The receptionist, [[P:Dolly]], was so helpful, and Dr [[P:Adebayo]] explained everything clearly.'",
    ),
    (
        "news",
        "Local woman [[P:Mercy Addo]], 103, celebrated her birthday with five generations of her family in [[L:Kumasi]]. Her great-grandson [[P:Kofi]] organised the party.",
    ),
    (
        "news",
        "The mayor presented the bravery award to teenager [[P:Rhys Pemberton]], who pulled a neighbour, Mr. [[P:Gallo]], from the river last August.",
    ),
    (
        "product",
        "Handmade by [[P:Ana Lúcia]] in her studio in [[L:Olinda]]. Each bowl is signed on the base with her initials.",
    ),
    (
        "job",
        "References available: [[P:Sven Åkesson]] (former manager) and [[P:Rita Mukherjee]] (colleague). Candidate: [[P:Noor Hassan]].",
    ),
    (
        "chatops",
        "@[[P:kenji]] deployed v2.3 to staging. @[[P:priya.n]] approved. @[[P:kenji]] please ping @[[P:marcos]] when prod is done",
    ),
    (
        "weather",
        "Rain gauge readings sent in by [[P:Alun]] from his garden: 22 mm overnight. Thanks [[P:Alun]], and to [[P:Glenys]] for the frost report.",
    ),
    (
        "geo",
        "Trip report: [[P:Hemi]] and [[P:Aroha Ngata]] guided us up the track to the hut. [[P:Aroha]] knew every bird by its call.",
    ),
    (
        "nickname",
        "Team lunch: Big [[P:Mike]], Little [[P:Mike]], [[P:Sully]], [[P:Dutch]] and [[P:Taz]]. [[P:Sully]] is paying (lost the bet).",
    ),
    (
        "nickname",
        "Thanks to [[P:Bubba]] for fixing the fence, and to [[P:Doc]] for the loan of the ladder.",
    ),
    (
        "words",
        "Please welcome our new interns: [[P:Rose]], [[P:Jack]], [[P:Hope]] and [[P:Forrest]]. [[P:Rose]] sits with design, [[P:Jack]] with finance.",
    ),
    (
        "words",
        "Shout-out to [[P:Sterling]] and [[P:Brooks]] for the launch. Also [[P:Rich]] stayed late to fix the build.",
    ),
    (
        "words",
        "[[P:Sky]] and [[P:Storm]] are the twins' names, and their older brother is [[P:River]]. [[P:Storm]] starts school in September.",
    ),
    ("words", "Rota: [[P:Crystal]] opens, [[P:Hunter]] closes, [[P:Dawn]] does the banking."),
    (
        "nonenglish",
        "Ostatnia zmiana grafiku: [[P:Małgorzata Wiśniewska]] w poniedziałek, [[P:Grzegorz]] we wtorek. Pytania do Pani [[P:Jadwigi]].",
    ),
    (
        "nonenglish",
        "Einladung zum Grillfest bei [[P:Jürgen]] und [[P:Sabine Weißmüller]] am Samstag. Bitte meldet euch bei [[P:Sabine]] unter [[T:+49 171 2345678]].",
    ),
    (
        "nonenglish",
        "Réunion des parents : Mme [[P:Lefèbvre]] présidera, M. [[P:Diallo]] prendra les notes. [[P:Aminata]] apportera le café.",
    ),
    (
        "nonenglish",
        "Grazie a [[P:Giulia]] e [[P:Lorenzo Bianchi]] per la cena di ieri! Prossima volta da [[P:Francesca]].",
    ),
    (
        "nonenglish",
        "Kiitos [[P:Aino Virtanen]] ja [[P:Eetu]] mökkiviikonlopusta! Ensi kerralla saunaan lämmittää [[P:Eetu]].",
    ),
    (
        "nonenglish",
        "Reunión del club: [[P:José Luis García Márquez]] leyó el acta y [[P:Maripaz]] presentó las cuentas. [[P:Pepe]] no vino.",
    ),
    ("script", "Спасибо [[P:Наталье Ивановой]] за помощь с переездом! [[P:Наташа]], ты лучшая."),
    ("script", "今日のシフト: [[P:佐藤]]さん 9時-17時、[[P:田中]]さん 13時-21時。"),
    (
        "script",
        "Ευχαριστούμε την [[P:Ελένη Παπαδοπούλου]] για το φαγητό! Η [[P:Ελένη]] μαγειρεύει καλύτερα από όλους.",
    ),
    (
        "script",
        "Group dinner: [[P:王磊]], [[P:李娜]] and [[P:Jia Hui]] confirmed; [[P:李娜]] will book the table.",
    ),
    (
        "mixed",
        "Minutes by [[P:Siobhán Ní Bhriain]]: [[P:Pieter van der Berg]] reported on the budget, [[P:Tigist Bekele]] on membership, [[P:Shirin Farahani]] on events.",
    ),
    (
        "mixed",
        "Volunteers for the fun run: [[P:Somchai Srisuk]], [[P:Nguyen Thi Lan]], [[P:Adebayo Ogunleye]], [[P:Elif Yılmaz]], [[P:Szabó Zsófia]].",
    ),
    ("initials", "Signed off by [[P:KJ]] and [[P:MT]]. Queries to [[P:K.J. Obuya]]."),
    (
        "possessive",
        "[[P:Chris]]'s leaving do is Friday. [[P:Tanisha]]'s organising, so ask her about the collection for [[P:Chris]].",
    ),
    (
        "lowercase",
        "note to self: call aunt [[P:maggie]] re sunday lunch, ask [[P:pete]] for the drill back, remind [[P:hannah]] about the dentist",
    ),
    (
        "uppercase",
        "SPEECH DAY PRIZES: ENGLISH - [[P:AMELIA WOODS]]; MATHS - [[P:RAJ PATEL]]; SPORTS - [[P:TEMI ADEBAYO]]",
    ),
    (
        "email",
        "Hi [[P:Fatima]],\n\nThanks for covering on Tuesday. Could you also forward the minutes to [[P:Ugo]]?\n\nCheers,\n[[P:Rhiannon]]",
    ),
    (
        "email",
        "Dear Mr [[P:Castellanos]],\n\nYour appointment with Dr [[P:Halvorsen]] is confirmed for 12 May at 10:40.\n\nKind regards,\n[[P:Wendy]]\nReception",
    ),
    (
        "sms",
        "hi its [[P:jess]] from the nursery, [[P:leo]] has a slight temp, can someone collect him? thx",
    ),
    ("sms", "Running late, tell [[P:Oma]] I'll be there by 7. [[P:Piet]]"),
    (
        "reunion",
        "Reunion RSVPs so far: yes - [[P:Kemal]], [[P:Dilara]], [[P:Burak]]; maybe - [[P:Ece]]; no - [[P:Cem]] (in [[L:Izmir]] that week).",
    ),
    (
        "sportsclub",
        "Rowing crew for the regatta: bow [[P:Hattie]], 2 [[P:Imogen]], 3 [[P:Clemmie]], stroke [[P:Arabella Fenwick]], cox [[P:Pip]].",
    ),
    (
        "petition",
        "Petition signatures (page 2): [[P:Owen Price]], [[P:Bethan Lloyd]], [[P:Huw Jenkins]], [[P:Mair Evans]], [[P:Dafydd ap Rhys]].",
    ),
]

# Texts WITHOUT personal data (no person named).
NEGATIVES = [
    (
        "cocktail",
        "Cocktail menu\nTom Collins - gin, lemon, sugar, soda\nBloody Mary - vodka, tomato, celery salt\nShirley Temple (alcohol-free) - ginger ale, grenadine\nHappy hour 5-7pm, two for one on spritzes.",
    ),
    (
        "dessert",
        "Dessert specials this week: Peach Melba, Eggs Benedict on the brunch menu, a Pavlova with passion fruit and a Victoria sponge. Beef Wellington returns on Sunday.",
    ),
    (
        "apples",
        "Orchard update: the Granny Smith and Pink Lady trees are loaded this year; the Bramley crop is light. Pick-your-own opens Saturday, 10am to 4pm, £2 per kg.",
    ),
    (
        "dogshow",
        "Dog show classes: Jack Russell Terrier (puppy), Cavalier King Charles Spaniel (open), Saint Bernard (veteran), Dobermann (limit). Ring 3 starts at 11:00.",
    ),
    (
        "garden",
        "Border plan: Sweet William at the front, Black-eyed Susan behind, then lavender 'Hidcote' and a climbing rose against the fence. Water in the evening during dry spells.",
    ),
    (
        "chessopen",
        "Opening repertoire for the club's juniors: with White, the Ruy Lopez and the Queen's Gambit; with Black, the Caro-Kann against e4 and the Nimzo-Indian against d4.",
    ),
    (
        "stats",
        "Methods: groups were compared with the Mann-Whitney U test and, for three or more groups, Kruskal-Wallis with Dunn's post hoc correction. Normality was checked with Shapiro-Wilk.",
    ),
    (
        "physics",
        "Homework: a 2 kg mass accelerates at 3 m/s². Using Newton's second law, find the force in newtons. Then convert 300 kelvin to degrees Celsius and Fahrenheit.",
    ),
    (
        "health2",
        "Information evening on Parkinson's disease and Alzheimer's: what the early signs are, how diagnosis works, and where carers can find support. Free, all welcome.",
    ),
    (
        "storm",
        "Weather warning: Storm Ciarán brings gusts of 80 mph to exposed coasts on Thursday. Ferries from the mainland are cancelled; check before you travel.",
    ),
    (
        "racing",
        "Racecard, 2:30 at the course: 1. Midnight Rambler 5/2, 2. Lady Grace 4/1, 3. Captain Fortune 7/1, 4. Sir Galahad 10/1. Going: good to soft.",
    ),
    (
        "boats",
        "Marina berths: 'Sea Biscuit' moves to pontoon C, 'Morning Star' stays on B. The harbourmaster's office is open from 8 till 6; fuel on the east quay.",
    ),
    (
        "pets",
        "Adoption day at the shelter: Biscuit (beagle, 3), Luna (tabby, 2), Max (collie cross, 7) and Pepper (rabbit) are looking for homes. Visits 12-4pm.",
    ),
    (
        "fonts",
        "Style guide: headings in Gill Sans, body text in Georgia 11 pt, code in a monospace such as Menlo. Avoid Times New Roman and Comic Sans on slides.",
    ),
    (
        "astronomy",
        "Sky this month: Orion sets early, Cassiopeia is high in the north, and Jupiter rises after ten. The Perseids peak on the 12th; find a dark spot away from town.",
    ),
    (
        "algorithms",
        "Lecture 7: shortest paths with Dijkstra's algorithm and Bellman-Ford, minimum spanning trees with Kruskal and Prim. Problem set due Friday.",
    ),
    (
        "holidays",
        "Office closures: St. Patrick's Day (17 March), Good Friday, Easter Monday and the August bank holiday. Guy Fawkes Night is a normal working day.",
    ),
    (
        "brands",
        "Fleet list: two Ford Transit vans, one Mercedes Sprinter, a Land Rover Defender for the site, and the Ferrari is, sadly, only on the poster in the canteen.",
    ),
    (
        "landmarks",
        "Walking tour: start at Nelson's Column, past the Albert Memorial, through Victoria Station and end at the Wellington Arch. About 2 hours, mostly flat.",
    ),
    (
        "knitting",
        "Pattern notes: cast on 120 stitches, knit 2 purl 2 for 6 cm, then switch to stocking stitch. The Fair Isle band starts at row 40; see chart B.",
    ),
    (
        "tide",
        "Tide table, Saturday: high water 06:12 (4.8 m) and 18:37 (4.6 m), low water 12:25 (0.9 m). Sunrise 05:41, sunset 20:58. Spring tides next week.",
    ),
    (
        "birds",
        "Bird count, Sunday morning: 14 goldfinches, 6 long-tailed tits, 2 nuthatches, a great spotted woodpecker, and a sparrowhawk over the allotments.",
    ),
    (
        "grapes",
        "Wine list: Pinot Noir (Burgundy), Grenache (Rhône), Tempranillo (Rioja), Sauvignon Blanc (Marlborough), and a Riesling from the Mosel.",
    ),
    (
        "dance",
        "Dance school timetable: Lindy Hop beginners Tuesday 7pm, Charleston Wednesday, Tango Argentino Thursday, and a Saturday social with a live band.",
    ),
    (
        "chores",
        "Chore chart: Monday bins out, Tuesday hoover upstairs, Wednesday laundry, Thursday bathroom, Friday fridge clear-out, weekend garden.",
    ),
    (
        "classifieds2",
        "For sale: oak dining table, seats six, some marks, £120 ono. Collection only from the village. Also a set of garden chairs, free to a good home.",
    ),
    (
        "hoa2",
        "Residents' association: the AGM is on 12 April in the community hall. Agenda: accounts, the parking scheme, hedge heights and the summer fete. Tea and cake after.",
    ),
    (
        "parish2",
        "Parish notices: Evensong at 6.30pm, the bell ringers practise on Wednesdays, and the jumble sale raised £412 for the roof fund. Thank you to all who helped.",
    ),
    (
        "fixtures2",
        "Netball league fixtures: Riverside Rockets v Hill Top Hawks, Court 1, 6pm; Valley Vipers v Town Titans, Court 2, 6pm. Umpires to arrive by 5.45.",
    ),
    (
        "results2",
        "Regatta results: Men's eights - Thames RC first, Leander second. Women's fours - Tideway Scullers by a length. Full times on the noticeboard.",
    ),
    (
        "quiz2",
        "Quiz round 4, science: 1) What is the chemical symbol for gold? 2) How many bones in the adult human body? 3) Which planet has the most moons? Answers at the break.",
    ),
    (
        "podcast2",
        "Show notes, episode 89: why sourdough needs time, the chemistry of the Maillard reaction, and listener questions about rye. Recorded in our kitchen studio.",
    ),
    (
        "credits2",
        "Typeset in Garamond. Printed and bound by a printer in Cornwall on FSC-certified paper. Cover illustration licensed from a stock library.",
    ),
    (
        "theatre2",
        "Box office: The Importance of Being Earnest runs 4-16 May, evenings 7.30pm, matinees Saturday 2.30pm. Concessions for students and over-65s.",
    ),
    (
        "museum2",
        "Gallery 3: Bronze Age tools found at the quarry in 1934, a Roman coin hoard of the second century, and a reconstructed Viking longhouse.",
    ),
    (
        "tenancy2",
        "House rules for guests: no smoking indoors, quiet after 10pm, recycling in the green bin, towels in the airing cupboard, check-out by 11am. Enjoy your stay!",
    ),
    (
        "vet2",
        "Vaccination schedule for puppies: first dose at 8 weeks, second at 10-12 weeks, booster at 12 months. Worming every three months; flea treatment monthly.",
    ),
    (
        "weddingfaq",
        "Wedding FAQ: Is there parking? Yes, at the venue. Dress code? Smart casual. Can I bring a plus-one? Only if named on your invitation. Are children welcome? Yes.",
    ),
    (
        "mathsclub",
        "Maths club puzzle: the Fibonacci sequence starts 1, 1, 2, 3, 5. Show that every third term is even, then look up Pascal's triangle and find the sequence in it.",
    ),
    (
        "medicine",
        "Leaflet: take one tablet twice a day with food. Do not take with ibuprofen. If you feel dizzy, sit down. Keep out of the reach of children.",
    ),
    (
        "carpool2",
        "Car-share scheme: sign up on the intranet, choose your route and days, and the system matches you with colleagues nearby. Free parking for cars with three or more.",
    ),
    (
        "wordy",
        "Hope you enjoy the spring fair! Grace notes in music are short ornaments. Will the rain hold off? Faith in the forecast is low. Joy, as ever, comes from the cake stall.",
    ),
    (
        "rota2",
        "Cleaning rota: Week 1 - kitchen team, Week 2 - front of house, Week 3 - bar staff, Week 4 - management. Swap only with your supervisor's OK.",
    ),
]
