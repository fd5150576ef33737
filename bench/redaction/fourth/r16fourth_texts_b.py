# ruff: noqa: E501
"""Hand-written texts with personal data, part B: logs, code and configuration with
credentials, connection strings, commands (round 16, fourth set)."""

POSITIVES: list[tuple[str, list[str], str]] = [
    (
        "config",
        ["env", "secret"],
        """# .env for the shop backend — do not commit
DATABASE_URL=postgres://shop:[[K:Quokka7-Lantern]]@[[U:db1.kleinwaren.at]]:5432/shop
STRIPE_SECRET_KEY=[[K:sk_live_51Nf8QzK2vPq9WmRt6YhJ3LdXc0BsAe7UoIgVn4]]
ADMIN_EMAIL=[[E:florian.gruber@kleinwaren.at]]
SESSION_SECRET=[[K:b7c1f2e9a44d03e8f6a2b19c7d5e0f31]]""",
    ),
    (
        "config",
        ["yaml", "secret"],
        """smtp:
  host: [[U:mail.tuinvereniging-deheide.nl]]
  user: [[E:secretaris@tuinvereniging-deheide.nl]]
  password: "[[K:Boerenkool&Worst1987]]"
  from_name: [[P:Marijke Bosch]]""",
    ),
    (
        "config",
        ["json", "secret"],
        """{
  "owner": "[[P:Kwabena Asante]]",
  "contact": "[[E:kwabena@asantefarms.gh]]",
  "mpesa": {"consumer_key": "[[K:Gx8Qm2LpZr7TwY4vKc9NsE1H]]", "consumer_secret": "[[K:p0Lk3JhUy6TgRf2D]]"},
  "callback": "[[U:https://pay.asantefarms.gh/hooks/mpesa]]"
}""",
    ),
    (
        "config",
        ["toml", "secret"],
        """[database]
host = "[[U:pg.internal.villa-sole.it]]"
user = "gestionale"
password = "[[K:tramonto-su-Positano-9]]"

[maintainer]
name = "[[P:Salvatore Esposito]]"
email = "[[E:s.esposito@villa-sole.it]]\"""",
    ),
    (
        "config",
        ["ini", "secret"],
        """[mysql]
host=[[A:172.16.40.22]]
user=radio_admin
password=[[K:kupuna!Kaimuki88]]
; owner [[P:Keoni Kahananui]], call [[T:(808) 555-0143]]""",
    ),
    (
        "config",
        ["kubernetes", "secret"],
        """apiVersion: v1
kind: Secret
metadata:
  name: payroll-db
  annotations:
    owner: "[[E:m.haddad@payroll-levant.com]]"
type: Opaque
stringData:
  DB_PASSWORD: "[[K:Zaatar+Olive+2026]]"
  API_TOKEN: "[[K:plv_9b2Xk7QmTzR4wLc8NpYh3Vd6]]\"""",
    ),
    (
        "config",
        ["docker-compose", "secret"],
        """services:
  db:
    image: mariadb:11
    environment:
      MARIADB_ROOT_PASSWORD: [[K:pierogi4ever]]
      MARIADB_USER: [[P:zbyszek]]
      MARIADB_PASSWORD: [[K:Mazury_jezioro_77]]
  # ask [[P:Zbigniew Malinowski]] before changing""",
    ),
    (
        "config",
        ["terraform", "secret"],
        """provider "aws" {
  region     = "eu-west-1"
  access_key = "[[K:AKIAZ7QWERTY4HJKL2MN]]"
  secret_key = "[[K:w8Rz+Kq1mN0pL3xYv7Tb5HcJd9FgAe2Us6Wi4Oo]]"
}
# added by [[P:Niamh Gallagher]] for the [[O:Donegal Seafood Co-op]] account""",
    ),
    (
        "command",
        ["curl", "secret"],
        """curl -u [[P:ahmed.rashid]]:[[K:Nile2Cairo!!]] [[U:https://nas.rashid-family.net:5001/webapi/auth.cgi]]
curl -H "Authorization: Bearer [[K:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhaG1lZCJ9.q8Zk1vXw2TyR5LmN0pQe3JcA7sBfD9GhKu4WiO6Yt1E]]" [[U:https://api.rashid-family.net/v1/photos]]""",
    ),
    (
        "code",
        ["sql", "secret"],
        """-- migration 0042, [[P:Kalinda Roberts]]
CREATE USER reporting WITH PASSWORD '[[K:Uluru@sunset#5]]';
INSERT INTO customers (first_name, last_name, email, phone) VALUES ('[[P:Mere]]', '[[P:Tāwhiri]]', '[[E:mere.tawhiri@xtra.co.nz]]', '[[T:+64 21 455 0973]]');""",
    ),
    (
        "code",
        ["connection-string", "secret"],
        """Server=[[U:sql-prod-02.bankhaus-mueller.de]];Database=Kredit;User Id=svc_kredit;Password=[[K:Lebkuchen#Nbg2026]];
# contact [[P:Matthias Müller]] <[[E:m.mueller@bankhaus-mueller.de]]>""",
    ),
    (
        "code",
        ["mongodb", "secret"],
        """const uri = "mongodb+srv://tutor_app:[[K:kaiako-Whanau-31]]@[[U:cluster0.ab12c.mongodb.net]]/lessons";
// TODO([[P:aroha]]): move to vault before [[P:Aroha Ngata]] leaves""",
    ),
    (
        "code",
        ["python", "secret"],
        """# sync_attendance.py — [[P:Siddharth Iyer]], [[O:Kendriya Vidyalaya No. 2]]
SMTP_PASSWORD = "[[K:chai&samosa@4pm]]"
TEACHER = "[[P:Lakshmi Narayanan]]"
REPORT_TO = "[[E:principal.kv2@kvs.gov.in]]\"""",
    ),
    (
        "code",
        ["javascript", "secret"],
        """// firebase config for [[P:Chloé Marchand]]'s bakery app
const firebaseConfig = {
  apiKey: "[[K:AIzaSyD3mQ7rT9vK2pLx8WcN5hY1bJ6fG0eRsUo]]",
  authDomain: "[[U:boulangerie-marchand.firebaseapp.com]]",
};""",
    ),
    (
        "code",
        ["git", "log"],
        """commit 4be91c0d7f
Author: [[P:Oluwaseun Adeyinka]] <[[E:seun@adeyinka.dev]]>
Date:   Sat Dec 5 22:41:07 2026 +0100

    fix: remove [[P:seun]]'s personal token ([[K:ghp_R7kXw2Qz9TmLp4Vb8NcY1Hd6Js3Fa0Eg5Ui2]])""",
    ),
    (
        "code",
        ["netrc", "secret"],
        """machine [[U:ftp.fotostudio-lange.de]]
  login [[P:birgit.lange]]
  password [[K:Blende8Zeit125]]""",
    ),
    (
        "code",
        ["pgpass", "secret"],
        """[[U:db.eskola-txingudi.eus]]:5432:ikasleak:irakaslea:[[K:Bidasoa_ibaia_2019]]
# [[P:Amaia Zubiri]] kudeatzen du""",
    ),
    (
        "command",
        ["cli-flags", "secret"],
        """$ mysql -h [[A:10.8.0.14]] -u [[P:tvo]] -p[[K:Kaffee2Kuchen]] clubdb
$ sshpass -p '[[K:Wanderweg#77]]' ssh [[P:tvo]]@[[U:verein-server.tv-ober.de]]
# ([[P:tvo]] = [[P:Thomas von Oppen]])""",
    ),
    (
        "log",
        ["nginx", "ip"],
        """[[A:88.152.14.203]] - [[P:jsmolarek]] [05/Dec/2026:11:02:13 +0100] "GET /portal/zeugnis.pdf HTTP/1.1" 200 48211 "-" "Mozilla/5.0"
[[A:2a02:8108:1c40:5e00:9d1:4f2a:77b3:1a0c]] - - [05/Dec/2026:11:02:19 +0100] "POST /login HTTP/1.1" 302 0""",
    ),
    (
        "log",
        ["app", "email"],
        """2026-12-05T08:15:44Z INFO  auth: login ok user=[[E:harriet.oyelowo@cityhall-bristol.gov.uk]] ip=[[A:81.2.69.160]]
2026-12-05T08:15:45Z WARN  auth: password reuse detected for [[P:Harriet Oyelowo]]""",
    ),
    (
        "log",
        ["dhcp", "mac"],
        """Dec  5 07:58:01 gw dhcpd: DHCPACK on [[A:192.168.7.41]] to [[M:a4:83:e7:2c:19:b0]] ([[P:tamar]]-iphone) via eth1
Dec  5 07:58:40 gw dhcpd: DHCPACK on [[A:192.168.7.42]] to [[M:f0:18:98:6a:d3:05]] ([[P:oskar]]-ps5) via eth1""",
    ),
    (
        "log",
        ["json-log", "phone"],
        """{"ts":"2026-12-04T19:22:10Z","level":"info","event":"sms_sent","to":"[[T:+61 412 903 551]]","name":"[[P:Bindi Ranganathan]]","template":"appointment_reminder"}
{"ts":"2026-12-04T19:22:11Z","level":"error","event":"sms_failed","to":"[[T:+61 430 118 274]]","name":"[[P:Jarrah Williams]]"}""",
    ),
    (
        "log",
        ["http-dump", "cookie"],
        """POST /api/orders HTTP/1.1
Host: [[U:shop.keramik-anders.se]]
Cookie: sessionid=[[K:7f3kq92mzx0pl8rt5vwy1bnc]]
X-Api-Key: [[K:ka_live_Qm8Rz2Xw7Tp4Lc9Vn1]]

{"name":"[[P:Linnea Andersson]]","street":"[[L:Storgatan 12, 582 23 Linköping]]"}""",
    ),
    (
        "log",
        ["syslog", "ssh"],
        """Dec  6 02:11:43 bastion sshd[2211]: Accepted publickey for [[P:mbarros]] from [[A:177.66.21.140]] port 50122
Dec  6 02:11:43 bastion sshd[2211]: pam_unix(sshd:session): session opened for user [[P:mbarros]]""",
    ),
    (
        "log",
        ["stack-trace", "pii"],
        """Traceback (most recent call last):
  File "/srv/clinic/notify.py", line 41, in send
    raise DeliveryError(f"bounce for {addr}")
DeliveryError: bounce for [[E:yohannes.tesfaye@ethionet.et]] (patient [[P:Yohannes Tesfaye]])""",
    ),
    (
        "log",
        ["audit", "iban"],
        """audit 2026-12-03 14:00 user=[[P:cnakashima]] action=update_payee old=[[I:GB??NWBK60161337740215]] new=[[I:GB??BUKB20201588310427]] ip=[[A:51.148.77.3]]""",
    ),
    (
        "log",
        ["payment", "card"],
        """ERROR payment-gw: declined card=[[C:3714 496353 9843?]] holder="[[P:ROSALIND ACHTERBERG]]" reason=insufficient_funds""",
    ),
    (
        "config",
        ["github-actions", "secret"],
        """env:
  SLACK_WEBHOOK: [[U:https://hooks.slack.com/services/T04R9QZ/B07LM2K/Xq8Vz1Tk4Lw9Rp2Nc7Yh]]
  DEPLOY_KEY: [[K:dpl_k8Mz2Qx7Rw4Tp1Vc9Lb3N]]
# maintained by @[[P:hkivela]]""",
    ),
    (
        "config",
        ["npmrc", "secret"],
        """//[[U:registry.npmjs.org]]/:_authToken=[[K:npm_Gh7Qw2Zx9Lk4Tp8Rv1Nc3Ym6Bd5Fs0Ea7Hu]]
email=[[E:ines.alvarez.dev@proton.me]]""",
    ),
    (
        "config",
        ["docker-config", "secret"],
        """{"auths": {"[[U:registry.lumen-studio.pt]]": {"auth": "[[K:cm9kcmlnbzpNYXJlc2lhMjAyNiE=]]", "email": "[[E:rodrigo@lumen-studio.pt]]"}}}""",
    ),
    (
        "config",
        ["spring", "secret"],
        """spring.datasource.url=jdbc:postgresql://[[U:pg.hospital-sao-joao.pt]]:5432/urgencia
spring.datasource.username=urg_app
spring.datasource.password=[[K:Bacalhau!Porto1926]]
app.oncall=Dra. [[P:Filipa Meireles]]""",
    ),
    (
        "config",
        ["ansible", "secret"],
        """all:
  vars:
    ansible_user: [[P:kemal]]
    ansible_become_pass: "[[K:simit-ve-cay-42]]"
  hosts:
    [[P:kemal]]-nas:
      ansible_host: [[A:31.145.9.88]]""",
    ),
    (
        "config",
        ["php", "secret"],
        """<?php
// wp-config for [[P:Hannelore Brecht]]'s knitting blog
define('DB_PASSWORD', '[[K:Strickliesel_09]]');
define('AUTH_KEY', '[[K:q!7Z@k2^Lm#8Rv$1Tx&4Wn*6Yb(3Hc)9Pd]]');""",
    ),
    (
        "config",
        ["redis", "secret"],
        """REDIS_URL=redis://:[[K:Wombat-on-a-Tram-3]]@[[U:cache.melb-bikeshare.com.au]]:6379/0
# ping [[P:Tilly]] if this breaks""",
    ),
    (
        "config",
        ["azure", "secret"],
        """DefaultEndpointsProtocol=https;AccountName=fotosmariachi;AccountKey=[[K:Tz8q2Vm7Xk4LpR9wN1cY3hB6dJ0fGsAeUiOo5Ek2Wq8Zr1Tm4Lp7Xv9Nc3Yb6Hd0Jf==]];EndpointSuffix=[[U:core.windows.net]]
# cuenta de [[P:Lupita Hernández]]""",
    ),
    (
        "config",
        ["amqp", "secret"],
        """BROKER_URL=amqp://ordering:[[K:Injera-and-Tibs-7]]@[[U:mq.addis-deli.com]]:5672/
OWNER=[[P:Selamawit Bekele]]""",
    ),
    (
        "code",
        ["pem", "secret"],
        """# key of [[P:Teodor Ionescu]] for the backup box
-----BEGIN OPENSSH PRIVATE KEY-----
[[K:b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBm]]
-----END OPENSSH PRIVATE KEY-----""",
    ),
    (
        "code",
        ["csharp", "secret"],
        """var client = new SmtpClient("[[U:smtp.hotel-alpenblick.ch]]") {
    Credentials = new NetworkCredential("[[E:rezeption@hotel-alpenblick.ch]]", "[[K:Matterhorn4478m]]")
}; // [[P:Urs Zgraggen]]""",
    ),
    (
        "code",
        ["go", "secret"],
        """// TODO([[P:ngozi]]): rotate
const twilioAuthToken = "[[K:9f2c7a1e4b8d3f6a0c5e2b7d9a1f4c8e]]"
const supportPhone = "[[T:+234 1 277 4410]]\"""",
    ),
    (
        "code",
        ["csv", "table"],
        """id,first_name,last_name,email,phone,city
1,[[P:Aigerim]],[[P:Nurlanovna]],[[E:aigerim.n@mail.kz]],[[T:+7 701 448 2190]],[[L:Almaty]]
2,[[P:Bolat]],[[P:Seitkali]],[[E:bseitkali@gmail.com]],[[T:+7 777 310 5524]],[[L:Shymkent]]
3,[[P:Dana]],[[P:Omarova]],[[E:d.omarova@nu.edu.kz]],[[T:+7 702 901 6637]],[[L:Astana]]""",
    ),
    (
        "code",
        ["markdown", "table"],
        """| name | role | phone |
| --- | --- | --- |
| [[P:Tui Faleolo]] | captain | [[T:+685 72 41109]] |
| [[P:Sione Havili]] | coach | [[T:+676 771 2380]] |
| [[P:Losa]] | physio | ask [[P:Sione]] |""",
    ),
    (
        "code",
        ["tsv", "table"],
        """Nachname\tVorname\tIBAN
[[P:Özdemir]]\t[[P:Selin]]\t[[I:DE?? 5001 0517 5407 8861 20]]
[[P:Kowalski]]\t[[P:Jan]]\t[[I:DE?? 2004 1111 0588 7702 14]]""",
    ),
    (
        "code",
        ["html", "table"],
        """<tr><td>[[P:Élodie Rasoanaivo]]</td><td>[[E:elodie.raso@moov.mg]]</td><td>[[L:Antananarivo]]</td></tr>
<tr><td>[[P:Hery Andriamanana]]</td><td>[[E:hery.a@telma.mg]]</td><td>[[L:Toamasina]]</td></tr>""",
    ),
    (
        "log",
        ["vpn", "ip"],
        """openvpn[881]: [[P:farida.a]]/[[A:197.14.55.201]]:41822 MULTI_sva: pool returned IPv4=[[A:10.9.0.6]]
openvpn[881]: [[P:farida.a]]/[[A:197.14.55.201]]:41822 SENT CONTROL: AUTH_FAILED (password was [[K:Sahara!2026]])""",
    ),
    (
        "log",
        ["mail-log", "email"],
        """postfix/smtp[1442]: 4F2A91C: to=<[[E:gunnhildur@heimili.is]]>, relay=[[U:mx.heimili.is]][[[A:185.112.144.9]]]:25, status=sent""",
    ),
    (
        "log",
        ["wifi", "mac"],
        """hostapd: wlan0: STA [[M:b8:27:eb:4d:92:1f]] IEEE 802.11: associated (aid 3)
hostapd: wlan0: STA [[M:b8:27:eb:4d:92:1f]] RADIUS: user [[P:xavier.mbala]] authenticated""",
    ),
    (
        "command",
        ["aws-cli", "secret"],
        """[default]
aws_access_key_id = [[K:AKIAW4ZQ8RT2LMNX7VBC]]
aws_secret_access_key = [[K:Qm4Rz8Tw1Xk7Lp2Vn9Cb3Yh6Jd0FgSeAuIoE5Wr]]
# [[P:Jonah Whitehorse]]'s laptop""",
    ),
    (
        "command",
        ["git-credentials", "secret"],
        """https://[[P:pkaur]]:[[K:ghp_M3kZ9Qx2Lw7Tr4Vp1Nc8Yb6Hd0Js5Fa2Eg7U]]@[[U:github.com]]""",
    ),
    (
        "command",
        ["psql", "secret"],
        """PGPASSWORD='[[K:Saguaro-Cactus-88]]' psql -h [[U:db.tucson-library.org]] -U [[P:reyes_m]] circulation
# account of [[P:Marisol Reyes]]""",
    ),
]
