# ruff: noqa: E501, RUF001
"""Hand-written texts of the third check set (round 16) WITHOUT personal data, written to
look as if they might have some: release notes, build logs with hashes, UUIDs and
versions, documentation with example.com and 192.0.2.x, loopback, product and place
names in non-personal use, recipes, sports results of teams, weather, legal boilerplate,
tracking, meeting and order numbers, ISBNs. Each entry is (kind, tags, text); a
negative carries no mark (nothing in it is to be replaced)."""

TEXTS = [
    (
        "release_notes",
        "versions",
        """## 4.12.0 (2026-12-01)
- Added: export to Parquet (#2291)
- Fixed: crash when the config path contains spaces (#2288)
- Changed: minimum Python is now 3.11
- Deprecated: the `--legacy-auth` flag, removed in 5.0""",
    ),
    (
        "release_notes",
        "build-numbers windows",
        """Windows 11 24H2, OS Build 26100.2605
.NET runtime 8.0.11.24521
Assembly version 3.2.1.0, file version 3.2.1.4471
Driver 31.0.101.5590 (WHQL)""",
    ),
    (
        "build_log",
        "hashes",
        """Step 7/12 : RUN pip install -r requirements.txt
 ---> Running in 3f9a2c81d7e4
Successfully built 8c41e7a09b2d
Successfully tagged registry.example.com/app:1.8.3
digest: sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904e1c2f5a8d3b6c7e9f0a1b2c3 size: 2418""",
    ),
    (
        "build_log",
        "ci uuid",
        """[ci] pipeline #48213 started for commit 9e1f4a7 on branch main
[ci] job id 7f3c9b2e-41d8-4a6e-9c05-2b8e7d1f3a60
[ci] cache key: deps-v3-5d41402abc4b2a76b9719d911017c592
[ci] tests: 1,842 passed, 3 skipped in 4m12s
[ci] artifact uploaded: dist/app-2.4.0-py3-none-any.whl""",
    ),
    (
        "docs",
        "example.com documentation-ip",
        """## Quick start

Point the client at your server:

    client = Client("https://api.example.com", timeout=10)

For a local test, run the mock on 127.0.0.1:8080 and use the address 192.0.2.10 in the examples; the firewall rule allows 198.51.100.0/24.""",
    ),
    (
        "docs",
        "loopback",
        """# Troubleshooting
If `curl http://localhost:9000/health` fails, check that the service listens on ::1 and 127.0.0.1, not only on 0.0.0.0. The netmask should be 255.255.255.0.""",
    ),
    (
        "recipe",
        "herbs",
        """Rosemary and Sage Roast Potatoes (serves 4)
1 kg potatoes, 3 tbsp olive oil, 2 sprigs rosemary, 6 sage leaves, sea salt.
Roast at 200 °C for 45 minutes, turning once. Finish with a pinch of Maldon salt and a squeeze of lemon.""",
    ),
    (
        "recipe",
        "place-dish",
        """Brussels sprouts with Parma ham and Dijon mustard
Blanch the sprouts, fry the ham until crisp, toss everything with a spoon of Dijon and serve with Yorkshire puddings.""",
    ),
    (
        "sports",
        "teams",
        """Premier League, Saturday
Arsenal 2–1 Everton
Newcastle 0–0 Brighton
Aston Villa 3–2 Fulham
Wolves vs Brentford postponed (frozen pitch).""",
    ),
    (
        "sports",
        "teams cities",
        """NBA final scores: Boston 112, Miami 104; Denver 98, Phoenix 101; Chicago 120, Detroit 117 (OT). Next: Los Angeles at Golden State, Tuesday 7:30 pm.""",
    ),
    (
        "weather",
        "cities",
        """Forecast for Wednesday: Lisbon 17 °C, sunny; Madrid 11 °C, cloudy; Paris 6 °C with light rain; Berlin 2 °C, snow showers in the evening. Winds NW 20 km/h.""",
    ),
    (
        "weather",
        "metar",
        """METAR EGLL 071150Z 24012KT 9999 FEW030 BKN045 09/04 Q1012 NOSIG
TAF EGLL 071100Z 0712/0818 23010KT 9999 SCT030 PROB30 TEMPO 0718/0722 RA""",
    ),
    (
        "legal",
        "boilerplate",
        """THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.""",
    ),
    (
        "legal",
        "defined terms",
        """1. Definitions. "Licensor" means the party granting the licence. "Licensee" means the party receiving it. "Territory" means the European Economic Area. This Agreement is governed by the laws of England and Wales.""",
    ),
    (
        "tracking",
        "parcel",
        """Shipment update
Tracking number: 1Z999AA10123456784
Status: In transit – departed sorting facility
Estimated delivery: 9 December, 10:00–14:00
Reference: ORD-2026-118402""",
    ),
    (
        "tracking",
        "order numbers",
        """Order 4417-2291-0083 confirmed. Items: 2 × USB-C cable (SKU 88-2201-B), 1 × charger 65 W (SKU 88-4410-C). Invoice number INV-2026-55817. Return window: 30 days.""",
    ),
    (
        "meeting_info",
        "meeting-id",
        """Quarterly all-hands
Join online: meeting ID 845 2291 0037, passcode 118402
Dial-in numbers are in the calendar invite.
Agenda: results, roadmap, Q&A.""",
    ),
    (
        "bibliography",
        "isbn luhn",
        """Further reading
- The Odyssey, Penguin Classics. ISBN 978-0-14-044919-8
- The Great Gatsby, Scribner paperback. ISBN 9780743273565
- A Practical Guide to Soil, 2nd ed. ISBN 978-1-86197-873-8""",
    ),
    (
        "log",
        "kernel mac-zero",
        """[    2.118402] e1000e 0000:00:1f.6 eth0: (PCI Express:2.5GT/s:Width x1) 00:00:00:00:00:00
[    2.201773] e1000e 0000:00:1f.6 eth0: Intel(R) PRO/1000 Network Connection
[    5.914002] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready""",
    ),
    (
        "log",
        "trace ids",
        """2026-12-07T10:14:22.118Z INFO  http  GET /api/items 200 12ms trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7
2026-12-07T10:14:22.301Z INFO  http  GET /api/items/8812 404 3ms trace_id=a1b2c3d4e5f60718293a4b5c6d7e8f90""",
    ),
    (
        "config_template",
        "env empty",
        """# .env.example — copy to .env and fill in
DATABASE_URL=
REDIS_PASSWORD=
STRIPE_SECRET_KEY=sk_test_...
SENDGRID_API_KEY=${SENDGRID_API_KEY}
ADMIN_EMAIL=""",
    ),
    (
        "config_template",
        "k8s secretref",
        """env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: app-db
        key: password
  - name: API_TOKEN
    value: "{{ .Values.apiToken }}\"""",
    ),
    (
        "code",
        "password handling",
        """def check_password(raw: str, stored_hash: bytes) -> bool:
    \"\"\"Compare a password with its bcrypt hash; never log the raw value.\"\"\"
    return bcrypt.checkpw(raw.encode(), stored_hash)""",
    ),
    (
        "code",
        "stack trace",
        """Traceback (most recent call last):
  File "/usr/lib/python3.12/asyncio/runners.py", line 118, in run
    return self._loop.run_until_complete(task)
  File "/srv/app/worker.py", line 42, in main
    await queue.get()
asyncio.exceptions.CancelledError""",
    ),
    (
        "chat_business",
        "no names",
        """[10:02] can someone restart the staging deploy?
[10:03] done, it's green again
[10:05] thanks! merging the release branch now
[10:06] 👍""",
    ),
    (
        "news",
        "places",
        """The bridge between Øresund's two shores carried a record 21,000 vehicles a day this year, the operator said. Traffic from Copenhagen to Malmö grew fastest.""",
    ),
    (
        "product",
        "brand names",
        """Compared: the Jaguar F-Pace, the Mercedes GLC and the Tesla Model Y. The Jaguar has the biggest boot; the Tesla charges fastest on a 250 kW Supercharger.""",
    ),
    (
        "metrics",
        "numbers",
        """| metric | p50 | p95 | p99 |
|---|---|---|---|
| latency (ms) | 12 | 48 | 131 |
| bytes out | 7135770593 | 8120044718 | 9001221873 |
| queue depth | 3 | 17 | 41 |""",
    ),
    (
        "docs",
        "cidr ranges",
        """Private ranges (RFC 1918): 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16. Documentation ranges: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32. Link-local: 169.254.0.0/16 and fe80::/10.""",
    ),
    (
        "release_notes",
        "cve",
        """Security: fixes CVE-2026-21104 (heap overflow in the image decoder) and CVE-2026-21177. OID 1.3.6.1.4.1.311.21.7 is now accepted in certificates. Upgrade from 2.8.14 to 2.8.15.""",
    ),
    (
        "calendar_public",
        "months as words",
        """Holiday calendar: offices close on 24 December and reopen on 4 January. The May bank holidays are on the 4th and the 25th; June has no public holiday this year.""",
    ),
    (
        "docs",
        "sample json",
        """Example response:

    {"id": "b5f1c0e2-8d4a-4f2b-9e6c-1a7d3b9f2e04", "status": "active", "created": 1733565262, "region": "eu-west-1"}

The `created` field is a Unix timestamp in seconds.""",
    ),
    (
        "build_log",
        "npm",
        """added 1284 packages, and audited 1285 packages in 38s
213 packages are looking for funding
found 0 vulnerabilities
> web@3.4.0 build
> vite build
dist/assets/index-4f9c2a1b.js  412.18 kB │ gzip: 131.04 kB""",
    ),
    (
        "docs",
        "placeholder email",
        """To subscribe, send an empty message to list-subscribe@example.org. Replace `user@example.com` in the snippet below with your own address and `https://example.net/hook` with your webhook URL.""",
    ),
    (
        "legal",
        "privacy boilerplate",
        """We process personal data in accordance with the General Data Protection Regulation (EU) 2016/679. You may contact our Data Protection Officer through the form on our website. Article 6(1)(b) GDPR is the legal basis.""",
    ),
    (
        "recipe",
        "names-that-are-words",
        """Ginger and honey cake: 250 g flour, 2 tsp ground ginger, 150 g honey, 2 eggs. Bake at 170 °C for 50 minutes. Serve with a dollop of crème fraîche and a sprig of basil.""",
    ),
    (
        "sports",
        "chess",
        """Round 5 results: board 1 draw (1/2–1/2), board 2 white won in 41 moves after 1.e4 c5 2.Nf3 d6 3.d4 cxd4 4.Nxd4 Nf6 5.Nc3 a6, board 3 black won on time.""",
    ),
    (
        "docs",
        "api reference",
        """### GET /v2/orders/{order_id}
Returns the order. `order_id` is a 26-character ULID such as `01HGW2N7EZ8X9K3Q4R5S6T7V8W`. Rate limit: 600 requests per minute per key. Errors follow RFC 9457.""",
    ),
    (
        "log",
        "nginx",
        """127.0.0.1 - - [07/Dec/2026:10:02:11 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.30"
::1 - - [07/Dec/2026:10:02:41 +0000] "GET /metrics HTTP/1.1" 200 5512 "-" "Prometheus/2.53.0\"""",
    ),
    (
        "config",
        "nginx conf",
        """server {
    listen 80;
    server_name _;
    location / {
        proxy_pass http://127.0.0.1:3000;
        proxy_set_header Host $host;
    }
}""",
    ),
    (
        "docs",
        "git howto",
        """To undo the last commit but keep the changes, run `git reset --soft HEAD~1`. To find which commit introduced a bug, use `git bisect start`, then mark commits good or bad until it prints the first bad one, e.g. `3e7a1f2 is the first bad commit`.""",
    ),
    (
        "product",
        "hardware",
        """Model: RT-AX58U, hardware rev. B1, firmware 3.0.0.6.102_34712. Serial numbers start with L8IA. Supports WPA3 and 802.11ax. The admin page address is printed on the label under the device (change the default credentials on first login).""",
    ),
    (
        "news",
        "orgs places",
        """The European Central Bank left rates unchanged on Thursday. Markets in Frankfurt and London rose slightly, while the yen weakened against the dollar.""",
    ),
    (
        "docs",
        "password policy",
        """Password policy: at least 12 characters, one digit and one symbol; passwords expire after 365 days; the last 5 passwords cannot be reused. Store secrets in the vault, never in `.env` files committed to git.""",
    ),
    (
        "release_notes",
        "changelog prs",
        """v0.19.2
* fix(parser): handle BOM in UTF-8 files (#1182)
* feat(cli): add `--dry-run` (#1179)
* chore(deps): bump tokio from 1.41.0 to 1.42.0 (#1175)
* docs: clarify the Windows install steps (#1170)""",
    ),
    (
        "tracking",
        "flight",
        """Flight LH2335 to Amsterdam boards at gate B46 at 14:05. Flight BA1381 to Glasgow is delayed until 16:40. Baggage claim belt 7.""",
    ),
    (
        "weather",
        "storm warning",
        """Yellow warning for wind: Cornwall, Devon and the Isles of Scilly, Thursday 06:00 to 21:00. Gusts of 60–70 mph on exposed coasts. Ferries to St Mary's are cancelled.""",
    ),
    (
        "code",
        "test vectors",
        """# SHA-256 test vectors (FIPS 180-4)
assert sha256(b"abc").hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
assert sha256(b"").hexdigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"""",
    ),
    (
        "docs",
        "sri hashes",
        """<script src="https://cdn.example.com/alpinejs/3.14.1/cdn.min.js" integrity="sha384-l8f0VcPi/M1iHPv8egOnY/15TDwqgbOR1anMIJWvU6nLRgZVLTLSaNqi/TOoT5Fh" crossorigin="anonymous"></script>""",
    ),
    (
        "metrics",
        "dates",
        """Report period 2026-11-01 – 2026-11-30. Orders: 18,402. Returns: 611 (3.3 %). Average basket: €42.17. Peak day: 2026-11-27 with 1,204 orders.""",
    ),
    (
        "chat_business",
        "no names status",
        """ops: backup finished 02:14, 312 GB, checksum ok
ops: disk on node-3 at 81 %, rotating logs
ops: all green""",
    ),
    (
        "docs",
        "uuid mac-format",
        """Device identifiers are UUIDs (RFC 9562), e.g. `6f1c2a9e-0b4d-4e8f-a3c7-d52e9b1f8a04`. Do not use the MAC address as an identifier; the broadcast address ff:ff:ff:ff:ff:ff is reserved.""",
    ),
    (
        "news",
        "street names",
        """Roadworks on Oxford Street and Regent Street will continue until March. The Victoria line is closed between Brixton and Stockwell this weekend.""",
    ),
    (
        "product",
        "software names",
        """We migrated from Jenkins to GitHub Actions, from Nagios to Prometheus and Grafana, and from Jira to Linear. Hugo still builds the documentation site.""",
    ),
    (
        "legal",
        "terms",
        """14. Force Majeure. Neither party shall be liable for any failure to perform caused by events beyond its reasonable control, including acts of God, war, strikes, epidemics or governmental action.""",
    ),
    (
        "build_log",
        "gradle",
        """> Task :app:compileKotlin
> Task :app:test
BUILD SUCCESSFUL in 1m 42s
47 actionable tasks: 12 executed, 35 up-to-date
Build cache: 35 hits, 12 misses""",
    ),
    (
        "docs",
        "phone format doc",
        """Phone numbers are stored in E.164 format: a plus sign, the country code and the national number, up to 15 digits, with no spaces. The fictional range 555-0100 to 555-0199 is reserved for examples.""",
    ),
    (
        "docs",
        "card test numbers",
        """In test mode, use the card number 4242 4242 4242 4242 with any future expiry and any CVC. Live card numbers are rejected in test mode.""",
    ),
    (
        "sports",
        "league table",
        """| Pos | Team | P | W | D | L | Pts |
|---|---|---|---|---|---|---|
| 1 | Bayern München | 14 | 11 | 2 | 1 | 35 |
| 2 | Bayer Leverkusen | 14 | 9 | 4 | 1 | 31 |
| 3 | RB Leipzig | 14 | 8 | 3 | 3 | 27 |""",
    ),
    (
        "recipe",
        "ingredients",
        """Shopping list: Basmati rice, Greek yogurt, Spanish onions, Jersey Royal potatoes, Cornish sea salt, Bramley apples, Earl Grey tea.""",
    ),
    (
        "tracking",
        "ticket numbers",
        """Your support request SR-2026-004471 has been received. Reference your case number in any reply. Estimated response time: 2 business days.""",
    ),
    (
        "log",
        "systemd",
        """Dec 07 09:00:01 host systemd[1]: Starting Daily apt upgrade and clean activities...
Dec 07 09:00:14 host systemd[1]: apt-daily-upgrade.service: Deactivated successfully.
Dec 07 09:00:14 host systemd[1]: Finished Daily apt upgrade and clean activities.""",
    ),
    (
        "docs",
        "timezone",
        """Set `TZ=Europe/Berlin` for the cron container; schedules are written in local time. Other valid values: `America/Sao_Paulo`, `Asia/Kolkata`, `Australia/Sydney`.""",
    ),
    (
        "code",
        "sql schema",
        """CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT UNIQUE,
    phone TEXT,
    password_hash TEXT NOT NULL
);""",
    ),
    (
        "docs",
        "masked keys",
        """Your keys: sk-****3f9a (created 2 Nov), sk-****b71c (revoked). Keys are shown once; if you lose one, create a new key and revoke the old one.""",
    ),
    (
        "news",
        "institution",
        """The University of Edinburgh and the Royal Botanic Garden will open a joint research greenhouse next spring, funded by the Scottish Government.""",
    ),
    (
        "build_log",
        "cargo",
        """   Compiling serde v1.0.215
   Compiling tokio v1.42.0
   Compiling app v0.3.1 (/home/runner/work/app)
    Finished `release` profile [optimized] target(s) in 2m 07s""",
    ),
    (
        "weather",
        "tides",
        """Tide times, Saturday: high water 05:42 (4.8 m) and 18:03 (4.6 m); low water 11:51 (1.2 m). Sunrise 08:01, sunset 15:54.""",
    ),
    (
        "product",
        "place-named products",
        """Our Malibu surfboard, the Everest backpack and the Sahara tent are back in stock. The Denali sleeping bag ships in January.""",
    ),
    (
        "docs",
        "oauth flow",
        """The client redirects to /authorize with `response_type=code`, `client_id` and `redirect_uri=https://app.example.com/callback`. The server answers with a code that the client exchanges at /token.""",
    ),
    (
        "chat_business",
        "words-as-names lowercase",
        """will do, summer schedule goes out friday. hope the rota works, bill the hours to project 12 as usual""",
    ),
    (
        "metrics",
        "ports",
        """Open ports: 22/tcp ssh, 80/tcp http, 443/tcp https, 5432/tcp postgresql (bound to 127.0.0.1 only). Scan finished in 4.21 s.""",
    ),
    (
        "release_notes",
        "docker tags",
        """Images published: postgres:16.6-bookworm, redis:7.4.1-alpine, nginx:1.27.3. Digests: sha256:9c41e2... (amd64), sha256:77ab03... (arm64).""",
    ),
    (
        "legal",
        "company register",
        """Registered office as stated on the company register. VAT number and registration details are available on request. All prices include VAT at the standard rate.""",
    ),
    (
        "docs",
        "regex doc",
        """The validator accepts e-mail addresses matching `^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$` and IBANs of 15 to 34 characters after removing spaces; it checks the mod-97 remainder.""",
    ),
    (
        "sports",
        "cycling",
        """Stage 14, Pau to Saint-Lary-Soulan: 152 km, three categorised climbs. The peloton finished 4 min 12 s behind the breakaway. Team classification led by the Dutch team.""",
    ),
    (
        "tracking",
        "booking reference",
        """Booking reference QX7K2M. Train 9024 from London St Pancras to Paris Gare du Nord, coach 12, seats 44 and 45. Check-in closes 30 minutes before departure.""",
    ),
    (
        "code",
        "config defaults",
        """DEFAULTS = {
    "host": "127.0.0.1",
    "port": 8000,
    "password_min_length": 12,
    "token_ttl_seconds": 3600,
    "max_tokens": 4096,
}""",
    ),
    (
        "log",
        "windows event",
        """Event ID 4624: An account was successfully logged on. Logon Type: 5. Source Network Address: -. Process Name: C:\\Windows\\System32\\services.exe. Security ID: SYSTEM.""",
    ),
    (
        "docs",
        "ipv6 doc",
        """Dual-stack example: the server answers on 2001:db8:85a3::8a2e:370:7334 and on 203.0.113.42; clients in the lab use fd00::/8 addresses. Multicast 224.0.0.251 is mDNS.""",
    ),
    (
        "recipe",
        "cocktail",
        """Tom Collins: 50 ml gin, 25 ml lemon juice, 15 ml sugar syrup, top with soda. A Bloody Mary uses vodka, tomato juice, Worcestershire sauce and Tabasco.""",
    ),
    (
        "release_notes",
        "mobile app",
        """What's new in 8.3.1: dark mode for the map, faster start-up on Android 15, and a fix for notifications on iOS 18.2. Build 20261204.1.""",
    ),
]
