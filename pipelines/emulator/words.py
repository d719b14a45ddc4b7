"""Word lists for the synthetic catalog and for simulated edits (plain, invented, English)."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words (a compact form that formatters leave alone)."""
    return tuple(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    """One phrase a line."""
    return tuple(line.strip() for line in text.strip().splitlines())


ADJECTIVES = _words(
    """
    Silent Broken Last Golden Hidden Burning Crimson Lost Wild Dark Bright Frozen Final Secret
    Endless Hollow Savage Quiet Distant Little Electric Midnight Velvet Iron Paper Restless Scarlet
    Northern Fading Sudden Bitter Gentle Lonely Perfect Strange Wicked Hungry Rising Sweet Faraway
    Shattered Radiant Stolen Sleeping Forgotten Glass Dangerous Blue
    """
)
NOUNS = _words(
    """
    River Kingdom Shadow Heart Storm Garden Empire Mirror Harbor Summer Winter Road City Island
    Promise Machine Dream Witness Stranger Letter Fire Ocean Mountain Hunter Signal Station Voyage
    Frontier Echo Season Crown Debt Orchard Lighthouse Canyon Ghost Circus Journey Bridge Code
    Horizon Legacy Sister Brother Daughter Son Sky Tide Weekend Wedding
    """
)
PLACES = _words(
    """
    Paris Tokyo Cairo Berlin Havana Lagos Montana Sicily Brooklyn Nevada Kyoto Lisbon Patagonia
    Siberia Bombay Marseille Alaska Vienna Prague Oslo
    """
)
FIRST_NAMES_FEMALE = _words(
    """
    Anna Maria Emma Olivia Sofia Chloe Grace Hannah Isabel Julia Laura Mia Nora Paula Rosa Sarah
    Vera Yuki Amara Elena Ingrid Leila Mei Priya Zoe
    """
)
FIRST_NAMES_MALE = _words(
    """
    Adam Ben Carlos David Ethan Felix George Hugo Ivan Jack Karl Leo Marco Noah Omar Peter Raj
    Samuel Tom Victor Kenji Luca Mateo Oscar Yusuf
    """
)
LAST_NAMES = _words(
    """
    Anderson Bauer Castillo Dubois Eriksson Fischer Garcia Hansen Ito Jensen Kowalski Laurent Moreau
    Nakamura Olsen Petrov Quinn Rossi Silva Tanaka Ueda Varga Walker Xu Yilmaz Zimmermann Okafor
    Singh Kim Novak Brennan Costa Haddad Lindqvist Mendes Park Reyes Schmidt Teller Weiss
    """
)
ROLES = _words(
    """
    detective teacher nurse pilot farmer journalist thief doctor soldier musician chef lawyer
    scientist painter boxer priest smuggler engineer
    """
)
ACTIONS = _phrases(
    """
    must return home to face the past
    discovers a secret that could change everything
    is drawn into a dangerous game
    sets out on a journey across the country
    falls for the one person who could ruin everything
    tries to hold a family together
    uncovers a conspiracy reaching the highest levels of power
    gets one last chance at redemption
    is hunted by a relentless enemy
    has to win back a lost fortune
    """
)
COMPLICATIONS = _phrases(
    """
    But nothing is what it seems.
    Time is running out.
    The truth comes at a price.
    Old friends become new enemies.
    Every choice has a cost.
    Nobody can be trusted.
    A storm is coming.
    The past refuses to stay buried.
    """
)
# Sentences that simulated edits add to overviews.
EDIT_SENTENCES = _phrases(
    """
    Based on a true story.
    Inspired by real events.
    A story of courage and friendship.
    Loosely adapted from a classic novel.
    The first chapter of an epic saga.
    Told over a single night.
    Winner of several festival awards.
    """
)
TAGLINES = _phrases(
    """
    Some secrets never die.
    Every family has a story.
    The adventure of a lifetime.
    Nobody walks away.
    One night can change everything.
    Believe the impossible.
    The end is only the beginning.
    Love is a dangerous game.
    Fear has a new name.
    Home is where the heart breaks.
    Trust no one.
    Some roads lead nowhere.
    """
)
KEYWORDS = _phrases(
    """
    based on novel
    love
    friendship
    revenge
    murder
    small town
    new york city
    family
    war
    dystopia
    sequel
    biography
    police
    high school
    road trip
    heist
    time travel
    superhero
    alien
    musical
    sports
    coming of age
    monster
    prison
    kidnapping
    corruption
    survival
    ghost
    island
    wedding
    christmas
    dog
    artificial intelligence
    space
    london
    paris
    spy
    robbery
    journalism
    politics
    """
)
COMPANY_SUFFIXES = _phrases(
    """
    Pictures
    Films
    Entertainment
    Studios
    Productions
    Media
    """
)
FOREIGN_WORDS: dict[str, tuple[str, ...]] = {
    "fr": _words("Le La Nuit Amour Dernier Voyage Soleil Maison Rêve Ombre"),
    "es": _words("El La Noche Amor Último Viaje Sol Casa Sueño Sombra"),
    "de": _words("Der Die Nacht Liebe Letzte Reise Sonne Haus Traum Schatten"),
    "it": _words("Il La Notte Amore Ultimo Viaggio Sole Casa Sogno Ombra"),
    "ja": _words("夜 愛 旅 太陽 家 夢 影 海 空 道"),
    "ko": _words("밤 사랑 여행 태양 집 꿈 그림자 바다 하늘 길"),
    "zh": _words("夜 爱 旅程 太阳 家 梦 影子 海 天空 路"),
}
