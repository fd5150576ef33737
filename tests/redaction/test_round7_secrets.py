"""Round 7 of issue 21: secrets in more configuration syntaxes and command lines, and
e-mail addresses written against harvesters. Each positive names the value that must
not stay in clear; each near miss names text that must stay as it was."""

from __future__ import annotations

import pytest

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import EMAIL, PERSON, PHONE, SECRET
from spark_control_redaction.mapping import Mapping
from tests.redaction.detecting import ALL, leaked


def spans_of(text: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect_sync(text, [], Mapping(), Lists(), ALL)]


SECRETS = [
    # Java .properties: white space as the separator, and a value continued after "\"
    ("db.host localhost\ndb.password hunter2horse\n", "hunter2horse"),
    ("mail.smtp.password=firstpart\\\n    secondpart\n", "secondpart"),
    # PHP: define() and an array element assigned through its key
    ("define('DB_PASSWORD', 'plainword');", "plainword"),
    ('define( "AUTH_KEY", "plain phrase here" );', "plain phrase here"),
    ("$config['db_password'] = 'plainword';", "plainword"),
    # Terraform / HCL: a variable's default
    ('variable "db_password" {\n  type    = string\n  default = "plainword"\n}', "plainword"),
    # XML attributes: .NET appSettings, Spring/Ant properties
    ('<add key="DbPassword" value="plainword" />', "plainword"),
    ("<property name='smtp.password' value='plainword'/>", "plainword"),
    # a secret's name in a URL's query
    ("jdbc:mysql://db:3306/shop?user=app&password=plainword", "plainword"),
    ("https://api.example.com/v1/items?api_key=plainword&page=2", "plainword"),
    # clients' own environment variables
    ("PGPASSWORD=plainword psql -h db -U app", "plainword"),
    ("MYSQL_PWD=plainword mysql -u root", "plainword"),
    ("SSHPASS=plainword sshpass -e ssh host", "plainword"),
    # command lines whose short flag takes a password
    ("sqlcmd -S db -U sa -P plainword -Q 'select 1'", "plainword"),
    ("ldapsearch -x -D cn=admin,dc=example,dc=org -w plainword -b dc=example", "plainword"),
    ("ssh-keygen -t ed25519 -N plainword -f key", "plainword"),
    ("openssl enc -aes256 -k plainword -in a -out b", "plainword"),
    ("zip -P plainword out.zip a.txt", "plainword"),
    ("7z a -pplainword out.7z dir", "plainword"),
    ("az login -u bob@example.com -p plainword", "plainword"),
    ("keytool -importcert -storepass plainword -file c.pem", "plainword"),
    ("htpasswd -cb .htpasswd alice plainword", "plainword"),
    ("smbclient //srv/share -U alice%plainword", "plainword"),
]


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_secret_in_config_syntax_is_redacted(text: str, value: str) -> None:
    assert leaked(text, value) == []


NOT_SECRETS = [
    # settings about a secret, look-alikes of the syntaxes above
    ("db.password.min.length 12\nlog.level DEBUG\n", ["12", "DEBUG"]),
    ("define('WP_DEBUG', true);\ndefine('DB_NAME', 'wordpress');", ["wordpress"]),
    ('variable "region" {\n  default = "eu-west-1"\n}', ["eu-west-1"]),
    ('<add key="Theme" value="dark" />', ["dark"]),
    ('<add key="ApiKey" value="${API_KEY}" />', ["${API_KEY}"]),
    ("https://example.com/search?q=password&page=2", ["page=2"]),
    ("https://example.com/cb?token_type=bearer&expires_in=3600", ["bearer"]),
    # flags that are not passwords
    ("ssh -p 2222 alice@host", ["2222"]),
    ("docker run -p 8080:80 nginx", ["8080:80"]),
    ("zip -r out.zip dir", ["out.zip"]),
    ("openssl s_client -connect host:443 -kfile k", ["kfile"]),
    ("ssh-keygen -t ed25519 -N '' -f key", ["ed25519"]),
    ("PGPASSWORD= psql -h db", ["psql"]),
    ("bypass=true\ncompass=north", ["true", "north"]),
]


@pytest.mark.parametrize(("text", "clear"), NOT_SECRETS)
def test_near_misses_stay_clear(text: str, clear: list[str]) -> None:
    found = spans_of(text)
    for word in clear:
        assert not any(word in value for type_, value in found if type_ == SECRET), found


def test_env_prefix_ends_at_the_command() -> None:
    # The shell ends an unquoted value at a blank: the command after it is no secret.
    assert (SECRET, "plainword") in spans_of("PGPASSWORD=plainword psql -h db")


OBFUSCATED = [
    "write to jane.doe [at] example [dot] org today",
    "mail: jane(at)example(dot)com",
    "contact bob AT example DOT co DOT uk",
    "reach me at jane at example dot com",
    "jane@example[.]org",
    "j.smith {at} uni-x [dot] de.",
]


@pytest.mark.parametrize("text", OBFUSCATED)
def test_obfuscated_address_is_one_email(text: str) -> None:
    emails = [value for type_, value in spans_of(text) if type_ == EMAIL]
    assert len(emails) == 1 and emails[0].split()[0].strip("(") in text
    assert not any(part in text.replace(emails[0], "") for part in ("example", "uni-x"))


@pytest.mark.parametrize(
    "text",
    ["meet at noon dot five", "arrive AT GATE B", "user [at] host", "see [at] least [dot] once"],
)
def test_words_at_and_dot_are_no_address(text: str) -> None:
    assert not any(type_ == EMAIL for type_, _ in spans_of(text))


def test_name_in_an_obfuscated_local_part_is_that_persons() -> None:
    text = "Ping femi.adeyemi (at) example.org; Femi is out today."
    assert (PERSON, "Femi") in spans_of(text)


PHONES = [
    # extensions in the words of other languages
    ("Tel. 0171 1234567, Nebenstelle 12", "12"),
    ("+55 11 3456-7890 ramal 12", "12"),
    ("+48 22 123 45 67 wewn. 12", "12"),
    ("+86 10 1234 5678 分机 123", "123"),
    ("03-1234-5678 内線 123", "123"),
    ("+7 495 123-45-67 доб. 668", "668"),
    ("+49 30 1234 5678 App. 12", "12"),
    ("+46 8 123 456 78 anknytning 12", "12"),
    ("Tel +30 210 1234567 εσωτ. 12", "12"),
    ("+972-3-1234567 שלוחה 12", "12"),
    # no-break spaces and hyphens between the groups
    ("+44\u00a020\u00a07946\u00a00958", "7946"),
    ("+1 (212) 555\u20110134", "0134"),
    # a seven-digit local number after a word about phones, or with an extension
    ("call 555-0134 ext 12", "555-0134"),
    ("Tel. 555.0134", "555.0134"),
    # a national number without a trunk 0, right after a word for a phone
    ("Teléfono: 912 345 678", "912 345 678"),
    ("Tlf: 93 123 45 67", "93 123 45 67"),
    ('{"name": "Ana", "phone": "612345678"}', "612345678"),
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_phone_and_its_extension_are_redacted(text: str, value: str) -> None:
    text = f"Reach me on {text} tomorrow."
    assert leaked(text, value) == []


@pytest.mark.parametrize(
    "text",
    [
        "Build 123-4567 passed",
        "see page 123-4567 of the manual",
        "ticket 123-4567 is closed",
        "score 123.4567",
        "+49 30 1234567 appendix B",  # the number, but no "app" extension
    ],
)
def test_seven_digits_without_a_phone_cue_stay_clear(text: str) -> None:
    phones = [value for type_, value in spans_of(text) if type_ == PHONE]
    assert not any("4567" in v and "1234567" not in v for v in phones), phones
    assert all(not v.endswith("B") for v in phones)


@pytest.mark.parametrize(
    "text",
    [
        "Hotel 12345678",  # "tel" inside a word
        "phone model 2024 sold 12345678 units",  # the number is not next to the word
        "mobile app build 20260112",
        "Telefon 1234",  # too short for a number
    ],
)
def test_digits_near_a_phone_word_but_not_after_it_stay_clear(text: str) -> None:
    assert not any(type_ == PHONE for type_, _ in spans_of(text))


SERVICE_HOSTS = [
    ("mongodb+srv://app:pw9x@cluster0.ab1cd.example.net/shop?retryWrites=true", "cluster0"),
    ("amqps://user:pw9x@rabbit.example.io/vhost", "rabbit.example.io"),
    ("jdbc:mysql://db.example.io:3306/x?user=bob&password=plainword", "db.example.io"),
]


@pytest.mark.parametrize(("text", "host"), SERVICE_HOSTS)
def test_a_service_uris_host_is_a_url_and_its_password_a_secret(text: str, host: str) -> None:
    assert leaked(text, host) == []
    assert any(type_ == SECRET for type_, _ in spans_of(text))


@pytest.mark.parametrize(
    "text",
    [
        "postgres://app@localhost:5432/db",
        "redis://127.0.0.1:6379/0",
        "built on host=v1.2 today",
        "Server=10.0.0.5;Database=x",
    ],
)
def test_local_hosts_and_versions_are_no_url(text: str) -> None:
    assert not any(type_ == "URL" for type_, _ in spans_of(text))
