"""The webhook signer, byte for byte, against vectors computed outside this code."""

from __future__ import annotations

import pytest

from spark_control_coordination.signing import (
    parse_secret,
    signed_headers,
    spark_signature,
    standard_signature,
)

# The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks,
# spec/standard-webhooks.md), and the HMAC of its body computed with openssl:
#   printf '%s' '{"test": 2432232314}' | openssl dgst -sha256 -mac HMAC \
#     -macopt hexkey:$(printf MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 256)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
STANDARD = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
SPARK = "sha256=e2cb4f5251572539d458bfb8a7adb533b08801e6a794467e06f771debbb0818b"
# A plain (legacy) secret: its UTF-8 bytes are the key.
#   printf '%s' '{"type":"swap_complete"}' | openssl dgst -sha256 -hmac 'plain-legacy-secret-1'
PLAIN = "plain-legacy-secret-1"
PLAIN_SPARK = "sha256=7056b56f6799de221f64dec46baa0f89e868e5fadb7dada599ec2f9ae80fecb0"


def test_the_signer_matches_the_standard_webhooks_example_byte_for_byte() -> None:
    key = parse_secret(SECRET)
    assert standard_signature(key, MSG_ID, TIMESTAMP, BODY) == STANDARD
    assert spark_signature(key, BODY) == SPARK


def test_every_header_of_an_attempt() -> None:
    headers = signed_headers([parse_secret(SECRET)], MSG_ID, TIMESTAMP, BODY)
    assert headers == {
        "webhook-id": MSG_ID,
        "webhook-timestamp": str(TIMESTAMP),
        "webhook-signature": STANDARD,
        "X-Spark-Signature": SPARK,
        "content-type": "application/json",
    }


def test_during_a_rotation_each_secret_signs_and_the_newest_signs_x_spark() -> None:
    newest = parse_secret("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")
    headers = signed_headers([newest, parse_secret(SECRET)], MSG_ID, TIMESTAMP, BODY)
    first, second = headers["webhook-signature"].split(" ")
    assert second == STANDARD
    assert first == standard_signature(newest, MSG_ID, TIMESTAMP, BODY)
    assert first != STANDARD
    assert headers["X-Spark-Signature"] == spark_signature(newest, BODY)


def test_a_plain_secret_is_used_as_its_bytes() -> None:
    assert spark_signature(parse_secret(PLAIN), b'{"type":"swap_complete"}') == PLAIN_SPARK


@pytest.mark.parametrize(
    ("secret", "said"),
    [
        ("whsec_not base64!", "base64"),
        ("whsec_QUJD", "24-64 bytes"),
        ("", "must not be empty"),
    ],
)
def test_unusable_secrets_are_refused_without_echoing_them(secret: str, said: str) -> None:
    with pytest.raises(ValueError, match=said) as caught:
        parse_secret(secret)
    assert not secret or secret not in str(caught.value)


def test_a_key_never_shows_in_its_repr() -> None:
    assert "MfKQ" not in repr(parse_secret(SECRET))


def test_a_short_legacy_secret_still_works_but_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from spark_control_coordination.settings import CoordinationSettings

    settings = CoordinationSettings(webhook_url="http://127.0.1.202/x", webhook_secret="s3cret")
    assert settings.targets()[0].keys() == [parse_secret("s3cret")]
    assert "shorter than 16 characters" in caplog.text
    assert "s3cret" not in caplog.text
