"""The model catalog: the shipped file, bad entries skipped with a warning, overrides,
and models added from the API persisted to the overrides file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from spark_control.errors import InvalidValue, SparkError
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog, CatalogEntry, UnknownModel

GOOD: dict[str, Any] = {
    "id": "good",
    "display_name": "Good model",
    "hf_repo": "org/good",
    "memory_gb": 20,
}


def _write(path: Path, models: list[Any]) -> Path:
    path.write_text(yaml.safe_dump({"models": models}, sort_keys=False))
    return path


def _entry(**changes: Any) -> dict[str, Any]:
    entry = {**GOOD, **changes}
    return {k: val for k, val in entry.items() if val is not None}


def test_the_shipped_catalog_loads_without_warnings() -> None:
    catalog = Catalog.load(SHIPPED_CATALOG)
    assert catalog.warnings == []
    assert 5 <= len(catalog) <= 8
    sizes = {e.tensor_parallel_size for e in catalog.entries()}
    assert sizes == {1, 2}
    for entry in catalog.entries():
        assert entry.memory_gb > 0 and entry.disk_gb
        assert catalog.get(entry.id) is entry
    assert {"id": "gpt-oss-20b", "served_name": "openai/gpt-oss-20b"} in catalog.spark_models()


BAD_ENTRIES: list[tuple[str, dict[str, Any], str]] = [
    ("two-sources", _entry(id="two-sources", local_path="/models/x"), "exactly one source"),
    ("no-source", _entry(id="no-source", hf_repo=None), "exactly one source"),
    ("Bad ID!", _entry(id="Bad ID!"), "id: "),
    ("tp3", _entry(id="tp3", tensor_parallel_size=3), "tensor_parallel_size"),
    ("bad-flag", _entry(id="bad-flag", extra_args=["--port=9000"]), "--port is not an allowed"),
    ("shell-flag", _entry(id="shell-flag", extra_args=["--seed=1;reboot"]), "extra_args"),
    ("space-env", _entry(id="space-env", env={"A": "two words"}), "A: contains ' '"),
    (
        "outside-template",
        _entry(
            id="outside-template",
            hf_repo=None,
            local_path="/models/x",
            chat_template="/models/y/t.jinja",
        ),
        "chat_template must be inside",
    ),
    ("unknown-key", _entry(id="unknown-key", colour="blue"), "colour: Extra inputs"),
    ("gmu", _entry(id="gmu", gpu_memory_utilization=0.99), "gpu_memory_utilization"),
    ("bool-len", _entry(id="bool-len", max_model_len=True), "max_model_len"),
    ("quant", _entry(id="quant", quantization="magic"), "quantization"),
    ("secret", _entry(id="secret", env={"HF_TOKEN": "hf_x"}), "HF_TOKEN is a secret"),
    ("hf-path", _entry(id="hf-path", hf_repo="../etc/passwd"), "hf_repo"),
]


@pytest.mark.parametrize(
    ("model_id", "raw", "reason"), BAD_ENTRIES, ids=[b[0] for b in BAD_ENTRIES]
)
def test_a_bad_entry_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, model_id: str, raw: dict[str, Any], reason: str
) -> None:
    path = _write(tmp_path / "models.yaml", [GOOD, raw, _entry(id="after")])
    catalog = Catalog.load(path)
    assert [e.id for e in catalog.entries()] == ["good", "after"]
    [warning] = catalog.warnings
    assert str(path) in warning
    assert f"models[1] (id {model_id!r})" in warning
    assert reason in warning


def test_entries_that_are_not_mappings_or_repeat_an_id_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "models.yaml", [GOOD, "just a string", GOOD])
    catalog = Catalog.load(path)
    assert [e.id for e in catalog.entries()] == ["good"]
    assert "models[1]: skipped: an entry must be a mapping" in catalog.warnings[0]
    assert "appears twice" in catalog.warnings[1]


def test_malformed_yaml_is_one_warning_naming_its_line(tmp_path: Path) -> None:
    shipped = _write(tmp_path / "shipped.yaml", [GOOD])
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("models:\n  - id: a\n    display_name: [unclosed\n  - id: b\n")
    catalog = Catalog.load(shipped, overrides)
    assert [e.id for e in catalog.entries()] == ["good"]
    [warning] = catalog.warnings
    assert str(overrides) in warning
    assert "not valid YAML at line 4" in warning


def test_overrides_replace_whole_add_and_remove(tmp_path: Path) -> None:
    shipped = _write(
        tmp_path / "shipped.yaml",
        [GOOD, _entry(id="other", tags=["x"]), _entry(id="gone")],
    )
    overrides = _write(
        tmp_path / "overrides.yaml",
        [
            {"id": "other", "display_name": "Mine", "local_path": "/models/mine", "memory_gb": 9},
            _entry(id="new"),
            {"id": "gone", "remove": True},
            {"id": "never-was", "remove": True},
        ],
    )
    catalog = Catalog.load(shipped, overrides)
    assert [e.id for e in catalog.entries()] == ["good", "other", "new"]
    other = catalog.get("other")
    assert other.local_path == "/models/mine" and other.tags == ()  # replaced whole
    assert other.served_name == "other"
    assert catalog.warnings == [f"{overrides}: remove of unknown id 'never-was' ignored"]


def test_a_missing_overrides_file_is_fine(tmp_path: Path) -> None:
    catalog = Catalog.load(SHIPPED_CATALOG, tmp_path / "absent.yaml")
    assert catalog.warnings == []


def test_get_of_an_unknown_id_is_a_clear_404() -> None:
    catalog = Catalog.load(SHIPPED_CATALOG)
    with pytest.raises(KeyError) as caught:
        catalog.get("no-such-model")
    assert isinstance(caught.value, UnknownModel)
    assert caught.value.status == 404
    assert str(caught.value) == "no model 'no-such-model' in the catalog"


def test_add_local_and_remove_local_round_trip_through_the_overrides_file(
    tmp_path: Path,
) -> None:
    shipped = _write(tmp_path / "shipped.yaml", [GOOD])
    overrides = _write(tmp_path / "overrides.yaml", [_entry(id="hand-written")])
    catalog = Catalog.load(shipped, overrides)
    local = CatalogEntry(
        id="my-local",
        display_name="My local model",
        local_path="/models/my-local",
        chat_template="/models/my-local/chat.jinja",
        memory_gb=30,
        extra_args=("--trust-remote-code",),
    )
    catalog.add_local(local)
    assert catalog.get("my-local") == local

    reloaded = Catalog.load(shipped, overrides)
    assert reloaded.warnings == []
    assert reloaded.get("my-local") == local
    assert [e.id for e in reloaded.entries()] == ["good", "hand-written", "my-local"]
    assert list(tmp_path.iterdir()).count(overrides) == 1  # no temporary file left over
    assert len(list(tmp_path.iterdir())) == 2

    with pytest.raises(SparkError, match="already exists"):
        reloaded.add_local(local)
    with pytest.raises(SparkError, match="shipped model"):
        reloaded.add_local(local.model_copy(update={"id": "good"}))
    with pytest.raises(InvalidValue):
        reloaded.add_local(CatalogEntry.model_validate(_entry(id="hf-model")))

    assert reloaded.remove_local("my-local") == local
    again = Catalog.load(shipped, overrides)
    assert "my-local" not in again
    assert [e.id for e in again.entries()] == ["good", "hand-written"]
    with pytest.raises(SparkError, match="not a local model"):
        again.remove_local("good")


def test_add_local_refuses_to_overwrite_a_broken_overrides_file(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("models: [\n")
    catalog = Catalog.load(_write(tmp_path / "shipped.yaml", [GOOD]), overrides)
    local = CatalogEntry(id="x", display_name="X", local_path="/models/x", memory_gb=1)
    with pytest.raises(SparkError, match="cannot be updated"):
        catalog.add_local(local)
    assert overrides.read_text() == "models: [\n"


def test_add_local_without_an_overrides_file_is_refused() -> None:
    catalog = Catalog.load(SHIPPED_CATALOG)
    local = CatalogEntry(id="x", display_name="X", local_path="/models/x", memory_gb=1)
    with pytest.raises(SparkError, match="no catalog overrides file"):
        catalog.add_local(local)
