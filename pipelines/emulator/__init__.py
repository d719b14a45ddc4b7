"""A local emulator of the TMDB API v3 subset the ingestion uses (see ``server.TMDBEmulator``).

Responses carry TMDB's real shapes and error bodies, so the same client works against
https://api.themoviedb.org/3 and against ``TMDBEmulator(...).base_url``.
"""

from pipelines.emulator.config import EmulatorConfig, FaultConfig, RealismConfig
from pipelines.emulator.server import TMDBEmulator
from pipelines.emulator.simulation import Simulation

__all__ = ["EmulatorConfig", "FaultConfig", "RealismConfig", "Simulation", "TMDBEmulator"]
