"""Which models and servers the settings panel may offer, and the check of a requested change.

On a loopback address the person at the page is the person at the machine: any bundled model
name, .gguf path or server URL may be tried, as on the command line. Bound to any other address
(`--host 0.0.0.0`), the page is open to the network, and a free-text model path or URL would let a
visitor make the server open files or connect wherever they name. There the panel offers only the
models and servers the configuration names: the bundled models, the configured `model`, no
server or the configured `server_url`. The check is made on the server, whatever the page sends.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from ..backends.gguf import BUNDLED_MODELS
from ..config import Config
from ..errors import ConfigError
from .session import Settings

MAX_EVIDENCE = 10  # the settings slider's upper end


def is_loopback(host: str) -> bool:
    """Whether `host` (as given to --host) is reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # a host name other than localhost, or "" (every address)
        return False


@dataclass(frozen=True)
class SettingsChoices:
    """What the settings panel offers. `free`: any model name, path or URL may be typed;
    otherwise only `models` and `servers` ("" meaning none: the model runs in-process)."""

    free: bool
    models: tuple[str, ...]
    servers: tuple[str, ...]

    @classmethod
    def for_host(cls, host: str, config: Config) -> SettingsChoices:
        models = tuple(dict.fromkeys((config.model, *BUNDLED_MODELS)))
        servers = tuple(dict.fromkeys(("", config.server_url)))
        return cls(is_loopback(host), models, servers)

    def check(self, settings: Settings) -> Settings:
        """`settings` if this page may apply them; raises ConfigError naming what is not offered."""
        if self.free:
            return settings
        if settings.model not in self.models:
            raise ConfigError(f"Model {settings.model!r} is not offered on this page; choose one of: "
                              f"{', '.join(self.models)}. (The page is open to the network, so it loads only "
                              "the models its configuration names.)")
        if settings.server_url not in self.servers:
            offered = ", ".join(s for s in self.servers if s) or "none is configured"
            raise ConfigError(f"Server {settings.server_url!r} is not offered on this page ({offered}). "
                              "(The page is open to the network, so it connects only to the configured server.)")
        if not 1 <= settings.evidence_sentences <= MAX_EVIDENCE:
            raise ConfigError(f"Passages per question must lie between 1 and {MAX_EVIDENCE}, "
                              f"got {settings.evidence_sentences}.")
        return settings
