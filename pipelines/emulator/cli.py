"""Command-line glue: ``add_arguments`` + ``run``, shared by ``python -m pipelines.emulator`` and the
project's console script (``tmdb-warehouse emulator``)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from datetime import date
from typing import Any

from pipelines.emulator.config import EmulatorConfig, FaultConfig, RealismConfig
from pipelines.emulator.server import TMDBEmulator

DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults, fault_defaults = EmulatorConfig(), FaultConfig()
    parser.add_argument("--host", default=defaults.host)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--start-date", type=date.fromisoformat, default=defaults.start_date, help="simulated day 0")
    parser.add_argument("--rate-limit", type=float, default=defaults.rate_limit, help="requests/s, 0 = off")
    parser.add_argument("--api-key", default=defaults.api_key, help="accepted v3 api_key")
    parser.add_argument("--access-token", default=defaults.access_token, help="accepted v4 Bearer token")
    parser.add_argument("--catalog", choices=("tmdb5000", "synthetic"), default=defaults.catalog)
    parser.add_argument("--synthetic-size", type=int, default=defaults.synthetic_size)
    faults = parser.add_argument_group("fault injection (all off by default)")
    faults.add_argument("--error-rate", type=float, default=fault_defaults.error_rate, help="share of 5xx")
    faults.add_argument("--storm-every", type=int, default=fault_defaults.storm_every)
    faults.add_argument(
        "--storm-length", type=int, default=fault_defaults.storm_length, help="429s after each --storm-every"
    )
    faults.add_argument("--slow-rate", type=float, default=fault_defaults.slow_rate)
    faults.add_argument("--slow-seconds", type=float, default=fault_defaults.slow_seconds)
    faults.add_argument("--truncate-rate", type=float, default=fault_defaults.truncate_rate)
    faults.add_argument("--drop-rate", type=float, default=fault_defaults.drop_rate)
    add_realism_arguments(parser)


def add_realism_arguments(parser: argparse.ArgumentParser) -> None:
    """The realism profile's options (also on `run`/`demo`, which start an emulator of their own)."""
    realism = parser.add_argument_group("realism profile (TMDB's dirty data, on by default)")
    realism.add_argument("--no-realism", dest="realism", action="store_false", help="serve the catalog clean")
    realism.add_argument(
        "--realism-rate",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        type=_rate_override,
        help=f"override one rate (repeatable); NAME among {', '.join(_short(n) for n in RealismConfig.rate_names())}",
    )
    realism.add_argument(
        "--realism-null-fields",
        type=lambda text: tuple(f for f in text.split(",") if f),
        default=RealismConfig().null_fields,
        metavar="A,B",
        help="detail fields null in every movie ('' for none)",
    )


def _short(rate_name: str) -> str:
    return rate_name.removesuffix("_rate").replace("_", "-")


def _rate_override(text: str) -> tuple[str, float]:
    """``vote-drop=0.1`` or ``vote_drop_rate=0.1`` -> ("vote_drop_rate", 0.1)."""
    name, sep, value = text.partition("=")
    rate_name = name.strip().replace("-", "_").removesuffix("_rate") + "_rate"
    if not sep or rate_name not in RealismConfig.rate_names():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME a realism rate, got {text!r}")
    try:
        return rate_name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None


def realism_from_args(args: argparse.Namespace) -> RealismConfig:
    return RealismConfig(enabled=args.realism, null_fields=args.realism_null_fields, **dict(args.realism_rate))


def _options_named_like(config: type, args: argparse.Namespace) -> dict[str, Any]:
    """The parsed options whose names (argparse's dest) are fields of the dataclass `config`."""
    names = {f.name for f in fields(config)}
    return {name: value for name, value in vars(args).items() if name in names}


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The emulator's configuration from the options of add_arguments (fields without an option keep defaults)."""
    return EmulatorConfig(
        **_options_named_like(EmulatorConfig, args)
        | {"faults": FaultConfig(**_options_named_like(FaultConfig, args)), "realism": realism_from_args(args)}
    )


def _announce(emulator: TMDBEmulator) -> None:
    config = emulator.config
    control = emulator.base_url.removesuffix("/3") + "/_emulator/state"
    realism = "on" if config.realism.enabled else "off (--no-realism)"
    print(f"TMDB emulator: {config.catalog} catalog, seed {config.seed}, day 0 = {config.start_date}")
    print(f"  realism:  {realism}")
    print(f"  base URL: {emulator.base_url}")
    print(f"  api_key:  {config.api_key}   (or header Authorization: Bearer {config.access_token})")
    print(f"  control:  {control}   (Ctrl-C stops)", flush=True)


def run(args: argparse.Namespace) -> int:
    """Serve in the foreground until Ctrl-C."""
    try:
        emulator = TMDBEmulator(config_from_args(args))
    except ValueError as error:  # a rate outside [0, 1], an unknown catalog...
        print(f"emulator: {error}", file=sys.stderr)
        return 2
    try:
        emulator.serve_forever(ready=_announce)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0
