# ruff: noqa: E501
"""Hand-written texts of the third check set (round 16): code and configuration with
credentials and people (.env, YAML, JSON, TOML, INI, Kubernetes, docker-compose,
Terraform, curl, SQL, connection strings, source code, shell history). Each entry is
(kind, hard-case tags, marked text[, listed values]); marks in build_third.py. Only the
secret value is labelled, never its key name or quotes; host names are URLs."""

TEXTS = [
    (
        "config",
        "env",
        """# .env for the billing worker
APP_ENV=production
DATABASE_URL=postgres://billing:[[K:Tq8!vRw2#kLp]]@[[U:pg-billing.ashvale.net:5432]]/billing
REDIS_PASSWORD=[[K:moonlit-carousel-447]]
SENDGRID_API_KEY=[[K:SG.x7Kq2LmPvR9sTz4N.bW3yH8cJ5fD1gA6eQ0uI2oK7pL9mN4rS8tV1xZ3yB5c]]
ADMIN_EMAIL=[[E:natasha.ivanova@ashvale.net]]
LOG_LEVEL=info""",
    ),
    (
        "config",
        "yaml",
        """# config/production.yml
database:
  host: [[U:mysql-eu1.copperleaf.io]]
  port: 3306
  username: shop
  password: "[[K:Wintergreen&Juniper#19]]"
smtp:
  user: [[E:noreply@copperleaf.io]]
  password: [[K:mz4QpX9vT2rLw8Ke]]
maintainer: [[P:Lorenzo Abbate]] <[[E:lorenzo.abbate@copperleaf.io]]>""",
    ),
    (
        "config",
        "json",
        """{
  "service": "geo-sync",
  "owner": "[[P:Adaeze Okonkwo]]",
  "aws": {
    "accessKeyId": "[[K:AKIAZ4R7QWXM2PL9HT3B]]",
    "secretAccessKey": "[[K:q8Vb2rT5yNm1Kd7Lz3Xc9Wf4Hg6Js0Pa2Ue8RiOt]]"
  },
  "alertEmail": "[[E:geo-alerts@tessellate-maps.com]]"
}""",
    ),
    (
        "config",
        "toml",
        """[server]
bind = "0.0.0.0:8080"

[database]
url = "mysql://svc_ledger:[[K:p4ss-W0rd-Ledger-77]]@[[A:172.31.9.44]]:3306/ledger"

[auth]
jwt_secret = "[[K:f3a9c2e87b1d4f60a5e2c9b873d1f04a]]"

[[maintainers]]
name = "[[P:Ewa Kaczmarczyk]]"
email = "[[E:ewa.k@ledgerbird.pl]]\"""",
    ),
    (
        "config",
        "ini",
        """; odbc.ini
[ReportingDB]
Driver=ODBC Driver 18 for SQL Server
Server=[[U:sql-reporting.fenwick-group.local]]
UID=report_reader
PWD=[[K:Rpt#2026!Fenwick]]

[mail]
smtp_host=[[U:smtp.fenwick-group.co.uk]]
smtp_user=[[E:reports@fenwick-group.co.uk]]
smtp_pass=[[K:hollyhock7Maple]]""",
    ),
    (
        "config",
        "kubernetes",
        """apiVersion: v1
kind: Secret
metadata:
  name: payments-api
  annotations:
    owner: [[E:kwame.boateng@paystream.africa]]
type: Opaque
stringData:
  DB_PASSWORD: "[[K:Adinkra-Gye-Nyame-55]]"
  MOMO_API_KEY: "[[K:mk_live_7Tq2Vx9LpR4sZ8nB1cW6]]\"""",
    ),
    (
        "config",
        "docker-compose",
        """services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: wiki
      POSTGRES_PASSWORD: [[K:lighthouse-keeper-8]]
  wiki:
    image: requarks/wiki:2
    environment:
      DB_HOST: db
      DB_PASS: [[K:lighthouse-keeper-8]]
      ADMIN_EMAIL: [[E:joon-ho.bae@seabird-wiki.kr]]""",
    ),
    (
        "config",
        "terraform",
        """provider "azurerm" {
  features {}
  subscription_id = "3f2b8c14-7a9e-4d61-b0c5-92e8f1a7d340"
  client_secret   = "[[K:Qx~8Q~vN2pLr.Tz7Kb4mWc9Hd_Fy3Js6Ga1Ue5]]"
}

resource "azurerm_postgresql_flexible_server" "main" {
  administrator_login    = "pgadmin"
  administrator_password = "[[K:Bramble!Fox!2031]]"
  tags = { owner = "[[P:Siddharth Iyer]]" }
}""",
    ),
    (
        "code",
        "curl",
        """curl -X POST [[U:https://api.parcelwright.com/v2/labels]] \\
  -H "Authorization: Bearer [[K:pw_live_9aF3kQ7mX2vR8tL4nB6cZ1yH5]]" \\
  -H "Content-Type: application/json" \\
  -d '{"to": {"name": "[[P:Ignatius Mbeki-Ross]]", "street": "[[L:88 Harbour Road]]", "city": "[[L:Durban]]", "phone": "[[T:+27 31 207 4418]]"}}'""",
    ),
    (
        "code",
        "sql",
        """-- seed the support users (dev only!)
INSERT INTO agents (full_name, email, phone) VALUES
  ('[[P:Oyelaran, Titilayo]]', '[[E:titi.oyelaran@helpdeck.ng]]', '[[T:+234 803 441 2290]]'),
  ('[[P:Søren Kierulf]]', '[[E:soren.k@helpdeck.ng]]', NULL);
CREATE USER support_ro WITH PASSWORD '[[K:ro_7Hq!m2Zp]]';""",
    ),
    (
        "config",
        "connection-string",
        """Server=tcp:[[U:contoso-crm.database.windows.net]],1433;Initial Catalog=crm;Persist Security Info=False;User ID=crmapp;Password=[[K:Mag!c-Carpet-2029]];Encrypt=True;""",
    ),
    (
        "config",
        "connection-string mongo",
        """MONGO_URI="mongodb+srv://analytics:[[K:sundial42Quartz]]@[[U:cluster7.tq3xk.mongodb.net]]/events?retryWrites=true\"""",
    ),
    (
        "code",
        "python",
        """# scripts/send_report.py  (author: [[P:Beatriz Caldeira]])
import smtplib

s = smtplib.SMTP("[[U:mail.oliveira-textil.pt]]", 587)
s.starttls()
s.login("[[E:relatorios@oliveira-textil.pt]]", "[[K:Tear0liv#2026]]")
s.sendmail("[[E:relatorios@oliveira-textil.pt]]", ["[[E:beatriz.caldeira@oliveira-textil.pt]]"], body)""",
    ),
    (
        "code",
        "javascript",
        """// TODO([[P:hamza]]): move to vault before launch
const stripe = require('stripe')('[[K:sk_live_51NxQ2kHq7Lm9Rt3Vb8Zc4Pd6]]');
const slackHook = '[[U:https://hooks.slack.com/services/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]]';
module.exports = { stripe, slackHook };""",
    ),
    (
        "code",
        "shell-history",
        """  501  ssh deploy@[[A:145.239.88.17]]
  502  mysql -u root -p[[K:Tangerine#Dream81]] -h [[U:db1.marlowe-games.com]]
  503  export GITHUB_TOKEN=[[K:ghp_R7kQ2mV9xL4tZ8nB3cW6pH1yD5fJ0sA2uE9o]]
  504  git push origin main""",
    ),
    (
        "config",
        "gitconfig",
        """[user]
	name = [[P:Wiremu Tāwhiri]]
	email = [[E:wiremu.tawhiri@kowhai-labs.nz]]
[credential "https://git.kowhai-labs.nz"]
	helper = store
[url "https://wiremu:[[K:glpat-Zx8Qm2Kv7Rt4Lp9Nb3Hc]]@git.kowhai-labs.nz/"]
	insteadOf = https://git.kowhai-labs.nz/""",
        {
            "U": [
                "https://git.kowhai-labs.nz",
                "git.kowhai-labs.nz/",
                "https://git.kowhai-labs.nz/",
            ],
            "P": ["wiremu"],
        },
    ),
    (
        "config",
        "npmrc",
        """registry=[[U:https://npm.hollowpine.dev/]]
//[[U:npm.hollowpine.dev]]/:_authToken=[[K:npm_k8Qz2Lm7Xv4Rt9Pb3Nc6Hw1Yd5Fs0Ja2Ue8]]
email=[[E:aroha.ngata@hollowpine.dev]]""",
    ),
    (
        "config",
        "netrc",
        """machine [[U:ftp.brightmoor-archive.org]]
  login [[P:gwendolyn.ashby]]
  password [[K:Quill&Parchment1887]]""",
    ),
    (
        "config",
        "pgpass",
        """[[U:analytics-db.finchley-retail.com]]:5432:warehouse:etl_user:[[K:c0bblest0ne-lane]]
[[A:10.12.4.21]]:5432:*:replicator:[[K:Rep!ica-Tide-03]]""",
    ),
    (
        "config",
        "github-actions",
        """# .github/workflows/deploy.yml  (oops, committed by [[P:Nkechi]])
env:
  HEROKU_API_KEY: [[K:8f4c2a91-7e3b-4d5a-b6c8-1f9e2d7a3b50]]
  NOTIFY: [[E:nkechi.obi@fernbrook.app]]
steps:
  - run: ./deploy.sh""",
    ),
    (
        "config",
        "spring-properties",
        """spring.datasource.url=jdbc:postgresql://[[U:pg.hallberg-logistik.se:5432]]/tms
spring.datasource.username=tms
spring.datasource.password=[[K:Midsommar-Stang-24]]
spring.mail.username=[[E:driftlarm@hallberg-logistik.se]]
app.support.contact=[[P:Elin Hallberg]]""",
    ),
    (
        "code",
        "php",
        """<?php
// wp-config.php, site of [[P:Marguerite Fontaine-Roy]]
define('DB_NAME', 'mf_blog');
define('DB_USER', 'mf_blog');
define('DB_PASSWORD', '[[K:Crepe-Suzette-404]]');
define('DB_HOST', '[[U:mysql.fontaine-roy.ca]]');
define('AUTH_KEY', '[[K:r$7Kq!2mZ@v9Lx#4Tp&8Nb]]');""",
    ),
    (
        "config",
        "ansible",
        """all:
  hosts:
    web1:
      ansible_host: [[A:203.161.44.90]]
      ansible_user: [[P:tuomas]]
      ansible_become_password: [[K:Sauna-Lakeside-66]]""",
    ),
    (
        "log",
        "app log email ip",
        """2026-12-07T09:14:22.118Z INFO  auth  login ok user=[[E:chidinma.eze@lagoonbank.ng]] ip=[[A:102.89.33.147]]
2026-12-07T09:14:25.402Z WARN  auth  2fa retry user=[[E:chidinma.eze@lagoonbank.ng]] ip=[[A:102.89.33.147]]
2026-12-07T09:15:01.777Z INFO  profile updated phone=[[T:+234 809 552 0164]] by=[[E:chidinma.eze@lagoonbank.ng]]""",
    ),
    (
        "log",
        "access log",
        """[[A:88.217.140.3]] - [[P:jkowalski]] [07/Dec/2026:10:02:11 +0100] "GET /admin/reports HTTP/1.1" 200 5120 "-" "Mozilla/5.0"
[[A:2a02:8109:9a40:11c0:5d2e:8f31:aa07:4c19]] - - [07/Dec/2026:10:02:14 +0100] "POST /login HTTP/1.1" 302 0 "-" "curl/8.4.0\"""",
    ),
    (
        "log",
        "dhcp mac",
        """Dec  7 08:01:13 gw dnsmasq-dhcp[812]: DHCPACK(br0) 192.168.1.34 [[M:b8:27:eb:4f:1a:9c]] [[P:hannah]]s-iphone
Dec  7 08:03:40 gw dnsmasq-dhcp[812]: DHCPACK(br0) 192.168.1.41 [[M:f0:18:98:2d:77:e1]] [[P:toby]]s-laptop""",
        {"A": ["192.168.1.34", "192.168.1.41"]},
    ),
    (
        "log",
        "json log",
        """{"ts":"2026-12-07T11:20:04Z","level":"error","msg":"payment declined","customer":{"name":"[[P:Thandiwe Mokoena]]","email":"[[E:thandi.mokoena@webmail.co.za]]"},"card_last4":"0019","ip":"[[A:41.13.220.56]]"}""",
    ),
    (
        "log",
        "http dump cookie",
        """GET /api/v1/me HTTP/1.1
Host: [[U:app.quayside-tickets.ie]]
Cookie: sessionid=[[K:8kq2mzv7rtl4pnb3hcw9yd5fsj0aue1x]]; theme=dark
X-Api-Key: [[K:qt_9Zx2Lm7Kv4Rp8Tn3Bc6Hw]]
User-Agent: QuaysideApp/3.2 (iPhone; [[P:Niamh]]'s device)""",
    ),
    (
        "log",
        "mail server log",
        """Dec  7 12:44:09 mx1 postfix/smtp[22817]: 4F1C2A0D33: to=<[[E:o.adebayo@hartwell-legal.co.uk]]>, relay=[[U:mx.hartwell-legal.co.uk]][[[A:51.140.211.8]]]:25, status=sent (250 2.0.0 OK)""",
    ),
    (
        "log",
        "error log user",
        """Traceback (most recent call last):
  File "/srv/app/export.py", line 88, in run
    send(user)
ValueError: invalid address for user id=4471 name='[[P:Guðrún Sigurðardóttir]]' email='[[E:gudrun@sigurdardottir]]'""",
    ),
    (
        "code",
        "python test",
        """def test_invoice_name():
    customer = Customer(name="[[P:Ebenezer Quarshie]]", iban="[[I:NL?? INGB 0007 3129 45]]")
    assert render(customer).startswith("Dear Mr [[P:Quarshie]]")""",
    ),
    (
        "code",
        "go",
        """// Package notify sends SMS; maintainer: [[P:Parisa Hosseini]] <[[E:parisa@kavir-sms.ir]]>
const twilioToken = "[[K:9f8e7d6c5b4a39281706f5e4d3c2b1a0]]"
""",
    ),
    (
        "config",
        "ssh config",
        """Host bastion
    HostName [[A:18.132.77.205]]
    User [[P:ravi.menon]]
    IdentityFile ~/.ssh/id_ed25519
Host db
    HostName [[U:db-internal.saffron-pay.in]]
    ProxyJump bastion""",
    ),
    (
        "config",
        "wireguard",
        """[Interface]
PrivateKey = [[K:yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=]]
Address = [[A:10.8.0.7]]/24

[Peer]
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
Endpoint = [[A:94.130.18.72]]:51820""",
    ),
    (
        "config",
        "pem",
        """# key for the build agent, owner [[P:Kaito Yamazaki]]
-----BEGIN OPENSSH PRIVATE KEY-----
[[K:b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBq7Xk2Vf9Lm3Qa8Rz4Tb6Nc1Hw5Yd0Ps7Ue2Jg9KxoAAAAJj1x8Kz9cfC]]
-----END OPENSSH PRIVATE KEY-----""",
    ),
    (
        "code",
        "csharp",
        """// Contact: [[P:Zsófia Takács]], ext. [[T:4417]]
var creds = new NetworkCredential("svc_print", "[[K:Balaton-Nyar-2026]]");
var client = new SmtpClient("[[U:smtp.tisza-print.hu]]") { Credentials = creds };""",
    ),
    (
        "code",
        "rust",
        """// hard-coded for the demo; ask [[P:Ikaika Kahananui]] for the real one
const OPENAI_KEY: &str = "[[K:sk-proj-Hq7Lm2Xv9Rt4Zb8Nc3Kw6Pd1Yf5Js0Ga2Ue8Io4]]";""",
    ),
    (
        "code",
        "sql lowercase",
        """update customers set email = '[[E:r.oyelowo@quickmail.ng]]', phone = '[[T:0803 221 7740]]'
 where last_name = '[[P:Oyelowo]]' and first_name = '[[P:Remilekun]]';""",
    ),
    (
        "config",
        "kubernetes configmap",
        """apiVersion: v1
kind: ConfigMap
data:
  SUPPORT_CONTACT: "[[P:Ana Lúcia Brandão]]"
  SUPPORT_PHONE: "[[T:+55 11 3071-4482]]"
  UPSTREAM: "[[U:https://erp.brandao-moveis.com.br/api]]\"""",
    ),
    (
        "config",
        "htpasswd-command",
        """# give the auditor access
htpasswd -b /etc/nginx/.htpasswd [[P:mhoward]] [[K:Audit-Season-Q4]]
sshpass -p '[[K:r00tBeer_Float]]' ssh admin@[[A:159.69.42.118]]""",
    ),
    (
        "config",
        "env mixed",
        """NEXT_PUBLIC_SITE=[[U:https://kahlo-galeria.mx]]
CONTACT_NAME="[[P:Ximena Ortiz Kahlo]]"
CONTACT_PHONE=[[T:+52 33 1845 9027]]
MAPBOX_TOKEN=[[K:pk.eyJ1Ijoia2FobG8iLCJhIjoiY2x4OXE3In0.Qz8Lm2Xv9Rt4Zb8Nc3Kw6P]]""",
    ),
    (
        "code",
        "jupyter",
        """In [3]: df = load("customers.csv")
In [4]: df[df.email == "[[E:lindiwe.zulu@amanzi-water.co.za]]"]
Out[4]:
     name              phone          city
17   [[P:Lindiwe Zulu]]     [[T:082 447 1930]]   [[L:Pietermaritzburg]]""",
    ),
    (
        "code",
        "yaml ci",
        """deploy:
  script:
    - echo "deploying as $CI_USER"
    - sshpass -p "[[K:Saguaro_Dusk_19]]" rsync -a dist/ [[P:isabel]]@[[A:67.205.161.34]]:/var/www
  only: [main]""",
    ),
    (
        "config",
        "redis conf",
        """# /etc/redis/redis.conf  (edited by [[P:Obinna]] 2026-11-30)
bind [[A:10.0.14.5]]
requirepass [[K:kolanut-harmattan-73]]
masterauth [[K:kolanut-harmattan-73]]""",
    ),
    (
        "config",
        "slack bot",
        """SLACK_BOT_TOKEN=[[K:xoxb-2197440187-6612390547321-Kq7Lm2Xv9Rt4Zb8Nc3Kw6Pd1]]
SLACK_SIGNING_SECRET=[[K:8c2f9a7e4b1d6c3f0a5e8b2d7c4f1a9e]]
ONCALL_USER=@[[P:hyejin.choi]]""",
    ),
    (
        "code",
        "dockerfile",
        """FROM python:3.12-slim
LABEL maintainer="[[P:Bongani Khumalo]] <[[E:bongani@ubuntu-stack.co.za]]>"
ENV PIP_INDEX_URL=https://pypi:[[K:Idwala-Stone-12]]@[[U:pypi.ubuntu-stack.co.za]]/simple
COPY . /app""",
    ),
    (
        "config",
        "vpn credentials",
        """# /etc/openvpn/client/auth.txt
[[P:lucia.ferraro]]
[[K:Gelato-Pistacchio-88]]""",
    ),
    (
        "code",
        "powershell",
        """$pw = ConvertTo-SecureString "[[K:Fjell&Fjord2026]]" -AsPlainText -Force
$cred = New-Object PSCredential("CORP\\[[P:astrid.nygaard]]", $pw)
Invoke-Command -ComputerName [[U:fs01.nygaard-corp.no]] -Credential $cred -ScriptBlock { hostname }""",
    ),
    (
        "config",
        "json users",
        """[
  {"id": 1, "name": "[[P:Hoang Van Minh]]", "email": "[[E:minh.hoang@saigonsoft.vn]]", "role": "admin"},
  {"id": 2, "name": "[[P:Pham Thu Ha]]", "email": "[[E:ha.pham@saigonsoft.vn]]", "role": "editor"}
]""",
    ),
    (
        "config",
        "azure storage",
        """AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=kestrelmedia;AccountKey=[[K:Zq8Lm2Xv9Rt4Zb8Nc3Kw6Pd1Yf5Js0Ga2Ue8Io4Hq7Lm2Xv9Rt4Zb8Nc3Kw6Pd1Yf5Js0Ga2Ue8Io4Tw==]];EndpointSuffix=core.windows.net""",
    ),
    (
        "code",
        "git log",
        """commit 4e1b9a7c2f8d3e6a0b5c9d2e7f1a4b8c3d6e9f02
Author: [[P:Oskar Wieczorek]] <[[E:oskar.wieczorek@vistula-dev.pl]]>
Date:   Mon Dec 7 16:20:11 2026 +0100

    Fix CSV export (reported by [[P:Zuzanna]])

    Co-authored-by: [[P:Chiara Lombardi]] <[[E:chiara.lombardi@vistula-dev.pl]]>""",
    ),
    (
        "config",
        "mqtt",
        """mosquitto_passwd -b /etc/mosquitto/passwd sensor_hub [[K:Cumulus-Nimbus-5]]
mosquitto_sub -h [[U:mqtt.greenhouse-aroha.nz]] -u sensor_hub -P [[K:Cumulus-Nimbus-5]] -t 'beds/#'""",
    ),
]
