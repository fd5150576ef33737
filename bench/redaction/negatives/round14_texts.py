# ruff: noqa: E501
"""Hand-written texts of issue 21, round 14 (held back): meeting minutes about systems,
product reviews, travel and office-logistics notices, news-like summaries about companies
and sports, release announcements, school and course notices, recipes, support macros,
building and library notices; most name no one. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE.
POSITIVES = [
    (
        "minutes",
        "Platform sync, 3 March\nPresent: [[P:Harriet Okafor]], [[P:Lukas Brenner]], [[P:Mei Tanaka]]\n1. Postgres upgrade: [[P:Lukas]] to schedule the failover window.\n2. Alert noise: [[P:Harriet]] will prune the disk alerts before Friday.",
    ),
    (
        "minutes",
        "Minutes of the storage review. [[P:Tomás Ibarra]] presented the Ceph capacity plan; [[P:Greta Lindqvist]] asked whether the Oslo racks can take another shelf. Actions: [[P:Tomás]] to send the quote.",
    ),
    (
        "minutes",
        "Release board: go/no-go for 4.2 chaired by [[P:Amara Nwosu]]. QA sign-off from [[P:Pieter de Vries]] is pending two flaky tests.",
    ),
    (
        "review",
        "Five stars. I bought the Kestrel 2 kettle for my mother, [[P:Dorothy Pemberton]], and she says it is the first one she can lift with one hand.",
    ),
    (
        "review",
        "Reviewed by [[P:Sanjay Raghunathan]] from [[L:Leicester]]: the Nimbus desk lamp is bright enough for drawing, but the hinge squeaks after a month.",
    ),
    (
        "review",
        "Our guide [[P:Ioana]] was wonderful, she knew every church in the old town. Ask for her when you book the Danube walking tour!",
    ),
    (
        "travel",
        "Travel note: [[P:Fiona McAllister]] lands at Schiphol at 09:40 on KL1002. [[P:Ravi]] collects her at arrivals; her mobile is [[T:+44 7700 900418]].",
    ),
    (
        "travel",
        "Hotel booking for [[P:Olusegun Adeyemi]], 2 nights, checking in Tuesday. Confirmation sent to [[E:o.adeyemi@example.com]].",
    ),
    (
        "office",
        "Desk moves this weekend: [[P:Beatriz Santos]] moves to desk 4.12 next to [[P:Callum Reid]]; [[P:Yuki Mori]] takes the window desk by the printer.",
    ),
    (
        "office",
        "Parcel at reception for [[P:Anneke Visser]]. If you see her, please tell her it is the monitor arm she ordered.",
    ),
    (
        "office",
        "Fire wardens for the third floor are [[P:Gwen Pryce]] and [[P:Emeka Obi]]. In an alarm, follow them to the assembly point in the car park.",
    ),
    (
        "news",
        "Northwind Foods named [[P:Claudia Hartmann]] as its new chief executive on Monday, replacing [[P:Robert Ashdown]], who retires after eleven years.",
    ),
    (
        "news",
        "The club confirmed that striker [[P:Kofi Mensah]] will miss six weeks with a hamstring injury; coach [[P:Ivana Horvat]] said the squad is deep enough.",
    ),
    (
        "news",
        "Local baker [[P:Agnieszka Wróbel]], who runs the stall on Market Street, won the regional sourdough prize for the second year.",
    ),
    (
        "release",
        "Version 3.8 is out. Thanks to [[P:Chidi Okonkwo]] for the new CSV importer and to [[P:Sofia Marchetti]] for fixing the timezone bug.",
    ),
    (
        "release",
        "Release notes 2.0: the plugin API was redesigned by [[P:Henrik Aalto]]. Questions go to [[E:henrik.aalto@example.org]].",
    ),
    (
        "school",
        "Year 6 trip to the science museum on Thursday. Please give consent forms to Mrs [[P:Delacroix]] by Monday. Mr [[P:Whitfield]] will lead the coach group.",
    ),
    (
        "school",
        "Course notice: Statistics 201 seminars move to Room B14. Your tutor this term is Dr [[P:Nkechi Eze]]; office hours Wednesdays 2-4.",
    ),
    (
        "school",
        "Congratulations to [[P:Ellie Marsh]] and [[P:Samir Haddad]], who both reached the county final of the spelling bee.",
    ),
    (
        "recipe",
        "Nonna [[P:Carmela]]'s ragù: brown the soffritto slowly, add the beef and pork, then simmer for three hours. She always said patience is the main ingredient.",
    ),
    (
        "recipe",
        "This flapjack recipe came from [[P:Moira Buchanan]] in [[L:Dunfermline]], who made it for every school fete for twenty years.",
    ),
    (
        "support",
        "Hi [[P:Rashid]],\n\nThanks for getting in touch. I have reset your password and the link is on its way. Let us know if it does not arrive.\n\nBest,\n[[P:Kirsty]]\nCustomer Support",
    ),
    (
        "support",
        "Dear Ms [[P:Oyelaran]], your refund of 42.00 for order 55817 has been approved. Regards, [[P:Tobias Lenz]], Billing Team",
    ),
    (
        "support",
        "Escalated to tier 2: customer [[P:Wei Zhang]] reports the app crashes on login since update 5.1. Phone on file [[T:+1 202 555 0147]].",
    ),
    (
        "building",
        "Flat 3B: Mr [[P:Kowalczyk]] has asked neighbours to keep the landing clear as he uses a wheelchair. Thank you for your help.",
    ),
    (
        "building",
        "The caretaker, [[P:Dennis Hollis]], will be on leave next week. For emergencies call [[T:020 7946 0321]].",
    ),
    (
        "library",
        "Book club picks for spring were chosen by [[P:Marguerite Lefebvre]]. Reserve a copy at the front desk or email [[E:bookclub.marguerite@example.net]].",
    ),
    (
        "library",
        "Overdue notice for [[P:Jonah Feldstein]]: two items were due on 12 May. Renew online or at any branch.",
    ),
    (
        "sports",
        "Parkside 2-1 Riverside. Goals from [[P:Tariq Benali]] and [[P:Owen Pritchard]]; player of the match [[P:Benali]].",
    ),
    (
        "sports",
        "Under-12 training moves to Saturday mornings. Coach [[P:Lotte]] will bring the bibs; parents please text [[P:Lotte]] on [[T:07700 900733]] if your child can't make it.",
    ),
    (
        "event",
        "Speaker for the June meetup is [[P:Precious Dlamini]], who will talk about search ranking at a small online shop in [[L:Durban]].",
    ),
    (
        "event",
        "Quiz night winners: the team of [[P:Niamh Gallagher]], [[P:Seán Doyle]] and [[P:Róisín Kavanagh]], with 47 points.",
    ),
    (
        "logistics",
        "Van pickup at 7:00 from the depot. Driver today: [[P:Stanislav Petrov]]. He will call the site manager when he is ten minutes away.",
    ),
    (
        "logistics",
        "Delivery for [[P:Leilani Kahale]], [[L:14 Orchard Rise, Bath]]. Leave with neighbour at number 16 if no answer.",
    ),
    (
        "hr",
        "Welcome to the team, [[P:Matteo Rinaldi]]! He joins Finance as an analyst and sits with [[P:Hanna Berg]]'s group on floor 2.",
    ),
    (
        "hr",
        "Farewell drinks for [[P:Judith Okonjo]] on Friday at 5 in the atrium. She retires after 22 years in Procurement.",
    ),
    (
        "incident",
        "Postmortem: the outage was spotted by [[P:Dmitri Volkov]] at 02:14; [[P:Aisha Karim]] rolled back the config at 02:31. No data lost.",
    ),
    (
        "incident",
        "On call this week: [[P:Bruno Carvalho]] (primary), [[P:Keiko Sato]] (secondary). Page them through the rota, not by direct message.",
    ),
    (
        "garden",
        "Allotment 17 is now looked after by [[P:Ruth Abernethy]]. Please welcome her at the open day on the 9th.",
    ),
    (
        "garden",
        "Seed swap organised by [[P:Pedro Alvarez]] and [[P:Linh Nguyen]]. Bring labelled packets; contact [[E:pedro.alvarez@example.com]] with questions.",
    ),
    (
        "volunteer",
        "Thanks to [[P:Gordon Baillie]] for repairing the minibus, and to [[P:Zanele]] for running the café all summer.",
    ),
    (
        "volunteer",
        "Litter pick on Sunday. Meet [[P:Ingrid Solberg]] at the park gates at 10; gloves and bags provided.",
    ),
]

# Texts WITHOUT anyone: places, companies, products and institutions appear as what they
# are, headings and product names in Title Case, and no person is named.
NEGATIVES = [
    (
        "minutes",
        "Platform sync, 3 March\n1. Postgres upgrade: failover window agreed for Sunday 02:00-04:00 UTC.\n2. Alert noise: disk alerts on the Frankfurt nodes to be pruned.\n3. Next review in two weeks.",
    ),
    (
        "minutes",
        "Minutes of the storage review\nDecisions\n- Ceph stays on Quincy until the spring.\n- The Oslo racks get one more shelf.\nActions\n- Procurement to request a quote from the vendor.",
    ),
    (
        "minutes",
        "Release board, go/no-go for 4.2. QA sign-off pending two flaky tests in the Payments suite. Decision: go, with a hotfix branch ready.",
    ),
    (
        "minutes",
        "Architecture Forum notes. Topic: moving Search from Elasticsearch to OpenSearch. Concerns: plugin parity, cost in the Dublin region. Outcome: spike for two sprints.",
    ),
    (
        "minutes",
        "Weekly Ops Review\nUptime: 99.97 %\nIncidents: 2 (both SEV3)\nChanges: 41\nOpen Risks: certificate renewal for the Singapore edge, Kafka disk usage at 78 %",
    ),
    (
        "minutes",
        "Data Council, Q3. Agreed to retire the legacy Hadoop cluster in Amsterdam by December and move the Spark jobs to Databricks. Budget owner: Finance.",
    ),
    (
        "minutes",
        "Security Steering Group. The Okta migration is 80 % complete; the remaining apps are Jira, Confluence and the old Salesforce sandbox. Next meeting after the audit.",
    ),
    (
        "minutes",
        "Retro: what went well - faster deploys, fewer pages. What didn't - the Redis upgrade slipped twice. Try next: pair on the runbook, freeze on Fridays.",
    ),
    (
        "minutes",
        "Capacity Planning, North America\nVirginia: 64 % used, growth steady\nOhio: 41 %\nOregon: 87 %, order new GPUs\nMontreal: new, 12 %",
    ),
    (
        "minutes",
        "Minutes, Network Working Group. BGP sessions with the London exchange flapped twice; cause was an MTU mismatch. Cisco TAC case closed.",
    ),
    (
        "review",
        "Five stars. The Kestrel 2 kettle boils quickly, is quiet, and the handle stays cool. Much better than our old Breville.",
    ),
    (
        "review",
        "Three stars. The Nimbus desk lamp is bright enough for drawing, but the hinge squeaks after a month and the USB port is slow.",
    ),
    (
        "review",
        "Great Value Headphones\nSound: warm, good bass\nBattery: 30 hours as promised\nComfort: pinches after two hours\nVerdict: fine for the price, the Sony pair is better for travel",
    ),
    (
        "review",
        "Stayed two nights at the Harbour View Hotel in Split. Clean rooms, noisy street, breakfast on the terrace was the highlight. Would book again in the off season.",
    ),
    (
        "review",
        "The Danube walking tour was excellent value: Buda Castle, Fisherman's Bastion and the Chain Bridge in three hours, with a coffee stop at a café in Pest.",
    ),
    (
        "review",
        "Disappointed with the Atlas Pro 14. The keyboard flexes, the fan is loud under load and Dell support took a week to answer.",
    ),
    (
        "review",
        "Restaurant review: Casa Verde, Lisbon. Grilled sardines, green wine, custard tarts from the bakery next door. Service slow on a Saturday night.",
    ),
    (
        "review",
        "Two stars for the Orbit robot vacuum. It gets stuck under the sofa, the app keeps logging out and the Google Home skill does nothing.",
    ),
    (
        "review",
        "Book review: The Quiet Harbour is a slow, lovely novel about a fishing town in Brittany. The translation reads well; the ending is rushed.",
    ),
    (
        "review",
        "App Store review: Budget Buddy used to be great. Since version 6 the sync with Monzo and Revolut fails every other day. Please fix.",
    ),
    (
        "travel",
        "Travel note: the team offsite is in Lisbon, 14-16 May. Flights via Heathrow or Frankfurt; the hotel is near Cais do Sodré. Book through the travel portal.",
    ),
    (
        "travel",
        "Train strike notice: no Eurostar services between London St Pancras and Paris Nord on Thursday. Tickets can be exchanged free of charge.",
    ),
    (
        "travel",
        "Visitor Information\nNearest airport: Bristol (BRS)\nTaxi to campus: about 30 minutes\nParking: Car Park C, free after 6 pm\nWi-Fi: Guest network, no password",
    ),
    (
        "travel",
        "Per diem rates for the Berlin conference: hotel up to 160 EUR a night, meals 45 EUR a day. Keep the receipts and submit them in Concur within 30 days.",
    ),
    (
        "travel",
        "Shuttle Bus Timetable\nCentral Station 07:30, 08:15, 09:00\nScience Park 07:50, 08:35, 09:20\nAirport 08:10, 08:55, 09:40",
    ),
    (
        "travel",
        "Getting here: take the U2 to Alexanderplatz, then the tram M4 towards Hohenschönhausen. Our office is the red building on the corner of Greifswalder Straße.",
    ),
    (
        "travel",
        "Tokyo trip checklist: JR Pass voucher, Suica card, pocket Wi-Fi, adapters (type A), yen for the ryokan in Hakone, rain jacket.",
    ),
    (
        "travel",
        "Flight KL1002 from Amsterdam to London City is delayed by 40 minutes because of fog. New departure 10:20, gate D7.",
    ),
    (
        "office",
        "Desk moves this weekend: Finance moves to the fourth floor, Legal takes the east wing and the printers on floor 2 go to the copy room.",
    ),
    (
        "office",
        "Reception will be closed on Friday for the Christmas party. Parcels will be held at the Mailroom on Level 1 until Monday.",
    ),
    (
        "office",
        "Fire Drill Tuesday 10:30. Leave by the nearest exit, do not use the lifts, and gather at Assembly Point B in the car park.",
    ),
    (
        "office",
        "Meeting Rooms\nAtlas (12 seats, screen)\nBorealis (6 seats)\nCaspian (4 seats, phone booth)\nDanube (20 seats, video)\nBook them in Outlook.",
    ),
    (
        "office",
        "The café on the ground floor now takes Apple Pay and Google Pay. Oat milk is back. Friday is pizza day.",
    ),
    (
        "office",
        "Building works: the scaffolding on the Queen Street side stays up until March. Use the Bishopsgate entrance in the meantime.",
    ),
    (
        "office",
        "Lost property: a black umbrella, a Lenovo charger and a blue water bottle were left in Meeting Room Caspian. Collect them from Facilities.",
    ),
    (
        "office",
        "New Starter Checklist\n- Laptop from IT Service Desk\n- Badge from Security\n- Slack and Google Workspace accounts\n- Read the Code of Conduct\n- Book the induction with People Team",
    ),
    (
        "news",
        "Northwind Foods reported third-quarter revenue of 1.2 billion dollars, up 8 %, helped by strong sales in Mexico and Canada. Shares rose 3 % in New York.",
    ),
    (
        "news",
        "Airbus and Boeing both raised delivery forecasts on Tuesday as supply chains in Europe recover. Ryanair said it expects its first new jets in April.",
    ),
    (
        "news",
        "Shares of Siemens fell 2 % in Frankfurt after the company cut its outlook for the digital industries unit, citing weak demand in China.",
    ),
    (
        "news",
        "The European Central Bank held rates steady; the euro slipped against the dollar and Italian bond yields edged higher.",
    ),
    (
        "news",
        "Heavy rain closed the A9 near Perth overnight and flooded parts of Inverness. Network Rail said trains to Aberdeen will run from noon.",
    ),
    (
        "news",
        "Spotify added audiobooks to its plans in Australia and New Zealand, following the launch in the United Kingdom last year.",
    ),
    (
        "news",
        "The city council of Rotterdam approved a new tram line to the port, to be built by a consortium led by Heijmans and BAM.",
    ),
    (
        "news",
        "Tesla, BYD and Volkswagen together sold more than half the electric cars registered in Norway last month, according to the road traffic board.",
    ),
    (
        "sports",
        "Parkside 2-1 Riverside. Parkside scored twice before half-time; Riverside pulled one back from a corner late on. Parkside move up to third.",
    ),
    (
        "sports",
        "Premier League results: Arsenal 3-0 Everton, Brighton 1-1 Fulham, Liverpool 2-2 Aston Villa, Newcastle 0-1 Brentford.",
    ),
    (
        "sports",
        "Cycling: stage 9 of the Vuelta finished on the climb to Valdelinares. Jumbo-Visma kept the red jersey; UAE Team Emirates won the team classification.",
    ),
    (
        "sports",
        "Under-12 training moves to Saturday mornings at the Memorial Ground. Bring shin pads and water. No training on the bank holiday.",
    ),
    (
        "sports",
        "Rugby: Leinster beat Munster 24-17 at the Aviva Stadium. Ulster host Connacht in Belfast next Friday.",
    ),
    (
        "sports",
        "The Boston Marathon course closes at 6 pm. Water stations every two miles from Hopkinton to Boylston Street.",
    ),
    (
        "sports",
        "League Table\n1 Parkside 24 pts\n2 Harbour United 22 pts\n3 Riverside 19 pts\n4 Old Town Rovers 15 pts\n5 Forest Green Athletic 11 pts",
    ),
    (
        "release",
        "Version 3.8 is out. New: a CSV importer, dark mode on Windows and macOS, and a faster search. Fixed: the timezone bug in recurring events.",
    ),
    (
        "release",
        "Release Notes 2.0\nBreaking Changes\n- The plugin API was redesigned\n- Python 3.8 is no longer supported\nNew Features\n- Async hooks\n- Typed settings",
    ),
    (
        "release",
        "We are happy to announce Lumen 1.0, a static site generator written in Rust. It builds large sites in seconds and deploys to Netlify, Vercel or GitHub Pages.",
    ),
    (
        "release",
        "Firefox 128 and Chrome 127 are now supported. Internet Explorer support ends with this release. Safari on iOS 15 keeps working in read-only mode.",
    ),
    (
        "release",
        "Announcing Harbor Cloud in Sydney and São Paulo. Both regions support Postgres 16, object storage and the managed Kubernetes service from today.",
    ),
    (
        "release",
        "The Android app 5.1 brings widgets and a redesigned Home tab. The iPad version follows next month after review by Apple.",
    ),
    (
        "release",
        "Changelog\n## 0.9.4\n- Fix crash when Jupyter kernel restarts\n- Add support for Polars DataFrames\n## 0.9.3\n- Speed up Parquet reads on S3",
    ),
    (
        "release",
        "Atlas Maps now covers Iceland, the Faroe Islands and Greenland, with offline downloads for Reykjavik and Nuuk.",
    ),
    (
        "school",
        "Year 6 trip to the Natural History Museum on Thursday. Please return consent forms by Monday. The coach leaves at 8:45 from the school gates.",
    ),
    (
        "school",
        "Course notice: Statistics 201 seminars move to Room B14. Office hours are Wednesdays 2-4 in the Maths Building. Coursework is due in week 8.",
    ),
    (
        "school",
        "Term Dates 2026-27\nAutumn Term: 3 September - 18 December\nSpring Term: 5 January - 26 March\nSummer Term: 13 April - 21 July",
    ),
    (
        "school",
        "Spelling bee results: Oak class came first, Willow class second and Maple class third. The county final is in Reading on 4 June.",
    ),
    (
        "school",
        "Module Handbook, Introduction to Economics. Week 1: Supply and Demand. Week 2: Elasticity. Week 3: Market Structures. Reading: the course textbook, chapters 4-6.",
    ),
    (
        "school",
        "The school library will be closed for stocktaking on Friday. Please return books to the box outside the Art Room.",
    ),
    (
        "school",
        "Open Day at Hillcrest College: tours of the Science Centre, the Sports Hall and the new Music Wing. Parking at the Leisure Centre.",
    ),
    (
        "school",
        "Exam Timetable\nMonday: Biology Paper 1 (Main Hall)\nTuesday: French Listening (Language Lab)\nWednesday: Chemistry Paper 1 (Main Hall)",
    ),
    (
        "recipe",
        "Slow Ragù\n\nBrown the soffritto slowly in olive oil, add the beef and pork mince, a glass of Chianti and the San Marzano tomatoes, then simmer for three hours.",
    ),
    (
        "recipe",
        "Flapjacks\n250 g oats\n125 g butter\n125 g golden syrup\n100 g brown sugar\nBake at 180 C for 20 minutes. Cut while warm.",
    ),
    (
        "recipe",
        "Pad Thai: soak rice noodles, fry garlic and tofu, add tamarind, fish sauce and palm sugar, toss with the noodles, bean sprouts and peanuts. Serve with lime.",
    ),
    (
        "recipe",
        "Victoria Sponge. Cream the butter and sugar, beat in the eggs, fold in the flour, bake in two tins. Fill with raspberry jam and buttercream.",
    ),
    (
        "recipe",
        "Shakshuka with Feta\nServes 2\nWarm cumin and paprika in oil, add peppers and onion, then the tomatoes. Make four wells, crack in the eggs, cover for six minutes.",
    ),
    (
        "recipe",
        "Tip: Bramley apples break down into a purée, while Braeburn and Pink Lady keep their shape, so use those for a tarte Tatin.",
    ),
    (
        "support",
        "Hi there,\n\nThanks for getting in touch. We have reset your password and the link is on its way. Let us know if it does not arrive.\n\nBest,\nCustomer Support",
    ),
    (
        "support",
        "Macro: Refund Approved\nYour refund for order {{order_id}} has been approved and will reach your card in 5-10 working days.\nRegards, Billing Team",
    ),
    (
        "support",
        "Known issue: the app crashes on login since update 5.1 on some Samsung Galaxy phones. A fix is in review with Google Play. Workaround: clear the app cache.",
    ),
    (
        "support",
        "Macro: Shipping Delay\nHello,\nYour parcel is with DHL in Leipzig and should arrive within two working days. Tracking updates every evening.\nKind regards,\nThe Orders Team",
    ),
    (
        "support",
        "How do I connect my Fitbit? Open Settings, tap Connected Apps, choose Fitbit and sign in. Garmin and Strava work the same way.",
    ),
    (
        "support",
        "Macro: Account Locked\nHi {{first_name}},\nFor your security we locked the account after five failed attempts. Use Forgot Password to unlock it.\nThe Support Team",
    ),
    (
        "support",
        "Ticket update: the issue with Outlook sync on macOS Sonoma was fixed in build 16.78. Please update through Microsoft AutoUpdate and restart.",
    ),
    (
        "building",
        "Notice to Residents: the lifts in Block A will be serviced on Wednesday between 9 and 12. Please use the stairs or the lift in Block B.",
    ),
    (
        "building",
        "Water will be turned off on Tuesday from 10:00 to 14:00 while Thames Water repairs the main on Elm Grove.",
    ),
    (
        "building",
        "Bin Collection\nGeneral waste: Monday\nRecycling: Thursday (blue bin)\nGarden waste: every other Friday\nBulky items: book through the council website",
    ),
    (
        "building",
        "Please keep the landing clear of bikes and buggies. The Fire Brigade inspected the building last week and asked for clear exits.",
    ),
    (
        "building",
        "The residents' association meets in the Community Room on the first Monday of each month. Agenda: roof repairs, parking permits, the garden.",
    ),
    (
        "library",
        "Book Club Spring Picks\n- The Remains of the Day\n- Pachinko\n- A Gentleman in Moscow\n- Hamnet\nReserve a copy at the front desk.",
    ),
    (
        "library",
        "Overdue notice: two items were due on 12 May. Renew online, by phone or at any branch. Fines are waived for under-18s.",
    ),
    (
        "library",
        "New at the Central Library: a maker space with a 3D printer, a Cricut cutter and sewing machines. Book a slot through the Libraries app.",
    ),
    (
        "library",
        "Exhibition: Maps of the Thames, 1600-1900. Ground floor gallery, free entry, until 30 June. Guided tours on Saturdays at 11.",
    ),
    (
        "event",
        "Meetup: Search Ranking for Small Shops, 12 June, 18:30 at the Impact Hub. Pizza from Franco Manca, drinks sponsored by Algolia.",
    ),
    (
        "event",
        "Quiz Night Results\n1st The Quizzly Bears 47\n2nd Les Quizerables 44\n3rd Agatha Quiztie 41\nNext quiz: first Thursday of the month.",
    ),
    (
        "event",
        "Edinburgh Festival Fringe: our show runs 5-27 August at the Pleasance Courtyard, 14:10 daily except Tuesdays. Tickets on the Fringe website.",
    ),
    (
        "event",
        "Christmas Market opening hours: Monday to Thursday 12-8, Friday and Saturday 10-10, Sunday 11-6. The ice rink opens on 22 November.",
    ),
    (
        "event",
        "PyCon Europe call for proposals closes on 15 February. Talks, tutorials and posters welcome; travel grants available for speakers from Africa and Latin America.",
    ),
    (
        "logistics",
        "Van pickup at 7:00 from the Coventry depot. Route: Warwick, Leamington Spa, Kenilworth, back by 15:00. Load the pallets for Tesco first.",
    ),
    (
        "logistics",
        "Delivery window for Orchard Rise and Mill Lane moved to 14:00-18:00 because of the road closure on the Bath Road.",
    ),
    (
        "logistics",
        "Shipment Status\nContainer MSKU 704112 3: departed Rotterdam\nETA Felixstowe: Thursday\nCustoms: cleared\nHaulier: booked for Friday",
    ),
    (
        "logistics",
        "Courier cut-off times: UPS 16:00, FedEx 16:30, Royal Mail 17:00. Anything after that goes out the next working day.",
    ),
    (
        "hr",
        "Welcome to our new starters in Finance and Procurement! Induction is on Monday at 9:30 in the Training Room, followed by lunch in the canteen.",
    ),
    (
        "hr",
        "Reminder: annual leave requests for December must be in Workday by 15 November. Carry-over is limited to five days.",
    ),
    (
        "hr",
        "Benefits Update\nHealth: Bupa plan renewed\nPension: matching up to 6 %\nCycle to Work: scheme reopens in March\nGym: discount at PureGym and Nuffield",
    ),
    (
        "incident",
        "Postmortem: the outage started at 02:14 UTC when a config push disabled TLS on the Frankfurt load balancers. Rolled back at 02:31. No data lost.",
    ),
    (
        "incident",
        "Status: degraded performance for users in Asia Pacific. Traffic through the Singapore and Mumbai edges is slower while Cloudflare reroutes. Next update in 30 minutes.",
    ),
    (
        "incident",
        "Incident Timeline\n02:14 Alerts fire in PagerDuty\n02:20 Incident Commander assigned\n02:31 Rollback complete\n03:00 All clear posted in Slack",
    ),
    (
        "garden",
        "Allotment Society news: plot 17 is free, the water troughs are on again and the seed potatoes (Charlotte, Maris Piper, Pink Fir Apple) arrive on the 9th.",
    ),
    (
        "garden",
        "Pruning guide: cut back Buddleia and Hydrangea paniculata in March; leave Hydrangea macrophylla until the frosts are over.",
    ),
    (
        "garden",
        "Seed swap on Saturday in the Church Hall. Bring labelled packets; tomatoes like Gardener's Delight and Sungold always go first.",
    ),
    (
        "volunteer",
        "Thanks to everyone who came to the litter pick at Victoria Park. We collected 38 bags and two shopping trolleys from the canal.",
    ),
    (
        "volunteer",
        "The Repair Café is back at St Mary's Hall every second Saturday. Bring lamps, toasters, bikes and clothes to fix. Tea and cake by donation.",
    ),
    (
        "volunteer",
        "Food Bank Needs This Week\nTinned tomatoes\nLong-life milk\nNappies (size 4)\nToilet roll\nDrop-off at the Salvation Army hall, Monday to Friday 10-2.",
    ),
]
