"""Allow-list validators: what each accepts and refuses, and that refusals name the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spark_control.errors import InvalidValue
from spark_control.ssh import validators as v

HOSTILE = [
    "a;touch x",
    "$(id)",
    "`id`",
    "a|b",
    "a&b",
    "a b",
    "a\nb",
    "a'b",
    'a"b',
    "a\\b",
    "a>b",
    "a<b",
    "*",
    "a?",
    "\x00",
    "",
]

CASES = {
    v.validate_model_id: (
        ["Qwen/Qwen3-32B", "meta-llama/Llama-3.1-8B-Instruct", "gpt2", "org/model_v1.5"],
        [
            "a/b/c",
            "../x",
            "org/..",
            "-org/x",
            ".hidden/x",
            "org/-x",
            "a..b",
            "org/",
            "/x",
            "x" * 201,
        ],
    ),
    v.validate_container_name: (
        ["vllm", "vllm-qwen3_32b.1", "0abc", "a" * 128],
        ["-x", "_x", ".x", "a/b", "a:b", "a" * 129],
    ),
    v.validate_absolute_path: (
        ["/opt/models", "/home/alice/.cache/huggingface", "/a/b+c@d-e_f.g", "/x/.env"],
        ["relative", "/", "/a//b", "/a/", "/a/../b", "/a/./b", "/a b", "~/x", "/a:b"],
    ),
    v.validate_relative_path: (
        ["logs/vllm.log", "a", ".env", "a/b.c"],
        ["/abs", "-rf", "../x", "a/../b", "a//b", "a/", "a b"],
    ),
    v.validate_unix_user: (
        ["alice", "_svc", "bob-2", "a" * 32],
        ["Alice", "1bob", "-x", "a" * 33, "a.b", "root:x"],
    ),
    v.validate_git_branch: (
        ["main", "feature/new-tile", "release-1.2", "user/alice/fix_3"],
        ["-main", "a..b", "a/.b", "a.lock", "a/b.lock", "a//b", "/a", "a/", "a.", "a b", "a~1"],
    ),
    v.validate_host: (
        ["127.0.0.1", "10.0.0.2", "::1", "fe80::1", "spark-1", "spark-1.local", "a.b.c"],
        ["-a", "a_b", "a..b", "a.", "fe80::1%eth0", "a" * 64, "1.2.3.4:22", "host name"],
    ),
    v.validate_env_name: (
        ["HF_TOKEN", "_x", "a1"],
        ["1A", "A-B", "A B", "A=B", "Ä"],
    ),
    v.validate_env_value: (
        ["", "a b c", "x=$(y) 'q'", "é中", "x" * 4096],
        ["a\nb", "a\x00b", "a\tb", "x" * 4097],
    ),
    v.validate_unsplittable_value: (
        ["--max-model-len=8192", "hf_abc123", "a,b:c@d%e+f"],
        ["a b", "*", "a?", "[a]", "'a'", '"a"', "a\\b", "$X", "", "a\tb"],
    ),
    v.validate_extra_flag: (
        ["--enforce-eager", "--max-model-len=8192", "--served-model-name=qwen3", "--x="],
        ["-x", "--", "--a b", "--a=b c", "--a=$(x)", "x", "--a='b'", "---a"],
    ),
}


@pytest.mark.parametrize(
    ("validator", "good"),
    [(f, g) for f, (goods, _) in CASES.items() for g in goods],
    ids=lambda x: getattr(x, "__name__", repr(x)[:30]),
)
def test_validator_accepts_allowed_values_unchanged(validator, good):
    assert validator(good, "field_x") == good


@pytest.mark.parametrize(
    ("validator", "bad"),
    [(f, b) for f, (_, bads) in CASES.items() for b in bads],
    ids=lambda x: getattr(x, "__name__", repr(x)[:30]),
)
def test_validator_refuses_disallowed_values_naming_the_field(validator, bad):
    with pytest.raises(InvalidValue) as info:
        validator(bad, "field_x")
    assert info.value.field == "field_x"
    assert info.value.status == 422
    assert str(info.value).startswith("field_x: ")


@pytest.mark.parametrize("validator", [*CASES, v.validate_hostname, v.validate_ip_address])
@pytest.mark.parametrize("bad", HOSTILE)
def test_shell_metacharacters_are_refused_everywhere_but_env_values(validator, bad):
    if validator is v.validate_env_value and bad.isprintable():
        assert validator(bad, "f") == bad  # quoted by the builder; see the round-trip test
        return
    with pytest.raises(InvalidValue):
        validator(bad, "f")


@pytest.mark.parametrize("validator", CASES)
@pytest.mark.parametrize("bad", [None, 3, b"bytes", ["x"]])
def test_non_strings_are_refused(validator, bad):
    with pytest.raises(InvalidValue, match="must be a string"):
        validator(bad, "f")


def test_reason_does_not_echo_a_huge_value():
    with pytest.raises(InvalidValue) as info:
        v.validate_container_name("-" + "x" * 100_000)
    assert len(str(info.value)) < 300


def test_ports_accept_ints_and_digit_strings_only():
    assert v.validate_port(22) == 22
    assert v.validate_port("8000") == 8000
    assert v.validate_port(65535) == 65535
    for bad in (0, 65536, -1, "", "22a", " 22", "0x10", "٣", True, 2.0, None, "999999"):
        with pytest.raises(InvalidValue) as info:
            v.validate_port(bad, "vllm_port")
        assert info.value.field == "vllm_port"


def test_ip_addresses_come_back_canonical():
    assert v.validate_host("::0001") == "::1"
    assert v.validate_ip_address("10.0.0.1") == "10.0.0.1"
    with pytest.raises(InvalidValue):
        v.validate_ip_address("spark-1")


def test_extra_flags_error_names_the_position():
    assert v.validate_extra_flags(["--a", "--b=1"]) == ["--a", "--b=1"]
    with pytest.raises(InvalidValue) as info:
        v.validate_extra_flags(["--a", "--b;rm"], "extra_args")
    assert info.value.field == "extra_args[1]"
    with pytest.raises(InvalidValue):
        v.validate_extra_flags("--a")


NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(";|&$()`<>*?'\"\n\\ \t-./_:=@%+,[]{}~#!^")),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(validator=st.sampled_from(list(CASES)), raw=NASTY)
def test_validators_either_refuse_with_the_field_or_return_the_value(validator, raw):
    try:
        out = validator(raw, "prop")
    except InvalidValue as exc:
        assert exc.field == "prop"
        return
    if validator is v.validate_host:
        assert isinstance(out, str)
    else:
        assert out == raw
    if validator is not v.validate_env_value:
        # Everything but free-form env values is from a narrow charset with no shell meaning.
        assert not set(out) & set(";|&$()`<>*?'\"\n\\ \t")
