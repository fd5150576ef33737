# ruff: noqa: E501
"""Hand-written texts of issue 21, round 15 (held back): product names, tools, Title Case
headings, menus and UI steps where nobody is named, and chat, tickets and notes that name
people by one word in the same settings. Marks: see build_marked.py."""

# Texts WITH people. Markup: [[P:value]] PERSON, [[L:value]] LOCATION, [[E:value]] EMAIL,
# [[T:value]] PHONE.
POSITIVES = [
    ("chat", "ask [[P:Priya]], she is the Kafka fan here and knows the consumer lag dashboards"),
    ("chat", "[[P:Jenkins]] approved it this morning, so the change can go out after lunch."),
    ("chat", "thanks [[P:Grace]]! the Grafana panel looks right now"),
    (
        "chat",
        "Morning all. [[P:Tobias]] is off today, so ping [[P:Marta]] about the Terraform plan.",
    ),
    ("chat", "[[P:Ingrid]]: can someone restart the Redis pod?\n[[P:Kwame]]: done, it is back"),
    (
        "ticket",
        "Assigned to [[P:Declan]]. He reproduced the Safari crash on the login page and will attach a HAR file.",
    ),
    (
        "ticket",
        "Reporter: [[P:Yusuf]]\nSummary: Slack notifications stop after the Jira migration\nSteps: open Settings > Integrations",
    ),
    (
        "mail",
        "Hi [[P:Lorna]],\nthe Docker images are rebuilt. Could you check the Helm chart before Friday?\nCheers,\n[[P:Arjun]]",
    ),
    (
        "mail",
        "Dear [[P:Beatrix]],\nthank you for the demo of Notion and Airtable yesterday. We will decide next week.\nBest regards,\n[[P:Henrik]]",
    ),
    (
        "standup",
        "Standup\n- [[P:Oksana]]: finished the Postgres index work\n- [[P:Malik]]: still on the Webpack to Vite move\n- [[P:Chiara]]: reviewing the Ansible roles",
    ),
    (
        "review",
        "Code review by [[P:Fenwick]]: the Rust module is fine, but please add a test for the parser.",
    ),
    (
        "notes",
        "Met [[P:Rosalind]] at the meetup; she maintains a Prometheus exporter for Kafka brokers and offered to help.",
    ),
    (
        "notes",
        "Call with [[P:Idris]] about the Kubernetes upgrade. He prefers a blue/green switch.",
    ),
    ("chat", "@[[P:Soren]] can you merge the Dependabot PR? the Node bump is blocking CI"),
    ("chat", "lunch? [[P:Wren]] is buying today 🙂"),
    (
        "handover",
        "Handover from [[P:Agnieszka]] to [[P:Rafferty]]: the Elasticsearch cluster is yellow, one replica unassigned.",
    ),
    ("chat", "Congrats [[P:Ottilie]] on the promotion! Well deserved after the Grafana migration."),
    (
        "ticket",
        "Customer says [[P:Mateo]] from their IT team already tried Chrome and Firefox; both fail at the SSO step.",
    ),
    (
        "thanks",
        "Special thanks to [[P:Hamish]] for the Jenkins to GitHub Actions migration and to [[P:Leilani]] for the docs.",
    ),
    ("chat", "[[P:Bodhi]] says the Simmer step in the recipe app is broken on Android"),
    (
        "minutes",
        "Present: [[P:Astrid]], [[P:Thaddeus]], [[P:Nkechi]]\nDecision: adopt Sentry for error tracking. [[P:Astrid]] to set up the project.",
    ),
    ("chat", "can you ask [[P:Marisol]]? she wrote the Airflow DAGs"),
    (
        "mail",
        "[[P:Eamon]],\nthe Zoom licence renewal is due. Please confirm the seat count.\n— [[P:Cressida]]",
    ),
    ("sms", "running late, tell [[P:Dmitri]] to start the demo without me"),
    ("chat", "[[P:Ffion]] fixed the Nginx config, the 502s are gone"),
    (
        "ticket",
        "Escalated by [[P:Benedikt]] (support). Customer on the Enterprise plan cannot export to Excel.",
    ),
    ("notes", "Interview with [[P:Zanele]] went well; strong on Go and Kubernetes, weaker on SQL."),
    ("chat", "who is on call? [[P:Ignatius]] I think, or [[P:Petra]] from the Platform team"),
    ("card", "Happy birthday [[P:Juniper]]! From everyone on the Payments squad"),
    ("chat", "[[P:Caspian]] and [[P:Aurelie]] are pairing on the Stripe webhook today"),
]

# Texts WITHOUT anyone.
NEGATIVES = [
    (
        "steps",
        "To reset the router:\n1. Open Settings.\n2. Choose Network.\n3. Press Restart and wait two minutes.",
    ),
    ("steps", "In the app, tap Menu > Account > Security, then turn on Two-Step Verification."),
    ("steps", "Simmer for ten minutes, then Stir and Serve. Garnish with parsley."),
    (
        "tools",
        "Our stack: Grafana, Prometheus, Loki and Tempo for observability; Kafka for events; Jenkins for builds.",
    ),
    (
        "tools",
        "We moved from Jenkins to Buildkite last year and from Datadog to Grafana Cloud in spring.",
    ),
    ("tools", "Tools used in this course: Jupyter, Pandas, Matplotlib and Scikit-learn."),
    ("heading", "Getting Started\nInstall the CLI with Homebrew, then run the Setup Wizard."),
    (
        "heading",
        "Markov Chains and Hidden Models\nThis chapter introduces transition matrices and the Viterbi algorithm.",
    ),
    (
        "heading",
        "Release Notes 3.1\nNew Features\n- Dark Mode\n- Quick Search\nBug Fixes\n- Export no longer hangs on large files.",
    ),
    (
        "recipe",
        "Roast Potatoes\nUse floury potatoes such as Maris Piper or King Edward. Parboil, shake, then roast at 220 °C.",
    ),
    ("recipe", "Add the Sriracha and a splash of Tabasco. Serve with Jasmine rice."),
    (
        "smart_home",
        "Link the Google Home speaker to the Philips Hue bridge, then ask it to dim the Living Room lights.",
    ),
    (
        "smart_home",
        "Alexa routines: at 7:00 turn on the Kitchen lights and play the Morning Playlist.",
    ),
    (
        "docs",
        "Configure Kafka with three brokers. Celery workers read from Redis; Flower shows their state.",
    ),
    ("docs", "Sphinx builds the docs; Hugo builds the marketing site. Both deploy via Netlify."),
    ("docs", "Run the tests with Pytest, format with Black, and lint with Ruff before you push."),
    ("docs", "Connect via Tailscale, then open Portainer in the browser."),
    ("docs", "Enable the Jenkins plugin for Gradle and set the Maven mirror."),
    ("ui", "Click Save, then Publish. To undo, choose Revert from the History panel."),
    ("ui", "The Inspector shows Layers, Styles and Assets. Drag a Frame onto the Canvas."),
    ("ui", "Press Shift+Tab to go back; Escape closes the Dialog."),
    ("menu", "File  Edit  View  Insert  Format  Tools  Help"),
    ("menu", "Home | Pricing | Docs | Blog | Careers | Contact"),
    ("chat_noname", "anyone know why Grafana shows no data after the upgrade?"),
    ("chat_noname", "Kafka lag is climbing again on the orders topic, looking into it"),
    ("chat_noname", "Jenkins is down, builds are queued"),
    ("chat_noname", "Terraform wants to replace the whole VPC, do not apply!"),
    ("chat_noname", "deploy via Argo or by hand? Argo is safer"),
    (
        "product",
        "Meet Aurora, our new sleep tracker. Aurora pairs with Apple Health and Google Fit.",
    ),
    ("product", "The Falcon 9 blender comes with a Pulse button and a Turbo setting."),
    ("product", "Atlas now supports Vector Search. Upgrade to Atlas 7 to try it."),
    (
        "product",
        "Nova Pro headphones: Active Noise Cancelling, Transparency Mode, 30 hours of battery.",
    ),
    ("games", "Patch 2.4: Warden's Shield cooldown reduced; Ember Staff damage up 5 %."),
    ("games", "Build tip: pair the Frost Mage with a Paladin and keep the Healer behind the Tank."),
    (
        "garden",
        "Plant Gardener's Delight tomatoes and Charlotte potatoes in May; Sungold ripens first.",
    ),
    ("garden", "Roses: Iceberg and Gertrude Jekyll both do well against a south wall."),
    (
        "wine",
        "Tasting notes: a Merlot from Bordeaux, a Malbec from Mendoza and a Riesling from the Mosel.",
    ),
    (
        "science",
        "We fit a Gaussian Process and compare it with a Random Forest and a Markov Chain Monte Carlo sampler.",
    ),
    (
        "science",
        "The Fourier transform of the signal shows a peak at 50 Hz; a Butterworth filter removes it.",
    ),
    ("science", "Bayes' theorem and the Kalman filter are covered in Week 3."),
    (
        "policy",
        "Acceptable Use Policy\nDo not install Dropbox or Telegram on company laptops. Use OneDrive and Teams.",
    ),
    ("policy", "Passwords are kept in Bitwarden; Okta handles single sign-on."),
    (
        "changelog",
        "Changed: Webpack replaced by Vite. Removed: Moment in favour of Luxon. Fixed: Safari date parsing.",
    ),
    ("changelog", "Bump Django from 4.2 to 5.0. Bump Flask-Login. Pin Jinja to 3.1."),
    (
        "support",
        "If the printer shows Offline, open Devices and Printers, right-click it and choose See What's Printing.",
    ),
    ("support", "Clear the cache: Chrome > Settings > Privacy > Clear Browsing Data."),
    ("support", "Still stuck? Open a ticket with Support and attach the Diagnostics report."),
    ("cars", "The Golf and the Polo share a platform; the Tiguan is the bigger SUV."),
    ("cars", "Service due: Jaguar XE, replace brake pads; Mercedes Sprinter, oil change."),
    ("music", "Setlist: Overture, Clair de Lune, Gymnopédie No. 1, Encore."),
    ("kitchen", "Preheat. Whisk. Fold. Bake for 25 minutes. Cool on a rack."),
    ("agenda", "Agenda\n1. Roadmap Review\n2. Hiring Plan\n3. Budget\n4. Any Other Business"),
    ("agenda", "Workshop: Intro to Rust, Async in Python, Scaling Postgres, Lightning Talks."),
    ("alert", "FIRING: HighMemory on the Sentinel node; Watchtower restarted the container twice."),
    ("alert", "Resolved: Ingress latency back under 200 ms after Envoy was rolled back."),
    ("faq", "Does it work with Siri? Yes, and with Cortana on Windows. Bixby support is planned."),
    ("faq", "Can I pay with Klarna? Yes, and with PayPal or Apple Pay."),
    (
        "books",
        "Reading list: Clean Code, The Pragmatic Programmer, Designing Data-Intensive Applications.",
    ),
    (
        "space",
        "The Hubble and the Webb telescopes observed the Orion Nebula; Kepler data confirmed the planet.",
    ),
    ("fashion", "The Chelsea boot in Tan, the Oxford shoe in Black, and the Derby in Oxblood."),
    ("pets_products", "Feed Royal Canin in the morning and a Kong toy with treats at night."),
    ("hotel_ui", "At the kiosk, select Check In, scan the Booking Code, then choose Print Key."),
]
