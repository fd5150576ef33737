# ruff: noqa: E501, RUF001
"""Hand-written texts without personal data that look as if they might have some
(round 16, fourth set): nothing in them is labelled."""

NEGATIVES: list[tuple[str, list[str], str]] = [
    (
        "release-notes",
        ["versions"],
        """Release 3.11.2 (2026-12-01)
- Bump openssl to 3.0.15
- Fix regression in 3.11.1 when parsing 10.0.19045.4291 build strings
- Docs: examples now use example.com and 192.0.2.10""",
    ),
    (
        "release-notes",
        ["changelog", "pr-numbers"],
        """## v0.9.0
* Drop Python 3.9 (#1412)
* New `--dry-run` flag (#1420)
* Faster cold start: 1.8 s -> 0.6 s (#1431)""",
    ),
    (
        "build-log",
        ["hashes"],
        """Step 7/12 : RUN pip install -r requirements.txt
 ---> Running in 4b9e2f1c7a03
Successfully built 8c1f0e9a2b7d
Successfully tagged registry.example.com/app:1.4.2
sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b""",
    ),
    (
        "build-log",
        ["uuids"],
        """[INFO] job 6f1d2c3a-9b8e-4f7d-a1c2-3e4f5a6b7c8d finished in 412 ms
[INFO] job 0b7e4c21-55aa-4d1e-9f3b-c2d1e0f9a8b7 finished in 398 ms
[WARN] retry 2/5 for shard 17""",
    ),
    (
        "docs",
        ["example-domains"],
        """To test the webhook, send a POST to https://example.com/hooks/test with the header
`X-Signature: <your signature>`. Replace user@example.org with your own address.
Servers in the examples use 198.51.100.7 and 2001:db8::42.""",
    ),
    (
        "docs",
        ["loopback"],
        """Start the dev server and open http://localhost:8080 or http://127.0.0.1:8080.
The metrics endpoint listens on [::1]:9100 only. Bind to 0.0.0.0 in containers.""",
    ),
    (
        "docs",
        ["placeholders"],
        """Set these variables before running:
DB_PASSWORD=
API_KEY=${API_KEY}
SECRET_TOKEN=<redacted>
Never commit real values; use `secretKeyRef` in Kubernetes.""",
    ),
    (
        "recipe",
        ["herb-names"],
        """Lamb with rosemary and sage
Rub the leg with garlic, Rosemary, Sage and a pinch of Ginger. Roast at 180 °C for 90 minutes.
Serve with mint sauce and new potatoes from Jersey.""",
    ),
    (
        "recipe",
        ["place-names"],
        """Black Forest gâteau
Whip 400 ml cream with kirsch. Layer with Morello cherries and chocolate sponge. Originates from the Black Forest region; Bakewell tart is a different story.""",
    ),
    (
        "sports",
        ["teams"],
        """Premier League, Saturday
Arsenal 2-1 Everton
Brighton 0-0 Fulham
Newcastle 3-2 Aston Villa
Attendance: 52,214 at St James' Park.""",
    ),
    (
        "sports",
        ["cricket"],
        """India 287/6 (50 ov) beat Sri Lanka 241 (46.3 ov) by 46 runs. Player of the match awarded after the toss in Colombo was delayed by rain.""",
    ),
    (
        "sports",
        ["marathon"],
        """Berlin Marathon results: men's winning time 2:03:17, women's 2:16:42. 47,912 finishers. Next edition: 27 September.""",
    ),
    (
        "weather",
        ["forecast"],
        """Forecast for Lisbon: sunny, 19 °C, wind NW 15 km/h. Porto: showers, 14 °C. Madeira: 22 °C. Pressure 1021 hPa.""",
    ),
    (
        "weather",
        ["warning"],
        """Met Office yellow warning for wind: Cornwall, Devon and the Isles of Scilly, 06:00 to 21:00 Sunday. Gusts of 60-70 mph on exposed coasts.""",
    ),
    (
        "legal",
        ["boilerplate"],
        """THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY.""",
    ),
    (
        "legal",
        ["gdpr"],
        """Under Article 17 GDPR the data subject has the right to erasure. The controller shall respond within one month (Art. 12(3)). Recital 65 applies.""",
    ),
    (
        "legal",
        ["terms"],
        """1.1 "Customer" means the party ordering the Services. 1.2 "Licensee" has the meaning in clause 4. 1.3 "Business Day" means a day other than a Saturday, Sunday or public holiday in England.""",
    ),
    (
        "tracking",
        ["parcel"],
        """Tracking number 1Z 999 AA1 01 2345 6784 — status: in transit, departed facility HUB-07 at 14:22. Estimated delivery: Thursday.""",
    ),
    (
        "tracking",
        ["order-numbers"],
        """Order #403-2219874-5561120 shipped. Return code RMA-55120. Reference 7781-0042-9910.""",
    ),
    (
        "meeting-id",
        ["zoom"],
        """Meeting ID: 892 4410 2290
Passcode: see calendar
One tap mobile: dial the number in the invite""",
    ),
    (
        "isbn",
        ["bibliography"],
        """References
[1] Knuth, The Art of Computer Programming, Vol. 1, ISBN 978-0-201-89683-1.
[2] Structure and Interpretation of Computer Programs, ISBN 978-0-262-51087-5.""",
    ),
    (
        "product",
        ["brand-names"],
        """The new Jaguar F-Pace, the Mercedes G-Class and the Ford Mustang Mach-E were shown in Geneva. Prices start at CHF 74,900.""",
    ),
    (
        "product",
        ["sku"],
        """SKU 4006381333931 — pencil HB, pack of 12. EAN 5901234123457. Part no. PN-2219-A. Batch 2026-11-B.""",
    ),
    (
        "place",
        ["tourism"],
        """Day trip: Sintra palaces, then lunch in Cascais. Trains leave Rossio every 20 minutes. Pena Palace opens at 09:30.""",
    ),
    (
        "place",
        ["names-as-places"],
        """Flights to Florence, Austin and Paris are delayed. Passengers for Victoria should use Gate 12. Charlotte and Jackson arrivals are on time.""",
    ),
    (
        "metrics",
        ["tables"],
        """| host | cpu | mem | uptime |
| --- | --- | --- | --- |
| web-01 | 12 % | 3.1 GiB | 41 d |
| web-02 | 9 % | 2.8 GiB | 41 d |
| db-01 | 37 % | 14.2 GiB | 102 d |""",
    ),
    (
        "kernel-log",
        ["mac-zero"],
        """[    0.412345] e1000e 0000:00:1f.6 eth0: (PCI Express:2.5GT/s:Width x1) 00:00:00:00:00:00
[    0.412400] e1000e: Intel(R) PRO/1000 Network Connection
[    1.002113] EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode""",
    ),
    (
        "code",
        ["password-handling"],
        """def check(password: str, stored_hash: bytes) -> bool:
    # compare in constant time; never log the password itself
    return hmac.compare_digest(hash_pw(password), stored_hash)""",
    ),
    (
        "code",
        ["masked-keys"],
        """Your key sk-****3f9a was rotated. Old key ends in ...7b21. Use `stripe login` to fetch a new one.""",
    ),
    (
        "code",
        ["dockerfile"],
        """FROM python:3.12-slim
WORKDIR /app
COPY . .
EXPOSE 8000
HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]""",
    ),
    (
        "code",
        ["nginx"],
        """server {
    listen 80;
    server_name _;
    location / { proxy_pass http://127.0.0.1:3000; }
}""",
    ),
    (
        "code",
        ["git-hashes"],
        """a1b2c3d Merge pull request #88 from feature/cache
9f8e7d6 Bump version to 2.1.0
5c4b3a2 Fix typo in README""",
    ),
    (
        "code",
        ["cve"],
        """Affected: CVE-2024-3094 (xz-utils 5.6.0, 5.6.1). OID 1.2.840.113549.1.1.11. Fixed in 5.6.2.""",
    ),
    (
        "statistics",
        ["census"],
        """Population of Reykjavík rose 1.9 % to 139,875. Median age 36.4. Households: 58,210. Source: national statistics office, table MAN02001.""",
    ),
    (
        "business-chat",
        ["no-names"],
        """[10:02] team: standup in 5
[10:03] team: blocked on the API review
[10:05] team: release train leaves Thursday""",
    ),
    (
        "faq",
        ["password-policy"],
        """Passwords must be at least 12 characters and include a number. We will never ask for your password by email or phone. Report phishing to the security team.""",
    ),
    (
        "history",
        ["historical-figures"],
        """The Treaty of Westphalia (1648) ended the Thirty Years' War. Napoleon was crowned in 1804; Queen Victoria reigned from 1837 to 1901.""",
    ),
    (
        "science",
        ["units"],
        """Speed of light: 299,792,458 m/s. Avogadro: 6.02214076e23 mol^-1. Planck: 6.62607015e-34 J·s.""",
    ),
    (
        "chess",
        ["moves"],
        """1. e4 c5 2. Nf3 d6 3. d4 cxd4 4. Nxd4 Nf6 5. Nc3 a6 — the Najdorf. White's 6. Bg5 is the main line.""",
    ),
    (
        "timetable",
        ["times"],
        """Bus 42: Central Station 07:15, 07:45, 08:15; Harbour 07:32, 08:02, 08:32. Sundays: hourly from 09:00.""",
    ),
    (
        "network",
        ["reserved-ranges"],
        """Private ranges: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16. Link-local 169.254.0.0/16. CGNAT 100.64.0.0/10. Netmask 255.255.255.0.""",
    ),
    (
        "network",
        ["firmware-versions"],
        """Firmware 10.4.3.21 released for model AX-3000; previous 10.4.2.17 had a Wi-Fi issue. Bootloader 2.0.1.1.""",
    ),
    (
        "finance",
        ["market-report"],
        """DAX closed 0.4 % higher at 19,412 points; EUR/USD 1.0874. Brent crude 78.21 USD. 10-year Bund yield 2.31 %.""",
    ),
    (
        "finance",
        ["test-iban-doc"],
        """The IBAN format: two letters for the country, two check digits, then up to 30 characters of the national account number. Check digits are computed mod 97.""",
    ),
    (
        "recipe",
        ["japanese", "other-script"],
        """親子丼の作り方：鶏もも肉200g、玉ねぎ1/2個、卵3個。だし100ml、醤油大さじ2、みりん大さじ2。中火で5分煮る。""",
    ),
    (
        "weather",
        ["chinese", "other-script"],
        """北京今天晴，最高气温12度，最低零下2度，北风三到四级。上海多云，最高15度。""",
    ),
    (
        "news",
        ["korean", "other-script"],
        """서울시는 내년부터 지하철 요금을 150원 인상한다고 밝혔다. 부산과 대구도 인상을 검토 중이다.""",
    ),
    (
        "docs",
        ["russian"],
        """Для установки выполните `pip install пакет`. Сервер слушает порт 8080 на адресе 127.0.0.1. Пример: https://example.com/api.""",
    ),
    (
        "docs",
        ["german"],
        """Zur Installation führen Sie `make install` aus. Die Konfiguration liegt unter /etc/dienst/dienst.conf. Standardport 5432.""",
    ),
    (
        "docs",
        ["french"],
        """Pour configurer le proxy, renseignez HTTP_PROXY=http://proxy.example.net:3128. Les adresses de test sont dans 203.0.113.0/24.""",
    ),
    (
        "news",
        ["arabic", "other-script"],
        """أعلنت وزارة الصحة عن افتتاح مستشفى جديد في مدينة جدة بسعة 300 سرير. ومن المتوقع أن يبدأ العمل في مارس.""",
    ),
    (
        "news",
        ["hindi", "other-script"],
        """मौसम विभाग ने मुंबई और पुणे में भारी बारिश की चेतावनी जारी की है। स्कूल सोमवार को बंद रहेंगे।""",
    ),
    (
        "news",
        ["spanish"],
        """El Real Madrid venció 3-1 al Sevilla en el Bernabéu. El próximo partido será contra el Valencia en Mestalla.""",
    ),
    (
        "news",
        ["thai", "other-script"],
        """กรุงเทพมหานครประกาศปิดถนนสีลมในวันอาทิตย์เพื่อจัดงานถนนคนเดิน ตั้งแต่เวลา 16.00 น.""",
    ),
    (
        "logs",
        ["pod-names"],
        """pod/api-7d9f8c6b5-x2kqz   1/1   Running   0   3d
pod/worker-5c6d7e8f9-m4n8p   1/1   Running   2   3d
Events: Pulled image "ghcr.io/org/api:sha-4f2a91c" """,
    ),
    (
        "logs",
        ["epoch-timestamps"],
        """1733389200 cpu=0.42 mem=0.61
1733389260 cpu=0.39 mem=0.61
1733389320 cpu=0.55 mem=0.62""",
    ),
    (
        "logs",
        ["trace-ids"],
        """trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 status=OK duration_ms=12""",
    ),
    (
        "logs",
        ["windows-build"],
        """OS: Microsoft Windows 11 Pro 10.0.22631.4460; .NET 8.0.11; PowerShell 7.4.6. Assembly version 4.2.0.118.""",
    ),
    (
        "shipping",
        ["no-person"],
        """Container MSCU 4412289 loaded on vessel at Rotterdam, ETA Shanghai 14 January. Bill of lading BL-RTM-220914. Seal 0045512.""",
    ),
    (
        "inventory",
        ["warehouse"],
        """Aisle 4, bay 12: 240 boxes A4 paper; aisle 7: toner CF259X x 18. Reorder point 50. Supplier code SUP-0091.""",
    ),
    (
        "school",
        ["timetable-no-names"],
        """Year 9 timetable: Mon P1 maths, P2 English, P3 science (lab 2). Tue P1 PE, P2 history. Parents' evening 14 January, 16:00-19:00.""",
    ),
    (
        "clinic",
        ["opening-hours"],
        """The clinic is open Monday to Friday 08:00-18:00. Out of hours, call the national health line 111. Flu vaccines available for over-65s.""",
    ),
    (
        "church",
        ["notice"],
        """Sunday services at 9:30 and 11:00. Carol concert 20 December in the parish hall. Coffee after every service; all welcome.""",
    ),
    (
        "club",
        ["fixtures"],
        """Under-14s fixtures: 12 Dec home vs Riverside Rovers, 19 Dec away at Oakfield United. Kick-off 10:00. Bring shin pads.""",
    ),
    (
        "government",
        ["press-release"],
        """The Ministry of Transport will open the new bridge over the Danube on 15 March. Budget: EUR 212 million. Works began in 2022.""",
    ),
    (
        "product",
        ["names-are-words"],
        """Rose gold, Summer edition: our Hunter boots and the May collection are back. Will you grab a pair? Guy ropes sold separately.""",
    ),
    (
        "product",
        ["apple-names"],
        """macOS Sonoma 14.7, iOS 18.1 and watchOS 11.1 are available. The MacBook Air M3 now ships with 16 GB.""",
    ),
    (
        "docs",
        ["api-reference"],
        """GET /v1/users/{id} returns 200 with a User object, 404 if the id is unknown. Rate limit: 100 requests per minute per token.""",
    ),
    (
        "docs",
        ["config-reference"],
        """`timeout` (int, default 30): seconds before a request fails. `retries` (int, default 3). `password_file` (path): file holding the password, read at start.""",
    ),
    (
        "docs",
        ["sample-card"],
        """Card numbers in the test environment are listed in the payment provider's documentation; never use real card numbers. The CVV is any three digits.""",
    ),
    (
        "legal",
        ["cookie-banner"],
        """We use cookies to improve your experience. By clicking "Accept" you consent to our use of cookies as described in our Cookie Policy.""",
    ),
    (
        "support",
        ["canned-reply"],
        """Thank you for contacting us. Your request has been received and a member of our team will reply within two business days. Reference: REQ-2026-88142.""",
    ),
    (
        "support",
        ["status-page"],
        """Incident resolved: elevated error rates on the EU API between 13:02 and 13:47 UTC. Root cause: a failed certificate rotation. No data was lost.""",
    ),
    (
        "math",
        ["homework"],
        """Solve for x: 3x + 7 = 22. Then find the area of a circle with radius 4 cm (use pi = 3.14). Show your working.""",
    ),
    (
        "config",
        ["no-secrets"],
        """[server]
port = 8080
workers = 4
log_level = "info"
[cache]
ttl_seconds = 300""",
    ),
    (
        "config",
        ["yaml-refs"],
        """env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef: {name: db, key: password}
  - name: LOG_LEVEL
    value: debug""",
    ),
    (
        "books",
        ["titles"],
        """Reading list: "Pride and Prejudice", "One Hundred Years of Solitude", "Things Fall Apart", "The Tale of Genji". All available at the library.""",
    ),
    (
        "music",
        ["chart"],
        """Top 5 this week: 1. Midnight Train, 2. Golden Hour, 3. River Song, 4. Neon Lights, 5. Paper Planes.""",
    ),
    (
        "docs",
        ["vcard-spec"],
        """A vCard has BEGIN:VCARD, VERSION, FN and END:VCARD lines. FN holds the formatted name; TEL and EMAIL are optional properties.""",
    ),
    (
        "logs",
        ["ci-pipeline"],
        """Pipeline #88214 passed in 12m 41s. Stages: lint (0:48), test (9:02), build (2:51). Artifacts expire in 30 days.""",
    ),
    (
        "gardening",
        ["plant-names"],
        """Plant Sweet William and Black-eyed Susan in spring; prune the Virginia creeper in autumn. Lily of the valley prefers shade.""",
    ),
    (
        "hotel",
        ["booking-no-name"],
        """Booking confirmation BK-7714-2290: 2 nights, double room, breakfast included. Check-in from 15:00, check-out by 11:00.""",
    ),
]
