# ruff: noqa: E501
"""Hand-written texts of issue 21, round 16 (held back, part r16latin): people in Latin
script written the way informal or structured text writes them: lower case in chat,
initials, nicknames and short forms, @mentions and handles, ``Family, Given`` and
Outlook headers, transcript speaker labels, rotas, action items, stand-up notes, table
cells, vCards, names inside host names and DHCP tags, and first names that are also
words where the context says a person. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE.
POSITIVES = [
    # lower case in chat
    ("chat-lower", "ok so [[P:thandiwe]] said the build is green, can we ship?"),
    ("chat-lower", "lol [[P:ruairi]] broke staging again 🙃"),
    ("chat-lower", "did anyone hear back from [[P:margit]] about the invoice"),
    ("chat-lower", "[[P:bruno]] and [[P:fenella]] are both out tmrw fyi"),
    ("chat-lower", "ask [[P:kofi]] he has the vpn creds for the lab"),
    ("chat-lower", "pinging [[P:oddny]] — you still need the logs from tuesday?"),
    ("chat-lower", "yeah i talked to [[P:siobhan mcgarrigle]] last night, she's in"),
    ("chat-lower", "[[P:jakub]]: pushed the fix\n[[P:amaru]]: nice, merging"),
    ("chat-lower", "can u send it to [[P:wilhelmina]] instead, i'm on my phone"),
    ("chat-lower", "thx [[P:deshawn]]!! saved my whole afternoon"),
    # initials
    ("initials", "Reviewed: [[P:J.]] [[P:Okafor]]; second reader [[P:T.M.]]"),
    ("initials", "Minutes taken by [[P:RVD]]. Next meeting chaired by [[P:KL]]."),
    ("initials", "Signed off — [[P:A.B.]] (QA), [[P:H.]] [[P:Nakashima]] (release)"),
    ("initials", "Owner: [[P:PJW]]\nDue: 14 March\nStatus: blocked on legal"),
    ("initials", "cc [[P:E. Vasquez]], [[P:D. Mbeki-Larsson]]"),
    # nicknames and short forms
    (
        "nickname",
        "Hey [[P:Bex]], [[P:Mo]] says the cake is in the fridge for [[P:Gaz]]'s leaving do.",
    ),
    ("nickname", "[[P:Tash]] can you cover my shift on Sunday? [[P:Kez]] is sick."),
    ("nickname", "Call [[P:Jonno]] before you book, he knows the venue owner."),
    ("nickname", "Big thanks to [[P:Suze]] and [[P:Robbo]] for the late-night fix."),
    # mentions and handles
    ("mention", "@[[P:olufemi.adeyemi]] could you look at PR 4471 when you have a sec?"),
    ("mention", "thanks @[[P:greta_lindqvist]] and @[[P:pmarchetti]] for the review"),
    ("mention", "assigning to @[[P:hwaithaka]], cc @[[P:ines-ferreira]]"),
    ("mention", "<@[[P:tomasz.wrobel]]> the deploy is yours today"),
    ("mention", "[[P:bgallagher]] pushed 3 commits to feature/export-csv"),
    ("mention", "Approved by [[P:lnovak]] · merged by [[P:cwhitcombe]]"),
    # Family, Given and Outlook headers
    (
        "outlook",
        "From: [[P:Brennan, Aoife]] <[[E:aoife.brennan@rathmore-dairy.ie]]>\nSent: Monday\nTo: [[P:Castellano, Mateo]]\nSubject: cheese order",
    ),
    (
        "outlook",
        "-----Original Message-----\nFrom: [[P:Hoekstra, Pieter]]\nTo: [[P:Ng, Wei Ling]]; [[P:Adebayo, Folake]]\nSubject: RE: budget",
    ),
    (
        "outlook",
        "On Tue, [[P:Quirke, Donal]] <[[E:dquirke@ballymore-sheep.com]]> wrote:\n> see attached",
    ),
    ("outlook", "Attendees: [[P:Sørensen, Mette]]; [[P:Iwu, Chidi]]; [[P:Pärn, Kadri]]"),
    ("outlook", "Author: [[P:KOWALCZYK, Zofia]]\nApprover: [[P:DELACROIX, Remy]]"),
    # transcript speaker labels
    (
        "transcript",
        "[00:01:12] [[P:Rasmus]]: can everyone hear me?\n[00:01:15] [[P:Nilufar]]: yes, go ahead\n[00:01:20] [[P:Rasmus]]: great, first item is the roadmap",
    ),
    (
        "transcript",
        "[[P:BALTHAZAR]]: We disagree with the estimate.\n[[P:OYELARAN]]: Then show us your numbers.",
    ),
    (
        "transcript",
        "Q ([[P:Greer]]): When did you start?\nA ([[P:Solveig]]): In 2019, in the warehouse.",
    ),
    (
        "transcript",
        "speaker 1 ([[P:ignatius]]): so the numbers are fine\nspeaker 2 ([[P:rosalind]]): agreed, mostly",
    ),
    # rotas
    (
        "rota",
        "On-call rota\nMon: [[P:Effie]]\nTue: [[P:Lorcan]]\nWed: [[P:Zainab]]\nThu: [[P:Effie]]\nFri: [[P:Osric]]",
    ),
    ("rota", "Cleaning rota — kitchen: [[P:Dagny]], bathroom: [[P:Wendell]], bins: [[P:Marisol]]"),
    ("rota", "week 12 | [[P:Hollis]]\nweek 13 | [[P:Branwen]]\nweek 14 | [[P:Teodor]]"),
    # action items
    (
        "actions",
        "Action items:\n- [[P:Calloway]] to send the revised quote\n- [[P:Yusra]] to book the room\n- [[P:Anneliese]] to chase the printer",
    ),
    (
        "actions",
        "AI: [[P:Pim]] — update the runbook by Friday\nAI: [[P:Gwendolyn]] — check the backups",
    ),
    ("actions", "[ ] [[P:Ekow]]: rotate the staging keys\n[x] [[P:Liesl]]: archive the old bucket"),
    # stand-up notes
    (
        "standup",
        "standup 3/11\n[[P:cormac]] - yesterday: tests, today: docs\n[[P:priyanka]] - blocked on review\n[[P:elodie]] - out",
    ),
    (
        "standup",
        "Y: [[P:Soren]] fixed the flaky test. T: [[P:Soren]] pairs with [[P:Adaeze]] on search. B: none.",
    ),
    (
        "standup",
        "Daily — [[P:Marguerite]]: invoices done; [[P:Tadhg]]: on leave; [[P:Ximena]]: onboarding calls",
    ),
    # table cells
    (
        "table",
        "| Name | Role | Start |\n| --- | --- | --- |\n| [[P:Eulalia Brandt]] | Designer | May |\n| [[P:Okonkwo Eze]] | Backend | June |",
    ),
    ("table", "employee,team,desk\n[[P:ferdinand holm]],finance,3B\n[[P:nadezhda]],ops,4A"),
    ("table", "owner\tservice\ttier\n[[P:Benedikt]]\tbilling\t1\n[[P:Ayasha]]\tsearch\t2"),
    (
        "table",
        "| Reviewer | Verdict |\n|---|---|\n| [[P:mkeane]] | approve |\n| [[P:Lucía]] | changes requested |",
    ),
    (
        "table",
        "Assignee;Ticket;Hours\n[[P:Kittredge, Noor]];OPS-21;3\n[[P:Villanueva, Rafa]];OPS-22;5",
    ),
    # vCards
    (
        "vcard",
        "BEGIN:VCARD\nVERSION:3.0\nN:[[P:Ferreira]];[[P:Joaquim]];;;\nFN:[[P:Joaquim Ferreira]]\nTEL;TYPE=cell:[[T:+351 912 448 307]]\nEND:VCARD",
    ),
    (
        "vcard",
        "BEGIN:VCARD\nFN:[[P:Ottilie Brandvold]]\nEMAIL:[[E:ottilie@brandvold-kayak.no]]\nNOTE:met at the fair\nEND:VCARD",
    ),
    # host names and DHCP tags
    ("hostname", "DHCPACK to [[P:alice]]s-macbook-pro via eth0, lease 86400s"),
    ("hostname", "new device joined the guest wifi: iphone-de-[[P:maria]]"),
    ("hostname", "ssh [[P:rohan]]s-thinkpad.local failed: host key changed"),
    ("hostname", 'lease for hostname "[[P:gunnar]]-pc" expires in 3600s'),
    ("hostname", "AirPlay: connecting to [[P:Keziah]]'s iPad"),
    # words that are also names, where the context says a person
    ("word-name", "[[P:Bill]] from accounts rang about the refund, can someone call him back?"),
    ("word-name", "I asked [[P:May]] to join the interview panel, she said yes."),
    ("word-name", "[[P:Rose]] and I will drive down on Saturday."),
    ("word-name", "Please welcome [[P:Hunter]], who joins the support team today."),
    ("word-name", "thanks [[P:Summer]], the slides look great"),
    ("word-name", "Talked to [[P:Mark]] about the lease; he wants to renew."),
    ("word-name", "[[P:Sunny]] is leading the workshop, so send your questions to her."),
]

# Texts WITHOUT anyone: the same shapes, where no word is a person.
NEGATIVES = [
    ("chat-lower", "ok the build is green, can we ship? staging looks fine too"),
    ("chat-lower", "lol the cron job ran twice again, who touched the schedule"),
    ("initials", "Status: WIP. Owner: TBD. ETA: Q3. See the FAQ and the SLA doc."),
    ("initials", "Units: kB, MB, GB. Modes: RW, RO. Flags: -v -q -x."),
    ("mention", "@channel the office is closed on Friday, @here please update your calendars"),
    ("mention", "Bumps actions/checkout from 3 to 4 in /.github/workflows (dependabot)"),
    (
        "outlook",
        "From: Service Desk <noreply@example.com>\nTo: All Staff\nSubject: Password expiry reminder",
    ),
    ("outlook", "Subject: Report, Quarterly; Category: Finance, General"),
    (
        "transcript",
        "[00:00:05] Speaker 1: can everyone hear me?\n[00:00:09] Speaker 2: yes\n[00:00:12] Moderator: let's begin",
    ),
    (
        "rota",
        "On-call rota\nMon: platform team\nTue: data team\nWed: platform team\nThu: mobile\nFri: nobody (freeze)",
    ),
    (
        "actions",
        "Action items:\n- send the revised quote\n- book the room\n- chase the printer vendor",
    ),
    (
        "standup",
        "standup 3/11\nbackend - yesterday: tests, today: docs\nfrontend - blocked on review\ninfra - nothing new",
    ),
    (
        "table",
        "| Service | Owner team | Tier |\n| --- | --- | --- |\n| billing | Payments | 1 |\n| search | Discovery | 2 |",
    ),
    ("table", "month,revenue,churn\nMay,1200,0.02\nJune,1350,0.03"),
    ("hostname", "DHCPACK to printer-floor2 via eth0, lease 86400s"),
    ("hostname", 'lease for hostname "build-agent-07" expires in 3600s'),
    ("word-name", "Pay the bill by May 3rd; the rose bushes need pruning in March."),
    ("word-name", "Summer sale: hunter green jackets, sunny-day discounts, mark down all hats."),
    ("vcard", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Example Corp//Cal 1.0//EN\nEND:VCALENDAR"),
    ("nickname", "The kit includes the main board, two cables and a quick-start card."),
]
