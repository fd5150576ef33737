# ruff: noqa: E501
"""Hand-written texts of issue 21, round 16 (held back): release notes, recipes, reviews
of things, runbooks, team results, weather, timetables, game rules, hardware specs, legal
boilerplate, UI strings and commit logs where nobody is named, and texts of the same
settings that name people with their home places and employers. Marks: see
build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[O:value]] ORG,
# [[E:value]] EMAIL, [[T:value]] PHONE.
POSITIVES = [
    (
        "release",
        "Release 4.2 was cut by [[P:Linnea Barstow]]. Thanks to [[P:Okonkwo Adebayo]] for the new importer and to [[P:Fergus Halloran]] for the docs.",
    ),
    (
        "release",
        "Changelog\n- Fixed the CSV export (reported by [[P:Thandiwe Mokoena]])\n- Faster start-up, patch by [[P:Ruairi Breslin]]",
    ),
    (
        "recipe",
        "My grandmother [[P:Edna Pocklington]] made this Victoria sponge every Sunday in her kitchen in [[L:Scunthorpe]].",
    ),
    (
        "recipe",
        "Recipe sent in by [[P:Marguerite Olander]] of [[L:12 Tansy Lane, Kendal]]: beat the butter and sugar, add three eggs, fold in the flour.",
    ),
    (
        "review",
        "Reviewed by [[P:Dermot Ashcroft]], verified buyer. The Breville kettle boils fast but the lid sticks.",
    ),
    (
        "review",
        "★★★★☆ from [[P:Ilse Vandermeer]]: the Garmin watch tracks my runs around [[L:Lake Windermere]] well, battery lasts a week.",
    ),
    (
        "runbook",
        "Escalation: page [[P:Soraya Kettering]] ([[T:+44 7700 900417]]) first, then [[P:Bartholomew Quist]] if she does not answer in 10 minutes.",
    ),
    (
        "runbook",
        "Owner of this runbook: [[P:Haruki Tanabe]] <[[E:haruki.tanabe@fernwood-analytics.co.uk]]>. Restore the Postgres replica from the nightly snapshot.",
    ),
    (
        "sports",
        "Under-12s: Riverside Rovers 3 Hollin Athletic 1. Goals from [[P:Callum Deverell]] (2) and [[P:Niamh Ostrowski]]; player of the match [[P:Niamh Ostrowski]].",
    ),
    (
        "sports",
        "Club ladder: 1. [[P:Piotr Zawadzki]] 1840, 2. [[P:Amara Nwosu]] 1795, 3. [[P:Lukas Brenninger]] 1760.",
    ),
    (
        "weather",
        "Our reader [[P:Gwendolyn Aske]] sent this photo of the frost on her allotment in [[L:Penistone]] this morning.",
    ),
    (
        "weather",
        "Rain gauge readings from volunteers: [[P:Clive Enderby]] ([[L:Hexham]]) 14 mm, [[P:Moira Stanhope]] ([[L:Alnwick]]) 9 mm.",
    ),
    (
        "timetable",
        "Year 9 timetable, Tuesday: Maths with Mr [[P:Pettigrew]], Chemistry with Dr [[P:Okafor]], PE with Ms [[P:Lindqvist]].",
    ),
    (
        "timetable",
        "Room changes: Geography (Set 2) moves to B14 while Mrs [[P:Abernethy]] is away; cover by Mr [[P:Raghunathan]].",
    ),
    (
        "game",
        "House rules agreed by [[P:Tamsin]], [[P:Oleksandr]] and [[P:Beatriz]]: no trading in the first round of Catan.",
    ),
    (
        "game",
        "Scores from Friday's Scrabble night: [[P:Hilary Crowther]] 412, [[P:Desmond Achterberg]] 388.",
    ),
    (
        "hardware",
        "Asset tag LT-0442 (ThinkPad T14) is assigned to [[P:Yevgenia Roslova]], Finance, [[L:Floor 3, 40 Wharf Street, Leeds]].",
    ),
    (
        "hardware",
        "The Raspberry Pi 5 in the shed belongs to [[P:Crispin Mallory]]; it logs the temperature for his greenhouse.",
    ),
    (
        "legal",
        "This Agreement is made between [[P:Rosamund Ellery Vance]] of [[L:7 Chapel Row, Truro TR1 2QY]] (the Landlord) and [[P:Tobiah Greaves]] (the Tenant).",
    ),
    (
        "legal",
        "Witnessed by [[P:Augustine Pelham]], solicitor, [[O:Pelham & Forsyth LLP]], on 3 March 2025.",
    ),
    (
        "ui",
        "Signed in as [[P:Ottoline Crane]] · Switch account · Sign out",
    ),
    (
        "ui",
        "[[P:Kasimir Wendt]] shared the folder 'Q3 Budget' with you. Open · Decline",
    ),
    (
        "commits",
        "a1f3e9c Fix null check in parser ([[P:Ingeborg Saarinen]])\n7d20b4e Bump Django to 5.0 ([[P:Rashid Al-Mansour]])\n03cc1aa Merge pull request #212",
    ),
    (
        "commits",
        "Co-authored-by: [[P:Wilhelmina Dorsey]] <[[E:wdorsey@brackenhurst.io]]>\nSigned-off-by: [[P:Eero Lindholm]]",
    ),
    (
        "employer",
        "[[P:Fenella Marchbank]] has worked at [[O:Brackley & Dunn Surveyors]] in [[L:Shrewsbury]] since 2019.",
    ),
    (
        "employer",
        "Reference: [[P:Ignacio Ferreyra]] was employed by [[O:Castlegate Print Ltd]] as a press operator from 2016 to 2023.",
    ),
    (
        "employer",
        "New starter: [[P:Marit Solberg]] joins us from [[O:Nordvik Marine AS]] on Monday.",
    ),
    (
        "hr",
        "Sick note: [[P:Anselm Kowalczyk]] off until 14 May. Cover arranged with [[P:Gemma Threlfall]].",
    ),
    (
        "hr",
        "Payroll query from [[P:Delphine Achebe]], employee no. 40221, about her overtime in April.",
    ),
    (
        "chat",
        "[[P:Ravi]]: did anyone water the plants?\n[[P:Solveig]]: yes, this morning",
    ),
    (
        "chat",
        "ask [[P:Cormac]] about the Helm chart, he wrote most of it",
    ),
    (
        "chat",
        "@[[P:hazel.moreno]] the staging deploy is green now, can you check the login page?",
    ),
    (
        "mail",
        "Dear Mrs [[P:Featherstonehaugh]],\nyour parcel will be delivered to [[L:Flat 2, 19 Bellhouse Road, Sheffield S5 6HL]] on Thursday.\nKind regards,\nCustomer Service",
    ),
    (
        "mail",
        "Hi [[P:Jonas]],\nthe quote for the boiler service is attached. [[P:Agnes Wetherby]] from our office will call you.\n[[P:Pieter]]",
    ),
    (
        "booking",
        "Booking for Mr [[P:Anand Subramaniam]], 2 adults, check-in 12 Aug. Contact: [[E:anand.s@mailbox.example.org]], [[T:07700 900233]].",
    ),
    (
        "booking",
        "Table for four under the name [[P:Prudence Leveson]], 19:30, window seat if possible.",
    ),
    (
        "delivery",
        "Left with neighbour at no. 23 (Mr [[P:Greenhalgh]]). Recipient: [[P:Philippa Ondaatje]], [[L:21 Lark Rise, Banbury OX16 9LP]].",
    ),
    (
        "medical",
        "Patient [[P:Horatio Blenkinsop]], 67, of [[L:Morpeth]], seen at the clinic for a follow-up of his knee replacement.",
    ),
    (
        "medical",
        "Repeat prescription for [[P:Agatha Rimmington]] ready at the pharmacy on the High Street.",
    ),
    (
        "school",
        "Congratulations to [[P:Imogen Fairweather]] (Year 11) who won the county chess final, and to [[P:Kofi Mensah-Bonsu]] for his science fair prize.",
    ),
    (
        "school",
        "Parents' evening: Mr and Mrs [[P:Okwuosa]] at 17:10 with Ms [[P:Barraclough]].",
    ),
    (
        "minutes",
        "Residents' meeting. Present: [[P:Ewan Lockhart]] (chair), [[P:Parveen Akhtar]], [[P:Stellan Bergqvist]]. [[P:Parveen Akhtar]] to write to the council about the lights.",
    ),
    (
        "minutes",
        "Apologies from [[P:Rhiannon Pryce]]. [[P:Bogdan Iliescu]] reported the roof leak above his flat.",
    ),
    (
        "news",
        "[[P:Evangeline Stroud]], 34, a nurse from [[L:Wokingham]], ran the marathon in 3 hours 12 minutes for the hospice.",
    ),
    (
        "news",
        "Local baker [[P:Ciaran McAteer]] opened his second shop, [[O:McAteer's Bakehouse]], on Bridge Street in [[L:Omagh]].",
    ),
    (
        "support",
        "Ticket #88213 opened by [[P:Leopold Hartigan]] ([[E:leo.hartigan@outlook.example.com]]): the Kindle will not charge.",
    ),
    (
        "support",
        "Caller [[P:Winifred Oyelaran]] says the Sky box in her lounge restarts every night.",
    ),
    (
        "rota",
        "Cleaning rota: Mon [[P:Jago]], Tue [[P:Ysolde]], Wed [[P:Florin]], Thu [[P:Jago]], Fri [[P:Ysolde]].",
    ),
    (
        "rota",
        "On call this week: [[P:Mehmet Yildirim]] (primary), [[P:Saoirse Kavanagh]] (secondary).",
    ),
    (
        "travel",
        "Itinerary for [[P:Bernadette Oyelowo]]: train from [[L:Harrogate]] to London King's Cross, 08:14, coach C seat 42.",
    ),
    (
        "travel",
        "Mr [[P:Théo Vasseur]] and Mrs [[P:Élodie Vasseur]], passport holders, arriving from [[L:Lyon]] on 2 July.",
    ),
    (
        "forum",
        "Posted by [[P:Gareth Pennington]] from [[L:Aberystwyth]]: my Honda Jazz makes a rattling noise at 50 mph, any ideas?",
    ),
    (
        "forum",
        "Reply from [[P:Lucinda Merriweather]]: I had the same on my Ford Fiesta, it was the heat shield.",
    ),
    (
        "card",
        "To Grandpa [[P:Alfred]], happy 80th! Love from [[P:Poppy]], [[P:Jasper]] and [[P:Wilf]]",
    ),
    (
        "card",
        "With deepest sympathy on the loss of [[P:Margery]]. Thinking of you, [[P:Cedric and Joan Ashworth]].",
    ),
    (
        "invoice",
        "Invoice to Ms [[P:Harriet Okonjo]], [[L:4 Millbrook Close, Exeter EX2 7TD]]. Gutter cleaning: £85.",
    ),
    (
        "invoice",
        "Bill to: [[P:Sebastián Olmedo]], [[O:Olmedo Garden Design]], [[L:Calle Mayor 14, Segovia]].",
    ),
    (
        "volunteer",
        "Thanks to our litter pickers [[P:Brigid Coyle]], [[P:Olamide Bankole]] and [[P:Torvald Nygaard]] for Saturday's clean-up of the canal path.",
    ),
    (
        "volunteer",
        "Driver for the food bank run: [[P:Alistair Drummond]], pick up from his house on [[L:Elm Grove, Stirling]] at 9.",
    ),
    (
        "lost",
        "Found: a blue bike outside the library. Call [[P:Mags]] on [[T:07700 900562]].",
    ),
    (
        "tenancy",
        "[[P:Dorothea Quinlivan]] gave notice on [[L:Flat 4B, 88 Canal Street, Manchester]]; her deposit will be returned by [[O:Harbour Lettings]].",
    ),
]

# Texts WITHOUT anyone.
NEGATIVES = [
    (
        "release",
        "Version 2.8.0\nNew\n- Offline Mode for the mobile app\n- Bulk Edit in the Task List\nFixed\n- Sync no longer duplicates calendar events.",
    ),
    (
        "release",
        "What's new in Lantern 1.4: Smart Folders, a faster Search Index and support for Apple Silicon.",
    ),
    (
        "release",
        "Deprecated: the Legacy Importer will be removed in 3.0. Use the Data Bridge instead.",
    ),
    (
        "release",
        "Hotfix 5.1.2 restores printing on Windows 11 and fixes a crash when the Quick Look panel is closed.",
    ),
    (
        "recipe",
        "Shepherd's Pie\nBrown the lamb mince with onion and carrot, add Worcestershire sauce, top with mashed Rooster potatoes and bake.",
    ),
    (
        "recipe",
        "Eton Mess: crush the meringues, fold in whipped cream and Ripe Strawberries, serve at once.",
    ),
    (
        "recipe",
        "For the dressing, whisk Dijon mustard, cider vinegar and Extra Virgin olive oil. Season with Maldon salt.",
    ),
    (
        "recipe",
        "Beef Wellington serves six. Wrap the fillet in Parma ham and puff pastry, chill, then bake at 200 °C for 40 minutes.",
    ),
    (
        "review",
        "The Dyson V15 picks up more dust than our old Henry, but the bin is small and the battery lasts about an hour.",
    ),
    (
        "review",
        "Sony WH-1000XM5: great noise cancelling, comfortable for long flights, the case is bulkier than the XM4's.",
    ),
    (
        "review",
        "We stayed three nights at the Harbour View Hotel. The breakfast was good, the Wi-Fi slow, the staff friendly.",
    ),
    (
        "review",
        "Verdict: the Kindle Paperwhite is the best e-reader for most people; the Kobo Libra is the pick for library books.",
    ),
    (
        "runbook",
        "Runbook: Disk Full on Primary\n1. Check df -h on the database host.\n2. Rotate the WAL archive.\n3. If still above 90 %, page the Storage On-Call.",
    ),
    (
        "runbook",
        "When the Payment Gateway returns 503, fail over to the Secondary Region and post in the Incident Channel.",
    ),
    (
        "runbook",
        "Certificate renewal: Certbot renews every 60 days; if it fails, check the Route 53 record and rerun the Renew Job.",
    ),
    (
        "runbook",
        "Restore Procedure\nStop the Worker Pool, restore the snapshot to a new volume, attach it, then start Redis and the Scheduler.",
    ),
    (
        "sports",
        "Premier League: Arsenal 2 Aston Villa 0, Brighton 1 Everton 1, Newcastle 3 Fulham 2.",
    ),
    (
        "sports",
        "Six Nations: Ireland beat Wales 31-7 in Dublin; France won in Rome against Italy.",
    ),
    (
        "sports",
        "County Championship, Division One: Surrey 412 and 88/2 beat Somerset 301 and 196 by eight wickets.",
    ),
    (
        "sports",
        "NBA: the Boston Celtics beat the Miami Heat 112-104; the Denver Nuggets lost at home to the Phoenix Suns.",
    ),
    (
        "sports",
        "Netball Superleague table: 1. Loughborough Lightning 24 pts, 2. London Pulse 22, 3. Manchester Thunder 20.",
    ),
    (
        "weather",
        "Forecast for the North East: heavy rain spreading from Teesside to Northumberland by evening, 30 mm over the Cheviots.",
    ),
    (
        "weather",
        "Met Office yellow warning for wind: gusts of 60 mph along the coasts of Cornwall and Devon until midnight.",
    ),
    (
        "weather",
        "Tomorrow: sunny spells in Inverness, showers in Fort William, frost in the Cairngorms overnight.",
    ),
    (
        "weather",
        "Pollen count: High in London, Moderate in Bristol, Low in Aberdeen. Grass pollen peaks in late June.",
    ),
    (
        "timetable",
        "Monday\n08:50 Registration\n09:00 English\n10:00 Maths\n11:15 Design and Technology\n13:30 Religious Studies\n14:30 Games",
    ),
    (
        "timetable",
        "Bus 42 from Market Square: 07:15, 07:45, 08:15, then every 30 minutes until 18:45. No Sunday service.",
    ),
    (
        "timetable",
        "Summer Term Dates: term starts Tuesday 22 April; Half Term 26-30 May; last day Friday 18 July.",
    ),
    (
        "timetable",
        "Swimming pool: Lane Swimming 07:00-09:00, Aqua Fit 10:00, Family Fun Session 14:00-16:00, Adults Only 20:00.",
    ),
    (
        "game",
        "Ticket to Ride: claim a route by playing cards of its colour; the longest continuous route scores 10 bonus points.",
    ),
    (
        "game",
        "In Carcassonne, a meeple on a finished city scores two points per tile; a farmer scores at the end of the game.",
    ),
    (
        "game",
        "Setup: each player takes a Player Board, five Wooden Discs and a Reference Card. The youngest player goes first.",
    ),
    (
        "game",
        "Chess opening notes: the Sicilian Defence, the Queen's Gambit Declined and the Ruy Lopez.",
    ),
    (
        "game",
        "Pandemic: on your turn take four actions, draw two Player Cards, then infect cities. Outbreaks spread to neighbours.",
    ),
    (
        "hardware",
        "Specifications: AMD Ryzen 7 7840U, 32 GB LPDDR5, 1 TB NVMe SSD, 14-inch OLED, Wi-Fi 6E, two USB4 ports.",
    ),
    (
        "hardware",
        "The Synology DS923+ takes four drives; we fitted Seagate IronWolf 8 TB disks in SHR-1.",
    ),
    (
        "hardware",
        "Compatible with Intel Core Ultra and AMD Ryzen AI processors. Thunderbolt 4 docking requires firmware 2.1.",
    ),
    (
        "hardware",
        "Router: Netgear Nighthawk RAX50, firmware 1.0.14. Access point: Ubiquiti U6 Lite on the ceiling of the Meeting Room.",
    ),
    (
        "legal",
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY.',
    ),
    (
        "legal",
        "These Terms are governed by the laws of England and Wales. The courts of London have exclusive jurisdiction.",
    ),
    (
        "legal",
        "Force Majeure. Neither Party shall be liable for any delay caused by events beyond its reasonable control.",
    ),
    (
        "legal",
        "Licensed under the Apache License, Version 2.0. You may not use this file except in compliance with the License.",
    ),
    (
        "legal",
        "The Data Controller is the Company. Complaints may be made to the Information Commissioner's Office.",
    ),
    (
        "ui",
        "Save Changes · Discard · Preview · Publish Now",
    ),
    (
        "ui",
        "Are you sure you want to delete this Workspace? This cannot be undone. [Cancel] [Delete Workspace]",
    ),
    (
        "ui",
        "Notifications\nEmail Digest: Weekly\nPush Alerts: On\nQuiet Hours: 22:00-07:00",
    ),
    (
        "ui",
        "Welcome back! Pick up where you left off in Project Phoenix, or start a New Board.",
    ),
    (
        "ui",
        "Empty State: No invoices yet. Click Create Invoice to get started.",
    ),
    (
        "commits",
        "9f2c1de Add retry to Stripe webhook handler\n4b7a0e2 Upgrade Tailwind to 3.4\n1e33f90 Remove unused Moment import",
    ),
    (
        "commits",
        "fix(auth): refresh the OAuth token before it expires\nfeat(search): add Typesense backend\nchore: bump Node to 20",
    ),
    (
        "commits",
        'Revert "Enable Turbopack by default"\n\nThis reverts commit 3a9d1f2 because the Storybook build broke.',
    ),
    (
        "commits",
        "Merge branch 'feature/dark-mode' into main\nUpdate Grafana dashboards for the Queue Service",
    ),
    (
        "notice",
        "Station Road will be closed between Mill Lane and Church Street from 4 to 8 March for gas main works.",
    ),
    (
        "notice",
        "The Central Library is closed on Bank Holiday Monday. Books can be returned at the Westgate branch.",
    ),
    (
        "notice",
        "Lift out of service in Block C. Engineers from Otis are expected on Wednesday.",
    ),
    (
        "garden",
        "Plant Charlotte and Nicola seed potatoes in April; earth up when the shoots reach 20 cm.",
    ),
    (
        "garden",
        "Roses to try: Gertrude Jekyll for scent, Munstead Wood for colour, Bonica for hedges.",
    ),
    (
        "garden",
        "Sow Sweet Williams and Forget-Me-Nots in June for flowers next spring.",
    ),
    (
        "market",
        "FTSE 100 closed up 0.4 %; Shell and BP rose with oil, Tesco fell after its trading update.",
    ),
    (
        "market",
        "Nikkei 225 slipped as Toyota and Sony weakened; the yen firmed against the dollar.",
    ),
    (
        "travel",
        "From Edinburgh Waverley take the train to Glasgow Queen Street, then the West Highland Line to Mallaig.",
    ),
    (
        "travel",
        "Day 3: Lake Bled in the morning, Vintgar Gorge after lunch, overnight in Ljubljana.",
    ),
    (
        "travel",
        "Visit the Alhambra early; tickets for the Nasrid Palaces sell out weeks ahead in summer.",
    ),
    (
        "product",
        "The Aeropress Go packs into its own mug. Brew with 15 g of coffee and 200 ml of water at 85 °C.",
    ),
    (
        "product",
        "Le Creuset Signature casserole, 24 cm, Volcanic Orange. Suitable for all hobs including induction.",
    ),
    (
        "product",
        "Includes: Charging Dock, USB-C Cable, Quick Start Guide. Batteries not included.",
    ),
    (
        "menu",
        "Starters: Ham Hock Terrine, Cullen Skink. Mains: Fish and Chips, Chicken Kiev, Mushroom Stroganoff. Dessert: Sticky Toffee Pudding.",
    ),
    (
        "menu",
        "Cocktails: Aperol Spritz, Moscow Mule, Dark and Stormy, Espresso Martini.",
    ),
    (
        "science",
        "The Krebs cycle produces NADH and FADH2, which feed the electron transport chain.",
    ),
    (
        "science",
        "We fitted a Poisson regression with a log link; Bonferroni correction was applied to the six comparisons.",
    ),
    (
        "science",
        "Halley's Comet returns in 2061. The Kuiper Belt lies beyond Neptune.",
    ),
    (
        "docs",
        "Configure the Ingress Controller, then enable Cert Manager. Traefik and Nginx are both supported.",
    ),
    (
        "docs",
        "Airflow schedules the jobs, dbt transforms the tables and Metabase draws the charts.",
    ),
    (
        "docs",
        "Celery needs a broker. RabbitMQ and Redis both work; Flower shows the queue.",
    ),
    (
        "docs",
        "Getting Started with Home Assistant: add the Zigbee Integration, pair the sensors, then build an Automation.",
    ),
    (
        "faq",
        "Can I use Google Pay? Yes. Do you ship to Northern Ireland? Yes, within five working days.",
    ),
    (
        "faq",
        "Why is my Ring doorbell offline? Check the Wi-Fi signal in the Ring app under Device Health.",
    ),
    (
        "agenda",
        "Quarterly Planning\n1. Review of Q2 Goals\n2. Platform Roadmap\n3. Hiring Update\n4. Open Floor",
    ),
    (
        "agenda",
        "Conference Day 2: Keynote, Scaling Kafka at Work, Lunch, Panel on Open Source Funding, Closing Remarks.",
    ),
    (
        "alert",
        "CRITICAL: Replica Lag above 30 s on the Orders Database. Runbook: Replica Lag.",
    ),
    (
        "alert",
        "Backup Job Failed: the Nightly Snapshot for Analytics Warehouse did not complete.",
    ),
    (
        "museum",
        "Gallery 4: Dutch Golden Age. Still lifes, harbour scenes and a view of Delft, oil on canvas, about 1660.",
    ),
    (
        "museum",
        "The Rosetta Stone was found in 1799 near Rashid; it is on display in Room 4 of the British Museum.",
    ),
    (
        "household",
        "Bin day: Grey Bin on Tuesday, Blue Bin and Food Caddy on alternate Fridays.",
    ),
    (
        "household",
        "Boiler settings: Heating On 06:30-08:30 and 17:00-22:00, Hot Water Boost 30 min, Eco Mode Off.",
    ),
    (
        "transit",
        "Minor delays on the Jubilee line; Northern line part suspended between Camden Town and Edgware.",
    ),
    (
        "transit",
        "Ferry from Oban to Craignure: 08:00, 10:00, 12:00. Cars must check in 30 minutes before.",
    ),
    (
        "charity",
        "Oxfam, the British Heart Foundation and Cancer Research UK shops accept clothes and books.",
    ),
    (
        "car",
        "MOT result: Pass. Advisory: front tyres close to the legal limit. Vehicle: Vauxhall Corsa, 1.2 petrol.",
    ),
]
