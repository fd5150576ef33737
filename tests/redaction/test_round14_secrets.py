"""Round 14 of issue 21: secrets said in prose, the classes that round 13's held-back set
(``bench/redaction/rulecases/round13_heldback.jsonl``, tuning material since) and round
12's showed leaking: the value nearest its noun lost to a verb further on, a noun in an
inflected form or with an adjective after it, a word for a password in a script without
spaces followed by its particle, a passphrase ended by a bracket or a dash, a secret asked
for and answered in the next turn, a value before an arrow, a keyed code after a comma.

Written by hand for this round, none of them a text of any set: each positive names a
value that must not keep a letter or digit in clear; each near miss names text that must
stay as it was."""

from __future__ import annotations

import pytest

from tests.redaction.detecting import found, leaked

SECRETS = [
    # the nearest value wins over a verb further on in the sentence
    ("Locker code 5521, it's the one by the window.", "5521"),
    ("Gate PIN 0470, it is on the left post.", "0470"),
    ("Safe combination 12-40-33, it's behind the painting.", "12-40-33"),
    # a noun inflected or followed by an adjective, and the verbs of those languages
    ("Twoje hasło jednorazowe to Mk4!rZt8Qp, zmień je jutro.", "Mk4!rZt8Qp"),
    ("Uusi salasanasi on Lumi7#Kuu, vaihda se heti.", "Lumi7#Kuu"),
    ("Yeni şifren Deniz4$Ada oldu.", "Deniz4$Ada"),
    ("Az új jelszavad: Duna2027!kz", "Duna2027!kz"),
    ("Tvoje nové heslo je Vltava8#Qx.", "Vltava8#Qx"),
    ("Твой новый пароль — Neva42!xq, не теряй.", "Neva42!xq"),
    ("Kata sandi baru adalah Sate9!Ayam", "Sate9!Ayam"),
    ("Mật khẩu mới là Lua7#Nuoc nha", "Lua7#Nuoc"),
    ("كلمة السر الجديدة هي Zaatar7!q", "Zaatar7!q"),
    ("La nuova chiave API è tk_live_Zr8Wq2Mx5Pb", "tk_live_Zr8Wq2Mx5Pb"),
    ("La clé WPA du gîte : ferme7791prune", "ferme7791prune"),
    ("Die neue API-Schlüssel lautet ak_Qw7Zr2Lx9Vb", "ak_Qw7Zr2Lx9Vb"),
    ("API-nyckeln: nk_Zr8Wq3Lx7Vb", "nk_Zr8Wq3Lx7Vb"),
    # a word for a password in a script without spaces, then its particle
    ("新しいパスワードは Kyoto#88zx です", "Kyoto#88zx"),
    ("你的新密码是 Hz7!qLm2Xw\uff0c请妥善保管", "Hz7!qLm2Xw"),
    ("数据库的密码为 Db9#kWq3Zt", "Db9#kWq3Zt"),
    ("새 비밀번호는 Busan!42qz 입니다", "Busan!42qz"),
    # a noun right before its value with no verb: a key, a token
    ("router sticker says WPA key rmqt-7kzw-n3xp", "rmqt-7kzw-n3xp"),
    ("use the bot token Qw8zXr3Tm7Lp2Vk9 for the test server", "Qw8zXr3Tm7Lp2Vk9"),
    # a passphrase ended by a bracket or a dash, not a full stop
    ("The vault passphrase is amber kettle under snow (no capitals)", "amber kettle under snow"),
    ("passphrase is quiet river seven stones \u2014 write it down", "quiet river seven stones"),
    # asked for, answered in the next turn
    ("Agent: Can you give me your PIN?\nCaller: Sure, it's 6 2 0 9.", "6 2 0 9"),
    ("Agent: And the passcode?\nCaller: It's marigold, lower case.", "marigold"),
    # a one-time code asked for in chat, answered after a dash or on the next line
    ("what's the code the bank sent you? \u2014 it's 771 204", "771 204"),
    ("did you get the code they texted?\nyes it's 448190", "448190"),
    # the value before an arrow or a dash and the noun
    ("Pebble&Moss42 <- new password for the NAS", "Pebble&Moss42"),
    ("Quartz!Lake19 \u2014 that's the printer admin password", "Quartz!Lake19"),
    # a keyed code after its noun and a comma; "given as" without "is"
    ("El cliente leyó su PIN, 4718, y colgó.", "4718"),
    ("Phone banking passcode given as 552 019 by the caller", "552 019"),
    # a keypad's code, a lock box that opens with one
    ("Garage keypad: 908172 then the green button", "908172"),
    ("the key box by the door\nopens with 3307", "3307"),
    # the noun, what it is for, and the value ending the clause
    ("pw for the vpn Lantern9$", "Lantern9$"),
    ("Пароль от почты Qw8!zx12, не забудь", "Qw8!zx12"),
    # the word for a password in more languages and scripts
    ("Lozinka je Zagreb#2027", "Zagreb#2027"),
    ("رمز عبور: Tehran!2027", "Tehran!2027"),
    ("पासवर्ड है Dilli@2027", "Dilli@2027"),
    ("รหัสผ่านคือ Bangkok#2027", "Bangkok#2027"),
    ("비번 Seoul!2027", "Seoul!2027"),
    ("PIN-koodi on 4412", "4412"),
    ("2FA backup code: 8841 2270", "8841 2270"),
    # a code to open something, a safe that opens with one
    ("Use the code 5521 to open the gate", "5521"),
    ("the safe opens with 13-07-22", "13-07-22"),
    # asked and answered on one line after the speaker's label; a verb on the next line
    ("Agent: Could you read me your PIN? Caller: Yes, it's 3 1 7 7.", "3 1 7 7"),
    ("Your card PIN\nis 5521, keep this letter safe.", "5521"),
    # "code" alone in a sentence about a Wi-Fi network; a keyed code "for" a shed
    ("the guest wifi is Harbour and the code is w4ves!north", "w4ves!north"),
    ("4410 is the code for the garden shed", "4410"),
    ("Le digicode de l'entrée est 4B771, puis le 2e étage", "4B771"),
    # the value after a blank line; an element whose attribute names the secret
    ("The new admin password is\n\nMoon-River-2027", "Moon-River-2027"),
    ('<entry key="db.password">Xml!Entry77</entry>', "Xml!Entry77"),
    ('<setting name="ApiKey" serializeAs="String">Zq8WmX3vTr7Lp2Kc</setting>', "Zq8WmX3vTr7Lp2Kc"),
    # a Discord bot token: its three parts, the short middle one too
    ("bot.run('OTk4NzY1NDMyMTA5ODc2NTQz.Gx7Rq2.Zk8vTm3WqL9pXr2NcB7yHd4FsJ6aUe1Ki0o')", "Gx7Rq2"),
    # a new one, after a password was named in the sentence before
    ("Your password was reset. New one: Fjord-Tiles-63, change it soon.", "Fjord-Tiles-63"),
]

NEAR_MISSES = [
    # a label of something else after the noun's sentence
    "Wifi password on the card by the door (network: Harbor_Guest)",
    "The wifi password is on the fridge (SSID: CasaNet-5G)",
    # a CSV header of a password manager export is no value
    '"Group","Title","Username","Password","URL"\n"Work","Mail","bob","********","https://example.com"',
    # sentences about passwords and keys without one
    "Your new password must be 12 characters long, with one digit.",
    "The API key is valid for 90 days and can be rotated in the console.",
    "Passwort vergessen? Klicke auf den Link in der E-Mail.",
    "Twoje hasło wygasło, ustaw nowe hasło w portalu.",
    "Uusi salasanasi on lähetetty sähköpostiisi.",
    "パスワードは8文字以上にしてください。",
    "密码是必填项。",
    "Agent: Can you confirm your PIN?\nCaller: Sorry, I don't remember it.",
    "Meeting passcode? It's 4471 2290 for the weekly call on zoom.",
    "The passphrase is stored in the team vault (ask Alice).",
    "Release 2.4.1 -> new password policy for the portal",
    "Door 4, room 12, PIN pad on the left, floor 2.",
    "The wifi network is slow, error code is 0x80070005 again",
    "PIN changed on 03/12/2026 at 14:22 by the branch.",
    'password: "${env:DB_PASSWORD}"',
    "password = getpass.getpass()",
    "WLAN für Gäste \u2014 SSID: Haus-Seeblick \u2014 WLAN-Schlüssel: see the card",
    "12 is the code for the lift in building C",
    # a reference unquoted, a colon inside an address after the noun
    "database:\n  password: ${APP_DB_PASSWORD}\n  pool: 10",
    "WARN token refresh for alice@example.com from 2001:db8:4a1::7e2 took 90ms",
    "pin numpy2.1rc1 in the lock file",
    "Reset the password for host db01.example.com.",
    "Password for ticket INC-48213, see the runbook",
    "the password for user Bob2027 expired",
    "Use the code 2027 to get 10 % off",
    "The recovery codes page lists 10 codes, each valid once.",
    "the door opens with a push, room 2210",
    "For your files, the PIN mailer reference is 55107.",
    "The password length is 16 characters; the wifi password hint is Blue2027.",
    "what's the code they sent you? \u2014 it's fine, I'll ask again",
    '<entry key="password.min.length">12</entry>',
    '<entry key="db.password">${DB_PASSWORD}</entry>',
    "The password is\n\nrequired for every account.",
]


@pytest.mark.parametrize(("text", "value"), SECRETS)
def test_secrets_said_in_prose_are_replaced(text: str, value: str) -> None:
    assert leaked(text, value) == []


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_sentences_about_secrets_are_left_alone(text: str) -> None:
    assert [f for f in found(text) if f[0] == "SECRET"] == []


def test_a_password_in_a_connection_string_ends_at_its_semicolon() -> None:
    text = "Server=db.example.com;Password=Rq7zWm2Lx9Tv;Encrypt=true"
    assert ("SECRET", "Rq7zWm2Lx9Tv") in found(text)
    assert not [f for f in found(text) if "Encrypt" in f[1]]
