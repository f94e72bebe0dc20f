from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import load_config
from qa.errors import ConfigError


def test_defaults_then_file_then_env_then_overrides(tmp_path: Path) -> None:
    file = tmp_path / "qa.toml"
    file.write_text('top_k = 7\nmodel = "smollm2-135m"\nchunk_chars = 400\n', encoding="utf-8")
    cfg = load_config(file, env={"QA_TOP_K": "9"}, chunk_chars=500)
    assert (cfg.top_k, cfg.model, cfg.chunk_chars) == (9, "smollm2-135m", 500)
    assert load_config(env={}).top_k == 5


def test_unknown_key_in_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    file = tmp_path / "qa.toml"
    file.write_text("top_kk = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"top_kk.*qa\.toml"):
        load_config(file, env={})


def test_unknown_environment_variable_is_an_error() -> None:
    with pytest.raises(ConfigError, match="QA_MODLE"):
        load_config(env={"QA_MODLE": "x"})


@pytest.mark.parametrize(("key", "value"), [("top_k", "0"), ("retrieval", "magic"), ("top_k", "many"),
                                            ("support_threshold", "1.5")])
def test_bad_values_are_rejected_with_the_setting_name(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_config(env={f"QA_{key.upper()}": value})


def test_missing_config_file_named_by_env(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(env={"QA_CONFIG": str(tmp_path / "nope.toml")})
